// Comparing two environments and promoting what one runs to the other. Pure: works on the statuses the
// EnvironmentService reads; the front ends add the git facts (commits both ways, files, risk).

import type { EnvironmentConfig, EnvironmentStatus, ServiceStatus, Version } from './model';
import { isVersion, shortVersion } from './version';

/** Name segments that mark a pre-production environment, and what replaces them for its production twin. */
const STAGING_SEGMENT = /(^|[-_.])(staging|stage|stg)(?=$|[-_.])/i;

/**
 * The environment `source` promotes to: its `promotesTo` setting, else the configured environment whose name has
 * `prod`/`production` where the source has `staging`/`stage`/`stg`. undefined when there is none.
 */
export function promotionTarget(environments: readonly EnvironmentConfig[], source: string): string | undefined {
  const config = environments.find((e) => e.name === source);
  if (config?.promotesTo) return config.promotesTo;
  if (!STAGING_SEGMENT.test(source)) return undefined;
  const names = new Set(environments.map((e) => e.name));
  for (const replacement of ['prod', 'production']) {
    const candidate = source.replace(STAGING_SEGMENT, (_m, sep: string) => `${sep}${replacement}`);
    if (names.has(candidate)) return candidate;
  }
  return undefined;
}

export interface ServiceComparison {
  /** The service name without the environment prefix (`zed` for `spryker-prod-zed`). */
  readonly role: string;
  /** Versions the source's tasks run; undefined when the source has no such service. */
  readonly source?: readonly string[];
  readonly target?: readonly string[];
  readonly same: boolean;
}

export interface EnvironmentComparison {
  readonly source: string;
  readonly target: string;
  readonly sourceVersion?: Version;
  readonly targetVersion?: Version;
  readonly sameVersion: boolean;
  readonly services: readonly ServiceComparison[];
  /** Parts that could not be read, per environment: the comparison is incomplete there. */
  readonly unknown: readonly string[];
}

function role(env: string, service: string): string {
  return service.startsWith(`${env}-`) ? service.slice(env.length + 1) : service;
}

function versionsOfService(s: ServiceStatus): string[] {
  const tags = new Set<string>(s.runningVersions.filter(isVersion));
  if (tags.size === 0) for (const image of s.images) if (isVersion(image.tag)) tags.add(image.tag);
  return [...tags].sort();
}

/** What each environment runs, service by service (matched by role: `zed`, `yves`, ...). */
export function compareEnvironments(source: EnvironmentStatus, target: EnvironmentStatus): EnvironmentComparison {
  const roles = new Map<string, { source?: string[]; target?: string[] }>();
  for (const s of source.services) roles.set(role(source.name, s.name), { source: versionsOfService(s) });
  for (const s of target.services) roles.set(role(target.name, s.name), { ...roles.get(role(target.name, s.name)), target: versionsOfService(s) });
  const services = [...roles.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([r, v]) => ({ role: r, ...(v.source ? { source: v.source } : {}), ...(v.target ? { target: v.target } : {}), same: v.source !== undefined && v.target !== undefined && v.source.join() === v.target.join() }));
  const unknown = [
    ...source.errors.map((e) => `${source.name} ${e.part}: ${e.message}`),
    ...target.errors.map((e) => `${target.name} ${e.part}: ${e.message}`),
  ];
  return {
    source: source.name,
    target: target.name,
    ...(source.lastDeployedVersion ? { sourceVersion: source.lastDeployedVersion } : {}),
    ...(target.lastDeployedVersion ? { targetVersion: target.lastDeployedVersion } : {}),
    sameVersion: source.lastDeployedVersion !== undefined && source.lastDeployedVersion === target.lastDeployedVersion,
    services,
    unknown,
  };
}

export type PromotionPlan =
  | { readonly ok: true; readonly version: Version; readonly source: string; readonly target: string; readonly targetVersion?: Version; readonly supersedes?: string }
  | { readonly ok: false; readonly source: string; readonly target: string; readonly reasons: readonly string[] };

/**
 * Promote deploys exactly what the source runs: its deployed version, which every running task of it must run.
 * Refused, with every reason at once, when the source is mid-deploy, its last deploy failed, it drifted, or what
 * it runs cannot be read; also when the target already runs it, or is busy (unless superseding).
 */
export function planPromotion(source: EnvironmentStatus, target: EnvironmentStatus, options: { supersede?: boolean } = {}): PromotionPlan {
  const reasons: string[] = [];
  const version = source.lastDeployedVersion;
  const p = source.pipeline;
  if (!isVersion(version)) reasons.push(version === undefined ? `${source.name} has no known deployed version.` : `${source.name}'s deployed version "${version}" is not a commit hash.`);
  if (source.errors.some((e) => e.part === 'parameters' || e.part === 'services')) {
    reasons.push(`What ${source.name} runs could not be read (${source.errors.map((e) => e.message).join('; ')}).`);
  }
  if (p?.status === 'InProgress' || p?.pendingApproval) {
    reasons.push(`${source.name} is mid-deploy (execution ${p.executionId ?? '?'}${p.pendingApproval ? ', waiting for approval' : p.currentStage ? ` in ${p.currentStage}` : ''}): promote once it has finished.`);
  } else if (p?.status === 'Failed' && p.outcome?.kind !== 'rejected' && p.outcome?.kind !== 'expired') {
    // CodePipeline marks a rejected (or expired) approval Failed too; that is a decision, not a failure, and the
    // source still runs what it ran before: the desired_version check below says what is unfinished.
    const where = p.outcome?.kind === 'failed' && p.outcome.stage ? ` at ${p.outcome.stage}` : '';
    reasons.push(`${source.name}'s last deploy failed${where} (execution ${p.executionId ?? '?'}): what it runs is not what was meant to be tested.`);
  }
  if (source.desiredVersion && version && source.desiredVersion !== version && p?.status !== 'InProgress') {
    reasons.push(`${source.name}'s desired_version (${shortVersion(source.desiredVersion)}) is not its deployed version (${shortVersion(version)}): a deploy was set up but not completed.`);
  }
  if (isVersion(version)) {
    const other = source.services.filter((s) => s.drift !== 'in-sync' && s.drift !== 'unknown');
    for (const s of other) {
      const runs = versionsOfService(s).map((v) => shortVersion(v)).join(', ') || 'nothing';
      reasons.push(`${s.name} ${s.drift === 'rolling' ? 'is rolling out' : s.drift === 'mixed' ? 'runs several versions' : s.drift === 'failed-deploy' ? "runs the failed deploy's version" : 'drifted'} (runs ${runs}, deployed ${shortVersion(version)}).`);
    }
    if (source.services.length === 0 && !source.errors.some((e) => e.part === 'services')) reasons.push(`${source.name} has no ECS services to check what runs.`);
  }
  if (target.lastDeployedVersion && target.lastDeployedVersion === version) reasons.push(`${target.name} already runs ${shortVersion(version)}.`);
  const busy = target.pipeline?.status === 'InProgress' || target.pipeline?.pendingApproval ? target.pipeline.executionId : undefined;
  if (busy && !options.supersede) reasons.push(`${target.name} has execution ${busy} running or waiting: supersede it to promote anyway.`);
  if (reasons.length > 0 || !isVersion(version)) return { ok: false, source: source.name, target: target.name, reasons };
  return {
    ok: true,
    version,
    source: source.name,
    target: target.name,
    ...(target.lastDeployedVersion ? { targetVersion: target.lastDeployedVersion } : {}),
    ...(busy ? { supersedes: busy } : {}),
  };
}
