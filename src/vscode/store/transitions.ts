// What changed between two polled statuses of an environment that the user should hear about. Pure: the
// notifications, the status bar, a followed deploy and the tests all agree on one definition of "an approval
// started waiting" and "an execution finished".

import type { EnvironmentStatus, ExecutionStatus, PendingApproval, PipelineStatus } from '../../core/model';
import { executionInPipeline } from '../../core/pipeline';

export type StatusTransition =
  | { readonly kind: 'approval-waiting'; readonly env: string; readonly approval: PendingApproval }
  | {
      readonly kind: 'execution-finished';
      readonly env: string;
      readonly executionId: string;
      readonly status: ExecutionStatus;
      /** desired_version, for the latest execution (what it deployed); absent for an older one. */
      readonly version?: string;
    };

const FINAL: ReadonlySet<ExecutionStatus> = new Set(['Succeeded', 'Failed', 'Stopped', 'Cancelled', 'Superseded']);

const isFinal = (s: ExecutionStatus | undefined): s is ExecutionStatus => s !== undefined && FINAL.has(s);

/** Every execution a pipeline status shows: the latest and the older ones still in some stage. */
function executionsShown(pipeline: PipelineStatus | undefined): string[] {
  if (!pipeline) return [];
  return [...new Set([pipeline.executionId, ...pipeline.stages.map((s) => s.executionId)].filter((id): id is string => id !== undefined))];
}

/** When the latest execution's end was last recorded (a retried stage that fails again ends it again). */
function endedAt(pipeline: PipelineStatus): number | undefined {
  const outcome = pipeline.outcome;
  return outcome && 'at' in outcome ? outcome.at?.getTime() : undefined;
}

/**
 * `prev` undefined (or without a pipeline) means "first look": an approval already waiting is reported (someone
 * has to decide it), an execution that already ended is not (it is history, not news). After that, an execution
 * has finished when it was running and is now final, when it appears already final (it ran between two polls), when
 * the latest execution ended again (a retried stage), or when it was running and no stage shows it any more: a newer
 * execution took every stage it had reached, which CodePipeline does only by superseding it.
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
  if (!before) return out;
  const finished = (executionId: string, status: ExecutionStatus) =>
    out.push({
      kind: 'execution-finished',
      env: next.name,
      executionId,
      status,
      ...(executionId === after.executionId && next.desiredVersion !== undefined ? { version: next.desiredVersion } : {}),
    });
  for (const id of new Set([...executionsShown(before), ...executionsShown(after)])) {
    const was = executionInPipeline(before, id);
    const now = executionInPipeline(after, id);
    if (isFinal(now)) {
      const endedAgain = isFinal(was) && id === after.executionId && id === before.executionId && endedAt(before) !== endedAt(after);
      if (!isFinal(was) || endedAgain) finished(id, now);
    } else if (now === undefined && was !== undefined && !isFinal(was)) {
      finished(id, 'Superseded');
    }
  }
  return out;
}
