// The one way a command learns which environment it acts on: the environment its typed target names (a tree
// node, a panel, a script), else a quick pick of the configured ones.

import * as vscode from 'vscode';
import { DeployError } from '../../core/errors';
import type { EnvironmentConfig } from '../../core/model';
import { shortVersion } from '../../core/version';
import type { EnvironmentStore } from '../contracts';

/** The environment the caller named (its typed command target), or a quick pick (undefined when dismissed). */
export async function pickEnvironment(
  store: EnvironmentStore,
  named: string | undefined,
  title: string,
  filter?: (env: EnvironmentConfig) => boolean,
): Promise<EnvironmentConfig | undefined> {
  if (named !== undefined) {
    const env = store.environment(named);
    if (!env) throw new DeployError('invalid-settings', `There is no environment "${named}" in the sprykerDeploy.environments setting.`);
    return env;
  }
  const candidates = store.environments().filter((e) => !filter || filter(e));
  if (candidates.length === 0) {
    if (store.environments().length === 0) throw new DeployError('invalid-settings', 'No environment is configured: add one to the sprykerDeploy.environments setting.');
    return undefined;
  }
  // Production is never chosen silently, even when it is the only candidate.
  if (candidates.length === 1 && !candidates[0].production) return candidates[0];
  const items = candidates.map((env) => {
    const s = store.status(env.name);
    return {
      label: `${env.production ? '$(globe)' : '$(cloud)'} ${env.name}`,
      description: `${env.production ? 'production · ' : ''}deployed ${shortVersion(s?.lastDeployedVersion)}`,
      detail: s?.pipeline?.pendingApproval ? 'Waiting for approval' : undefined,
      env,
    };
  });
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Environment', ignoreFocusOut: true });
  return picked?.env;
}
