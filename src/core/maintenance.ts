// Maintenance mode. Spryker Cloud switches it with two pipelines per environment, Maintenance_Enable_<env> and
// Maintenance_Disable_<env>; AWS keeps no flag of its own, so whether it is on is read from their executions: the
// one that succeeded last decides. A switch in progress is shown as such, a failed last switch is named.
// Pure: derived from ListPipelineExecutions of both pipelines.

import type { ExecutionSummary } from './model';
import { personOf } from './outcome';

export type MaintenanceMode = 'on' | 'off';

export type MaintenanceState =
  /** The enable pipeline succeeded last (`since`: when it ended, `by`: who started it). */
  | { readonly kind: 'on'; readonly since?: Date; readonly by?: string; readonly lastSwitchFailed?: MaintenanceFailure }
  /** The disable pipeline succeeded last, or neither ever succeeded (`since` undefined: never enabled). */
  | { readonly kind: 'off'; readonly since?: Date; readonly by?: string; readonly lastSwitchFailed?: MaintenanceFailure }
  /** One of the pipelines runs now. */
  | { readonly kind: 'switching'; readonly to: MaintenanceMode; readonly executionId: string; readonly startedAt?: Date; readonly by?: string }
  /** The environment has no maintenance pipelines (or they cannot be read): `reason` says which. */
  | { readonly kind: 'unknown'; readonly reason: string };

export interface MaintenanceFailure {
  readonly to: MaintenanceMode;
  readonly executionId: string;
  readonly status: string;
  readonly at?: Date;
  readonly summary?: string;
}

const ACTIVE = new Set(['InProgress', 'Stopping']);
const endOf = (e: ExecutionSummary): number => (e.lastUpdateTime ?? e.startTime)?.getTime() ?? 0;
const starter = (e: ExecutionSummary): string | undefined => (e.trigger === 'StartPipelineExecution' ? personOf(e.triggerDetail) : undefined);

/** The state from the latest executions of both pipelines (newest first, as ListPipelineExecutions returns them). */
export function maintenanceState(enable: readonly ExecutionSummary[], disable: readonly ExecutionSummary[]): MaintenanceState {
  const running = [...enable.filter((e) => ACTIVE.has(e.status)).map((e) => ({ e, to: 'on' as const })), ...disable.filter((e) => ACTIVE.has(e.status)).map((e) => ({ e, to: 'off' as const }))].sort(
    (a, b) => (b.e.startTime?.getTime() ?? 0) - (a.e.startTime?.getTime() ?? 0),
  )[0];
  if (running) {
    const by = starter(running.e);
    return { kind: 'switching', to: running.to, executionId: running.e.executionId, ...(running.e.startTime ? { startedAt: running.e.startTime } : {}), ...(by ? { by } : {}) };
  }
  const lastOn = enable.find((e) => e.status === 'Succeeded');
  const lastOff = disable.find((e) => e.status === 'Succeeded');
  const mode: MaintenanceMode = lastOn && (!lastOff || endOf(lastOn) > endOf(lastOff)) ? 'on' : 'off';
  const decided = mode === 'on' ? lastOn : lastOff;
  // A switch that ended otherwise after the one in force (failed, stopped): the user tried and it did not happen.
  const attempts = [...enable.map((e) => ({ e, to: 'on' as const })), ...disable.map((e) => ({ e, to: 'off' as const }))].sort((a, b) => endOf(b.e) - endOf(a.e));
  const latest = attempts[0];
  const failed =
    latest && latest.e.status !== 'Succeeded' && (!decided || endOf(latest.e) > endOf(decided))
      ? {
          to: latest.to,
          executionId: latest.e.executionId,
          status: latest.e.status,
          ...(latest.e.lastUpdateTime ? { at: latest.e.lastUpdateTime } : {}),
          ...(latest.e.statusSummary ? { summary: latest.e.statusSummary } : {}),
        }
      : undefined;
  const by = decided ? starter(decided) : undefined;
  const since = decided ? (decided.lastUpdateTime ?? decided.startTime) : undefined;
  return { kind: mode, ...(since ? { since } : {}), ...(by ? { by } : {}), ...(failed ? { lastSwitchFailed: failed } : {}) };
}

/** One line: "on since 2026-… (by jane.doe)", "switching off", "off (never enabled)". */
export function describeMaintenance(state: MaintenanceState, when: (d: Date) => string): string {
  switch (state.kind) {
    case 'switching':
      return `switching ${state.to}${state.by ? ` (started by ${state.by})` : ''}`;
    case 'unknown':
      return `unknown: ${state.reason}`;
    case 'on':
    case 'off': {
      const since = state.since ? ` since ${when(state.since)}${state.by ? ` (by ${state.by})` : ''}` : state.kind === 'off' ? ' (never enabled)' : '';
      const failed = state.lastSwitchFailed ? `; the last attempt to switch it ${state.lastSwitchFailed.to} ended ${state.lastSwitchFailed.status}` : '';
      return `${state.kind}${since}${failed}`;
    }
  }
}
