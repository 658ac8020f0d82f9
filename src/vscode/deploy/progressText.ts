// One line per DeployProgress event, for the progress notification and the log. Pure.

import type { DeployProgress } from '../../core/model';
import { shortVersion } from '../../core/version';

export function describeProgress(p: DeployProgress): string {
  switch (p.kind) {
    case 'checking':
      return p.message;
    case 'writing':
      return `writing ${p.parameter} = ${shortVersion(p.version)}`;
    case 'parameter-written':
      return `${p.parameter}: ${shortVersion(p.previous)} → ${shortVersion(p.version)}`;
    case 'started':
      return `pipeline started (${p.executionId})`;
    case 'stage':
      return `${p.stage}${p.status ? `: ${p.status}` : ''}`;
    case 'awaiting-approval':
      return `waiting for approval in ${p.approval.stageName}`;
    case 'read-failed':
      return `reading ${p.executionId} failed (${p.message}); retry ${p.attempt} of ${p.maxAttempts} in ${Math.round(p.retryInMs / 1000)} s`;
    case 'finished':
      return `finished: ${p.status}${p.summary ? ` (${p.summary})` : ''}`;
  }
}
