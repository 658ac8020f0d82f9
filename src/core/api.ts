// The contract the front ends (CLI, extension, webview host) program against. `createEnvironmentService`
// in environmentService.ts implements it over AwsPorts.

import type {
  ApprovalDecision,
  ApprovalDetails,
  DeployPreflight,
  DeployProgress,
  DeployStarted,
  EnvironmentConfig,
  EnvironmentStatus,
  ExecutionStatus,
  PendingApproval,
  RollbackHistory,
  StageLog,
  StoppedTask,
  Version,
} from './model';
import type { HistoryEntry } from './history';
import type { MaintenanceMode, MaintenanceState } from './maintenance';
import type { BuildLog } from './ports';

export interface FollowOptions {
  readonly onProgress?: (p: DeployProgress) => void;
  /** Stops following (not the deploy). Rejects with DeployError('cancelled'). */
  readonly signal?: AbortSignal;
  /** Poll interval while following, ms (default 5000; tests and the sandbox use less). */
  readonly pollMs?: number;
  /** Resolve as soon as the execution waits for approval instead of following it to the end. */
  readonly stopAtApproval?: boolean;
}

export interface DeployOptions {
  /** Supersede an execution that is already running or waiting (default: refuse with 'execution-active'). */
  readonly supersede?: boolean;
  /** Deploy even if an ECR repository lacks the image (the pipeline will build it). Default false. */
  readonly allowMissingImages?: boolean;
  readonly onProgress?: (p: DeployProgress) => void;
  readonly signal?: AbortSignal;
}

export interface FollowResult {
  readonly executionId: string;
  readonly status: ExecutionStatus | 'AwaitingApproval';
  readonly summary?: string;
  readonly approval?: PendingApproval;
}

export interface MaintenanceOptions {
  /** Follow the switch's pipeline to its end (default: return once it started). */
  readonly wait?: boolean;
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: DeployProgress) => void;
}

export interface MaintenanceSwitch {
  readonly mode: MaintenanceMode;
  readonly pipeline: string;
  /** true: it was in that mode already and nothing was started. */
  readonly already: boolean;
  readonly executionId?: string;
  /** With `wait`: how the pipeline ended. */
  readonly status?: ExecutionStatus;
  readonly summary?: string;
}

export interface EnvironmentService {
  readonly config: EnvironmentConfig;
  /** The whole status; one failing part is reported in `errors`, never thrown (except credentials). */
  status(): Promise<EnvironmentStatus>;
  /** Checks before a deploy; writes nothing. Throws 'invalid-input' for a malformed version. */
  preflight(version: Version): Promise<DeployPreflight>;
  /**
   * Writes desired_version and starts the normal pipeline. Refuses bad input before writing anything;
   * restores the previous desired_version if the start fails (DeployError 'start-failed' with `restored`).
   */
  deploy(version: Version, options?: DeployOptions): Promise<DeployStarted>;
  /** Follows an execution until it ends (or waits for approval with `stopAtApproval`). */
  follow(executionId: string, options?: FollowOptions): Promise<FollowResult>;
  /**
   * The waiting approval with the pipeline's own version comparison; undefined when none waits. With several
   * approval actions waiting (QA and product owner), `actionName` picks one (default: the configured action, else
   * the first) and `waiting` lists them all; an action that does not wait is 'no-pending-approval'.
   */
  approvalDetails(actionName?: string): Promise<ApprovalDetails | undefined>;
  /**
   * Approves or rejects. `approval` is the one the user saw: if the waiting approval is another one
   * (token changed) this throws 'stale-approval' and decides nothing. When AWS says it was already decided and the
   * action's latest execution carries this very decision and summary (a retry after a lost answer), it resolves
   * with a `note` saying so; otherwise 'approval-already-decided' names who decided what.
   */
  decide(approval: PendingApproval, decision: ApprovalDecision, comment: string): Promise<{ readonly note?: string }>;
  /**
   * Earlier deployed versions, newest first, without duplicates; the current one flagged. The parameter history
   * alone answers it: when the pipeline's executions cannot be read, the list comes without them and says so.
   */
  rollbackCandidates(): Promise<RollbackHistory>;
  /**
   * Recent executions of the normal pipeline, newest first (default 20, at most 100): each with its version, who
   * started and who decided it, its stages with durations and how it ended (history.ts).
   */
  history(max?: number): Promise<readonly HistoryEntry[]>;
  /** Whether maintenance mode is on, from the last executions of the Maintenance_Enable_/_Disable_ pipelines. */
  maintenance(): Promise<MaintenanceState>;
  /**
   * Switches maintenance mode by starting its pipeline. Nothing is started when it is in that mode already
   * (`already`); 'execution-active' while a switch runs; 'not-found' without the pipelines.
   */
  setMaintenance(mode: MaintenanceMode, options?: MaintenanceOptions): Promise<MaintenanceSwitch>;
  /** Stops an execution (used to offer "stop" and by supersede handling). */
  stop(executionId: string, reason: string): Promise<void>;
  /** Puts desired_version back to a value (used to restore after a failed or abandoned deploy). */
  restoreDesiredVersion(value: string): Promise<void>;
  /** The log lines of one CodeBuild build of this environment's pipelines, with the log group and stream read. */
  buildLog(buildId: string): Promise<BuildLog>;
  /**
   * Retries the failed stage (its failed actions) of the latest execution, or of `executionId` when it is the one
   * AWS can retry. 'not-retryable' when nothing failed, or a newer execution ran the stage since.
   */
  retry(executionId?: string): Promise<{ readonly executionId: string; readonly stage: string }>;
  /**
   * The CodeBuild log of a stage: by default the failed stage of the latest execution. 'not-found' when the stage
   * did not run in that execution or ran no build (the approval, the ECS rollouts).
   */
  stageLog(options?: { readonly executionId?: string; readonly stage?: string }): Promise<StageLog>;
  /** The tasks of a service that stopped lately (ECS keeps them about an hour), newest first. */
  stoppedTasks(service: string): Promise<readonly StoppedTask[]>;
  /**
   * How a stopped or superseded execution ended, as far as AWS says: the stop's reason; the execution that
   * superseded it and who started that one. One GetPipelineExecution (two for a superseded one); read on the event.
   */
  endOf(executionId: string): Promise<{ readonly reason?: string; readonly supersededBy?: string; readonly startedBy?: string }>;
}
