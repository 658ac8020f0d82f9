// One error type for everything the user can be told about. Adapters translate AWS SDK errors into it
// (src/aws/errors.ts); the front ends (CLI, extension) map `kind` to wording and to one useful action.

export type DeployErrorKind =
  /** A version that is not a full 40-hex commit hash, or another malformed input. */
  | 'invalid-input'
  /** The environment settings (or the CLI's config) are malformed or name no such environment: the fix is in the settings. */
  | 'invalid-settings'
  /** No credentials at all for the profile / chain. */
  | 'not-signed-in'
  /** Credentials exist but have expired (SSO session, saml2aws keys). */
  | 'credentials-expired'
  | 'access-denied'
  | 'throttled'
  /** A parameter, pipeline, cluster, service, repository or execution that does not exist. */
  | 'not-found'
  /** The approval token no longer matches the waiting approval (another execution, already decided). */
  | 'stale-approval'
  | 'approval-already-decided'
  /** There is no approval waiting. */
  | 'no-pending-approval'
  /** An execution is already running or waiting and the caller did not choose to supersede it. */
  | 'execution-active'
  | 'missing-images'
  /** Promote refused: the source is mid-deploy, failed or drifted, or the target already runs its version. */
  | 'promotion-refused'
  /** RetryStageExecution refused: nothing failed to retry, or a newer execution ran the stage since. */
  | 'not-retryable'
  /** Starting the pipeline failed after desired_version was written; see `restored`. */
  | 'start-failed'
  /** Another deploy wrote desired_version after this one: the pipeline deploys its version, not this one's. */
  | 'concurrent-deploy'
  | 'network'
  | 'cancelled'
  | 'aws'
  | 'unknown';

/** `details.maintenance`: after a deploy in maintenance mode went wrong, whether maintenance stays on. */
export interface MaintenanceErrorNote {
  readonly environment: string;
  readonly on: boolean;
}

/**
 * The extension loads the AWS adapters from a separate bundle (dist/aws.js) that carries its own copy of this
 * class, so a plain prototype check would not recognise the adapters' errors. A registry-wide symbol brands
 * every instance, and `instanceof` checks the brand: one class identity across bundles.
 */
const BRAND = Symbol.for('spryker-cloud-deploy/DeployError');

export class DeployError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }
  readonly [BRAND] = true;
  override readonly name = 'DeployError';
  constructor(
    readonly kind: DeployErrorKind,
    message: string,
    readonly details: {
      /** The AWS error code (`ParameterNotFound`, `ExpiredTokenException`...). */
      readonly awsCode?: string;
      /** The AWS operation that failed. */
      readonly operation?: string;
      /** The profile the credentials came from, for "sign in" hints. */
      readonly profile?: string;
      /** For start-failed: whether desired_version was put back, and to what. */
      readonly restored?: { readonly ok: boolean; readonly parameter: string; readonly value?: string; readonly error?: string };
      /** concurrent-deploy: which version really goes out, and who wrote it (from the parameter's history). */
      readonly concurrent?: { readonly environment: string; readonly parameter: string; readonly ours: string; readonly theirs: string; readonly executionId: string; readonly by?: string };
      /** A deploy in maintenance mode went wrong: whether maintenance stays on (maintenanceDeploy.ts). */
      readonly maintenance?: MaintenanceErrorNote;
      /** The failed work only read AWS: running it again changes nothing, so a network failure offers Retry. */
      readonly readOnly?: boolean;
      readonly cause?: unknown;
    } = {},
  ) {
    super(message);
  }
}

/**
 * A message as a sentence of a longer one: trimmed, ending in `.`, `!` or `?` (AWS's own words sometimes end one,
 * sometimes not), so that "… failed: <message> Nothing was written." never reads ".." or runs on.
 */
export function asSentence(message: string): string {
  return message.trim().replace(/([^.!?])$/, '$1.');
}

export function isDeployError(e: unknown, kind?: DeployErrorKind): e is DeployError {
  return e instanceof DeployError && (kind === undefined || e.kind === kind);
}

/** Wraps anything thrown into a DeployError, keeping DeployErrors as they are. */
export function toDeployError(e: unknown): DeployError {
  if (e instanceof DeployError) return e;
  if (e instanceof Error && e.name === 'AbortError') return new DeployError('cancelled', 'Cancelled.', { cause: e });
  const message = e instanceof Error ? e.message : String(e);
  return new DeployError('unknown', message, { cause: e });
}
