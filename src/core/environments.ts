// Environments from settings: every AWS name defaults to the Spryker Cloud conventions derived from the
// environment name, so `{ "name": "spryker-prod" }` is a complete configuration.

import { DeployError } from './errors';
import type { EnvironmentConfig } from './model';

type DeepPartial<T> = { -readonly [K in keyof T]?: T[K] extends readonly unknown[] | string ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/**
 * One entry of `sprykerDeploy.environments` (or the CLI's config file): the name plus any part of
 * EnvironmentConfig. `parameters.lastDeployedVersion` may also be a single string.
 */
export type EnvironmentSettings = { name: string } & Omit<DeepPartial<EnvironmentConfig>, 'name' | 'parameters'> & {
  parameters?: Omit<DeepPartial<EnvironmentConfig['parameters']>, 'lastDeployedVersion'> & {
    lastDeployedVersion?: string | readonly string[];
  };
};

export interface EnvironmentDefaults {
  readonly profile?: string;
  readonly region?: string;
  readonly endpoint?: string;
}

export const DEFAULT_REGION = 'eu-central-1';
/** The manual approval action's name in Spryker's pipelines (AWS's usual name for it). */
export const DEFAULT_APPROVAL_ACTION = 'Approval';

/** Environment names as Spryker Cloud makes them: also used verbatim in ARNs, parameter paths and log groups. */
/**
 * The rules of the environment settings, as pattern sources: the manifest's configuration schema (package.json)
 * must say the same, and a unit test checks that it does (test/unit/core/settingsSchema.test.ts).
 */
export const ENVIRONMENT_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$';
export const REGION_PATTERN = '^[a-z]{2}(-[a-z]+)+-\\d$';
const ENV_NAME = new RegExp(ENVIRONMENT_NAME_PATTERN);
const REGION = new RegExp(REGION_PATTERN);

/** SSM parameter names: a path of the allowed characters. */
const PARAMETER_NAME = /^\/?[A-Za-z0-9_.\-/]{1,2048}$/;
const AWS_NAME = /^[A-Za-z0-9_.\-/:]{1,255}$/;

/** Whether the environment talks to something other than AWS itself (the sandbox, a proxy). */
export function isCustomEndpoint(env: Pick<EnvironmentConfig, 'endpoint'>): boolean {
  return env.endpoint !== undefined && !/\.amazonaws\.com(\.cn)?(\/|$)/.test(env.endpoint);
}

/** A name is production when one of its `-`/`_`/`.` separated segments is `prod` or `production`. */
export function looksLikeProduction(name: string): boolean {
  return name
    .toLowerCase()
    .split(/[-_.]/)
    .some((s) => s === 'prod' || s === 'production');
}

/**
 * A production name, or a production name among what the environment writes and starts: a repository's settings
 * that point "spryker-staging" at /spryker-prod/desired_version or prod's pipeline deploy production all the same.
 */
export function actsOnProduction(env: EnvironmentConfig): boolean {
  const names = [env.name, env.cluster, env.parameters.desiredVersion, ...Object.values(env.pipelines)];
  return names.some((name) => looksLikeProduction(name.replace(/\//g, '-')));
}

/**
 * Where settings from a repository may send requests signed with the user's credentials: AWS itself (its own host
 * names, over HTTPS), or this machine (the local sandbox). Read from the parsed URL, not a pattern over the string
 * (`https://evil.example/x.amazonaws.com/` is not AWS).
 */
export function endpointAllowedFromRepository(endpoint: string): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  const host = url.hostname.toLowerCase();
  if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') return url.protocol === 'http:' || url.protocol === 'https:';
  return url.protocol === 'https:' && url.username === '' && url.password === '' && /^([a-z0-9-]+\.)+(amazonaws\.com|amazonaws\.com\.cn|api\.aws)$/.test(host);
}

/**
 * What settings from a repository (a cloned folder's .vscode/settings.json, a .code-workspace file) may not decide on
 * their own: where the user's credentials go, and that production is not production. `source` names them in the error.
 */
export function guardRepositoryEnvironment(env: EnvironmentConfig, source: string): EnvironmentConfig {
  if (env.endpoint !== undefined && !endpointAllowedFromRepository(env.endpoint)) {
    throw new DeployError(
      'invalid-settings',
      `${source} sends ${env.name}'s AWS requests, signed with your credentials, to ${env.endpoint}. Settings that come with a repository may only send them to AWS or to this machine (the local sandbox): put this environment in your user settings to use that endpoint.`,
    );
  }
  return !env.production && actsOnProduction(env) ? { ...env, production: true } : env;
}

export function defaultEnvironment(name: string): EnvironmentConfig {
  return {
    name,
    production: looksLikeProduction(name),
    region: DEFAULT_REGION,
    parameters: {
      desiredVersion: `/${name}/desired_version`,
      lastDeployedVersion: [`/${name}/last_deployed_version`, `/${name}/lastdeployedversion`],
      lastBuildVersion: `/${name}/lastbuildversion`,
    },
    pipelines: {
      normal: `NORMAL_Deploy_Spryker_${name}`,
      destructive: `DESTRUCTIVE_Deploy_Spryker_${name}`,
      rolloutScheduler: `Rollout_Scheduler_${name}`,
      maintenanceEnable: `Maintenance_Enable_${name}`,
      maintenanceDisable: `Maintenance_Disable_${name}`,
    },
    cluster: name,
    services: 'all',
    repositories: 'auto',
    stages: {
      comparison: 'Prepare_versions_information_for_Approval_stage',
      approval: 'Please_approve',
      approvalAction: DEFAULT_APPROVAL_ACTION,
      updateDeployedVersion: 'UpdateDeployedVersion',
    },
    logGroups: {
      codebuild: `/aws/codebuild/${name}`,
      codebuildDestructive: `/aws/codebuild/danger/${name}`,
    },
  };
}

function invalid(env: string, key: string, expected: string, got: unknown): DeployError {
  return new DeployError('invalid-settings', `Environment "${env}": setting "${key}" must be ${expected} (got ${JSON.stringify(got)}).`);
}

/** Every key an environment setting may have; an array lists the sub-keys of an object-valued key. */
export const ENVIRONMENT_SETTING_KEYS: Readonly<Record<string, readonly string[] | true>> = {
  name: true,
  production: true,
  profile: true,
  region: true,
  endpoint: true,
  parameters: ['desiredVersion', 'lastDeployedVersion', 'lastBuildVersion'],
  pipelines: ['normal', 'destructive', 'rolloutScheduler', 'maintenanceEnable', 'maintenanceDisable'],
  cluster: true,
  services: true,
  repositories: true,
  stages: ['comparison', 'approval', 'approvalAction', 'updateDeployedVersion'],
  logGroups: ['codebuild', 'codebuildDestructive'],
  promotesTo: true,
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Applies the defaults and validates every key; throws DeployError('invalid-settings') naming the bad key. */
export function resolveEnvironment(settings: EnvironmentSettings, defaults: EnvironmentDefaults = {}): EnvironmentConfig {
  const raw: unknown = settings;
  if (!isRecord(raw)) throw new DeployError('invalid-settings', `An environment setting must be an object (got ${JSON.stringify(raw)}).`);
  const name = raw.name;
  if (typeof name !== 'string' || !ENV_NAME.test(name)) {
    throw new DeployError(
      'invalid-settings',
      `Environment setting "name" must be an environment name like "spryker-prod" (got ${JSON.stringify(name)}).`,
    );
  }
  for (const [key, value] of Object.entries(raw)) {
    // Own keys only: `constructor` or `__proto__` must not pass as known through Object.prototype.
    const known = Object.hasOwn(ENVIRONMENT_SETTING_KEYS, key) ? ENVIRONMENT_SETTING_KEYS[key] : undefined;
    if (!known) throw new DeployError('invalid-settings', `Environment "${name}": unknown setting "${key}".`);
    if (Array.isArray(known) && value !== undefined) {
      if (!isRecord(value)) throw invalid(name, key, 'an object', value);
      for (const sub of Object.keys(value)) {
        if (!known.includes(sub)) throw new DeployError('invalid-settings', `Environment "${name}": unknown setting "${key}.${sub}".`);
      }
    }
  }
  const base = defaultEnvironment(name);
  const str = (key: string, value: unknown, pattern: RegExp, expected: string): string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || !pattern.test(value)) throw invalid(name, key, expected, value);
    return value;
  };
  const s = settings as Record<string, unknown> & EnvironmentSettings;
  const sub = (group: string, key: string): unknown => (s[group] as Record<string, unknown> | undefined)?.[key];

  const production = s.production ?? base.production;
  if (typeof production !== 'boolean') throw invalid(name, 'production', 'true or false', production);
  const profile = str('profile', s.profile, /^[^\s[\]]{1,128}$/, 'an AWS profile name') ?? nonEmpty(defaults.profile);
  const region = str('region', s.region, REGION, 'an AWS region like "eu-central-1"') ?? nonEmpty(defaults.region) ?? base.region;
  const endpoint = str('endpoint', s.endpoint, /^https?:\/\/\S+$/, 'an http(s) URL') ?? nonEmpty(defaults.endpoint);

  const param = (key: 'desiredVersion' | 'lastBuildVersion'): string =>
    str(`parameters.${key}`, sub('parameters', key), PARAMETER_NAME, 'an SSM parameter name like "/spryker-prod/desired_version"') ??
    base.parameters[key];
  const deployedRaw = sub('parameters', 'lastDeployedVersion');
  let lastDeployedVersion: readonly string[] = base.parameters.lastDeployedVersion;
  if (deployedRaw !== undefined) {
    const list = typeof deployedRaw === 'string' ? [deployedRaw] : deployedRaw;
    if (!Array.isArray(list) || list.length === 0 || list.length > 5 || !list.every((p) => typeof p === 'string' && PARAMETER_NAME.test(p))) {
      throw invalid(name, 'parameters.lastDeployedVersion', 'an SSM parameter name or a list of 1 to 5 of them', deployedRaw);
    }
    lastDeployedVersion = list as string[];
  }
  const pipeline = (key: keyof EnvironmentConfig['pipelines']): string =>
    str(`pipelines.${key}`, sub('pipelines', key), /^[A-Za-z0-9.@\-_]{1,100}$/, 'a CodePipeline name') ?? base.pipelines[key];
  // The normal pipeline is what every deploy starts: a configuration must never make that the destructive one.
  const normalPipeline = pipeline('normal');
  if (/destructive/i.test(normalPipeline)) {
    throw invalid(name, 'pipelines.normal', 'the normal deploy pipeline, not a DESTRUCTIVE one', normalPipeline);
  }
  // Switching maintenance mode must never be able to start a deploy, let alone a destructive one.
  const maintenancePipeline = (key: 'maintenanceEnable' | 'maintenanceDisable'): string => {
    const value = pipeline(key);
    if (/destructive|deploy/i.test(value)) throw invalid(name, `pipelines.${key}`, 'a maintenance pipeline, not a deploy pipeline', value);
    return value;
  };
  const stage = (key: keyof EnvironmentConfig['stages']): string =>
    str(`stages.${key}`, sub('stages', key), /^[A-Za-z0-9.@\-_]{1,100}$/, 'a stage or action name') ?? base.stages[key];
  const logGroup = (key: keyof EnvironmentConfig['logGroups']): string =>
    str(`logGroups.${key}`, sub('logGroups', key), /^[.\-_/#A-Za-z0-9]{1,512}$/, 'a CloudWatch log group name') ?? base.logGroups[key];

  const nameList = (key: 'services' | 'repositories', keyword: string): readonly string[] | undefined | 'keyword' => {
    const v = s[key];
    if (v === undefined || v === keyword) return v === keyword ? 'keyword' : undefined;
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string' && AWS_NAME.test(x))) {
      throw invalid(name, key, `"${keyword}" or a non-empty list of names`, v);
    }
    return [...new Set(v as string[])];
  };
  const promotesTo = str('promotesTo', s.promotesTo, ENV_NAME, 'an environment name like "spryker-prod"');
  if (promotesTo === name) throw invalid(name, 'promotesTo', 'another environment', promotesTo);
  const services = nameList('services', 'all');
  const repositories = nameList('repositories', 'auto');

  return {
    name,
    production,
    ...(profile !== undefined ? { profile } : {}),
    region,
    ...(endpoint !== undefined ? { endpoint } : {}),
    parameters: { desiredVersion: param('desiredVersion'), lastDeployedVersion, lastBuildVersion: param('lastBuildVersion') },
    pipelines: {
      normal: normalPipeline,
      destructive: pipeline('destructive'),
      rolloutScheduler: pipeline('rolloutScheduler'),
      maintenanceEnable: maintenancePipeline('maintenanceEnable'),
      maintenanceDisable: maintenancePipeline('maintenanceDisable'),
    },
    cluster: str('cluster', s.cluster, /^[A-Za-z0-9_\-:/]{1,255}$/, 'an ECS cluster name') ?? base.cluster,
    services: services === undefined || services === 'keyword' ? 'all' : services,
    repositories: repositories === undefined || repositories === 'keyword' ? 'auto' : repositories,
    stages: {
      comparison: stage('comparison'),
      approval: stage('approval'),
      approvalAction: stage('approvalAction'),
      updateDeployedVersion: stage('updateDeployedVersion'),
    },
    logGroups: { codebuild: logGroup('codebuild'), codebuildDestructive: logGroup('codebuildDestructive') },
    ...(promotesTo !== undefined ? { promotesTo } : {}),
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}

/** Resolves a list of settings; names must be unique. */
export function resolveEnvironments(list: readonly EnvironmentSettings[], defaults: EnvironmentDefaults = {}): EnvironmentConfig[] {
  if (!Array.isArray(list)) throw new DeployError('invalid-settings', `The environments setting must be a list (got ${JSON.stringify(list)}).`);
  const seen = new Set<string>();
  return list.map((settings) => {
    const env = resolveEnvironment(settings, defaults);
    if (seen.has(env.name)) throw new DeployError('invalid-settings', `Environment "${env.name}" is configured twice.`);
    seen.add(env.name);
    return env;
  });
}
