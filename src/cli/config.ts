// Where the CLI finds its environments: --config <file>, else ./.spryker-deploy.json, else the workspace's
// .vscode/settings.json (`sprykerDeploy.environments`, `defaultProfile`, `defaultRegion`: the extension's own
// settings), else just --env.
//
// The two files found in the current directory belong to whatever repository is checked out there: untrusted
// input, as an untrusted workspace is for the extension. A cloned repository must not be able to send the user's
// credentials to its own endpoint, or to turn production's confirmation off. So an endpoint from such a file is
// refused and `production: false` cannot override a production name, unless the user opts in: --config <file>
// (the user chose the file) or SPRYKER_DEPLOY_TRUST_CONFIG=1. A pipeline named DESTRUCTIVE is refused from any
// source (core/environments.ts).

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, printParseErrorCode, visit, type ParseError } from 'jsonc-parser';
import { DeployError } from '../core/errors';
import { actsOnProduction, resolveEnvironment, resolveEnvironments, type EnvironmentDefaults, type EnvironmentSettings } from '../core/environments';
import type { EnvironmentConfig } from '../core/model';
import type { RiskSettings } from '../core/risk';

/** The user-level opt-in that lets a repository's file choose endpoints and lower the production flag. */
export const TRUST_CONFIG_VARIABLE = 'SPRYKER_DEPLOY_TRUST_CONFIG';

export interface LoadedConfig {
  readonly source?: string;
  /** False for a file found in the current directory without the user's opt-in. */
  readonly trusted: boolean;
  readonly environments: readonly EnvironmentSettings[];
  readonly defaults: EnvironmentDefaults;
  /** The project's additions to the risk rules (`"risk"` / `"sprykerDeploy.risk"`, see src/core/risk.ts). */
  readonly risk?: RiskSettings;
}

