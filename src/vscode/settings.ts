// Reading the extension's settings. Environments are resolved and validated by the core.

import * as vscode from 'vscode';
import { toDeployError } from '../core/errors';
import { repositorySource } from './repositorySettings';
import { guardRepositoryEnvironment, resolveEnvironments, type EnvironmentSettings } from '../core/environments';
import { resolveRiskRules, type RiskRules, type RiskSettings } from '../core/risk';
import type { ProductionConfirmation } from './confirmer';
import { intervalMs, POLLING_SETTINGS } from './store/pollPolicy';
import type { LoadedEnvironments } from './store/environmentStore';

export const SECTION = 'sprykerDeploy';

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

export function loadEnvironments(): LoadedEnvironments {
  const c = config();
  try {
    const environments = resolveEnvironments(c.get<EnvironmentSettings[]>('environments', []), {
      profile: c.get<string>('defaultProfile', '') || undefined,
      region: c.get<string>('defaultRegion', '') || undefined,
    });
    const source = repositorySource(c.inspect<EnvironmentSettings[]>('environments'));
    return { environments: source ? environments.map((e) => guardRepositoryEnvironment(e, source)) : environments };
  } catch (e) {
    return { environments: [], error: toDeployError(e) };
  }
}

/**
 * A setting from the user's own settings or its default, never from a workspace. For the settings that guard
 * production and AWS (confirm.*, polling.*): a cloned repository's .vscode/settings.json must not weaken them, even
 * in a trusted workspace. The manifest declares them `application`-scoped, so VS Code already ignores workspace
 * values; reading only the user's value keeps that true wherever the scope is not applied.
 */
function userSetting<T>(key: string): T | undefined {
  const inspected = config().inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

export function pollingIntervals(): { activeMs: number; idleMs: number } {
  const { activeSeconds: active, idleSeconds: idle } = POLLING_SETTINGS;
  return {
    activeMs: intervalMs(userSetting('polling.activeSeconds'), active.default, active.minimum, active.maximum),
    idleMs: intervalMs(userSetting('polling.idleSeconds'), idle.default, idle.minimum, idle.maximum),
  };
}

export function confirmationSettings(): { production: ProductionConfirmation; nonProduction: boolean } {
  return { production: userSetting<string>('confirm.production') === 'modal' ? 'modal' : 'typeName', nonProduction: userSetting<boolean>('confirm.nonProduction') ?? true };
}

export function statusBarSetting(): string {
  return config().get<string>('statusBar.environment', '');
}

export function notificationSettings(): { approval: boolean } {
  return { approval: config().get<boolean>('notifications.approval', true) };
}

/** Where a settings change goes: the workspace when one is open, else the user settings. */
export function defaultTarget(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

/** The risk rules (src/core/risk.ts) with the project's additions; malformed additions are reported in `problems`. */
export function riskRules(): { rules: RiskRules; problems: string[] } {
  const raw = config().get<unknown>('risk');
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) return { ...resolveRiskRules(undefined), problems: ['sprykerDeploy.risk must be an object.'] };
  return resolveRiskRules(raw as RiskSettings | undefined);
}
