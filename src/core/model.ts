// The domain model shared by the core, the CLI, the extension and the webview. Plain data only (dates are
// Date objects in the core; the CLI's JSON and the webview protocol turn them into ISO strings).

import type { ExecutionOutcome } from './outcome';
import type { DeployErrorKind } from './errors';

/** A version is a full Git commit hash, 40 lowercase hex characters. It is also the image tag. */
export type Version = string;

/** Every AWS name of one environment, fully resolved (defaults applied). See environments.ts. */
export interface EnvironmentConfig {
  /** The environment name as Spryker uses it, e.g. `spryker-prod`. */
  readonly name: string;
  /** Treated as production: typed confirmation, never a default destructive action. */
  readonly production: boolean;
  /** Named AWS profile; undefined = default credential chain. */
  readonly profile?: string;
  readonly region: string;
  /** Endpoint override (the sandbox, or `AWS_ENDPOINT_URL`). */
  readonly endpoint?: string;
  readonly parameters: {
    readonly desiredVersion: string;
    /** Candidates in order of preference; the first that exists wins (`last_deployed_version`, `lastdeployedversion`). */
    readonly lastDeployedVersion: readonly string[];
    readonly lastBuildVersion: string;
  };
  readonly pipelines: {
    readonly normal: string;
    readonly destructive: string;
    readonly rolloutScheduler: string;
    /** Spryker Cloud's pipelines that switch maintenance mode on and off (maintenance.ts). */
    readonly maintenanceEnable: string;
    readonly maintenanceDisable: string;
  };
  readonly cluster: string;
  /** Explicit service names, or 'all' for every service in the cluster (costs a ListServices call). */
  readonly services: readonly string[] | 'all';
  /** ECR repositories holding the environment's images, or 'auto': every repository named `<env>-*`. */
  readonly repositories: readonly string[] | 'auto';
  /** The environment Promote deploys this one's version to, when set explicitly (see promotion.ts for the default). */
  readonly promotesTo?: string;
  readonly stages: {
    /** Stage whose CodeBuild log prints the version comparison. */
    readonly comparison: string;
    readonly approval: string;
    readonly approvalAction: string;
    readonly updateDeployedVersion: string;
  };
  readonly logGroups: {
    readonly codebuild: string;
    readonly codebuildDestructive: string;
  };
}

export type ExecutionStatus =
  | 'Cancelled'
  | 'InProgress'
  | 'Stopped'
  | 'Stopping'
  | 'Succeeded'
  | 'Superseded'
  | 'Failed';

/** A stage's status: an execution's, or `Skipped` (a V2 stage whose condition skipped it). */
export type StageStatus = ExecutionStatus | 'Skipped';

export type ActionStatus = 'InProgress' | 'Abandoned' | 'Succeeded' | 'Failed';

export interface ActionState {
  readonly name: string;
  /** undefined: the action has not run in the stage's latest execution. */
  readonly status?: ActionStatus;
  readonly lastStatusChange?: Date;
  readonly summary?: string;
  /** CodeBuild build id for build actions. */
  readonly externalExecutionId?: string;
  readonly externalExecutionUrl?: string;
  /** Present on a manual approval action that waits. */
  readonly token?: string;
  /** Who last changed it (`lastUpdatedBy`): the approver of a decided approval. */
  readonly updatedBy?: string;
  /** Why a failed action failed, in AWS's words (`errorDetails`). */
  readonly errorDetails?: { readonly code?: string; readonly message?: string };
}

export interface StageState {
  readonly name: string;
  readonly status?: StageStatus;
  /** The pipeline execution this stage state belongs to. */
  readonly executionId?: string;
  /**
   * Executions waiting at the stage's inbound transition, oldest first (`inboundExecutions`, else `inboundExecution`):
   * in QUEUED mode (V2) each waits for the execution ahead of it to leave the stage.
   */
  readonly inbound?: readonly string[];
  readonly actions: readonly ActionState[];
}

/** How a pipeline handles several executions (CodePipeline's `executionMode`; V1 pipelines know only SUPERSEDED). */
export type ExecutionMode = 'SUPERSEDED' | 'QUEUED' | 'PARALLEL';

/** An execution that waits behind the one shown (QUEUED mode, or V1 waiting at a transition). */
export interface QueuedExecution {
  readonly executionId: string;
  /** The stage it waits to enter. */
  readonly stage: string;
}

export interface PendingApproval {
  readonly pipelineName: string;
  readonly stageName: string;
  readonly actionName: string;
  readonly token: string;
  readonly executionId: string;
  /** The version the pipeline will deploy once approved (it reads desired_version after the approval). */
  readonly version?: Version;
  readonly requestedAt?: Date;
}

