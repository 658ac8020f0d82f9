// Keeps the context keys (welcome views, menus) and the view's message in step with the store.

import * as vscode from 'vscode';
import { isCustomEndpoint } from '../core/environments';
import type { Milestone } from '../core/milestone';
import { notReadAgainYet } from '../core/snapshot';
import { isCredentialsProblem } from './store/viewState';
import type { EnvironmentStore } from './contracts';

/** Whether the tree has given VS Code rows it can draw with versions (or errors) yet. */
export function syncViewContext(store: EnvironmentStore, view: vscode.TreeView<unknown>, tree: { readonly rowsDrawn: Milestone }, canModify: () => boolean, log: vscode.LogOutputChannel): vscode.Disposable {
  let last = '';
  let lastConfigError: string | undefined;
  const sync = () => {
    const state = store.viewState();
    const envs = store.environments();
    const aws = envs.some((e) => !isCustomEndpoint(e));
    const key = `${state}|${envs.length}|${canModify()}|${aws}`;
    const firstError = envs.map((e) => store.error(e.name)).find((e) => e !== undefined);
    const configError = store.configError();
    // A view message hides the welcome content, so it is only used beside a tree that has nodes. While loading it
    // says so above the rows: VS Code hides the welcome view as soon as it has the roots but draws them only once it
    // also has the expanded environments' children (another round trip to a busy extension host), and without the
    // message the view sat empty meanwhile. So it still says so when the first versions have come until their rows
    // have gone out (the roots wait for the first read: see the tree).
    const loading = state === 'loading' || (state === 'ready' && !tree.rowsDrawn.reached && !envs.some((e) => store.error(e.name)));
    view.message =
      state !== 'ready' && state !== 'loading'
        ? undefined
        : firstError && isCredentialsProblem(firstError)
          ? `Some environments need a sign-in: ${firstError.message}`
          : !canModify()
            ? 'Read-only: this workspace is not trusted.'
            : envs.some((e) => { const s = store.status(e.name); return s !== undefined && notReadAgainYet(s); })
              ? 'Showing the last known state; reading AWS…'
              : loading
                ? 'Loading the environments…'
                : undefined;
    if (state === 'configError' && configError && configError.message !== lastConfigError) log.error(`[settings] ${configError.message}`);
    lastConfigError = configError?.message;
    if (key === last) return;
    last = key;
    void vscode.commands.executeCommand('setContext', 'sprykerDeploy.state', state);
    void vscode.commands.executeCommand('setContext', 'sprykerDeploy.hasEnvironments', envs.length > 0);
    // Open in AWS Console only where an environment is in AWS (not the sandbox or another endpoint).
    void vscode.commands.executeCommand('setContext', 'sprykerDeploy.hasAwsEnvironments', aws);
    void vscode.commands.executeCommand('setContext', 'sprykerDeploy.canModify', canModify());
  };
  sync();
  let disposed = false;
  void tree.rowsDrawn.whenReached.then(() => (disposed ? undefined : sync()));
  const subs = [store.onDidChange(sync), store.onDidChangeEnvironments(sync), vscode.workspace.onDidGrantWorkspaceTrust(sync)];
  return new vscode.Disposable(() => {
    disposed = true;
    subs.forEach((s) => s.dispose());
  });
}
