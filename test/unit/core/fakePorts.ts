// An in-memory AWS for the core's unit tests. Every port method is one "call"; calls are recorded with
// their depth (1 + the deepest call that had finished when it started) so tests can count round trips.

import { DeployError } from '../../../src/core/errors';
import type { ContainerImage, ExecutionSummary, StageState } from '../../../src/core/model';
import type { ActionExecutionInfo, AwsPorts, EcsServiceInfo, EcsTaskInfo, ParameterHistoryEntry, ParameterValue } from '../../../src/core/ports';

export interface RecordedCall {
  readonly operation: string;
  readonly depth: number;
}

export const SHA_A = 'a'.repeat(40);
export const SHA_B = 'b'.repeat(40);
export const SHA_C = 'c'.repeat(40);

export class FakeAws {
  readonly calls: RecordedCall[] = [];
  private finishedDepth: number[] = [];
  readonly parameters = new Map<string, ParameterHistoryEntry[]>();
  stages: StageState[] = [];
  pipelineExists = true;
  executions: (ExecutionSummary & { revisions?: { name: string; revisionId?: string }[] })[] = [];
  services: EcsServiceInfo[] = [];
  tasks: EcsTaskInfo[] = [];
  taskDefinitions = new Map<string, ContainerImage[]>();
  repositories = new Map<string, Set<string>>();
  actionExecutions: ActionExecutionInfo[] = [];
  buildLogs = new Map<string, string[]>();
  /** operation → error to throw. */
  failures = new Map<string, DeployError>();
  /** operation → how many more calls act and then lose their answer (a network error instead of the result). */
  lostReplies = new Map<string, number>();
  /** Runs inside a call, after it acted (another client acting at that moment). */
  afterCall = new Map<string, () => void>();
  approvals: { token: string; status: string; summary: string }[] = [];
  retries: { stage: string; executionId: string }[] = [];
  stoppedTasks: import('../../../src/core/model').StoppedTask[] = [];
  started = 0;
  /** StartPipelineExecution's clientRequestToken → the execution it started (AWS's idempotency). */
  readonly requestTokens = new Map<string, string>();
  clock = Date.parse('2026-01-01T10:00:00Z');

  setParameter(name: string, value: string, user = 'arn:aws:iam::123:user/dev'): void {
    const history = this.parameters.get(name) ?? [];
    this.clock += 60_000;
    history.push({ name, value, version: history.length + 1, lastModified: new Date(this.clock), lastModifiedUser: user });
    this.parameters.set(name, history);
  }

  private async call<T>(operation: string, body: () => T): Promise<T> {
    const depth = 1 + Math.max(0, ...this.finishedDepth);
    this.calls.push({ operation, depth });
    await new Promise((r) => setTimeout(r, 2));
    this.finishedDepth.push(depth);
    const failure = this.failures.get(operation);
    if (failure) throw failure;
    const result = body();
    this.afterCall.get(operation)?.();
    const lost = this.lostReplies.get(operation) ?? 0;
    if (lost > 0) {
      this.lostReplies.set(operation, lost - 1);
      throw new DeployError('network', `Cannot reach AWS for ${operation} (ECONNRESET): socket hang up`, { awsCode: 'ECONNRESET', operation });
    }
    return result;
  }

  resetCalls(): void {
    this.calls.length = 0;
    this.finishedDepth = [];
  }

  count(operation?: string): number {
    return operation ? this.calls.filter((c) => c.operation === operation).length : this.calls.length;
  }

  rounds(): number {
    return Math.max(0, ...this.calls.map((c) => c.depth));
  }

  private latest(name: string): ParameterValue | undefined {
    const h = this.parameters.get(name);
    const last = h?.[h.length - 1];
    return last ? { name, value: last.value, version: last.version, ...(last.lastModified ? { lastModified: last.lastModified } : {}) } : undefined;
  }

