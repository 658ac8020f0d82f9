// What the status bar item shows for the environment it follows. Pure.

import type { DeployError } from '../../core/errors';
import { oldestStale } from '../../core/lastKnown';
import type { EnvironmentConfig, EnvironmentStatus } from '../../core/model';
import { describeOutcome } from '../../core/outcome';
import { relativeTime, utcTimestamp } from '../../core/time';
import { shortVersion } from '../../core/version';

export interface StatusBarView {
  readonly text: string;
  readonly tooltip: string;
  readonly background?: 'warning' | 'error';
}

export function statusBarView(input: {
  readonly env: EnvironmentConfig;
  readonly status?: EnvironmentStatus;
  readonly error?: DeployError;
  readonly subject?: (sha: string | undefined) => string | undefined;
  readonly now?: Date;
}): StatusBarView {
  const { env, status, error } = input;
  const subject = (sha: string | undefined) => input.subject?.(sha);
  const name = env.name;
  if (!status) {
    if (error) return { text: `$(warning) ${name}`, tooltip: `${name}: ${error.message}\n\nClick for actions.`, background: 'warning' };
    return { text: `$(cloud) ${name}`, tooltip: `${name}: not loaded yet. Click to refresh or see actions.` };
  }
  const deployed = status.lastDeployedVersion;
  const p = status.pipeline;
  const lines = [`${name}${env.production ? ' (production)' : ''}`, `Deployed: ${deployed ?? '—'}${subject(deployed) ? ` — ${subject(deployed)}` : ''}`];
  if (status.desiredVersion && status.desiredVersion !== deployed) lines.push(`Desired: ${status.desiredVersion}${subject(status.desiredVersion) ? ` — ${subject(status.desiredVersion)}` : ''}`);
  if (error) lines.push(`Last refresh failed: ${error.message}`);
  // What is shown was read earlier (an outage): say when, and why it is not newer.
  const stale = oldestStale(status);
  const staleSince = error ? (stale?.asOf ?? status.fetchedAt) : stale?.asOf;
  if (stale?.error) lines.push(`Could not reach AWS: ${stale.error.message}`);
  else if (stale && !error) lines.push('Kept from an earlier window: not read again yet (it is read when the Spryker Deploy view shows, or click Refresh).');
  if (staleSince) lines.push(`Last read ${utcTimestamp(staleSince)} (${relativeTime(staleSince, input.now ?? new Date())}).`);
  lines.push('', 'Click for actions.');
  const tooltip = lines.join('\n');
  const staleMark = staleSince ? ' (stale)' : '';
  // Something failed (not merely "not read again yet"): the stale mark gets the warning colour.
  const failed = error !== undefined || stale?.error !== undefined;
  if (p?.pendingApproval) {
    return { text: `$(bell-dot) ${name}: approve ${shortVersion(p.pendingApproval.version ?? status.desiredVersion)}${staleMark}`, tooltip, background: 'warning' };
  }
  if (p?.status === 'InProgress' || p?.status === 'Stopping') {
    return { text: `$(sync~spin) ${name}: deploying ${shortVersion(status.desiredVersion)}${staleMark}`, tooltip: `${tooltip.replace('Click', `Stage: ${p.currentStage ?? '…'}\n\nClick`)}` };
  }
  // A rejection is a decision and an expiry a lapse: neutral, and the deployed version is what runs.
  if (p?.outcome?.kind === 'rejected' || p?.outcome?.kind === 'expired') {
    return { text: `$(circle-slash) ${name} ${shortVersion(deployed)}${staleMark}`, tooltip: `${describeOutcome(p.outcome)}.\n${tooltip}`, ...(failed ? { background: 'warning' as const } : {}) };
  }
  if (p?.status === 'Failed') {
    return { text: `$(error) ${name} ${shortVersion(deployed)}${staleMark}`, tooltip: `${p.outcome ? describeOutcome(p.outcome) : 'Last deployment failed'}.\n${tooltip}`, background: 'error' };
  }
  if (staleSince) return { text: `$(history) ${name} ${shortVersion(deployed)}${staleMark}`, tooltip, ...(failed ? { background: 'warning' as const } : {}) };
  return { text: `$(cloud) ${name} ${shortVersion(deployed)}`, tooltip };
}

/** The environment the status bar follows: the setting, else the first production one, else the first. */
export function statusBarEnvironment(envs: readonly EnvironmentConfig[], setting: string): EnvironmentConfig | undefined {
  return envs.find((e) => e.name === setting) ?? envs.find((e) => e.production) ?? envs[0];
}
