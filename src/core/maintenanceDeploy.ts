// A deploy inside maintenance mode: switch it on, deploy, follow to the end, switch it off after success. What
// happens when something goes wrong is decided here once, for the CLI and the extension alike:
// - the deploy never started (refused, or its start failed and nothing runs): maintenance was switched on for
//   nothing, so it is switched back off at once (only if this deploy switched it on) and the user is told;
// - the deploy started but did not succeed (failed, rejected, stopped, superseded, another deploy's version goes
//   out, or following it stopped): maintenance stays on, and the user is told so plainly, with how to turn it off.
// The front ends say how to turn it off in their own words (a command line, a button).

import type { EnvironmentService, MaintenanceSwitch } from './api';
import { DeployError, toDeployError, type MaintenanceErrorNote } from './errors';

export type MaintenanceDeployStep =
  | { readonly kind: 'enabling'; readonly pipeline: string }
  | { readonly kind: 'enabled'; readonly already: boolean; readonly executionId?: string }
  | { readonly kind: 'deploying' }
  | { readonly kind: 'disabling'; readonly pipeline: string; readonly because: 'deployed' | 'not-started' }
  | { readonly kind: 'disabled'; readonly executionId?: string };

/** Where maintenance mode stands once the deploy is over, and why. */
export type MaintenanceAfterDeploy =
  /** Switched off after the deploy succeeded (or after a deploy that never started). */
  | { readonly kind: 'off'; readonly executionId?: string }
  /** Still on: `reason` says why, in a sentence that follows "Maintenance mode of <env> stays ON: ". */
  | { readonly kind: 'left-on'; readonly reason: string };

export interface MaintenanceDeployResult<S, F> {
  readonly started: S;
  /** undefined: following stopped before the end (the deploy goes on). */
  readonly followed?: F;
  readonly maintenance: MaintenanceAfterDeploy;
}

export interface MaintenanceDeploy<S, F> {
  /** Writes desired_version and starts the pipeline (EnvironmentService.deploy). */
  start(): Promise<S>;
  /** Follows the started execution to its end, through its approval; undefined when following stopped. */
  follow(started: S): Promise<F | undefined>;
}

/** The note a DeployError carries after a deploy in maintenance mode went wrong (undefined for any other error). */
export function maintenanceNote(e: unknown): MaintenanceErrorNote | undefined {
  return e instanceof DeployError ? e.details.maintenance : undefined;
}

/**
 * Runs `deploy` inside maintenance mode of `service`'s environment. Maintenance that could not be switched on
 * stops everything before anything is written ('aws'). An error from the deploy is thrown again, its message
 * ending with what became of maintenance mode and `details.maintenance` set.
 */
export async function deployInMaintenance<S, F extends { readonly status: string; readonly summary?: string }>(
  service: Pick<EnvironmentService, 'config' | 'setMaintenance'>,
  deploy: MaintenanceDeploy<S, F>,
  options: { readonly onStep?: (step: MaintenanceDeployStep) => void; readonly pollMs?: number; readonly signal?: AbortSignal } = {},
): Promise<MaintenanceDeployResult<S, F>> {
  const env = service.config.name;
  const { maintenanceEnable, maintenanceDisable } = service.config.pipelines;
  const step = (s: MaintenanceDeployStep) => options.onStep?.(s);
  const wait = { wait: true, ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}), ...(options.signal ? { signal: options.signal } : {}) };

  step({ kind: 'enabling', pipeline: maintenanceEnable });
  const on = await service.setMaintenance('on', wait);
  if (!on.already && on.status !== 'Succeeded') {
    throw new DeployError('aws', `Maintenance mode of ${env} could not be switched on (${maintenanceEnable} ${on.status ?? 'did not end'}${on.summary ? `: ${on.summary}` : ''}); nothing was deployed.`);
  }
  step({ kind: 'enabled', already: on.already, ...(on.executionId ? { executionId: on.executionId } : {}) });

  step({ kind: 'deploying' });
  let started: S;
  try {
    started = await deploy.start();
  } catch (e) {
    const error = toDeployError(e);
    if (startedAnyway(error)) throw withNote(error, env, true, `${stayOnBecause(error)}.`);
    if (on.already) throw withNote(error, env, true, 'it was on before this deploy, so it was left on.');
    // Nothing runs: maintenance was switched on for nothing. Back off, and say so (or say that it stays on).
    step({ kind: 'disabling', pipeline: maintenanceDisable, because: 'not-started' });
    const off = await switchOff(service, wait);
    if (off.ok) {
      step({ kind: 'disabled', ...(off.executionId ? { executionId: off.executionId } : {}) });
      throw withNote(error, env, false, undefined, `The deploy never started, so maintenance mode of ${env} was switched back off (${maintenanceDisable}).`);
    }
    throw withNote(error, env, true, `the deploy never started, but switching it back off failed (${off.reason}).`);
  }

  let followed: F | undefined;
  try {
    followed = await deploy.follow(started);
  } catch (e) {
    throw withNote(toDeployError(e), env, true, 'the deploy started and did not end as followed.');
  }
  if (!followed) return { started, maintenance: { kind: 'left-on', reason: 'following stopped before the deploy ended; it goes on in AWS.' } };
  if (followed.status !== 'Succeeded') return { started, followed, maintenance: { kind: 'left-on', reason: `the deploy ended ${followed.status}${followed.summary ? ` (${followed.summary.replace(/\.$/, '')})` : ''}.` } };

  step({ kind: 'disabling', pipeline: maintenanceDisable, because: 'deployed' });
  const off = await switchOff(service, wait);
  if (!off.ok) return { started, followed, maintenance: { kind: 'left-on', reason: `the deploy succeeded, but switching it off failed (${off.reason}).` } };
  step({ kind: 'disabled', ...(off.executionId ? { executionId: off.executionId } : {}) });
  return { started, followed, maintenance: { kind: 'off', ...(off.executionId ? { executionId: off.executionId } : {}) } };
}

/** An error from the start after which an execution runs, or may run: maintenance must stay on. */
function startedAnyway(error: DeployError): boolean {
  // concurrent-deploy: an execution started (it deploys another deploy's version). A start-failed without
  // `restored`: the start got no answer and whether an execution started could not be read.
  return error.kind === 'concurrent-deploy' || (error.kind === 'start-failed' && error.details.restored === undefined);
}

function stayOnBecause(error: DeployError): string {
  return error.kind === 'concurrent-deploy' ? 'an execution started and deploys the other deploy’s version' : 'whether an execution started is unknown';
}

async function switchOff(service: Pick<EnvironmentService, 'setMaintenance'>, wait: { wait: boolean; pollMs?: number; signal?: AbortSignal }): Promise<{ ok: true; executionId?: string } | { ok: false; reason: string }> {
  let off: MaintenanceSwitch;
  try {
    off = await service.setMaintenance('off', wait);
  } catch (e) {
    return { ok: false, reason: toDeployError(e).message };
  }
  if (off.already || off.status === 'Succeeded') return { ok: true, ...(off.executionId ? { executionId: off.executionId } : {}) };
  return { ok: false, reason: `${off.pipeline} ended ${off.status ?? 'without a result'}${off.summary ? `: ${off.summary}` : ''}` };
}

function withNote(error: DeployError, env: string, on: boolean, stayOnReason?: string, offSentence?: string): DeployError {
  const said = on ? `Maintenance mode of ${env} stays ON: ${stayOnReason ?? ''}` : (offSentence ?? '');
  return new DeployError(error.kind, `${error.message.replace(/\s*$/, '')} ${said}`.trim(), { ...error.details, maintenance: { environment: env, on } });
}
