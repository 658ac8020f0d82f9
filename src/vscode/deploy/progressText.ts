// One line per DeployProgress event (and per step of a deploy in maintenance mode), for the progress notification
// and the log. Pure.

import type { MaintenanceState } from '../../core/maintenance';
import type { MaintenanceDeployStep } from '../../core/maintenanceDeploy';
import type { DeployProgress, EnvironmentConfig } from '../../core/model';
import { utcTimestamp } from '../../core/time';
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

/** The step of a deploy in maintenance mode, for its progress notification: "Step 1 of 3: …". */
export function describeMaintenanceStep(step: MaintenanceDeployStep, env: EnvironmentConfig): string {
  switch (step.kind) {
    case 'enabling':
      return `Step 1 of 3: switching maintenance mode on (${step.pipeline})…`;
    case 'enabled':
      return step.already ? 'Step 1 of 3: maintenance mode was on already.' : 'Step 1 of 3: maintenance mode is on.';
    case 'deploying':
      return `Step 2 of 3: deploying to ${env.name}…`;
    case 'disabling':
      return step.because === 'deployed' ? `Step 3 of 3: deployed; switching maintenance mode off (${step.pipeline})…` : `The deploy did not start: switching maintenance mode back off (${step.pipeline})…`;
    case 'disabled':
      return 'Maintenance mode is off.';
  }
}

/** What the followed deploy does, inside step 2 of a deploy in maintenance mode. */
export function describeMaintenanceFollow(p: DeployProgress): string {
  return `Step 2 of 3: ${describeProgress(p)}${p.kind === 'awaiting-approval' ? '; maintenance mode is on meanwhile' : ''}`;
}

/** The confirmation's line on maintenance mode: the offer (when it is off), or how it stands. */
export function maintenanceConfirmLine(env: EnvironmentConfig, state: MaintenanceState | undefined, offer: string | undefined): string | undefined {
  if (offer) {
    return `“${offer}” switches maintenance mode on (${env.pipelines.maintenanceEnable}) first and off (${env.pipelines.maintenanceDisable}) once the deploy succeeded; if it fails or is rejected, maintenance mode stays on until you disable it.`;
  }
  if (state?.kind === 'on') return `Maintenance mode of ${env.name} is ON${state.since ? ` since ${utcTimestamp(state.since)}` : ''}${state.by ? ` (by ${state.by})` : ''}; this deploy leaves it on.`;
  if (state?.kind === 'switching') return `Maintenance mode of ${env.name} is switching ${state.to} now.`;
  return undefined;
}
