// Where the CLI finds its environments: --config <file>, else ./.spryker-deploy.json, else the workspace's
// .vscode/settings.json (`sprykerDeploy.environments`, the extension's own setting), else just --env.

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeployError } from '../core/errors';
import { resolveEnvironment, resolveEnvironments, type EnvironmentDefaults, type EnvironmentSettings } from '../core/environments';
import type { EnvironmentConfig } from '../core/model';
import type { RiskSettings } from '../core/risk';

export interface LoadedConfig {
  readonly source?: string;
  readonly environments: readonly EnvironmentSettings[];
  readonly defaults: EnvironmentDefaults;
  /** The project's additions to the risk rules (`"risk"` / `"sprykerDeploy.risk"`, see src/core/risk.ts). */
  readonly risk?: RiskSettings;
}

/** JSON with comments and trailing commas, as VS Code writes settings.json. */
export function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2);
      if (i < 0) break;
      i++;
    } else out += c;
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
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

function fromObject(path: string, json: Record<string, unknown>): LoadedConfig {
  const list = json.environments ?? json['sprykerDeploy.environments'];
  if (list !== undefined && !Array.isArray(list)) throw new DeployError('invalid-input', `Config ${path}: "environments" must be a list.`);
  const pick = (key: string) => {
    const v = json[key] ?? json[`sprykerDeploy.${key}`];
    if (v !== undefined && typeof v !== 'string') throw new DeployError('invalid-input', `Config ${path}: "${key}" must be a string.`);
    return v;
  };
  const [profile, region, endpoint] = [pick('profile'), pick('region'), pick('endpoint')];
  const risk = json.risk ?? json['sprykerDeploy.risk'];
  if (risk !== undefined && (typeof risk !== 'object' || risk === null || Array.isArray(risk))) throw new DeployError('invalid-input', `Config ${path}: "risk" must be an object.`);
  return {
    source: path,
    ...(risk !== undefined ? { risk: risk as RiskSettings } : {}),
    environments: (list ?? []) as EnvironmentSettings[],
    defaults: { ...(profile ? { profile } : {}), ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}) },
  };
}

export function loadConfig(explicitPath: string | undefined, cwd = process.cwd()): LoadedConfig {
  if (explicitPath) {
    const path = resolve(cwd, explicitPath);
    if (!existsSync(path)) throw new DeployError('invalid-input', `Config file ${path} does not exist.`);
    return fromObject(path, readJson(path));
  }
  const own = join(cwd, '.spryker-deploy.json');
  if (existsSync(own)) return fromObject(own, readJson(own));
  const settings = join(cwd, '.vscode', 'settings.json');
  if (existsSync(settings)) {
    const json = readJson(settings);
    if (json['sprykerDeploy.environments'] !== undefined || json['sprykerDeploy.risk'] !== undefined) return fromObject(settings, json);
  }
  return { environments: [], defaults: {} };
}

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
  if (flags.env) {
    const configured = config.environments.find((e) => e && e.name === flags.env);
    return [resolveEnvironment({ ...(configured ?? { name: flags.env }), ...overrides }, config.defaults)];
  }
  if (config.environments.length === 0) {
    throw new DeployError('invalid-input', 'No environment: pass --env <name> or write .spryker-deploy.json (see spryker-deploy --help).');
  }
  return resolveEnvironments(
    config.environments.map((e) => ({ ...e, ...overrides })),
    config.defaults,
  );
}