  private requirePipeline(name: string): void {
    if (!this.pipelineExists) throw new DeployError('not-found', `Pipeline ${name} not found`, { awsCode: 'PipelineNotFoundException' });
  }

  readonly ports: AwsPorts = {
    parameters: {
      getParameters: (names) =>
        this.call('GetParameters', () => {
          if (names.length > 10) throw new DeployError('aws', 'too many names', { awsCode: 'ValidationException' });
          const found = new Map<string, ParameterValue>();
          for (const n of names) {
            const v = this.latest(n);
            if (v) found.set(n, v);
          }
          return found;
        }),
      putParameter: (name, value) =>
        this.call('PutParameter', () => {
          this.setParameter(name, value, 'arn:aws:iam::123:user/tool');
          return this.parameters.get(name)!.length;
        }),
      getParameterHistory: (name) =>
        this.call('GetParameterHistory', () => {
          const h = this.parameters.get(name);
          if (!h) throw new DeployError('not-found', `Parameter ${name} not found`, { awsCode: 'ParameterNotFound' });
          return [...h];
        }),
    },
    pipelines: {
      getPipelineState: (name) =>
        this.call('GetPipelineState', () => {
          this.requirePipeline(name);
          return { pipelineName: name, stages: this.stages };
        }),
      listPipelineExecutions: (name, max) =>
        this.call('ListPipelineExecutions', () => {
          this.requirePipeline(name);
          return this.executions.slice(0, max);
        }),
      getPipelineExecution: (name, id) =>
        this.call('GetPipelineExecution', () => {
          this.requirePipeline(name);
          const e = this.executions.find((x) => x.executionId === id);
          if (!e) throw new DeployError('not-found', `Execution ${id} not found`, { awsCode: 'PipelineExecutionNotFoundException' });
          return { ...e, pipelineName: name, revisions: e.revisions ?? [] };
        }),
      startPipelineExecution: (name, token) =>
        this.call('StartPipelineExecution', () => {
          this.requirePipeline(name);
          const known = token === undefined ? undefined : this.requestTokens.get(token);
          if (known) return known;
          this.started++;
          const executionId = `exec-${this.started}`;
          if (token !== undefined) this.requestTokens.set(token, executionId);
          this.executions.unshift({ executionId, status: 'InProgress', startTime: new Date(this.clock) });
          return executionId;
        }),
      stopPipelineExecution: (name, id) =>
        this.call('StopPipelineExecution', () => {
          this.requirePipeline(name);
          const e = this.executions.find((x) => x.executionId === id);
          if (e) Object.assign(e, { status: 'Stopped' });
        }),
      putApprovalResult: (input) =>
        this.call('PutApprovalResult', () => {
          this.approvals.push({ token: input.token, status: input.status, summary: input.summary });
        }),
      listActionExecutions: (name) =>
        this.call('ListActionExecutions', () => {
          this.requirePipeline(name);
          return this.actionExecutions;
        }),
      retryStageExecution: (name, stage, executionId) =>
        this.call('RetryStageExecution', () => {
          this.requirePipeline(name);
          this.retries.push({ stage, executionId });
        }),
    },
    containers: {
      listServices: () => this.call('ListServices', () => this.services.map((s) => s.name)),
      describeServices: (_cluster, names) =>
        this.call('DescribeServices', () => {
          if (names.length > 10) throw new DeployError('aws', 'too many services', { awsCode: 'InvalidParameterException' });
          return this.services.filter((s) => names.includes(s.name));
        }),
      listTasks: () => this.call('ListTasks', () => this.tasks.map((t) => t.arn)),
      describeTasks: (_cluster, arns) => this.call('DescribeTasks', () => this.tasks.filter((t) => arns.includes(t.arn))),
      listStoppedTasks: (_cluster, service) => this.call('ListTasks', () => this.stoppedTasks.filter((t) => t.service === service)),
      describeTaskDefinitionImages: (arn) =>
        this.call('DescribeTaskDefinition', () => {
          const images = this.taskDefinitions.get(arn);
          if (!images) throw new DeployError('not-found', `Task definition ${arn} not found`, { awsCode: 'ClientException' });
          return images;
        }),
    },
    images: {
      listRepositories: (prefix) => this.call('DescribeRepositories', () => [...this.repositories.keys()].filter((r) => r.startsWith(prefix))),
      hasImage: (repo, tag) =>
        this.call('DescribeImages', () => {
          const tags = this.repositories.get(repo);
          if (!tags) throw new DeployError('not-found', `Repository ${repo} not found`, { awsCode: 'RepositoryNotFoundException' });
          return tags.has(tag);
        }),
    },
    logs: {
      getBuildLog: (buildId) =>
        this.call('GetBuildLog', () => {
          const lines = this.buildLogs.get(buildId);
          if (!lines) throw new DeployError('not-found', `Build ${buildId} not found`);
          return { lines, logGroup: '/aws/codebuild/spryker-prod', logStream: `stream-${buildId}` };
        }),
    },
  };
}

