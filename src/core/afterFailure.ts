// What a deploy that failed part-way left behind, said plainly. When Deploy_Spryker_services fails (ECS's deployment
// circuit breaker rolled one service back while the others moved on), the environment runs two versions, and
// neither parameter says so: desired_version still holds the failed version (the deploy wrote it before starting),
// last_deployed_version the old one (the pipeline writes it only at its end). The services on the failed version
// are not drift: the failed deploy put them there (status.ts marks them `failed-deploy`).
//
// One model for the tree (the environment's description and its "Runs now" row), the failure notification and
// `spryker-deploy status`. Pure.

import type { EnvironmentStatus, ServiceDeployment, ServiceStatus } from './model';
import { shortVersion } from './version';

export interface VersionGroup {
  readonly version: string;
  /** The services whose running tasks run only this version, sorted. */
  readonly services: readonly string[];
}

export interface FailedDeployLeftovers {
  /** How the execution ended ('failed' or 'stopped'), and where. */
  readonly ended: 'failed' | 'stopped';
  readonly stage?: string;
  /** desired_version: the version the failed deploy was deploying. */
  readonly failedVersion?: string;
  /** last_deployed_version: the last version a deploy finished with, the last good one. */
  readonly deployedVersion?: string;
  /** What runs now, one group per version, the failed version first. */
  readonly runs: readonly VersionGroup[];
  /** Services running more than one version (tasks of both rollouts side by side). */
  readonly mixed: readonly string[];
  /** The services ECS's circuit breaker rolled back (their failed rollout is still listed). */
  readonly rolledBack: readonly string[];
}

/**
 * The leftovers of the latest execution when it failed or was stopped and the services do not all run the deployed
 * version (or ECS rolled one back); undefined when nothing is left to explain (e.g. Run_install failed before any
 * service moved: the deployed version still runs everywhere).
 */
export function failedDeployLeftovers(status: EnvironmentStatus): FailedDeployLeftovers | undefined {
  const p = status.pipeline;
  const outcome = p?.outcome;
  if (!p || (p.status !== 'Failed' && p.status !== 'Stopped') || (outcome?.kind !== 'failed' && outcome?.kind !== 'stopped')) return undefined;
  if (status.services.length === 0) return undefined;
  const deployed = status.lastDeployedVersion;
  const failed = status.desiredVersion !== undefined && status.desiredVersion !== deployed ? status.desiredVersion : undefined;
  const byVersion = new Map<string, string[]>();
  const mixed: string[] = [];
  for (const s of status.services) {
    if (s.runningVersions.length === 1) byVersion.set(s.runningVersions[0], [...(byVersion.get(s.runningVersions[0]) ?? []), s.name]);
    else if (s.runningVersions.length > 1) mixed.push(s.name);
  }
  const rolledBack = status.services.filter((s) => s.failedDeployment).map((s) => s.name).sort();
  const everywhereDeployed = mixed.length === 0 && [...byVersion.keys()].every((v) => v === deployed);
  if (everywhereDeployed && rolledBack.length === 0) return undefined;
  const rank = (v: string) => (v === failed ? 0 : v === deployed ? 1 : 2);
  const runs = [...byVersion.entries()]
    .map(([version, services]) => ({ version, services: [...services].sort() }))
    .sort((a, b) => rank(a.version) - rank(b.version) || b.services.length - a.services.length || a.version.localeCompare(b.version));
  return {
    ended: outcome.kind,
    ...(outcome.stage ? { stage: outcome.stage } : {}),
    ...(failed !== undefined ? { failedVersion: failed } : {}),
    ...(deployed !== undefined ? { deployedVersion: deployed } : {}),
    runs,
    mixed: mixed.sort(),
    rolledBack,
  };
}

export interface LeftoversText {
  /** A few words for a tree row's description: "services: 6 on e4f5a6b, 1 rolled back to a1b2c3d". */
  readonly short: string;
  /** What runs now, by version, with what each version is. */
  readonly runsNow: string;
  /** How the parameters disagree with what runs. */
  readonly parameters: string;
  /** What to do about it. */
  readonly advice: string;
}

