// One line per DeployProgress event, for the progress notification and the log. Pure.

import type { DeployProgress } from '../../core/model';
import { shortVersion } from '../../core/version';

export function describeProgress(p: DeployProgress): string {
  switch (p.kind) {
    case 'checking':
      return p.message;
    case 'parameter-written':
      return `${p.parameter}: ${shortVersion(p.previous, 7)} → ${shortVersion(p.version, 7)}`;
    case 'started':
      return `pipeline started (${p.executionId})`;
    case 'stage':
      return `${p.stage}${p.status ? `: ${p.status}` : ''}`;
    case 'awaiting-approval':
      return `waiting for approval in ${p.approval.stageName}`;
    case 'finished':
      return `finished: ${p.status}${p.summary ? ` (${p.summary})` : ''}`;
  }
}

/** Said when the user cancels the progress notification: what goes on, and where to keep watching it. */
export function followStoppedMessage(envName: string, executionId: string, version: string | undefined): string {
  const what = version ? `the deployment of ${shortVersion(version, 7)} to ${envName}` : `execution ${executionId} of ${envName}`;
  return `Stopped following ${what}. It was not cancelled: the pipeline keeps running in AWS. Watch it in the Spryker Deploy Environments view or the approval panel.`;
}
