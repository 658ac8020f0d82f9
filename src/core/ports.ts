// The narrow interfaces through which the core talks to AWS. src/aws implements them with the SDK v3;
// unit tests implement them in memory. Each method is one AWS call (the refresh budget is counted in calls),
// except where a comment says otherwise. Every method throws DeployError (adapters translate SDK errors).

import type {
  ActionStatus,
  ContainerImage,
  ExecutionStatus,
  ExecutionSummary,
  RolloutState,
  StageState,
  StoppedTask,
} from './model';

export interface ParameterValue {
  readonly name: string;
  readonly value: string;
  readonly version: number;
  readonly lastModified?: Date;
}

export interface ParameterHistoryEntry {
  readonly name: string;
  readonly value: string;
  readonly version: number;
  readonly lastModified?: Date;
  readonly lastModifiedUser?: string;
}

export interface ParameterStorePort {
  /** GetParameters (≤ 10 names): the found ones by name; the names that do not exist are omitted. */
  getParameters(names: readonly string[]): Promise<ReadonlyMap<string, ParameterValue>>;
  /** PutParameter with Overwrite; returns the new parameter version. */
  putParameter(name: string, value: string): Promise<number>;
  /** GetParameterHistory, all pages (several calls for a long history), oldest first as AWS returns it. */
  getParameterHistory(name: string): Promise<readonly ParameterHistoryEntry[]>;
}

export interface PipelineStateSnapshot {
  readonly pipelineName: string;
  readonly stages: readonly StageState[];
}

export interface ActionExecutionInfo {
  readonly stageName: string;
  readonly actionName: string;
  readonly status?: ActionStatus;
  readonly startTime?: Date;
  readonly lastUpdateTime?: Date;
  /** CodeBuild build id for a build action (`output.executionResult.externalExecutionId`). */
  readonly externalExecutionId?: string;
  readonly summary?: string;
  /** Who last changed it (`updatedBy`): the approver of a decided approval. */
  readonly updatedBy?: string;
  /** `output.executionResult.errorDetails` of a failed action. */
  readonly errorDetails?: { readonly code?: string; readonly message?: string };
}

export interface ExecutionDetails extends ExecutionSummary {
  readonly pipelineName: string;
  /** Source revisions (the commit the Spryker_App_Src action saw, when it reports one). */
  readonly revisions: readonly { readonly name: string; readonly revisionId?: string }[];
}

export interface PipelinePort {
  getPipelineState(pipelineName: string): Promise<PipelineStateSnapshot>;
  /** ListPipelineExecutions, newest first, at most `max` (one page of up to 100). */
  listPipelineExecutions(pipelineName: string, max: number): Promise<readonly ExecutionSummary[]>;
  getPipelineExecution(pipelineName: string, executionId: string): Promise<ExecutionDetails>;
  /**
   * StartPipelineExecution with an idempotency token: the same token again is the same request, answered with the
   * execution it started (AWS keeps it; the SDK also reuses it across its own retries).
   */
  startPipelineExecution(pipelineName: string, clientRequestToken?: string): Promise<string>;
  stopPipelineExecution(pipelineName: string, executionId: string, reason: string): Promise<void>;
  putApprovalResult(input: {
    readonly pipelineName: string;
    readonly stageName: string;
    readonly actionName: string;
    readonly token: string;
    readonly status: 'Approved' | 'Rejected';
    readonly summary: string;
  }): Promise<void>;
  listActionExecutions(pipelineName: string, executionId: string): Promise<readonly ActionExecutionInfo[]>;
  /** RetryStageExecution: runs the failed stage of the execution again (its failed actions). */
  retryStageExecution(pipelineName: string, stageName: string, executionId: string): Promise<void>;
}

export interface EcsDeploymentInfo {
  readonly id: string;
  readonly status: string;
  readonly taskDefinition: string;
  readonly rolloutState?: RolloutState;
  readonly rolloutStateReason?: string;
  readonly failedTasks?: number;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly pendingCount: number;
  readonly createdAt?: Date;
}

export interface EcsServiceInfo {
  readonly name: string;
  readonly arn: string;
  readonly status: string;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly pendingCount: number;
  readonly taskDefinition: string;
  readonly deployments: readonly EcsDeploymentInfo[];
  /** The service's events as DescribeServices returns them (newest first); adapters may keep only the newest. */
  readonly events?: readonly { readonly at?: Date; readonly message: string }[];
}

export interface EcsTaskInfo {
  readonly arn: string;
  /** `service:<name>` for service tasks. */
  readonly group?: string;
  readonly taskDefinition: string;
  readonly lastStatus: string;
  readonly desiredStatus?: string;
  /** Images the containers really run (container name + image). */
  readonly containers: readonly { readonly name: string; readonly image?: string }[];
  readonly startedAt?: Date;
}

export interface ContainerPort {
  /** ListServices, all pages with maxResults 100: service names. */
  listServices(cluster: string): Promise<readonly string[]>;
  /** DescribeServices (≤ 10 names per call; the adapter splits larger lists). Missing services are omitted. */
  describeServices(cluster: string, services: readonly string[]): Promise<readonly EcsServiceInfo[]>;
  /** ListTasks for the whole cluster (all pages of 100), RUNNING desired status: task ARNs. */
  listTasks(cluster: string): Promise<readonly string[]>;
  /** DescribeTasks (≤ 100 per call; the adapter splits). */
  describeTasks(cluster: string, taskArns: readonly string[]): Promise<readonly EcsTaskInfo[]>;
  /** ListTasks (desiredStatus STOPPED, one service, one page) + DescribeTasks: the tasks that stopped lately. */
  listStoppedTasks(cluster: string, service: string): Promise<readonly StoppedTask[]>;
  /** DescribeTaskDefinition: the images of its containers. Task definition revisions are immutable: cache. */
  describeTaskDefinitionImages(taskDefinitionArn: string): Promise<readonly ContainerImage[]>;
}

export interface ImageRegistryPort {
  /** DescribeRepositories, all pages: repository names starting with the prefix. */
  listRepositories(prefix: string): Promise<readonly string[]>;
  /** DescribeImages with an imageIds filter for one tag: whether the repository has it (false if not). */
  hasImage(repository: string, tag: string): Promise<boolean>;
}

/** The log lines of one CodeBuild build, with the log group and stream they were read from. */
export interface BuildLog {
  readonly lines: readonly string[];
  readonly logGroup?: string;
  readonly logStream?: string;
}

export interface BuildLogPort {
  /**
   * BatchGetBuilds + GetLogEvents: the log lines of one CodeBuild build, with where they came from. When
   * BatchGetBuilds is denied (a role with logs:GetLogEvents but not codebuild:BatchGetBuilds) or names no log, the
   * `fallbackLogGroups` (the environment's `logGroups` settings) are read for the build's stream.
   */
  getBuildLog(buildId: string, fallbackLogGroups?: readonly string[]): Promise<BuildLog>;
}

/** Every AWS port of one environment, bound to its credentials, region and endpoint. */
export interface AwsPorts {
  readonly parameters: ParameterStorePort;
  readonly pipelines: PipelinePort;
  readonly containers: ContainerPort;
  readonly images: ImageRegistryPort;
  readonly logs: BuildLogPort;
}

/** How the core gets ports for an environment (the AWS adapter caches clients per profile/region/endpoint). */
export type AwsPortsFactory = (env: {
  /** Sizes the connection pool the environments of one profile/region/endpoint share. */
  readonly name?: string;
  readonly profile?: string;
  readonly region: string;
  readonly endpoint?: string;
}) => AwsPorts;

export type { ExecutionStatus };
