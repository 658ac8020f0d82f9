// How an execution ended, as a user needs to hear it. One model for the tree, the notifications, the panel, the
// CLI and (later) the history: a rejection is a decision, not a failure; an expired approval is neither; a failure
// names the stage, the action and AWS's own reason.
//
//   running            the execution is in a stage (`stage`)
//   awaiting-approval  it waits at the manual approval
//   deployed           it succeeded
//   rejected           someone rejected it (`by`, `comment`): a decision
//   failed             a stage failed (`stage`, `action`, `code`/`message` from errorDetails, `buildId` for a
//                      CodeBuild action: where its log is)
//   expired            the approval waited past its deadline (CodePipeline fails it after 7 days)
//   stopped            someone stopped it
//   superseded         a newer execution took its place
//   none               the pipeline never ran
//
// Pure: derived from GetPipelineState (PipelineStatus) or from ListActionExecutions for an older execution.

import type { ActionState, EnvironmentConfig, ExecutionStatus, StageState } from './model';
import type { ActionExecutionInfo } from './ports';

export type ExecutionOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'running'; readonly stage?: string }
  | { readonly kind: 'awaiting-approval' }
  /** `approvedBy`: the people who approved it (the approval actions' `updatedBy`), when AWS says. */
  | { readonly kind: 'deployed'; readonly approvedBy?: readonly string[] }
  | { readonly kind: 'rejected'; readonly by?: string; readonly comment?: string; readonly at?: Date }
  | { readonly kind: 'failed'; readonly stage: string; readonly action?: string; readonly code?: string; readonly message?: string; readonly at?: Date; readonly buildId?: string }
  | { readonly kind: 'expired'; readonly stage: string; readonly action?: string; readonly message?: string; readonly at?: Date }
  /** `reason`: the reason given to StopPipelineExecution, when AWS says it (the execution's statusSummary). */
  | { readonly kind: 'stopped'; readonly stage?: string; readonly reason?: string }
  /** `by`: the execution that took its place and `startedBy` who started that one, when AWS says. */
  | { readonly kind: 'superseded'; readonly by?: string; readonly startedBy?: string };

/**
 * What an ended execution's statusSummary says about its end: "Stopped: <reason>" (the reason given to
 * StopPipelineExecution), "Superseded by execution <id>". Anything else says neither.
 */
export function endDetails(statusSummary: string | undefined): { readonly reason?: string; readonly supersededBy?: string } {
  const stopped = /^Stopped:\s*(.+)$/s.exec(statusSummary ?? '');
  if (stopped) return { reason: stopped[1].trim() };
  const superseded = /^Superseded by (?:pipeline )?execution\s+([A-Za-z0-9-]{8,})/i.exec(statusSummary ?? '');
  return superseded ? { supersededBy: superseded[1] } : {};
}

/** A CodeBuild build id is `<project>:<uuid>`; other actions (ECS, approvals) carry other external ids. */
const BUILD_ID = /^[A-Za-z0-9][A-Za-z0-9\-_]{1,254}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isBuildId(id: string | undefined): id is string {
  return id !== undefined && BUILD_ID.test(id);
}

/** The person behind an ARN: `…:assumed-role/SprykerDeploy/jane.doe` → `jane.doe`, `…:user/test` → `test`. */
export function personOf(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const last = arn.slice(arn.lastIndexOf('/') + 1);
  return last || arn;
}

interface FailedActionView {
  readonly name: string;
  readonly summary?: string;
  readonly updatedBy?: string;
  readonly errorDetails?: { readonly code?: string; readonly message?: string };
  readonly externalExecutionId?: string;
  readonly at?: Date;
}

