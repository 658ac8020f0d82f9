// CodePipeline: the API over the pipeline engine. Reads are views of the executions the engine keeps.
import type { PipelineEngine } from './pipelineEngine';
import {
  AwsError,
  checkRange,
  compact,
  optBoolean,
  optNumber,
  optObject,
  optString,
  page,
  reqString,
  seconds,
  validationError,
  type JsonObject,
  type OperationContext,
  type ServiceDefinition,
} from './protocol';
import type { ActionRun, ExecutionRecord, PipelineRecord, World } from './world';
import { EXECUTION_LAG_MS, hasShape } from './shapes';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NAME = /^[A-Za-z0-9.@\-_]+$/;

function checkName(value: string, field: string): void {
  if (value.length < 1 || value.length > 100 || !NAME.test(value)) {
    throw validationError(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9.@\\-_]+`);
  }
}

function checkUuid(value: string, field: string): void {
  if (!UUID.test(value)) {
    throw validationError(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`);
  }
}

const pipelineArn = (world: World, name: string): string => `arn:aws:codepipeline:${world.region}:${world.accountId}:${name}`;
const consoleUrl = (world: World, path: string): string => `https://${world.region}.console.aws.amazon.com/${path}`;

function declaration(world: World, p: PipelineRecord): JsonObject {
  return {
    name: p.name,
    roleArn: `arn:aws:iam::${world.accountId}:role/SprykerCodePipeline`,
    artifactStore: { type: 'S3', location: `codepipeline-${world.region}-${world.accountId}` },
    stages: p.stages.map((s) => ({
      name: s.name,
      actions: s.actions.map((a) => ({
        name: a.name,
        actionTypeId: { category: a.category, owner: a.owner, provider: a.provider, version: '1' },
        runOrder: a.runOrder,
        configuration: a.configuration,
        outputArtifacts: a.outputArtifacts.map((name) => ({ name })),
        inputArtifacts: a.inputArtifacts.map((name) => ({ name })),
      })),
    })),
    version: p.version,
    executionMode: p.executionMode ?? 'SUPERSEDED',
    pipelineType: p.pipelineType ?? 'V1',
  };
}

function sourceRevisions(p: PipelineRecord, e: ExecutionRecord): JsonObject[] {
  const source = p.stages[0]?.actions.find((a) => a.behavior === 'source');
  if (!source) return [];
  return [{ actionName: source.name, revisionId: e.sourceRevision.sha, revisionSummary: e.sourceRevision.subject }];
}

function summary(p: PipelineRecord, e: ExecutionRecord): JsonObject {
  return compact({
    pipelineExecutionId: e.id,
    status: e.status,
    statusSummary: e.statusSummary,
    startTime: seconds(e.startTime),
    lastUpdateTime: seconds(e.lastUpdateTime),
    sourceRevisions: sourceRevisions(p, e),
    trigger: { triggerType: 'StartPipelineExecution', triggerDetail: e.triggerDetail },
    stopTrigger: e.stopReason !== undefined ? { reason: e.stopReason } : undefined,
    executionMode: p.executionMode ?? 'SUPERSEDED',
  });
}

function actionExecution(world: World, run: ActionRun, showToken: boolean): JsonObject {
  const build = run.externalExecutionId ? world.builds[run.externalExecutionId] : undefined;
  return compact({
    actionExecutionId: run.id,
    status: run.status,
    summary: run.summary,
    lastStatusChange: seconds(run.lastUpdateTime),
    token: showToken && run.status === 'InProgress' ? run.token : undefined,
    lastUpdatedBy: run.updatedBy,
    externalExecutionId: run.externalExecutionId,
    externalExecutionUrl: build ? consoleUrl(world, `codesuite/codebuild/projects/${build.projectName}/build/${encodeURIComponent(build.id)}/log?region=${world.region}`) : undefined,
    errorDetails: run.errorDetails ? { code: run.errorDetails.code, message: run.errorDetails.message } : undefined,
  });
}

