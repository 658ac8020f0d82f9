// Reading a pipeline's state (GetPipelineState) as the user thinks of it: the latest execution, where it is,
// and whether it waits for an approval. Pure functions over the port's snapshot.

import type { EnvironmentConfig, ExecutionStatus, PendingApproval, PipelineStatus, QueuedExecution, StageState, ActionState, Version } from './model';
import { outcomeOfState } from './outcome';
import type { PipelineStateSnapshot } from './ports';

const ENDED: readonly ExecutionStatus[] = ['Failed', 'Stopped', 'Cancelled', 'Superseded'];

/**
 * Every approval action that waits (has a token and is InProgress) in the configured approval stage, the
 * configured action first. A stage may hold several (QA and the product owner): each is decided on its own.
 */
export function findWaitingApprovals(snapshot: PipelineStateSnapshot, stages: EnvironmentConfig['stages'], version?: Version): PendingApproval[] {
  const waits = (a: ActionState) => a.token !== undefined && a.status === 'InProgress';
  const stage =
    snapshot.stages.find((s) => s.name === stages.approval) ??
    // A renamed approval stage still shows up as the only stage whose action carries a token.
    snapshot.stages.find((s) => s.actions.some(waits));
  if (!stage) return [];
  const waiting = stage.actions.filter(waits);
  const configured = waiting.filter((a) => a.name === stages.approvalAction);
  return [...configured, ...waiting.filter((a) => a.name !== stages.approvalAction)].map((action) => ({
    pipelineName: snapshot.pipelineName,
    stageName: stage.name,
    actionName: action.name,
    token: action.token!,
    executionId: stage.executionId ?? '',
    ...(version !== undefined ? { version } : {}),
    ...(action.lastStatusChange !== undefined ? { requestedAt: action.lastStatusChange } : {}),
  }));
}

/** The approval that waits: the configured action's, else the first waiting one (see findWaitingApprovals). */
export function findWaitingApproval(snapshot: PipelineStateSnapshot, stages: EnvironmentConfig['stages'], version?: Version): PendingApproval | undefined {
  return findWaitingApprovals(snapshot, stages, version)[0];
}

/**
 * Executions waiting at a stage's transition while another execution holds that stage (QUEUED mode; in V1 one
 * waiting at a transition), the one nearest the front first. An execution between two stages with nothing ahead
 * of it is not queued: it is moving on.
 */
export function queuedExecutions(snapshot: Pick<PipelineStateSnapshot, 'stages'>): QueuedExecution[] {
  const out: QueuedExecution[] = [];
  for (const stage of [...snapshot.stages].reverse()) {
    const held = stage.executionId !== undefined && (stage.status === 'InProgress' || stage.status === 'Stopping') ? stage.executionId : undefined;
    for (const id of stage.inbound ?? []) {
      if (held !== undefined && id !== held && !out.some((q) => q.executionId === id)) out.push({ executionId: id, stage: stage.name });
    }
  }
  return out;
}

/**
 * The execution the pipeline state shows: the one the first stage that ran last saw (new executions enter at the
 * top), except one that only waits behind another (queued): then the one ahead of it, which is the one running.
 */
export function latestExecutionId(snapshot: Pick<PipelineStateSnapshot, 'stages'>): string | undefined {
  const queued = new Set(queuedExecutions(snapshot).map((q) => q.executionId));
  return snapshot.stages.find((s) => s.executionId !== undefined && !queued.has(s.executionId))?.executionId;
}

/**
 * The latest execution's status as far as GetPipelineState tells it (one call, no execution status of its own):
 * a stage in progress, or one that ended it, or having reached the last stage. Undefined when the stages cannot
 * tell: every stage it reached succeeded (or was skipped) but the last stage shows another execution or none,
 * which is an execution between two stages, or a finished one whose last stage was skipped (V2 conditions) or
 * added after it ran. Only the execution itself (GetPipelineExecution) knows then.
 */