function endedAt(stageName: string, action: FailedActionView | undefined, approvalStage: string, failed: boolean): ExecutionOutcome {
  if (stageName === approvalStage) {
    // A decision by a person carries who decided; CodePipeline's own expiry carries errorDetails and nobody.
    if (action?.errorDetails && !action.updatedBy) {
      return { kind: 'expired', stage: stageName, action: action.name, ...(action.errorDetails.message ? { message: action.errorDetails.message } : {}), ...(action.at ? { at: action.at } : {}) };
    }
    if (failed) {
      const by = personOf(action?.updatedBy);
      const comment = action?.summary?.trim();
      return { kind: 'rejected', ...(by ? { by } : {}), ...(comment ? { comment } : {}), ...(action?.at ? { at: action.at } : {}) };
    }
  }
  return {
    kind: 'failed',
    stage: stageName,
    ...(action ? { action: action.name } : {}),
    ...(action?.errorDetails?.code ? { code: action.errorDetails.code } : {}),
    ...(action?.errorDetails?.message ? { message: action.errorDetails.message } : action?.summary ? { message: action.summary } : {}),
    ...(action?.at ? { at: action.at } : {}),
    ...(isBuildId(action?.externalExecutionId) ? { buildId: action.externalExecutionId } : {}),
  };
}

function view(a: ActionState): FailedActionView {
  return {
    name: a.name,
    ...(a.summary ? { summary: a.summary } : {}),
    ...(a.updatedBy ? { updatedBy: a.updatedBy } : {}),
    ...(a.errorDetails ? { errorDetails: a.errorDetails } : {}),
    ...(a.externalExecutionId ? { externalExecutionId: a.externalExecutionId } : {}),
    ...(a.lastStatusChange ? { at: a.lastStatusChange } : {}),
  };
}

/**
 * The outcome of the latest execution from GetPipelineState: `status` and `executionId` as pipelineStatus()
 * derived them, `stages` the snapshot's stages.
 */
export function outcomeOfState(
  input: { readonly status?: ExecutionStatus; readonly executionId?: string; readonly currentStage?: string; readonly waiting?: boolean; readonly stages: readonly StageState[] },
  stages: EnvironmentConfig['stages'],
): ExecutionOutcome {
  const { status, executionId } = input;
  if (status === undefined || executionId === undefined) return { kind: 'none' };
  if (input.waiting) return { kind: 'awaiting-approval' };
  switch (status) {
    case 'InProgress':
    case 'Stopping':
      return { kind: 'running', ...(input.currentStage ? { stage: input.currentStage } : {}) };
    case 'Succeeded': {
      // Who approved this execution: the approval stage's actions in it that someone decided.
      const approval = input.stages.find((s) => s.name === stages.approval && s.executionId === executionId);
      const approvedBy = [...new Set((approval?.actions ?? []).map((a) => personOf(a.updatedBy)).filter((p): p is string => p !== undefined))];
      return { kind: 'deployed', ...(approvedBy.length ? { approvedBy } : {}) };
    }
    case 'Superseded':
    case 'Cancelled':
      return { kind: 'superseded' };
    case 'Stopped': {
      const stage = input.stages.find((s) => s.executionId === executionId && s.status === 'Stopped');
      return { kind: 'stopped', ...(stage ? { stage: stage.name } : {}) };
    }
    case 'Failed': {
      const stage = input.stages.find((s) => s.executionId === executionId && s.status === 'Failed');
      if (!stage) return { kind: 'failed', stage: '' };
      const action = stage.actions.find((a) => a.status === 'Failed');
      return endedAt(stage.name, action ? view(action) : undefined, stages.approval, true);
    }
  }
}

