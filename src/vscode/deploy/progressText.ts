// One line per DeployProgress event, for the progress notification and the log. Pure.

import type { DeployProgress } from '../../core/model';
import { shortVersion } from '../../core/version';

export function describeProgress(p: DeployProgress): string {
  switch (p.kind) {
    case 'checking':
      return p.message;
    case 'parameter-written':
      return `${p.parameter}: ${shortVersion(p.previous)} → ${shortVersion(p.version)}`;
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
