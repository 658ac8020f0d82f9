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
  | 'execution-lag';

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
];

/** How long GetPipelineExecution ignores a new execution under `execution-lag`. */
export const EXECUTION_LAG_MS = 3000;
/** The approval actions of Please_approve under `two-approvers`. */
export const TWO_APPROVERS = ['QA_Approval', 'ProductOwner_Approval'] as const;
/** The stage appended under `stage-added-later`. */
export const LATE_STAGE = 'Notify_Deployment';

export function checkShapes(values: readonly unknown[]): RealWorldShape[] {
  const out: RealWorldShape[] = [];
  for (const v of values) {
    if (!REAL_WORLD_SHAPES.includes(v as RealWorldShape)) {
      throw new Error(`Unknown real-world shape ${JSON.stringify(v)}. Known: ${REAL_WORLD_SHAPES.join(', ')}.`);
    }
    if (!out.includes(v as RealWorldShape)) out.push(v as RealWorldShape);
  }
  return out;
}

export function hasShape(world: { readonly shapes?: readonly RealWorldShape[] }, shape: RealWorldShape): boolean {
  return world.shapes?.includes(shape) ?? false;
}
