// The sandbox's whole state: plain JSON-serialisable data, so that --state can save and reload it as is.
// Times are epoch milliseconds inside the world; the services turn them into what each AWS API sends.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RealWorldShape } from './shapes';

export const WORLD_FORMAT = 1;

export interface Commit {
  readonly sha: string;
  readonly subject: string;
  readonly author: string;
  /** Commit time, epoch ms. */
  readonly time: number;
}

export interface ParameterVersion {
  readonly value: string;
  readonly version: number;
  readonly type: 'String' | 'StringList' | 'SecureString';
  readonly lastModifiedDate: number;
  readonly lastModifiedUser: string;
  readonly description?: string;
}

export interface ParameterRecord {
  readonly name: string;
  /** Oldest first, as GetParameterHistory returns it. */
  readonly history: ParameterVersion[];
}

export interface ImageRecord {
  readonly digest: string;
  tags: string[];
  readonly sizeInBytes: number;
  readonly pushedAt: number;
}

export interface RepositoryRecord {
  readonly name: string;
  readonly createdAt: number;
  readonly images: ImageRecord[];
}

export interface ContainerSpec {
  readonly name: string;
  /** ECR repository the container's image comes from. */
  readonly repository: string;
  readonly cpu: number;
  readonly memory: number;
  readonly port?: number;
}

export interface TaskDefinitionRecord {
  readonly family: string;
  readonly revision: number;
  readonly arn: string;
  readonly containers: readonly { readonly spec: ContainerSpec; readonly image: string }[];
  readonly cpu: string;
  readonly memory: string;
  readonly registeredAt: number;
}

export interface DeploymentRecord {
  readonly id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  readonly taskDefinition: string;
  desiredCount: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
  /** Tasks of this deployment that stopped before becoming healthy (the circuit breaker counts them). */
  failedTasks?: number;
  readonly createdAt: number;
  updatedAt: number;
}

export interface ServiceRecord {
  readonly name: string;
  readonly arn: string;
  readonly containers: readonly ContainerSpec[];
  desiredCount: number;
  taskDefinition: string;
  deployments: DeploymentRecord[];
  readonly createdAt: number;
  events: { id: string; createdAt: number; message: string }[];
}

export interface TaskRecord {
  readonly id: string;
  readonly arn: string;
  readonly service: string;
  readonly deploymentId: string;
  readonly taskDefinition: string;
  lastStatus: 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'DEPROVISIONING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
  readonly createdAt: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stoppedReason?: string;
  /** Why ECS stopped it (`EssentialContainerExited`, `ServiceSchedulerInitiated`...). */
  stopCode?: 'EssentialContainerExited' | 'ServiceSchedulerInitiated' | 'TaskFailedToStart';
  /** Exit code of the essential container of a task that stopped by itself. */
  exitCode?: number;
  readonly availabilityZone: string;
  readonly containerIds: readonly string[];
}

export interface ClusterRecord {
  readonly name: string;
  readonly arn: string;
  readonly services: ServiceRecord[];
  readonly tasks: TaskRecord[];
}

/** What an action does when the engine runs it. */
export type ActionBehavior =
  | 'source'
  | 'compare-versions'
  | 'approval'
  | 'build'
  | 'script'
  | 'deploy-scheduler'
  | 'deploy-services'
  | 'update-deployed-version'
  /** Spryker's Maintenance_Enable_/Maintenance_Disable_<env> pipelines: switch the environment's maintenance mode. */
  | 'maintenance-on'
  | 'maintenance-off';

export interface ActionDefinition {
  readonly name: string;
  readonly category: 'Source' | 'Build' | 'Deploy' | 'Approval';
  readonly owner: 'AWS' | 'ThirdParty';
  readonly provider: string;
  readonly runOrder: number;
  readonly configuration: Record<string, string>;
  readonly inputArtifacts: readonly string[];
  readonly outputArtifacts: readonly string[];
  readonly behavior: ActionBehavior;
}

export interface StageDefinition {
  readonly name: string;
  readonly actions: readonly ActionDefinition[];
}

export interface PipelineRecord {
  readonly name: string;
  readonly environment: string;
  readonly kind: 'normal' | 'destructive' | 'rollout-scheduler' | 'maintenance-enable' | 'maintenance-disable';
  readonly stages: readonly StageDefinition[];
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly version: number;
  /** CodePipeline's pipeline type; undefined = V1. */
  readonly pipelineType?: 'V1' | 'V2';
  /** How concurrent executions are handled (pipelineEngine.ts); undefined = SUPERSEDED, the default and V1's only mode. */
  readonly executionMode?: ExecutionMode;
}

