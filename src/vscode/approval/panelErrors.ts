// What the panel says when sending a decision (or loading, or fetching) fails. Pure, unit-tested. The wording
// tells the user whether anything was sent, because that is the question after a failed approval.

import { toDeployError } from '../../core/errors';
import type { PanelErrorView } from '../../webview/protocol';

export function decisionError(e: unknown): PanelErrorView {
  const error = toDeployError(e);
  switch (error.kind) {
    case 'stale-approval':
      return {
        kind: 'stale',
        message: 'This approval was replaced or decided elsewhere, so nothing was sent. Refresh to see the approval that waits now.',
        action: 'refresh',
      };
    case 'approval-already-decided':
      return { kind: 'already-decided', message: 'This approval was already decided (by someone else or in the AWS console). Refresh to see the outcome.', action: 'refresh' };
    case 'no-pending-approval':
      return { kind: 'already-decided', message: 'No approval waits any more: the execution moved on or was stopped. Refresh to see where it is.', action: 'refresh' };
    case 'network':
      return { kind: 'network', message: `The connection to AWS was lost, so the decision was not sent. Check the connection and retry. (${error.message})`, action: 'retry' };
    case 'throttled':
      return { kind: 'network', message: 'AWS throttled the request, so the decision was not sent. Retry in a moment.', action: 'retry' };
    case 'credentials-expired':
    case 'not-signed-in':
      return {
        kind: 'signed-out',
        message: `${error.kind === 'credentials-expired' ? 'The AWS session has expired' : 'No AWS credentials were found'}${error.details.profile ? ` for profile ${error.details.profile}` : ''}, so the decision was not sent. Sign in again, then retry.`,
        action: 'retry',
      };
    case 'access-denied':
      return { kind: 'not-allowed', message: `AWS refused the decision: ${error.message}` };
    default:
      return { kind: 'other', message: `The decision could not be sent: ${error.message}`, action: 'retry' };
  }
}

export function loadError(e: unknown): PanelErrorView {
  const error = toDeployError(e);
  if (error.kind === 'credentials-expired' || error.kind === 'not-signed-in') {
    return { kind: 'signed-out', message: `Could not read the approval: ${error.message} Sign in, then refresh.`, action: 'refresh' };
  }
  if (error.kind === 'network') return { kind: 'network', message: `Could not reach AWS: ${error.message}`, action: 'refresh' };
  return { kind: 'load-failed', message: `Could not read the approval: ${error.message}`, action: 'refresh' };
}
