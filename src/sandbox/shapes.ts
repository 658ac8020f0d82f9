// Real-world shapes: what real AWS setups answer and the default world never does. The sandbox and the client
// were written together, so they could share a blind spot; each shape makes the sandbox produce one such answer
// (validated against botocore's models like every other answer) so that the client is tested against it.

export type RealWorldShape =
  /** The comparison build pauses before it prints the versions: GetLogEvents answers an empty page mid-stream. */
  | 'quiet-log'
  /** Every environment's desired_version is a SecureString: read without decryption, AWS answers ciphertext. */
  | 'secure-desired-version'
  /** Please_approve holds two manual approval actions (QA and ProductOwner), both waiting at once. */
  | 'two-approvers'
  /** The `-glue` service uses the EXTERNAL deployment controller: task sets, no service-level task definition. */
  | 'external-controller'
  /** The `-storeapp` service uses the CODE_DEPLOY controller (blue/green): task sets next to the task definition. */
  | 'code-deploy-controller'
  /** Task definitions pin images as `repo:<sha>@sha256:<digest>`, as image-digest pinning tools write them. */
  | 'digest-pinned-images'
  /** The version parameters were written by hand: upper case with a trailing newline. */
  | 'untidy-version-parameter'
  /** A last stage was added to the normal pipelines after their last execution: it never ran. */
  | 'stage-added-later'
  /** GetPipelineExecution does not know an execution for its first seconds (eventual consistency). */
  | 'execution-lag'
  /**
   * The deploy pipelines are V2 in QUEUED mode (every environment, or `v2-queued:<env>` for one): a second execution
   * waits behind the first at each stage (GetPipelineState's `inboundExecutions`) and runs after it, never superseding.
   */
  | 'v2-queued'
  | `v2-queued:${string}`
  /** The deploy pipelines are V2 in PARALLEL mode (or `v2-parallel:<env>`): executions run side by side, no stage holds one. */
  | 'v2-parallel'
  | `v2-parallel:${string}`;

export const REAL_WORLD_SHAPES: readonly RealWorldShape[] = [
  'quiet-log',
  'secure-desired-version',
  'two-approvers',
  'external-controller',
  'code-deploy-controller',
  'digest-pinned-images',
  'untidy-version-parameter',
  'stage-added-later',
  'execution-lag',
  'v2-queued',
  'v2-parallel',
];

const MODE_SHAPE = /^(v2-queued|v2-parallel)(?::([A-Za-z0-9][A-Za-z0-9_.-]{0,127}))?$/;

/** The execution mode the shapes give an environment's deploy pipelines (a shape naming the environment wins). */
export function executionModeOf(shapes: readonly RealWorldShape[] | undefined, env: string): 'QUEUED' | 'PARALLEL' | undefined {
  let mode: 'QUEUED' | 'PARALLEL' | undefined;
  for (const shape of shapes ?? []) {
    const m = MODE_SHAPE.exec(shape);
    if (!m) continue;
    const value = m[1] === 'v2-queued' ? 'QUEUED' : 'PARALLEL';
    if (m[2] === env) return value;
    if (m[2] === undefined) mode = value;
  }
  return mode;
}

/** How long GetPipelineExecution ignores a new execution under `execution-lag`. */
export const EXECUTION_LAG_MS = 3000;
/** The approval actions of Please_approve under `two-approvers`. */
export const TWO_APPROVERS = ['QA_Approval', 'ProductOwner_Approval'] as const;
/** The stage appended under `stage-added-later`. */
export const LATE_STAGE = 'Notify_Deployment';

export function checkShapes(values: readonly unknown[]): RealWorldShape[] {
  const out: RealWorldShape[] = [];
  for (const v of values) {
    if (!REAL_WORLD_SHAPES.includes(v as RealWorldShape) && !(typeof v === 'string' && MODE_SHAPE.test(v))) {
      throw new Error(`Unknown real-world shape ${JSON.stringify(v)}. Known: ${REAL_WORLD_SHAPES.join(', ')} (v2-queued and v2-parallel also as v2-queued:<env>).`);
    }
    if (!out.includes(v as RealWorldShape)) out.push(v as RealWorldShape);
  }
  return out;
}

export function hasShape(world: { readonly shapes?: readonly RealWorldShape[] }, shape: RealWorldShape): boolean {
  return world.shapes?.includes(shape) ?? false;
}
