// When the store polls. Pure, so the cost rules ("nothing when nobody looks") are unit-tested.

import type { EnvironmentStatus } from '../../core/model';

export interface PollInputs {
  /** At least one of the extension's views is visible. */
  readonly viewVisible: boolean;
  readonly windowFocused: boolean;
  /**
   * The user has asked for live data in this session (opened a view, ran a command). Before that, a focused
   * window alone must not cause AWS calls: the status bar shows the cached version.
   */
  readonly engaged: boolean;
  /** Environments that are busy (pipeline running, approval waiting) or watched (a panel, a deploy followed). */
  readonly anyActive: boolean;
  /** Someone holds a watch on at least one environment (an open approval panel, a followed deploy). */
  readonly anyWatched: boolean;
  readonly activeMs: number;
  readonly idleMs: number;
}

/** When to poll next, and whether that poll covers every environment or only the watched ones. */
export interface PollPlan {
  readonly delayMs: number;
  readonly scope: 'all' | 'watched';
}

/** The next poll, or undefined to stay paused until something changes. */
export function nextPoll(inputs: PollInputs): PollPlan | undefined {
  const someoneLooks = inputs.viewVisible || (inputs.windowFocused && inputs.engaged);
  if (someoneLooks) return { delayMs: inputs.anyActive ? inputs.activeMs : inputs.idleMs, scope: 'all' };
  // A watch is someone looking at one environment (a panel in another window group, a deploy being followed):
  // it stays live with the views hidden and the window unfocused, and costs nothing for the others.
  if (inputs.anyWatched) return { delayMs: inputs.activeMs, scope: 'watched' };
  return undefined;
}

/** Does the status call for fast polling: an execution runs or an approval waits. */
export function isBusy(status: EnvironmentStatus | undefined): boolean {
  const pipeline = status?.pipeline;
  if (!pipeline) return false;
  return pipeline.pendingApproval !== undefined || pipeline.status === 'InProgress' || pipeline.status === 'Stopping';
}

/** Reads the interval settings defensively: a bad number falls back to the default, within sane bounds. */
/** The polling settings' default and bounds, in seconds; the manifest declares the same (a unit test checks it). */
export const POLLING_SETTINGS = {
  activeSeconds: { default: 5, minimum: 1, maximum: 300 },
  idleSeconds: { default: 60, minimum: 5, maximum: 3600 },
} as const;

export function intervalMs(seconds: unknown, fallbackSeconds: number, minSeconds: number, maxSeconds: number): number {
  const s = typeof seconds === 'number' && Number.isFinite(seconds) ? seconds : fallbackSeconds;
  return Math.round(Math.min(maxSeconds, Math.max(minSeconds, s)) * 1000);
}