/** JSON with comments and trailing commas, as VS Code writes settings.json (a UTF-8 BOM included). */
export function parseJsonc(text: string): unknown {
  const source = text.replace(/^\uFEFF/, '');
  // The parser assigns properties with obj[key] = value: a "__proto__" key would replace the object's prototype
  // and smuggle values (production: false) past every own-key check. Such keys are no setting anyway.
  let forbidden: { key: string; offset: number } | undefined;
  visit(source, {
    onObjectProperty: (key, offset) => {
      if (!forbidden && (key === '__proto__' || key === 'constructor' || key === 'prototype')) forbidden = { key, offset };
    },
  });
  if (forbidden) throw new Error(`"${forbidden.key}" is not allowed as a key (line ${source.slice(0, forbidden.offset).split('\n').length})`);
  const errors: ParseError[] = [];
  const value: unknown = parse(source, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  if (errors.length > 0) {
    const first = errors[0];
    const line = text.slice(0, first.offset).split('\n').length;
    throw new Error(`${printParseErrorCode(first.error)} at line ${line}`);
  }
  return value;
}

function readJson(path: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseJsonc(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DeployError('invalid-input', `Cannot read config ${path}: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DeployError('invalid-input', `Config ${path} must be a JSON object.`);
  return value as Record<string, unknown>;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * `keys` are the names a file may use for a default: .spryker-deploy.json says `profile`, settings.json says
 * `sprykerDeploy.defaultProfile`, as the extension reads it.
 */
function fromObject(path: string, json: Record<string, unknown>, trusted: boolean, keys: { profile: string[]; region: string[]; endpoint: string[] }): LoadedConfig {
  const list = json.environments ?? json['sprykerDeploy.environments'];
  if (list !== undefined && !Array.isArray(list)) throw new DeployError('invalid-input', `Config ${path}: "environments" must be a list.`);
  const pick = (names: string[]): string | undefined => {
    for (const key of names) {
      const v = json[key];
      if (v === undefined || v === '') continue;
      if (typeof v !== 'string') throw new DeployError('invalid-input', `Config ${path}: "${key}" must be a string.`);
      return v;
    }
    return undefined;
  };
  const [profile, region, endpoint] = [pick(keys.profile), pick(keys.region), pick(keys.endpoint)];
  if (endpoint !== undefined && !isHttpUrl(endpoint)) throw new DeployError('invalid-input', `Config ${path}: "endpoint" must be an http(s) URL (got ${JSON.stringify(endpoint)}).`);
  const defaults: EnvironmentDefaults = { ...(profile ? { profile } : {}), ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}) };
  const risk = json.risk ?? json['sprykerDeploy.risk'];
  if (risk !== undefined && (typeof risk !== 'object' || risk === null || Array.isArray(risk))) throw new DeployError('invalid-input', `Config ${path}: "risk" must be an object.`);
  const environments = (list ?? []) as EnvironmentSettings[];
  // Every entry is checked now, not only the one --env picks: a broken file must not deploy on defaults.
  try {
    resolveEnvironments(environments, defaults);
  } catch (e) {
    throw new DeployError('invalid-input', `Config ${path}: ${(e as Error).message}`);
  }
  return { source: path, trusted, environments, defaults, ...(risk !== undefined ? { risk: risk as RiskSettings } : {}) };
}

export function loadConfig(explicitPath: string | undefined, cwd = process.cwd(), environment: Readonly<Record<string, string | undefined>> = process.env): LoadedConfig {
  const optedIn = environment[TRUST_CONFIG_VARIABLE] === '1';
  if (explicitPath) {
    const path = resolve(cwd, explicitPath);
    if (!existsSync(path)) throw new DeployError('invalid-input', `Config file ${path} does not exist.`);
    return fromObject(path, readJson(path), true, OWN_FILE_KEYS);
  }
  const own = join(cwd, '.spryker-deploy.json');
  if (existsSync(own)) return fromObject(own, readJson(own), optedIn, OWN_FILE_KEYS);
  const settings = join(cwd, '.vscode', 'settings.json');
  if (existsSync(settings)) {
    const json = readJson(settings);
    if (SETTINGS_KEYS.some((key) => json[key] !== undefined)) return fromObject(settings, json, optedIn, SETTINGS_FILE_KEYS);
  }
  return { trusted: true, environments: [], defaults: {} };
}

const OWN_FILE_KEYS = { profile: ['profile'], region: ['region'], endpoint: ['endpoint'] };
/** What the extension reads from settings.json (it has no file-level endpoint). */
const SETTINGS_FILE_KEYS = { profile: ['sprykerDeploy.defaultProfile'], region: ['sprykerDeploy.defaultRegion'], endpoint: [] };
const SETTINGS_KEYS = ['sprykerDeploy.environments', 'sprykerDeploy.defaultProfile', 'sprykerDeploy.defaultRegion', 'sprykerDeploy.risk'];

export interface EnvironmentFlags {
  readonly env?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly endpoint?: string;
}

/** The environments a command acts on; flags win over the file. */
export function selectEnvironments(config: LoadedConfig, flags: EnvironmentFlags): EnvironmentConfig[] {
  const overrides: Partial<EnvironmentSettings> = {
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.endpoint ? { endpoint: flags.endpoint } : {}),
  };
  let resolved: EnvironmentConfig[];
  if (flags.env) {
    const configured = config.environments.find((e) => e.name === flags.env);
    // A name the file does not list is a typo far more often than a wish for Spryker's default names.
    if (!configured && config.environments.length > 0) {
      throw new DeployError(
        'invalid-input',
        `No environment named "${flags.env}" in ${config.source ?? 'the configuration'}: it lists ${config.environments.map((e) => e.name).join(', ')}. Add it there, or pass --config <file>.`,
      );
    }
    resolved = [resolveEnvironment({ ...(configured ?? { name: flags.env }), ...overrides }, config.defaults)];
  } else {
    if (config.environments.length === 0) {
      throw new DeployError('invalid-input', 'No environment: pass --env <name> or write .spryker-deploy.json (see spryker-deploy --help).');
    }
    resolved = resolveEnvironments(
      config.environments.map((e) => ({ ...e, ...overrides })),
      config.defaults,
    );
  }
  return config.trusted ? resolved : resolved.map((env) => guardUntrusted(config, env, flags));
}

/** What a repository's file may not decide on its own: where credentials go, and that production is not production. */
function guardUntrusted(config: LoadedConfig, env: EnvironmentConfig, flags: EnvironmentFlags): EnvironmentConfig {
  if (env.endpoint !== undefined && !flags.endpoint) {
    throw new DeployError(
      'invalid-input',
      `${config.source} sends ${env.name}'s AWS requests, with your credentials, to ${env.endpoint}. A file of the checked-out repository cannot choose the endpoint: ` +
        `pass --endpoint <url> or set AWS_ENDPOINT_URL yourself, or trust the file with --config <file> or ${TRUST_CONFIG_VARIABLE}=1.`,
    );
  }
  return !env.production && actsOnProduction(env) ? { ...env, production: true } : env;
}
