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

/**
 * How often one environment is polled, at its own rate: a deploy on staging makes staging poll fast, not prod.
 * Undefined: not at all (nobody looks and nobody watches it).
 */
export function environmentIntervalMs(
  inputs: Pick<PollInputs, 'viewVisible' | 'windowFocused' | 'engaged' | 'activeMs' | 'idleMs'>,
  env: { readonly busy: boolean; readonly watched: boolean },
): number | undefined {
  const someoneLooks = inputs.viewVisible || (inputs.windowFocused && inputs.engaged);
  if (someoneLooks) return env.busy || env.watched ? inputs.activeMs : inputs.idleMs;
  return env.watched ? inputs.activeMs : undefined;
}

/** Polls that fall due within this much of each other are made together (one wake-up instead of several). */
export const POLL_BATCH_MS = 250;

/**
 * Which environments to poll now and when to wake up next, from each one's interval and last poll. An
 * environment never polled is due at once.
 */
export function duePolls(
  now: number,
  environments: readonly { readonly name: string; readonly intervalMs: number | undefined; readonly lastPolledAt: number | undefined }[],
): { readonly due: readonly string[]; readonly nextAt: number | undefined } {
  const due: string[] = [];
  let nextAt: number | undefined;
  for (const env of environments) {
    if (env.intervalMs === undefined) continue;
    const at = env.lastPolledAt === undefined ? now : env.lastPolledAt + env.intervalMs;
    if (at <= now + POLL_BATCH_MS) due.push(env.name);
    nextAt = Math.min(nextAt ?? at, at);
  }
  return { due, nextAt };
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
