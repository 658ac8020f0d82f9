// The status bar item: the production version, a spinner while a deploy runs, attention while an approval
// waits. Until the first read of this window answers it shows what the store was seeded with: the last known state
// saved by an earlier window (core/snapshot), marked stale, without an AWS call.

import * as vscode from 'vscode';
import type { CommitInfo } from '../../core/git';
import type { GitBridge, EnvironmentStore } from '../contracts';
import { statusBarEnvironment, statusBarView, type StatusBarView } from './statusBarModel';

export class ProductionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('sprykerDeploy.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly subjects = new Map<string, CommitInfo | null>();
  /** What the item shows now (tests read it: status bar items cannot be read through the API). */
  lastView: StatusBarView | undefined;

  constructor(
    private readonly store: EnvironmentStore,
    private readonly git: () => GitBridge | undefined,
    private readonly setting: () => string,
  ) {
    this.item.name = 'Spryker Deploy';
    this.item.command = 'sprykerDeploy.statusBar.showActions';
    this.subscriptions.push(
      store.onDidChange((env) => {
        if (env === this.environment()?.name) void this.update();
      }),
      store.onDidChangeEnvironments(() => void this.update()),
    );
    void this.update();
  }

  environment() {
    return statusBarEnvironment(this.store.environments(), this.setting());
  }

  async update(): Promise<void> {
    const env = this.environment();
    if (!env) {
      this.item.hide();
      return;
    }
    const status = this.store.status(env.name);
    const error = this.store.error(env.name);
    const shas = [status?.lastDeployedVersion, status?.desiredVersion, status?.pipeline?.pendingApproval?.version];
    const git = this.git();
    for (const sha of shas) {
      if (sha && git && !this.subjects.has(sha)) this.subjects.set(sha, (await git.commit(sha).catch(() => undefined)) ?? null);
    }
    const subject = (sha: string | undefined) => (sha ? (this.subjects.get(sha)?.subject ?? undefined) : undefined);
    const view = statusBarView({ env, ...(status ? { status } : {}), ...(error ? { error } : {}), subject });
    this.lastView = view;
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.background ? new vscode.ThemeColor(`statusBarItem.${view.background}Background`) : undefined;
    this.item.accessibilityInformation = { label: view.text.replace(/\$\([^)]+\)\s*/g, '') };
    this.item.show();
  }

  /** The quick pick behind a click: only the actions that make sense now. */
  async showActions(canModify: boolean): Promise<void> {
    const env = this.environment();
    if (!env) {
      await vscode.commands.executeCommand('sprykerDeploy.environments.configure');
      return;
    }
    const status = this.store.status(env.name);
    const waiting = status?.pipeline?.pendingApproval !== undefined;
    type Item = vscode.QuickPickItem & { command: string };
    const items: Item[] = [];
    if (waiting) {
      items.push({ label: '$(preview) Open Approval Panel', command: 'sprykerDeploy.approval.openPanel' });
      if (canModify) items.push({ label: '$(check) Approve…', command: 'sprykerDeploy.approval.approve' }, { label: '$(close) Reject…', command: 'sprykerDeploy.approval.reject' });
    }
    if (canModify) {
      items.push({ label: '$(rocket) Deploy HEAD…', command: 'sprykerDeploy.deploy.head' }, { label: '$(git-commit) Deploy Commit…', command: 'sprykerDeploy.deploy.commit' }, { label: '$(history) Roll Back…', command: 'sprykerDeploy.rollback' });
    }
    items.push(
      { label: '$(refresh) Refresh', command: 'sprykerDeploy.refresh' },
      { label: '$(output) Show Pipeline Logs', command: 'sprykerDeploy.pipeline.showLogs' },
      { label: '$(link-external) Open in AWS Console', command: 'sprykerDeploy.console.open' },
      { label: '$(list-tree) Show Environments', command: 'sprykerDeploy.environments.focus' },
    );
    const picked = await vscode.window.showQuickPick(items, { title: `Spryker Deploy: ${env.name}`, placeHolder: 'Action' });
    if (!picked) return;
    const takesEnv = !['sprykerDeploy.refresh', 'sprykerDeploy.environments.focus'].includes(picked.command);
    await vscode.commands.executeCommand(picked.command, ...(takesEnv ? [{ environment: env.name }] : []));
  }

  dispose(): void {
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
