// What the user is told for each DeployError kind, and the one action offered with it. Pure.

import type { DeployError } from '../../core/errors';
import { shortVersion } from '../../core/version';

export type ErrorAction = 'signIn' | 'retry' | 'showLog' | 'restore' | 'openSettings' | 'disableMaintenance';

export interface ErrorReport {
  readonly message: string;
  readonly action?: { readonly id: ErrorAction; readonly label: string };
  /** Only worth a line in the log (the user cancelled). */
  readonly silent: boolean;
}

const SIGN_IN = { id: 'signIn', label: 'Sign In' } as const;
const RETRY = { id: 'retry', label: 'Retry' } as const;
const SHOW_LOG = { id: 'showLog', label: 'Show Log' } as const;

export function describeError(e: DeployError, context: string): ErrorReport {
  const report = describeKind(e, context);
  // A deploy in maintenance mode that went wrong and left it on: turning it off is the one useful action.
  if (e.details.maintenance?.on && !report.silent) return { ...report, action: { id: 'disableMaintenance', label: 'Disable Maintenance' } };
  return report;
}

function describeKind(e: DeployError, context: string): ErrorReport {
  const profile = e.details.profile ? ` (profile "${e.details.profile}")` : '';
  switch (e.kind) {
    case 'cancelled':
      return { message: `${context}: cancelled.`, silent: true };
    case 'not-signed-in':
      return { message: `${context}: not signed in to AWS${profile}. ${e.message}`, action: SIGN_IN, silent: false };
    case 'credentials-expired':
      return { message: `${context}: the AWS credentials${profile} have expired. Sign in again.`, action: SIGN_IN, silent: false };
    case 'throttled':
      return { message: `${context}: AWS is throttling requests. ${e.message}`, action: RETRY, silent: false };
    case 'invalid-input':
      return { message: `${context}: ${e.message}`, silent: false };
    case 'invalid-settings':
      return { message: `${context}: ${e.message}`, action: { id: 'openSettings', label: 'Open Settings' }, silent: false };
    case 'start-failed': {
      const r = e.details.restored;
      if (r?.ok) {
        return { message: `${context}: ${e.message} ${r.parameter} was restored${r.value !== undefined ? ` to ${r.value}` : ''}; nothing will be deployed.`, action: SHOW_LOG, silent: false };
      }
      return {
        message: `${context}: ${e.message} ${r ? `${r.parameter} could NOT be restored${r.error ? ` (${r.error})` : ''}: the next pipeline run would deploy the new version.` : ''}`.trim(),
        ...(r && r.value !== undefined ? { action: { id: 'restore', label: `Restore ${r.parameter}` } as const } : { action: SHOW_LOG }),
        silent: false,
      };
    }
    case 'concurrent-deploy': {
      const c = e.details.concurrent;
      if (!c) return { message: `${context}: ${e.message}`, action: SHOW_LOG, silent: false };
      const maintenance = e.details.maintenance?.on ? ` Maintenance mode of ${c.environment} stays ON until you disable it.` : '';
      return {
        message:
          `${context}: another deploy got in first. ${c.environment} will get ${shortVersion(c.theirs)}, not ${shortVersion(c.ours)}: ` +
          `${c.by ?? 'someone else'} wrote ${c.parameter} after this deploy did, and execution ${c.executionId} deploys what it holds. ` +
          `Nothing was undone (that would undo theirs); deploy ${shortVersion(c.ours)} again once theirs is done.${maintenance}`,
        action: SHOW_LOG,
        silent: false,
      };
    }
    case 'network':
      return { message: `${context}: ${e.message}`, action: e.details.readOnly ? RETRY : SHOW_LOG, silent: false };
    default:
      return { message: `${context}: ${e.message}`, action: SHOW_LOG, silent: false };
  }
}
