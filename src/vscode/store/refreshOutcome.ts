// What a Refresh the user asked for says when AWS could not be read. The tree and the status bar keep the last
// known state, marked stale with its age and the reason; the command that was run says it too, through the one
// error path (with its one useful action: Retry, Sign In, Open Settings...), instead of finishing silently.

import { asSentence, DeployError } from '../../core/errors';
import type { EnvironmentStatus } from '../../core/model';
import { relativeTime } from '../../core/time';

export interface RefreshedEnvironment {
  readonly name: string;
  readonly status?: EnvironmentStatus;
  /** The environment could not be read at all (no status to keep). */
  readonly error?: DeployError;
}

/** The failure to report after a refresh, or undefined when every environment was read. */
export function refreshFailure(environments: readonly RefreshedEnvironment[], now: Date): DeployError | undefined {
  const failed = environments.flatMap((e): { readonly name: string; readonly error: DeployError; readonly asOf?: Date }[] => {
    if (e.error) return [{ name: e.name, error: e.error }];
    const kept = e.status?.stale?.find((s) => s.error);
    if (!kept?.error) return [];
    const { code, message, awsCode } = kept.error;
    return [{ name: e.name, error: new DeployError(code, message, awsCode ? { awsCode } : {}), asOf: kept.asOf }];
  });
  const first = failed[0];
  if (!first) return undefined;
  const which = failed.length === 1 ? first.name : `${failed.length} environments (${failed.map((f) => f.name).join(', ')})`;
  const shown = first.asOf ? ` ${failed.length === 1 ? 'It shows' : 'Each shows'} what was last read${failed.length === 1 ? ` ${relativeTime(first.asOf, now)}` : ''}, marked stale.` : '';
  return new DeployError(first.error.kind, `Could not read ${which}: ${asSentence(first.error.message)}${shown}`, { ...first.error.details, readOnly: true });
}