export interface PipelineStatus {
  readonly name: string;
  /** Status of the latest execution; undefined when the pipeline never ran. */
  readonly status?: ExecutionStatus;
  readonly executionId?: string;
  readonly stages: readonly StageState[];
  readonly pendingApproval?: PendingApproval;
  /** Every waiting approval action when the stage holds more than one (QA and product owner); the first is `pendingApproval`. */
  readonly pendingApprovals?: readonly PendingApproval[];
  /** The stage currently in progress, if any. */
  readonly currentStage?: string;
  /** How the latest execution ended or where it is (outcome.ts). */
  readonly outcome?: ExecutionOutcome;
  /**
   * Executions that wait behind the one shown, oldest first: each runs once the stage ahead of it is free. They deploy
   * what desired_version holds when they reach the build (and so does the shown one, if it has not built yet).
   */
  readonly queued?: readonly QueuedExecution[];
}

export interface ContainerImage {
  readonly container: string;
  readonly image: string;
  /** The image tag (normally a version); undefined for an untagged or digest-only image. */
  readonly tag?: string;
}

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface ServiceDeployment {
  readonly id: string;
  readonly status: string; // PRIMARY | ACTIVE | INACTIVE
  readonly taskDefinition: string;
  readonly rolloutState?: RolloutState;
  /** ECS's reason for the rollout state ("ECS deployment circuit breaker: tasks failed to start."). */
  readonly rolloutStateReason?: string;
  /** Tasks of this deployment that stopped before they became healthy. */
  readonly failedTasks?: number;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly pendingCount: number;
  readonly images: readonly ContainerImage[];
  readonly createdAt?: Date;
}

export interface TaskState {
  readonly id: string;
  readonly taskDefinition: string;
  readonly lastStatus: string;
  readonly images: readonly ContainerImage[];
  readonly startedAt?: Date;
}

/**
 * How a service's running versions relate to the deployed version:
 * in-sync: all running tasks run the deployed version; rolling: a rollout is in progress, or the tasks moved to the
 * version the running pipeline deploys and UpdateDeployedVersion has not written it yet;
 * failed-deploy: the latest deploy failed (or was stopped) and the service runs its version, alone or beside the
 * deployed one: the failed deploy explains it, so it is not drift (afterFailure.ts sums the environment up);
 * drifted: running a version neither the deployed nor the deploying version explains; mixed: several versions run
 * side by side without a rollout; unknown: no data.
 */
export type Drift = 'in-sync' | 'rolling' | 'failed-deploy' | 'drifted' | 'mixed' | 'unknown';

export interface ServiceStatus {
  readonly name: string;
  readonly status: string;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly pendingCount: number;
  readonly rolloutState?: RolloutState;
  readonly deployments: readonly ServiceDeployment[];
  /** Images of the primary deployment's task definition. */
  readonly images: readonly ContainerImage[];
  /** What the running tasks really run. */
  readonly tasks: readonly TaskState[];
  /** Distinct version tags the running tasks run. */
  readonly runningVersions: readonly string[];
  readonly drift: Drift;
  /** The latest rollout the deployment circuit breaker failed (and rolled back), while ECS still lists it. */
  readonly failedDeployment?: ServiceDeployment;
  /** The newest ECS service events, newest first (a handful: the story of the last rollout). */
  readonly events?: readonly ServiceEvent[];
}

export interface ServiceEvent {
  readonly at?: Date;
  readonly message: string;
}

/** A task that stopped, with why (for a failed rollout: the crash and its exit code). */
export interface StoppedTask {
  readonly id: string;
  readonly service?: string;
  readonly taskDefinition: string;
  readonly stoppedAt?: Date;
  readonly stopCode?: string;
  readonly stoppedReason?: string;
  readonly containers: readonly { readonly name: string; readonly exitCode?: number; readonly reason?: string; readonly image?: string }[];
}

export type StatusPart = 'parameters' | 'pipeline' | 'services';

/** An error confined to one part of a status; the other parts are still reported. */
export interface PartError {
  readonly part: StatusPart;
  /** What kind of error ('access-denied', 'not-found', ...): the words and the offered fix follow from it. */
  readonly code: DeployErrorKind;
  readonly message: string;
  /** The AWS error code behind it, when there is one. */
  readonly awsCode?: string;
}

/** A part shown from an earlier read because this refresh could not reach AWS for it (see lastKnown.ts). */
export interface StalePart {
  readonly part: StatusPart;
  /** When the values shown were read. */
  readonly asOf: Date;
  /**
   * Why they could not be read again; absent while they come from an earlier window's read and are being read again
   * (core/snapshot.ts): not an error, just not confirmed yet.
   */
  readonly error?: PartError;
}

export interface EnvironmentStatus {
  readonly name: string;
  readonly production: boolean;
  readonly region: string;
  readonly fetchedAt: Date;
  readonly desiredVersion?: Version;
  readonly lastDeployedVersion?: Version;
  /** Which spelling of the deployed-version parameter was found. */
  readonly lastDeployedParameter?: string;
  /** When the deployed-version parameter was last written: since when the environment runs that version. */
  readonly lastDeployedAt?: Date;
  readonly pipeline?: PipelineStatus;
  readonly services: readonly ServiceStatus[];
  readonly errors: readonly PartError[];
  /** Parts kept from an earlier read while AWS cannot be reached; absent when everything shown is fresh. */
  readonly stale?: readonly StalePart[];
}