/** The outcome of any execution from its status and ListActionExecutions (for the history of older ones). */
export function outcomeOfActions(status: ExecutionStatus, actions: readonly ActionExecutionInfo[], stages: EnvironmentConfig['stages']): ExecutionOutcome {
  switch (status) {
    case 'InProgress':
    case 'Stopping': {
      const running = actions.find((a) => a.status === 'InProgress');
      if (running && running.stageName === stages.approval) return { kind: 'awaiting-approval' };
      return { kind: 'running', ...(running ? { stage: running.stageName } : {}) };
    }
    case 'Succeeded': {
      const approvedBy = [...new Set(actions.filter((a) => a.stageName === stages.approval && a.status === 'Succeeded').map((a) => personOf(a.updatedBy)).filter((p): p is string => p !== undefined))];
      return { kind: 'deployed', ...(approvedBy.length ? { approvedBy } : {}) };
    }
    case 'Superseded':
    case 'Cancelled':
      return { kind: 'superseded' };
    case 'Stopped': {
      // The stage it was in: where its actions were abandoned (newest first).
      const abandoned = actions.find((a) => a.status === 'Abandoned');
      return { kind: 'stopped', ...(abandoned ? { stage: abandoned.stageName } : {}) };
    }
    case 'Failed': {
      // ListActionExecutions is newest first: the first failed action is the one that ended the execution.
      const failed = actions.find((a) => a.status === 'Failed');
      if (!failed) return { kind: 'failed', stage: '' };
      return endedAt(
        failed.stageName,
        {
          name: failed.actionName,
          ...(failed.summary ? { summary: failed.summary } : {}),
          ...(failed.updatedBy ? { updatedBy: failed.updatedBy } : {}),
          ...(failed.errorDetails ? { errorDetails: failed.errorDetails } : {}),
          ...(failed.externalExecutionId ? { externalExecutionId: failed.externalExecutionId } : {}),
          ...(failed.lastUpdateTime ? { at: failed.lastUpdateTime } : {}),
        },
        stages.approval,
        true,
      );
    }
  }
}

/** How a stage or an action of the shown execution ended where CodePipeline says "Failed" and nothing failed. */
export type ApprovalEnding = 'Rejected' | 'Expired';

/**
 * CodePipeline marks an approval stage and its action "Failed" both when a person rejects it (a decision) and when
 * nobody decides within its time (an expiry): the execution's outcome tells which. Undefined for anything else.
 */
export function approvalEnding(stageName: string, status: string | undefined, outcome: ExecutionOutcome | undefined, approvalStage: string): ApprovalEnding | undefined {
  if (status !== 'Failed' || !outcome) return undefined;
  if (outcome.kind === 'rejected' && stageName === approvalStage) return 'Rejected';
  if (outcome.kind === 'expired' && stageName === outcome.stage) return 'Expired';
  return undefined;
}

/** One line for a notification, the tree's tooltip or the CLI: what ended and why, never a rejection as a failure. */
export function describeOutcome(outcome: ExecutionOutcome): string {
  switch (outcome.kind) {
    case 'none':
      return 'Never ran';
    case 'running':
      return outcome.stage ? `Running: ${outcome.stage}` : 'Running';
    case 'awaiting-approval':
      return 'Waiting for approval';
    case 'deployed':
      return `Deployed${outcome.approvedBy?.length ? ` (approved by ${outcome.approvedBy.join(' and ')})` : ''}`;
    case 'rejected':
      return `Rejected${outcome.by ? ` by ${outcome.by}` : ''}${outcome.comment ? `: ${outcome.comment}` : ''}`;
    case 'failed': {
      const where = outcome.stage ? ` at ${outcome.stage}${outcome.action && outcome.action !== outcome.stage ? ` (${outcome.action})` : ''}` : '';
      return `Failed${where}${outcome.message ? `: ${outcome.message}` : ''}`;
    }
    case 'expired':
      return `Approval expired${outcome.message ? `: ${outcome.message}` : ''}`;
    case 'stopped':
      return `Stopped${outcome.stage ? ` at ${outcome.stage}` : ''}${outcome.reason ? `: ${outcome.reason}` : ''}`;
    case 'superseded':
      return outcome.by ? `Superseded by execution ${outcome.by}${outcome.startedBy ? ` (started by ${outcome.startedBy})` : ''}` : 'Superseded by a newer execution';
  }
}
