// What changed between two polled statuses of an environment that the user should hear about. Pure: the
// notifications, the status bar and the tests all agree on one definition of "an approval started waiting"
// and "a deployment finished".

import type { EnvironmentStatus, ExecutionStatus, PendingApproval } from '../../core/model';

export type StatusTransition =
  | { readonly kind: 'approval-waiting'; readonly env: string; readonly approval: PendingApproval }
  | { readonly kind: 'execution-finished'; readonly env: string; readonly executionId: string; readonly status: ExecutionStatus; readonly version?: string };

const FINAL: ReadonlySet<ExecutionStatus> = new Set(['Succeeded', 'Failed', 'Stopped', 'Cancelled', 'Superseded']);

/**
 * `prev` undefined means "first look": an approval already waiting is reported (someone has to decide it),
 * an execution that already ended is not (it is history, not news).
 */
export function detectTransitions(prev: EnvironmentStatus | undefined, next: EnvironmentStatus): StatusTransition[] {
  const out: StatusTransition[] = [];
  const before = prev?.pipeline;
  const after = next.pipeline;
  if (!after) return out;
  const waiting = after.pendingApproval;
  if (waiting && waiting.token !== before?.pendingApproval?.token) {
    out.push({ kind: 'approval-waiting', env: next.name, approval: waiting });
  }
  if (after.executionId && after.status && FINAL.has(after.status)) {
    const sameExecutionWasRunning =
      before?.executionId === after.executionId && before.status !== undefined && !FINAL.has(before.status);
    if (sameExecutionWasRunning) {
      out.push({
        kind: 'execution-finished',
        env: next.name,
        executionId: after.executionId,
        status: after.status,
        ...(next.desiredVersion !== undefined ? { version: next.desiredVersion } : {}),
      });
    }
  }
  return out;
}
