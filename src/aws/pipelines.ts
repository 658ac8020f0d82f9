import type { PipelineExecutionSummary, StageState as StageStateOut } from '@aws-sdk/client-codepipeline';
import type { ActionStatus, ExecutionMode, ExecutionStatus, ExecutionSummary, StageState, StageStatus } from '../core/model';
import type { ActionExecutionInfo, ExecutionDetails, PipelinePort, PipelineStateSnapshot } from '../core/ports';
import { allPages, type Caller } from './call';
import type { OperationClient, PipelineOperations } from './operations';

/** CodePipeline. */
export class PipelineClient implements PipelinePort {
  constructor(
    private readonly client: OperationClient<PipelineOperations>,
    private readonly call: Caller,
  ) {}

  async getPipelineState(pipelineName: string): Promise<PipelineStateSnapshot> {
    const out = await this.call('GetPipelineState', () => this.client.send('GetPipelineState', { name: pipelineName }));
    const stages: StageState[] = (out.stageStates ?? []).map((s) => ({
      name: s.stageName ?? '',
      ...(s.latestExecution?.status ? { status: s.latestExecution.status as StageStatus } : {}),
      ...(s.latestExecution?.pipelineExecutionId ? { executionId: s.latestExecution.pipelineExecutionId } : {}),
      ...inbound(s),
      actions: (s.actionStates ?? []).map((a) => {
        const l = a.latestExecution;
        return {
          name: a.actionName ?? '',
          ...(l?.status ? { status: l.status as ActionStatus } : {}),
          ...(l?.lastStatusChange ? { lastStatusChange: l.lastStatusChange } : {}),
          ...(l?.summary ? { summary: l.summary } : {}),
          ...(l?.externalExecutionId ? { externalExecutionId: l.externalExecutionId } : {}),
          ...(l?.externalExecutionUrl ? { externalExecutionUrl: l.externalExecutionUrl } : {}),
          ...(l?.token ? { token: l.token } : {}),
          ...(l?.lastUpdatedBy ? { updatedBy: l.lastUpdatedBy } : {}),
          ...(l?.errorDetails ? { errorDetails: { ...(l.errorDetails.code ? { code: l.errorDetails.code } : {}), ...(l.errorDetails.message ? { message: l.errorDetails.message } : {}) } } : {}),
        };
      }),
    }));
    return { pipelineName: out.pipelineName ?? pipelineName, stages };
  }

  async listPipelineExecutions(pipelineName: string, max: number): Promise<readonly ExecutionSummary[]> {
    const out = await this.call('ListPipelineExecutions', () =>
      this.client.send('ListPipelineExecutions', { pipelineName, maxResults: Math.max(1, Math.min(100, max)) }),
    );
    return (out.pipelineExecutionSummaries ?? []).slice(0, max).map(summary);
  }

  async getPipelineExecution(pipelineName: string, executionId: string): Promise<ExecutionDetails> {
    const out = await this.call('GetPipelineExecution', () =>
      this.client.send('GetPipelineExecution', { pipelineName, pipelineExecutionId: executionId }),
    );
    const e = out.pipelineExecution ?? {};
    return {
      pipelineName: e.pipelineName ?? pipelineName,
      executionId: e.pipelineExecutionId ?? executionId,
      status: (e.status ?? 'InProgress') as ExecutionStatus,
      ...(e.statusSummary ? { statusSummary: e.statusSummary } : {}),
      ...(e.trigger?.triggerType ? { trigger: e.trigger.triggerType } : {}),
      ...(e.trigger?.triggerDetail ? { triggerDetail: e.trigger.triggerDetail } : {}),
      revisions: (e.artifactRevisions ?? []).map((r) => ({ name: r.name ?? '', ...(r.revisionId ? { revisionId: r.revisionId } : {}) })),
    };
  }

  async startPipelineExecution(pipelineName: string, clientRequestToken?: string): Promise<string> {
    const out = await this.call('StartPipelineExecution', () =>
      this.client.send('StartPipelineExecution', { name: pipelineName, ...(clientRequestToken ? { clientRequestToken } : {}) }),
    );
    if (!out.pipelineExecutionId) throw new Error(`StartPipelineExecution of ${pipelineName} returned no execution id.`);
    return out.pipelineExecutionId;
  }