/** A world like spryker-prod at rest: SHA_A deployed everywhere, the last execution succeeded. */
export function restingWorld(env = 'spryker-prod', serviceCount = 5): FakeAws {
  const aws = new FakeAws();
  aws.setParameter(`/${env}/desired_version`, SHA_B);
  aws.setParameter(`/${env}/last_deployed_version`, SHA_B);
  aws.setParameter(`/${env}/desired_version`, SHA_A);
  aws.setParameter(`/${env}/last_deployed_version`, SHA_A);
  aws.setParameter(`/${env}/lastbuildversion`, SHA_C);
  const stageNames = ['Source', 'Prepare_versions_information_for_Approval_stage', 'Please_approve', 'Deploy_Spryker_services', 'UpdateDeployedVersion'];
  aws.stages = stageNames.map((name) => ({
    name,
    status: 'Succeeded',
    executionId: 'exec-old',
    actions: [{ name: name === 'Please_approve' ? 'Approval' : `${name}_action`, status: 'Succeeded' }],
  }));
  aws.executions = [{ executionId: 'exec-old', status: 'Succeeded', startTime: new Date(aws.clock - 1000), lastUpdateTime: new Date(aws.clock) }];
  const names = ['storeapp', 'backoffice', 'frontend', 'zed', 'yves', 'glue', 'scheduler', 'jenkins', 'mail', 'search', 'extra1', 'extra2'].slice(0, serviceCount);
  for (const short of names) {
    const name = `${env}-${short}`;
    const td = `arn:aws:ecs:eu-central-1:123:task-definition/${name}:7`;
    aws.taskDefinitions.set(td, [{ container: short, image: `123.dkr.ecr.eu-central-1.amazonaws.com/${name}:${SHA_A}`, tag: SHA_A }]);
    aws.services.push({
      name,
      arn: `arn:aws:ecs:eu-central-1:123:service/${env}/${name}`,
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      taskDefinition: td,
      deployments: [{ id: `ecs-svc/${short}`, status: 'PRIMARY', taskDefinition: td, rolloutState: 'COMPLETED', desiredCount: 2, runningCount: 2, pendingCount: 0 }],
    });
    for (const n of [1, 2]) {
      aws.tasks.push({
        arn: `arn:aws:ecs:eu-central-1:123:task/${env}/${short}${n}`,
        group: `service:${name}`,
        taskDefinition: td,
        lastStatus: 'RUNNING',
        containers: [{ name: short, image: `123.dkr.ecr.eu-central-1.amazonaws.com/${name}:${SHA_A}` }, { name: 'log-router', image: 'amazon/aws-for-fluent-bit:2.31' }],
      });
    }
  }
  for (const repo of ['b2c-yves', 'b2c-zed', 'b2c-glue', 'frontend', 'jenkins']) aws.repositories.set(`${env}-${repo}`, new Set([SHA_A, SHA_B]));
  return aws;
}