export type ExecutionMode = 'SUPERSEDED' | 'QUEUED' | 'PARALLEL';

export type ExecutionStatus = 'Cancelled' | 'InProgress' | 'Stopped' | 'Stopping' | 'Succeeded' | 'Superseded' | 'Failed';
export type StageStatus = 'Cancelled' | 'InProgress' | 'Failed' | 'Stopped' | 'Stopping' | 'Succeeded';
export type ActionStatus = 'InProgress' | 'Abandoned' | 'Succeeded' | 'Failed';

export interface ActionRun {
  readonly id: string;
  readonly stageName: string;
  readonly actionName: string;
  status: ActionStatus;
  readonly startTime: number;
  lastUpdateTime: number;
  summary?: string;
  /** CodeBuild build id, or the approval's own reference. */
  externalExecutionId?: string;
  externalExecutionSummary?: string;
  /** Manual approval token while the action waits, kept after the decision to tell "already decided". */
  token?: string;
  approvalDecided?: boolean;
  updatedBy?: string;
  /** Log lines the build prints when its stage finishes (after a quiet stretch, under `quiet-log`). */
  pendingLog?: string[];
  /** Why a failed action failed, as CodePipeline reports it (`errorDetails`). */
  errorDetails?: { readonly code: string; readonly message: string };
}

export interface StageRun {
  readonly name: string;
  status: StageStatus;
  readonly enteredAt: number;
  lastUpdateTime: number;
}

/**
 * Where an execution is. 'waiting' = finished the previous stage and waits to enter `stageIndex`, because an older
 * execution still holds that stage (CodePipeline V1 locks a stage to one execution at a time).
 */
export type Phase = 'waiting' | 'running' | 'approval' | 'done';

export interface ExecutionRecord {
  readonly id: string;
  readonly pipelineName: string;
  readonly pipelineVersion: number;
  status: ExecutionStatus;
  statusSummary?: string;
  readonly startTime: number;
  lastUpdateTime: number;
  readonly triggerDetail: string;
  /** StartPipelineExecution's idempotency token: the same token again answers this execution. */
  readonly clientRequestToken?: string;
  stopReason?: string;
  /** The commit the source action saw (HEAD of the application repository at start). */
  readonly sourceRevision: { readonly sha: string; readonly subject: string; readonly time: number };
  /** Version printed by the comparison stage (desired_version at that time). */
  comparedVersion?: string;
  /** Version being deployed (desired_version read by the build stage, after the approval). */
  version?: string;
  phase: Phase;
  stageIndex: number;
  /** When the current step of the current stage is due (epoch ms); undefined while waiting for someone. */
  dueAt?: number;
  /**
   * Step within the stage: 'finish', 'tasks-running' for a rollout's first half, 'approval-expires' while a manual
   * approval waits (CodePipeline fails it after seven days).
   */
  step?: 'finish' | 'tasks-running' | 'approval-expires';
  /** Services whose rollout in the current stage fails (a rollout-fails scenario chose them at stage entry). */
  failingServices?: string[];
  stopRequested?: boolean;
  stages: StageRun[];
  actions: ActionRun[];
}

export interface BuildRecord {
  readonly id: string;
  readonly arn: string;
  readonly projectName: string;
  readonly buildNumber: number;
  readonly startTime: number;
  endTime?: number;
  status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'STOPPED';
  readonly initiator: string;
  readonly logGroup: string;
  readonly logStream: string;
  readonly sourceVersion?: string;
  /** The BUILD phase's failure context of a FAILED build. */
  failure?: { readonly statusCode: string; readonly message: string };
}

export interface LogEventRecord {
  readonly timestamp: number;
  readonly ingestionTime: number;
  readonly message: string;
}

export interface LogGroupRecord {
  readonly name: string;
  readonly createdAt: number;
  readonly streams: Record<string, { readonly createdAt: number; readonly events: LogEventRecord[] }>;
}

/**
 * A failure the sandbox plays on demand. `next`: the next execution that reaches the point fails, then the scenario
 * is used up (a retry then succeeds); `always`: every one fails until the scenario is removed.
 */
export type ScenarioRecord =
  | { readonly kind: 'stage-fails'; readonly environment: string; readonly stage: string; readonly mode: 'next' | 'always' }
  | { readonly kind: 'rollout-fails'; readonly environment: string; readonly service?: string; readonly mode: 'next' | 'always' };

