// Reading a pipeline's state (GetPipelineState) as the user thinks of it: the latest execution, where it is,
// and whether it waits for an approval. Pure functions over the port's snapshot.

import type { EnvironmentConfig, ExecutionStatus, PendingApproval, PipelineStatus, StageState, ActionState, Version } from './model';
import type { PipelineStateSnapshot } from './ports';

const ENDED: readonly ExecutionStatus[] = ['Failed', 'Stopped', 'Cancelled', 'Superseded'];

/** The approval action that waits (has a token and is InProgress) in the configured approval stage. */
export function findWaitingApproval(
  snapshot: PipelineStateSnapshot,
  stages: EnvironmentConfig['stages'],
  version?: Version,
): PendingApproval | undefined {
  const stage =
    snapshot.stages.find((s) => s.name === stages.approval) ??
    // A renamed approval stage still shows up as the only stage whose action carries a token.
    snapshot.stages.find((s) => s.actions.some((a) => a.token !== undefined && a.status === 'InProgress'));
  if (!stage) return undefined;
  const action = approvalAction(stage, stages.approvalAction);
  if (!action || action.token === undefined || action.status !== 'InProgress') return undefined;
  return {
    pipelineName: snapshot.pipelineName,
    stageName: stage.name,
    actionName: action.name,
    token: action.token,
    executionId: stage.executionId ?? '',
    ...(version !== undefined ? { version } : {}),
    ...(action.lastStatusChange !== undefined ? { requestedAt: action.lastStatusChange } : {}),
  };
}

/** The configured action, or else the stage's only manual-approval action (the one holding a token). */
function approvalAction(stage: StageState, actionName: string): ActionState | undefined {
  const named = stage.actions.find((a) => a.name === actionName);
  if (named) return named;
  const withToken = stage.actions.filter((a) => a.token !== undefined);
  return withToken.length === 1 ? withToken[0] : undefined;
}

/**
 * The latest execution is the one the first stage that ran last saw (new executions enter at the top);
 * its status follows from the stages it reached. GetPipelineState costs one call and has no execution
 * status of its own, which would cost a second call every refresh.
 */
export function pipelineStatus(snapshot: PipelineStateSnapshot, stages: EnvironmentConfig['stages'], desiredVersion?: Version): PipelineStatus {
  const executionId = snapshot.stages.find((s) => s.executionId !== undefined)?.executionId;
  const pendingApproval = findWaitingApproval(snapshot, stages, desiredVersion);
  const base = { name: snapshot.pipelineName, stages: snapshot.stages, ...(pendingApproval ? { pendingApproval } : {}) };
  if (executionId === undefined) return base;
  const reached = snapshot.stages.filter((s) => s.executionId === executionId);
  const current = reached.find((s) => s.status === 'InProgress' || s.status === 'Stopping');
  let status: ExecutionStatus;
  if (current) status = current.status === 'Stopping' ? 'Stopping' : 'InProgress';
  else {
    const ended = reached.find((s) => s.status !== undefined && ENDED.includes(s.status));
    if (ended?.status) status = ended.status;
    else {
      const last = snapshot.stages[snapshot.stages.length - 1];
      // Every stage it reached succeeded: it is done if it reached the last stage, else between two stages.
      status = last.executionId === executionId && last.status === 'Succeeded' ? 'Succeeded' : 'InProgress';
    }
  }
  return { ...base, status, executionId, ...(current ? { currentStage: current.name } : {}) };
}

/** The stage an execution is in now, or its last one. */
export function stageOfExecution(snapshot: PipelineStateSnapshot, executionId: string): StageState | undefined {
  const reached = snapshot.stages.filter((s) => s.executionId === executionId);
  return reached.find((s) => s.status === 'InProgress') ?? reached[reached.length - 1];
}
