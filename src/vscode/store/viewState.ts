// Which welcome view the Environments view shows. Pure: an empty tree plus a context key is the only way
// these states are shown (no fake nodes).

import type { DeployError } from '../../core/errors';

export type ViewState = 'noEnvironments' | 'configError' | 'signedOut' | 'error' | 'loading' | 'ready';

export function isCredentialsProblem(e: DeployError | undefined): boolean {
  return e !== undefined && (e.kind === 'not-signed-in' || e.kind === 'credentials-expired');
}

export function computeViewState(input: {
  readonly configError?: DeployError;
  readonly environments: readonly string[];
  readonly hasStatus: (env: string) => boolean;
  readonly error: (env: string) => DeployError | undefined;
}): ViewState {
  if (input.configError) return 'configError';
  if (input.environments.length === 0) return 'noEnvironments';
  const envs = input.environments;
  if (envs.some((e) => input.hasStatus(e))) return 'ready';
  const errors = envs.map((e) => input.error(e));
  if (errors.every((e) => e !== undefined)) return errors.every(isCredentialsProblem) ? 'signedOut' : errors.some(isCredentialsProblem) ? 'ready' : 'error';
  return errors.some((e) => e !== undefined) ? 'ready' : 'loading';
}