export interface EnvironmentRecord {
  readonly name: string;
  readonly cluster: string;
  readonly repositories: readonly string[];
  readonly parameters: {
    readonly desiredVersion: string;
    readonly lastDeployedVersion: string;
    readonly lastBuildVersion?: string;
  };
  readonly pipelines: {
    readonly normal: string;
    readonly destructive: string;
    readonly rolloutScheduler: string;
    /** Absent in worlds saved before the sandbox modelled maintenance mode. */
    readonly maintenanceEnable?: string;
    readonly maintenanceDisable?: string;
  };
  readonly logGroups: { readonly normal: string; readonly destructive: string };
}

export interface World {
  readonly format: number;
  readonly region: string;
  readonly accountId: string;
  readonly environments: EnvironmentRecord[];
  readonly commits: Commit[];
  readonly parameters: Record<string, ParameterRecord>;
  readonly repositories: Record<string, RepositoryRecord>;
  readonly clusters: Record<string, ClusterRecord>;
  readonly taskDefinitions: Record<string, TaskDefinitionRecord[]>;
  readonly pipelines: Record<string, PipelineRecord>;
  /** Per pipeline, oldest first. */
  readonly executions: Record<string, ExecutionRecord[]>;
  readonly builds: Record<string, BuildRecord>;
  readonly buildCounters: Record<string, number>;
  readonly logGroups: Record<string, LogGroupRecord>;
  /** Real-world shapes this world produces (see shapes.ts); none in the default world. */
  readonly shapes?: readonly RealWorldShape[];
  /** Environments whose maintenance mode is on (set by their Maintenance_Enable_ pipeline, cleared by _Disable_). */
  maintenance?: Record<string, boolean>;
  /** Failures asked for through the control API (see scenarios.ts); absent in worlds saved before they existed. */
  scenarios?: ScenarioRecord[];
  /** Wall-clock time of the last save, to resume pipelines where they stood. */
  savedAt?: number;
}

/** Time as the sandbox sees it; tests use a manual clock, the server a system clock that can be moved forward. */
export interface Clock {
  now(): number;
}

export class ManualClock implements Clock {
  constructor(private time: number) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
  set(ms: number): void {
    this.time = ms;
  }
}

/** The system clock plus an offset that the control API can move forward (never back). */
export class ShiftableClock implements Clock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
  /** Back to the real time: a reset is a fresh start, and a world built then must not live days in the future. */
  toRealTime(): void {
    this.offset = 0;
  }
}

/** Random ids; with a seed they repeat run after run (the UUIDs stay valid version 4 UUIDs). */
export class Ids {
  private state: number;
  constructor(private readonly seed?: number) {
    this.state = (seed ?? 0) >>> 0;
  }

  private nextUint32(): number {
    // mulberry32
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  random(): number {
    return this.seed === undefined ? Math.random() : this.nextUint32() / 4294967296;
  }

  bytes(count: number): Buffer {
    if (this.seed === undefined) return crypto.randomBytes(count);
    const out = Buffer.alloc(count);
    for (let i = 0; i < count; i++) out[i] = this.nextUint32() & 0xff;
    return out;
  }

  uuid(): string {
    if (this.seed === undefined) return crypto.randomUUID();
    const b = this.bytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  hex(length: number): string {
    return this.bytes(Math.ceil(length / 2)).toString('hex').slice(0, length);
  }

  digits(length: number): string {
    let s = '';
    while (s.length < length) s += String(Math.floor(this.random() * 10));
    return s;
  }
}

export function sha256Hex(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

export function loadWorld(file: string): World | undefined {
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`State file ${file} is not valid JSON (${(e as Error).message}); move it away to start fresh.`, { cause: e });
  }
  const world = parsed as World;
  if (typeof world !== 'object' || world === null || world.format !== WORLD_FORMAT || !world.pipelines || !world.parameters) {
    throw new Error(`State file ${file} was not written by this sandbox version (format ${WORLD_FORMAT}); move it away to start fresh.`);
  }
  return world;
}

/** Writes atomically (temp file + rename) so a crash mid-write never leaves a half state file. */
export function saveWorld(file: string, world: World, now: number): void {
  world.savedAt = now;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(world));
  fs.renameSync(tmp, file);
}

/**
 * A reloaded world resumes where it stood: every pending step moves forward by the time the sandbox was down,
 * instead of the pipeline racing through all the stages it "missed".
 */
export function shiftPendingSteps(world: World, now: number): void {
  if (world.savedAt === undefined) return;
  const downtime = now - world.savedAt;
  if (downtime <= 0) return;
  for (const list of Object.values(world.executions)) {
    for (const e of list) if (e.dueAt !== undefined) e.dueAt += downtime;
  }
}