  async stopPipelineExecution(pipelineName: string, executionId: string, reason: string): Promise<void> {
    await this.call('StopPipelineExecution', () =>
      this.client.send('StopPipelineExecution', { pipelineName, pipelineExecutionId: executionId, reason, abandon: false }),
    );
  }

  async putApprovalResult(input: Parameters<PipelinePort['putApprovalResult']>[0]): Promise<void> {
    await this.call('PutApprovalResult', () =>
      this.client.send('PutApprovalResult', {
          pipelineName: input.pipelineName,
          stageName: input.stageName,
          actionName: input.actionName,
          token: input.token,
          result: { status: input.status, summary: input.summary },
        }),
    );
  }

  async retryStageExecution(pipelineName: string, stageName: string, executionId: string): Promise<void> {
    await this.call('RetryStageExecution', () =>
      this.client.send('RetryStageExecution', { pipelineName, stageName, pipelineExecutionId: executionId, retryMode: 'FAILED_ACTIONS' }),
    );
  }

  async listActionExecutions(pipelineName: string, executionId: string): Promise<readonly ActionExecutionInfo[]> {
    return allPages(async (token) => {
      const out = await this.call('ListActionExecutions', () =>
        this.client.send('ListActionExecutions', { pipelineName, filter: { pipelineExecutionId: executionId }, maxResults: 100, ...(token ? { nextToken: token } : {}) }),
      );
      const items = (out.actionExecutionDetails ?? []).map((a): ActionExecutionInfo => {
        const result = a.output?.executionResult;
        return {
          stageName: a.stageName ?? '',
          actionName: a.actionName ?? '',
          ...(a.status ? { status: a.status as ActionStatus } : {}),
          ...(a.startTime ? { startTime: a.startTime } : {}),
          ...(a.lastUpdateTime ? { lastUpdateTime: a.lastUpdateTime } : {}),
          ...(result?.externalExecutionId ? { externalExecutionId: result.externalExecutionId } : {}),
          ...(result?.externalExecutionSummary ? { summary: result.externalExecutionSummary } : {}),
          ...(a.updatedBy ? { updatedBy: a.updatedBy } : {}),
          ...(result?.errorDetails
            ? { errorDetails: { ...(result.errorDetails.code ? { code: result.errorDetails.code } : {}), ...(result.errorDetails.message ? { message: result.errorDetails.message } : {}) } }
            : {}),
        };
      });
      return { items, next: out.nextToken };
    }, 1000);
  }
}

/** The executions waiting at a stage's transition: `inboundExecutions` (V2, several), else the one `inboundExecution`. */
function inbound(s: StageStateOut): { inbound?: string[] } {
  const ids = (s.inboundExecutions?.length ? s.inboundExecutions : s.inboundExecution ? [s.inboundExecution] : []).map((x) => x.pipelineExecutionId).filter((id): id is string => !!id);
  return ids.length > 0 ? { inbound: [...new Set(ids)] } : {};
}

const MODES: readonly string[] = ['SUPERSEDED', 'QUEUED', 'PARALLEL'];

function summary(e: PipelineExecutionSummary): ExecutionSummary {
  return {
    executionId: e.pipelineExecutionId ?? '',
    status: (e.status ?? 'InProgress') as ExecutionStatus,
    ...(e.startTime ? { startTime: e.startTime } : {}),
    ...(e.lastUpdateTime ? { lastUpdateTime: e.lastUpdateTime } : {}),
    ...(e.statusSummary ? { statusSummary: e.statusSummary } : {}),
    ...(e.trigger?.triggerType ? { trigger: e.trigger.triggerType } : {}),
    ...(e.trigger?.triggerDetail ? { triggerDetail: e.trigger.triggerDetail } : {}),
    ...(e.executionMode && MODES.includes(e.executionMode) ? { executionMode: e.executionMode as ExecutionMode } : {}),
    ...(e.sourceRevisions?.length
      ? { sourceRevisions: e.sourceRevisions.map((r) => ({ actionName: r.actionName ?? '', ...(r.revisionId ? { revisionId: r.revisionId } : {}) })) }
      : {}),
  };
}
