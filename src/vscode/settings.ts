// Reading the extension's settings. Environments are resolved and validated by the core.

import * as vscode from 'vscode';
import { toDeployError } from '../core/errors';
import { resolveEnvironments, type EnvironmentSettings } from '../core/environments';
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
    return { environments };
  } catch (e) {
    return { environments: [], error: toDeployError(e) };
  }
}

export function pollingIntervals(): { activeMs: number; idleMs: number } {
  const c = config();
  const { activeSeconds: active, idleSeconds: idle } = POLLING_SETTINGS;
  return {
    activeMs: intervalMs(c.get('polling.activeSeconds'), active.default, active.minimum, active.maximum),
    idleMs: intervalMs(c.get('polling.idleSeconds'), idle.default, idle.minimum, idle.maximum),
  };
}

export function confirmationSettings(): { production: ProductionConfirmation; nonProduction: boolean } {
  const c = config();
  return { production: c.get<string>('confirm.production') === 'modal' ? 'modal' : 'typeName', nonProduction: c.get<boolean>('confirm.nonProduction', true) };
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