export function executionStatusFromStages(snapshot: Pick<PipelineStateSnapshot, 'stages'>, executionId: string): ExecutionStatus | undefined {
  const reached = snapshot.stages.filter((s) => s.executionId === executionId);
  const current = reached.find((s) => s.status === 'InProgress' || s.status === 'Stopping');
  if (current) return current.status === 'Stopping' ? 'Stopping' : 'InProgress';
  const ended = reached.find((s) => s.status !== undefined && (ENDED as readonly string[]).includes(s.status));
  if (ended?.status) return ended.status as ExecutionStatus;
  const last = snapshot.stages[snapshot.stages.length - 1];
  if (last?.executionId === executionId && (last.status === 'Succeeded' || last.status === 'Skipped')) return 'Succeeded';
  return undefined;
}

/**
 * The pipeline as the user thinks of it. `execution` is the latest execution as GetPipelineExecution or
 * ListPipelineExecutions answered it, when the caller has it: its status wins over what the stages suggest.
 */
export function pipelineStatus(
  snapshot: PipelineStateSnapshot,
  stages: EnvironmentConfig['stages'],
  desiredVersion?: Version,
  execution?: { readonly executionId: string; readonly status: ExecutionStatus },
): PipelineStatus {
  const executionId = latestExecutionId(snapshot);
  const approvals = findWaitingApprovals(snapshot, stages, desiredVersion);
  const pendingApproval = approvals[0];
  const queued = queuedExecutions(snapshot);
  const base = {
    name: snapshot.pipelineName,
    stages: snapshot.stages,
    ...(pendingApproval ? { pendingApproval } : {}),
    ...(approvals.length > 1 ? { pendingApprovals: approvals } : {}),
    ...(queued.length > 0 ? { queued } : {}),
  };
  if (executionId === undefined) return base;
  const current = snapshot.stages.find((s) => s.executionId === executionId && (s.status === 'InProgress' || s.status === 'Stopping'));
  const known = execution?.executionId === executionId ? execution.status : undefined;
  // Without the execution's own word, an undecidable state reads as still running (it is, between two stages).
  const status = known ?? executionStatusFromStages(snapshot, executionId) ?? 'InProgress';
  const waiting = pendingApproval !== undefined && pendingApproval.executionId === executionId;
  const outcome = outcomeOfState({ status, executionId, ...(current ? { currentStage: current.name } : {}), waiting, stages: snapshot.stages }, stages);
  return { ...base, status, executionId, ...(current ? { currentStage: current.name } : {}), outcome };
}

/** The stage an execution is in now, or its last one. */
export function stageOfExecution(snapshot: Pick<PipelineStateSnapshot, 'stages'>, executionId: string): StageState | undefined {
  const reached = snapshot.stages.filter((s) => s.executionId === executionId);
  return reached.find((s) => s.status === 'InProgress') ?? reached[reached.length - 1];
}

/**
 * Whether a stage's state belongs to the execution shown. GetPipelineState keeps an earlier execution's stages
 * (with their "Succeeded") until the shown one reaches them: in the shown execution those have not started.
 */
export function stageInExecution(stage: StageState, shownExecutionId: string | undefined): boolean {
  return shownExecutionId === undefined || stage.executionId === undefined || stage.executionId === shownExecutionId;
}

/**
 * How one execution stands in a pipeline status read with GetPipelineState (the store's one read), so that a
 * followed execution needs no polling of its own. The latest execution has the status the read derived (with
 * GetPipelineExecution's word when the stages could not tell); an older one still in some stage has what its
 * stages say (between two stages: still running). Undefined: no stage shows it, which is an execution AWS does not
 * show yet (just started) or one whose every stage a newer execution took over (superseded).
 */
export function executionInPipeline(pipeline: PipelineStatus, executionId: string): ExecutionStatus | undefined {
  if (pipeline.executionId === executionId) return pipeline.status;
  if (!pipeline.stages.some((s) => s.executionId === executionId)) return undefined;
  return executionStatusFromStages(pipeline, executionId) ?? 'InProgress';
}