export function createCodePipelineService(engine: PipelineEngine): ServiceDefinition {
  function listPipelines(input: JsonObject, ctx: OperationContext): JsonObject {
    const max = optNumber(input, 'maxResults');
    checkRange(max, 'maxResults', 1, 1000);
    const all = Object.values(ctx.world.pipelines).sort((a, b) => (a.name < b.name ? -1 : 1));
    const { items, nextToken } = page(all, max ?? 100, optString(input, 'nextToken'), 'pipelines', 'InvalidNextTokenException');
    return compact({
      pipelines: items.map((p) => ({
        name: p.name,
        version: p.version,
        pipelineType: p.pipelineType ?? 'V1',
        executionMode: p.executionMode ?? 'SUPERSEDED',
        created: seconds(p.createdAt),
        updated: seconds(p.updatedAt),
      })),
      nextToken,
    });
  }

  function getPipeline(input: JsonObject, ctx: OperationContext): JsonObject {
    const name = reqString(input, 'name');
    checkName(name, 'name');
    const version = optNumber(input, 'version');
    const p = engine.pipeline(name);
    if (version !== undefined && version !== p.version) throw new AwsError('PipelineVersionNotFoundException', `Pipeline version ${version} of ${name} not found.`);
    return { pipeline: declaration(ctx.world, p), metadata: { pipelineArn: pipelineArn(ctx.world, p.name), created: seconds(p.createdAt), updated: seconds(p.updatedAt) } };
  }

  function getPipelineState(input: JsonObject, ctx: OperationContext): JsonObject {
    const name = reqString(input, 'name');
    checkName(name, 'name');
    const p = engine.pipeline(name);
    return {
      pipelineName: p.name,
      pipelineVersion: p.version,
      stageStates: p.stages.map((stage, index) => {
        // The stage shows the execution that entered it last.
        const latest = engine.lastEntered(p.name, stage.name);
        const stageRun = latest?.stages.find((s) => s.name === stage.name);
        const inbound = engine.liveExecutions(p.name).filter((e) => e.status === 'InProgress' && e.phase === 'waiting' && e.stageIndex === index);
        return compact({
          stageName: stage.name,
          inboundExecution: inbound[0] ? { pipelineExecutionId: inbound[0].id, status: 'InProgress', type: 'STANDARD' } : undefined,
          inboundExecutions: inbound.length > 0 ? inbound.map((e) => ({ pipelineExecutionId: e.id, status: 'InProgress', type: 'STANDARD' })) : undefined,
          inboundTransitionState: { enabled: true },
          actionStates: stage.actions.map((a) => {
            const runs = latest ? latest.actions.filter((r) => r.stageName === stage.name && r.actionName === a.name) : [];
            const run = runs[runs.length - 1];
            return compact({
              actionName: a.name,
              currentRevision:
                a.behavior === 'source' && latest
                  ? { revisionId: latest.sourceRevision.sha, revisionChangeId: latest.sourceRevision.sha, created: seconds(latest.sourceRevision.time) }
                  : undefined,
              latestExecution: run ? actionExecution(ctx.world, run, a.behavior === 'approval') : undefined,
              entityUrl: a.configuration.ProjectName ? consoleUrl(ctx.world, `codesuite/codebuild/projects/${a.configuration.ProjectName}/history?region=${ctx.world.region}`) : undefined,
            });
          }),
          latestExecution: latest && stageRun ? { pipelineExecutionId: latest.id, status: stageRun.status, type: 'STANDARD' } : undefined,
        });
      }),
      created: seconds(p.createdAt),
      updated: seconds(p.updatedAt),
    };
  }

  function startPipelineExecution(input: JsonObject, ctx: OperationContext): JsonObject {
    const name = reqString(input, 'name');
    checkName(name, 'name');
    const token = optString(input, 'clientRequestToken');
    if (token !== undefined && !/^[a-zA-Z0-9-]{1,128}$/.test(token)) {
      throw validationError(`1 validation error detected: Value '${token}' at 'clientRequestToken' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9-]+$`);
    }
    if (input.variables !== undefined || input.sourceRevisions !== undefined) {
      throw validationError('Pipeline variables and source revision overrides are only supported for V2 type pipelines.');
    }
    // Idempotent as AWS documents the token: the same token again (an SDK retry after a lost answer) is the same
    // request, answered with the execution it started instead of starting another one.
    const e = (token !== undefined ? engine.executionByRequestToken(name, token) : undefined) ?? engine.start(name, ctx.callerArn, token);
    return { pipelineExecutionId: e.id };
  }

  function stopPipelineExecution(input: JsonObject): JsonObject {
    const name = reqString(input, 'pipelineName');
    const id = reqString(input, 'pipelineExecutionId');
    const abandon = optBoolean(input, 'abandon') ?? false;
    const reason = optString(input, 'reason');
    checkName(name, 'pipelineName');
    checkUuid(id, 'pipelineExecutionId');
    if (reason !== undefined && reason.length > 200) throw validationError("1 validation error detected: Value at 'reason' failed to satisfy constraint: Member must have length less than or equal to 200");
    engine.stop(name, id, abandon, reason);
    return { pipelineExecutionId: id };
  }

  function getPipelineExecution(input: JsonObject, ctx: OperationContext): JsonObject {
    const name = reqString(input, 'pipelineName');
    const id = reqString(input, 'pipelineExecutionId');
    checkName(name, 'pipelineName');
    checkUuid(id, 'pipelineExecutionId');
    const p = engine.pipeline(name);
    const e = engine.execution(name, id);
    if (hasShape(ctx.world, 'execution-lag') && ctx.now - e.startTime < EXECUTION_LAG_MS) {
      // Eventual consistency: right after StartPipelineExecution the execution is not readable yet.
      throw new AwsError('PipelineExecutionNotFoundException', `Pipeline execution ID ${id} does not exist in the pipeline with name ${name} in account ${ctx.world.accountId}`);
    }
    const source = p.stages[0]?.actions.find((a) => a.behavior === 'source');
    return {
      pipelineExecution: compact({
        pipelineName: p.name,
        pipelineVersion: e.pipelineVersion,
        pipelineExecutionId: e.id,
        status: e.status,
        statusSummary: e.statusSummary,
        artifactRevisions: source
          ? source.outputArtifacts.map((artifact) => ({
              name: artifact,
              revisionId: e.sourceRevision.sha,
              revisionSummary: e.sourceRevision.subject,
              created: seconds(e.sourceRevision.time),
            }))
          : [],
        trigger: { triggerType: 'StartPipelineExecution', triggerDetail: e.triggerDetail },
        executionMode: p.executionMode ?? 'SUPERSEDED',
      }),
    };
  }

  function listPipelineExecutions(input: JsonObject, ctx: OperationContext): JsonObject {
    const name = reqString(input, 'pipelineName');
    checkName(name, 'pipelineName');
    const max = optNumber(input, 'maxResults');
    checkRange(max, 'maxResults', 1, 100);
    const filter = optObject(input, 'filter');
    if (filter !== undefined) throw validationError('Filters by succeeded-in-stage are only supported for V2 type pipelines.');
    const p = engine.pipeline(name);
    // Newest first, without copying the whole history for one page.
    const history = ctx.world.executions[name] ?? [];
    const newestFirst = { length: history.length, slice: (from: number, to: number) => history.slice(Math.max(0, history.length - to), history.length - from).reverse() };
    const { items, nextToken } = page(newestFirst, max ?? 100, optString(input, 'nextToken'), `executions:${name}`, 'InvalidNextTokenException');
    return compact({ pipelineExecutionSummaries: items.map((e) => summary(p, e)), nextToken });
  }

  function listActionExecutions(input: JsonObject, ctx: OperationContext): JsonObject {
    const name = reqString(input, 'pipelineName');
    checkName(name, 'pipelineName');
    const max = optNumber(input, 'maxResults');
    checkRange(max, 'maxResults', 1, 100);
    const filter = optObject(input, 'filter');
    const executionId = filter ? optString(filter, 'pipelineExecutionId') : undefined;
    if (executionId !== undefined) checkUuid(executionId, 'filter.pipelineExecutionId');
    const p = engine.pipeline(name);
    const executions = executionId !== undefined ? [engine.execution(name, executionId)] : (ctx.world.executions[name] ?? []);
    const all = executions
      .flatMap((e) => e.actions.map((run) => ({ e, run })))
      .sort((a, b) => b.run.startTime - a.run.startTime || b.run.lastUpdateTime - a.run.lastUpdateTime);
    const { items, nextToken } = page(all, max ?? 100, optString(input, 'nextToken'), `actions:${name}:${executionId ?? ''}`, 'InvalidNextTokenException');
    return compact({
      actionExecutionDetails: items.map(({ e, run }) => {
        const action = p.stages.find((s) => s.name === run.stageName)?.actions.find((a) => a.name === run.actionName);
        const build = run.externalExecutionId ? ctx.world.builds[run.externalExecutionId] : undefined;
        return compact({
          pipelineExecutionId: e.id,
          actionExecutionId: run.id,
          pipelineVersion: e.pipelineVersion,
          stageName: run.stageName,
          actionName: run.actionName,
          startTime: seconds(run.startTime),
          lastUpdateTime: seconds(run.lastUpdateTime),
          updatedBy: run.updatedBy,
          status: run.status,
          input: action
            ? {
                actionTypeId: { category: action.category, owner: action.owner, provider: action.provider, version: '1' },
                configuration: action.configuration,
                resolvedConfiguration: action.configuration,
                region: ctx.world.region,
                inputArtifacts: action.inputArtifacts.map((n) => ({ name: n, s3location: { bucket: `codepipeline-${ctx.world.region}-${ctx.world.accountId}`, key: `${p.name.slice(0, 20)}/${n}/${e.id.slice(0, 7)}` } })),
              }
            : undefined,
          output: {
            outputArtifacts: (action?.outputArtifacts ?? []).map((n) => ({ name: n, s3location: { bucket: `codepipeline-${ctx.world.region}-${ctx.world.accountId}`, key: `${p.name.slice(0, 20)}/${n}/${e.id.slice(0, 7)}` } })),
            executionResult:
              run.status === 'InProgress' && !build
                ? undefined
                : compact({
                    externalExecutionId: run.externalExecutionId,
                    externalExecutionSummary: run.externalExecutionSummary ?? run.summary,
                    externalExecutionUrl: build ? consoleUrl(ctx.world, `codesuite/codebuild/projects/${build.projectName}/build/${encodeURIComponent(build.id)}/log?region=${ctx.world.region}`) : undefined,
                    errorDetails: run.errorDetails ? { code: run.errorDetails.code, message: run.errorDetails.message } : undefined,
                  }),
            outputVariables: {},
          },
        });
      }),
      nextToken,
    });
  }

  function putApprovalResult(input: JsonObject, ctx: OperationContext): JsonObject {
    const pipelineName = reqString(input, 'pipelineName');
    const stageName = reqString(input, 'stageName');
    const actionName = reqString(input, 'actionName');
    const token = reqString(input, 'token');
    const result = optObject(input, 'result');
    if (!result) throw validationError("1 validation error detected: Value null at 'result' failed to satisfy constraint: Member must not be null");
    const status = reqString(result, 'status', 'result.status');
    const summaryText = reqString(result, 'summary', 'result.summary');
    checkName(pipelineName, 'pipelineName');
    checkName(stageName, 'stageName');
    checkName(actionName, 'actionName');
    checkUuid(token, 'token');
    if (status !== 'Approved' && status !== 'Rejected') {
      throw validationError(`1 validation error detected: Value '${status}' at 'result.status' failed to satisfy constraint: Member must satisfy enum value set: [Approved, Rejected]`);
    }
    if (summaryText.length > 512) throw validationError("1 validation error detected: Value at 'result.summary' failed to satisfy constraint: Member must have length less than or equal to 512");
    const at = engine.decideApproval({ pipelineName, stageName, actionName, token, status, summary: summaryText, caller: ctx.callerArn });
    return { approvedAt: seconds(at) };
  }

  function retryStageExecution(input: JsonObject): JsonObject {
    const pipelineName = reqString(input, 'pipelineName');
    const stageName = reqString(input, 'stageName');
    const id = reqString(input, 'pipelineExecutionId');
    const mode = reqString(input, 'retryMode');
    checkName(pipelineName, 'pipelineName');
    checkName(stageName, 'stageName');
    checkUuid(id, 'pipelineExecutionId');
    if (mode !== 'FAILED_ACTIONS' && mode !== 'ALL_ACTIONS') {
      throw validationError(`1 validation error detected: Value '${mode}' at 'retryMode' failed to satisfy constraint: Member must satisfy enum value set: [FAILED_ACTIONS, ALL_ACTIONS]`);
    }
    engine.retry(pipelineName, stageName, id, mode);
    return { pipelineExecutionId: id };
  }

  return {
    signingName: 'codepipeline',
    targetPrefix: 'CodePipeline_20150709',
    operations: {
      ListPipelines: listPipelines,
      GetPipeline: getPipeline,
      GetPipelineState: getPipelineState,
      StartPipelineExecution: startPipelineExecution,
      StopPipelineExecution: stopPipelineExecution,
      GetPipelineExecution: getPipelineExecution,
      ListPipelineExecutions: listPipelineExecutions,
      ListActionExecutions: listActionExecutions,
      PutApprovalResult: putApprovalResult,
      RetryStageExecution: retryStageExecution,
    },
  };
}