/** One line of the pipeline's version comparison, as its CodeBuild log prints it. */
export interface VersionComparison {
  /** `Deploymnet version` (sic) / `Deployment version` in the log. */
  readonly deploymentVersion?: string;
  /** `Latest deployed version` in the log. */
  readonly latestDeployedVersion?: string;
  /** The raw log lines the values came from (and their neighbours), for display. */
  readonly lines: readonly string[];
  readonly logGroup?: string;
  readonly logStream?: string;
}

/** The CodeBuild log of one action of one execution. */
export interface StageLog {
  readonly executionId: string;
  readonly stage: string;
  readonly action: string;
  readonly buildId: string;
  readonly lines: readonly string[];
  readonly logGroup?: string;
  readonly logStream?: string;
}

export interface ApprovalDetails {
  /** The approval these details are for (the one asked for, else the first waiting). */
  readonly approval: PendingApproval;
  /** Every approval action waiting in the stage, `approval` among them; more than one when several people decide. */
  readonly waiting?: readonly PendingApproval[];
  readonly comparison?: VersionComparison;
  /** Why the comparison could not be read, if it could not. */
  readonly comparisonError?: string;
  readonly desiredVersion?: Version;
  readonly lastDeployedVersion?: Version;
  readonly pipeline: PipelineStatus;
}

export type ApprovalDecision = 'Approved' | 'Rejected';

export interface RollbackCandidate {
  readonly version: Version;
  /** When it was deployed (parameter change or execution end). */
  readonly deployedAt?: Date;
  /** Who set it (the parameter history's LastModifiedUser), when known. */
  readonly deployedBy?: string;
  readonly source: 'parameter-history' | 'pipeline-execution';
  /** Is it the version running now. */
  readonly current: boolean;
}

/** The rollback candidates, and what could not be read to find them (the list is then partial). */
export interface RollbackHistory {
  readonly candidates: readonly RollbackCandidate[];
  /** Why the list may be incomplete, in a sentence; absent when every source answered. */
  readonly missing?: string;
}

export interface ExecutionSummary {
  readonly executionId: string;
  readonly status: ExecutionStatus;
  readonly startTime?: Date;
  readonly lastUpdateTime?: Date;
  readonly statusSummary?: string;
  /** Source revisions of the execution (ListPipelineExecutions' sourceRevisions), when the adapter has them. */
  readonly sourceRevisions?: readonly { readonly actionName: string; readonly revisionId?: string }[];
  /** How it was started (StartPipelineExecution, Webhook, ...), when known. */
  readonly trigger?: string;
  /** `trigger.triggerDetail`: for StartPipelineExecution the caller's ARN (who started it), else the webhook or rule. */
  readonly triggerDetail?: string;
  /** The pipeline's execution mode when the execution ran (V2 pipelines: QUEUED, PARALLEL), when AWS says. */
  readonly executionMode?: ExecutionMode;
}

/** What the deploy reports while it runs. */
export type DeployProgress =
  | { readonly kind: 'checking'; readonly message: string }
  /** The checks passed; desired_version is being written now (the write is in flight). */
  | { readonly kind: 'writing'; readonly parameter: string; readonly previous?: string; readonly version: Version }
  | { readonly kind: 'parameter-written'; readonly parameter: string; readonly previous?: string; readonly version: Version }
  | { readonly kind: 'started'; readonly executionId: string }
  | { readonly kind: 'stage'; readonly executionId: string; readonly stage: string; readonly status?: StageStatus }
  | { readonly kind: 'awaiting-approval'; readonly approval: PendingApproval }
  | { readonly kind: 'finished'; readonly executionId: string; readonly status: ExecutionStatus; readonly summary?: string }
  /** Reading the execution failed for a passing reason (throttling, network, 5xx); it is read again in `retryInMs`. */
  | { readonly kind: 'read-failed'; readonly executionId: string; readonly attempt: number; readonly maxAttempts: number; readonly message: string; readonly retryInMs: number };

export interface DeployPreflight {
  readonly version: Version;
  readonly desiredVersion?: Version;
  readonly lastDeployedVersion?: Version;
  /** Repositories that lack an image tagged with the version. */
  readonly missingImages: readonly string[];
  /** An execution already in progress (running or waiting for approval). */
  readonly activeExecution?: ExecutionSummary;
  /** The newest execution of the normal pipeline before the deploy: any newer one started since. */
  readonly latestExecutionId?: string;
  readonly alreadyDeployed: boolean;
}

export interface DeployStarted {
  readonly executionId: string;
  readonly previousDesiredVersion?: Version;
  readonly version: Version;
}
