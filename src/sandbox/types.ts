// The sandbox's public types: what startSandbox takes and what the handle it returns offers.
import type { FaultRule } from './faults';
import type { RealWorldShape } from './shapes';
import type { Credentials } from './sigv4';
import type { Commit, ScenarioRecord, World } from './world';

export interface SandboxOptions {
  /** 0 (default) = a free port. */
  readonly port?: number;
  /** Duration of one pipeline stage, seconds (default 2). */
  readonly stageSeconds?: number;
  /** A Git repository whose HEAD history becomes the commit history; generated commits otherwise. */
  readonly repo?: string;
  /** Saves the world to this file (debounced) and loads it on start when it exists. */
  readonly stateFile?: string;
  /** Appends one JSON line per AWS request to this file (at `logRequestsMaxBytes` it moves to `<file>.1`). */
  readonly logRequestsFile?: string;
  /** Size at which the request log file starts anew (default 10 MiB; at most twice this on disk). */
  readonly logRequestsMaxBytes?: number;
  /** Faults active from the start: specs like `throttle:0.2` or rule objects. */
  readonly faults?: readonly (string | FaultRule)[];
  /** Environment names (default spryker-staging, spryker-prod). */
  readonly environments?: readonly string[];
  /** Makes ids and fault decisions repeat run after run. */
  readonly seed?: number;
  /** Failures to play (scenarios.ts): specs like `stage-fails:Run_install:spryker-prod` or records. */
  readonly scenarios?: readonly (string | ScenarioRecord)[];
  readonly credentials?: Credentials;
  /** Real-world shapes the world produces (see shapes.ts and the README's "Real-world shapes"). */
  readonly shapes?: readonly RealWorldShape[];
}

export interface RequestLogEntry {
  readonly time: string;
  readonly service: string;
  readonly operation: string;
  readonly status: number;
  readonly errorCode?: string;
  readonly ms: number;
}

export interface SandboxControl {
  faults(): readonly FaultRule[];
  /** Replaces all faults. */
  setFaults(faults: readonly (string | FaultRule)[]): void;
  addFault(fault: string | FaultRule): void;
  clearFaults(): void;
  stageSeconds(): number;
  setStageSeconds(seconds: number): void;
  /** Moves the sandbox clock forward; the pipelines do what they would have done meanwhile. */
  advance(ms: number): void;
  /**
   * Back to a fresh default world (same environments and options). With `repo`, the commits come from that Git
   * repository from now on (null: generated commits again); a repository that cannot be read changes nothing.
   */
  /** A fresh world; with `shapes`, that world produces those real-world shapes instead of the ones the sandbox started with (for this reset only). */
  reset(options?: { readonly repo?: string | null; readonly shapes?: readonly RealWorldShape[] }): void;
  scenarios(): readonly ScenarioRecord[];
  /** Replaces all scenarios; a bad one is refused and nothing changes. */
  setScenarios(scenarios: readonly (string | ScenarioRecord)[]): void;
  addScenario(scenario: string | ScenarioRecord): void;
}

export interface EnvironmentSummary {
  readonly name: string;
  readonly desiredVersion?: string;
  readonly lastDeployedVersion?: string;
  /** Whether the environment is in maintenance mode (its Maintenance_Enable_ pipeline ran last). */
  readonly maintenance: boolean;
  readonly pipelines: Record<string, { status?: string; executionId?: string; pendingApproval?: { stageName: string; actionName: string; token: string } }>;
  readonly services: Record<string, { images: string[]; deployments: { status: string; rolloutState: string; taskDefinition: string }[]; runningTasks: number }>;
}

export interface SandboxInspector {
  /** The live world (read it, don't change it: use the AWS APIs or the control handle). */
  world(): World;
  parameter(name: string): string | undefined;
  commits(): readonly Commit[];
  pendingApproval(pipelineName: string): { executionId: string; stageName: string; actionName: string; token: string } | undefined;
  summary(): EnvironmentSummary[];
}

export interface Sandbox {
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  readonly credentials: Credentials;
  readonly control: SandboxControl;
  readonly inspect: SandboxInspector;
  /** Requests since start (or the last clearRequests), oldest first; kept up to REQUEST_LOG_LIMIT. */
  requests(): readonly RequestLogEntry[];
  clearRequests(): void;
  stop(): Promise<void>;
}
