// A past execution in the approval panel's webview, read-only (opened from the History). It owns its
// WebviewPanel; the view model is the pure pastExecution.ts. Nothing here changes AWS: the webview shows no
// decision controls, and a decision message is refused and logged.

import * as vscode from 'vscode';
import { toDeployError, type DeployError } from '../../core/errors';
import type { HistoryEntry } from '../../core/history';
import type { EnvironmentConfig } from '../../core/model';
import { shortVersion } from '../../core/version';
import type { ApprovalViewModel, PanelErrorView } from '../../webview/protocol';
import type { ApprovalPanelDeps } from '../contracts';
import { riskRules } from '../settings';
import { buildPastExecutionViewModel } from './pastExecution';
import { loadGitFacts, type GitFacts } from './viewModel';
import { WebviewHost, type PanelMessage } from './webviewHost';

export class ExecutionPanel extends WebviewHost {
  private git: GitFacts = { repository: false, missing: [] };
  private busy: ApprovalViewModel['busy'];
  private error: PanelErrorView | undefined;
  private model: ApprovalViewModel | undefined;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly config: EnvironmentConfig,
    readonly entry: HistoryEntry,
    private readonly previousVersion: string | undefined,
    private readonly deps: ApprovalPanelDeps,
  ) {
    super(panel, {
      extensionUri: deps.extensionUri,
      env: config.name,
      title: `Execution: ${config.name} ${entry.version ? shortVersion(entry.version) : entry.executionId.slice(0, 8)}`,
      icon: 'history',
      logPrefix: `[execution] ${config.name}`,
      log: deps.log,
    });
  }

  override get state(): ApprovalViewModel | undefined {
    return this.model;
  }

  /** Reads what the local repository knows between the version before and this one, then renders. */
  async load(): Promise<void> {
    this.busy = 'load';
    this.render();
    const git = this.deps.git();
    const loaded = await loadGitFacts(git, { ...(this.previousVersion ? { running: this.previousVersion } : {}), ...(this.entry.version ? { target: this.entry.version } : {}) }, riskRules().rules);
    const reason = git ? undefined : this.deps.noRepositoryReason?.();
    this.git = reason ? { ...loaded, noRepositoryReason: reason } : loaded;
    if (this.git.missing.length > 0 && git && (await git.isShallow().catch(() => false))) this.git = { ...this.git, shallow: true };
    this.busy = undefined;
    this.render();
  }

  protected override async handle(message: PanelMessage): Promise<void> {
    switch (message.type) {
      case 'refresh':
        this.error = undefined;
        return await this.load();
      case 'openCommit': {
        const git = this.deps.git();
        if (!git) return this.showError({ kind: 'git', message: 'No Git repository is open, so the commit cannot be shown.' });
        return await git.openCommit(message.sha);
      }
      case 'fetch': {
        const git = this.deps.git();
        if (!git || this.busy) return;
        this.busy = 'fetch';
        this.render();
        try {
          await (message.full ? git.fetchFullHistory() : git.fetch());
        } catch (e) {
          this.error = { kind: 'fetch-failed', message: `git fetch${message.full ? ' --unshallow' : ''} failed: ${toDeployError(e).message}`, action: 'fetch' };
        }
        this.busy = undefined;
        return await this.load();
      }
      case 'showLog':
        // The past execution's failure section is not shown (its stages are), so the page has no Show Log.
        return;
      case 'approve':
      case 'reject':
        // Read-only: the page has no such controls, so this did not come from a user's click.
        this.log.warn(`${this.logPrefix}: refused a ${message.type} for past execution ${this.entry.executionId}: the panel is read-only`);
        return this.showError({ kind: 'not-allowed', message: 'This is a past execution, shown read-only: nothing can be decided here.' });
    }
  }

  protected override failed(_message: PanelMessage, error: DeployError): void {
    this.showError({ kind: 'other', message: error.message });
  }

  private showError(error: PanelErrorView): void {
    this.error = error;
    this.render();
  }

  private render(): void {
    if (this.disposed) return;
    this.model = buildPastExecutionViewModel({
      config: this.config,
      entry: this.entry,
      ...(this.previousVersion ? { previousVersion: this.previousVersion } : {}),
      git: this.git,
      now: new Date(),
      ...(this.busy ? { busy: this.busy } : {}),
      ...(this.error ? { error: this.error } : {}),
    });
    this.post({ type: 'state', state: this.model });
  }
}