function list(names: readonly string[], prefix: string | undefined, max = 4): string {
  const shown = names.map((n) => (prefix && n.startsWith(`${prefix}-`) ? n.slice(prefix.length + 1) : n));
  return shown.length <= max ? shown.join(', ') : `${shown.slice(0, max).join(', ')} and ${shown.length - max} more`;
}

/** `envName` shortens service names that carry it as a prefix. */
export function describeLeftovers(
  left: FailedDeployLeftovers,
  names: { readonly envName?: string; readonly desiredParameter: string; readonly deployedParameter: string },
): LeftoversText {
  const what = (v: string) =>
    v === left.failedVersion ? `${shortVersion(v)} (the version of the ${left.ended} deploy)` : v === left.deployedVersion ? `${shortVersion(v)} (the last good version)` : `${shortVersion(v)} (neither the deployed nor the desired version)`;
  const n = (k: number) => `${k} service${k === 1 ? '' : 's'}`;
  const groups = left.runs.map((g) => {
    const back = g.services.filter((s) => left.rolledBack.includes(s));
    const rolled = back.length > 0 ? ` (ECS rolled ${back.length === g.services.length ? (back.length === 1 ? 'it' : 'them') : list(back, names.envName)} back)` : '';
    return `${what(g.version)} on ${n(g.services.length)}: ${list(g.services, names.envName)}${rolled}`;
  });
  if (left.mixed.length > 0) groups.push(`several versions side by side on ${list(left.mixed, names.envName)}`);
  const runsNow = `Runs now: ${groups.join('; ') || 'no running tasks'}.`;

  const shortParts = left.runs.map((g) => {
    const back = g.services.filter((s) => left.rolledBack.includes(s)).length;
    if (back > 0 && back === g.services.length) return `${back} rolled back to ${shortVersion(g.version)}`;
    return `${g.services.length} on ${shortVersion(g.version)}${back > 0 ? ` (${back} rolled back)` : ''}`;
  });
  if (left.mixed.length > 0) shortParts.push(`${left.mixed.length} on several versions`);
  const short = `services: ${shortParts.join(', ')}`;

  const desired = left.failedVersion ?? left.deployedVersion;
  const desiredRuns = left.runs.find((g) => g.version === desired);
  const deployedRuns = left.runs.find((g) => g.version === left.deployedVersion);
  const everywhere = (g: VersionGroup | undefined) => g !== undefined && left.runs.length === 1 && left.mixed.length === 0;
  const parameters = [
    `${names.desiredParameter} holds ${desired ? shortVersion(desired) : 'nothing'}${left.failedVersion ? ` (the ${left.ended} deploy wrote it)` : ''}${everywhere(desiredRuns) ? '' : desiredRuns ? `, which runs on ${n(desiredRuns.services.length)} only` : ', which runs nowhere'}`,
    `${names.deployedParameter} holds ${left.deployedVersion ? shortVersion(left.deployedVersion) : 'nothing'}${everywhere(deployedRuns) ? '' : deployedRuns ? `, which runs on ${n(deployedRuns.services.length)} only` : ', which runs nowhere'}`,
  ].join('; ');

  const where = left.stage ? ` ${left.stage}` : '';
  const advice = left.deployedVersion
    ? `Roll Back to ${shortVersion(left.deployedVersion)} (the last good version) to run it everywhere${left.ended === 'failed' ? `, or Retry${where} to finish ${left.failedVersion ? shortVersion(left.failedVersion) : 'the deploy'} once its cause is fixed` : ''}.`
    : `Deploy a version that works${left.ended === 'failed' ? `, or Retry${where} once the cause is fixed` : ''}.`;
  return { short, runsNow, parameters: `${parameters}.`, advice };
}

/**
 * The rollout of a service that is failing or failed: the one ECS's circuit breaker rolled back, or the primary
 * deployment still in progress while its tasks keep stopping (rolling back or about to). undefined for a healthy
 * service: its stopped tasks are not worth a round trip.
 */
export function troubledRollout(service: ServiceStatus): ServiceDeployment | undefined {
  return service.failedDeployment ?? service.deployments.find((d) => d.status === 'PRIMARY' && d.rolloutState === 'IN_PROGRESS' && (d.failedTasks ?? 0) > 0);
}
