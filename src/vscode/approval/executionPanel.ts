// A past execution in the approval panel's webview, read-only (opened from the History). It owns its
// WebviewPanel; the view model is the pure pastExecution.ts. Nothing here changes AWS: the webview shows no
// decision controls, and a decision message is refused and logged.

import * as vscode from 'vscode';
import { toDeployError } from '../../core/errors';
import type { HistoryEntry } from '../../core/history';
import type { EnvironmentConfig } from '../../core/model';
import { shortVersion } from '../../core/version';
import { describeInvalidMessage, parseWebviewMessage, type ApprovalViewModel, type HostMessage, type PanelErrorView } from '../../webview/protocol';
import type { ApprovalPanelDeps } from '../contracts';
import { riskRules } from '../settings';
import { approvalHtml } from './html';
import { buildPastExecutionViewModel } from './pastExecution';
import { loadGitFacts, type GitFacts } from './viewModel';

export class ExecutionPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private git: GitFacts = { repository: false, missing: [] };
  private busy: ApprovalViewModel['busy'];
  private error: PanelErrorView | undefined;
  private model: ApprovalViewModel | undefined;
  private disposed = false;
  private readonly onDisposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.onDisposeEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly config: EnvironmentConfig,
    readonly entry: HistoryEntry,
    private readonly previousVersion: string | undefined,
    private readonly deps: ApprovalPanelDeps,
  ) {
    const dist = vscode.Uri.joinPath(deps.extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.iconPath = new vscode.ThemeIcon('history');
    panel.title = `Execution: ${config.name} ${entry.version ? shortVersion(entry.version) : entry.executionId.slice(0, 8)}`;
    const asUri = (...segments: string[]) => panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, ...segments)).toString();
    panel.webview.html = approvalHtml(
      { cspSource: panel.webview.cspSource, scriptUri: asUri('webview', 'main.js'), styleUri: asUri('webview', 'main.css'), codiconsUri: asUri('codicons', 'codicon.css') },
      config.name,
    );
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw) => this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
      this.onDisposeEmitter,
    );
  }

  /** The last view model sent (tests read it). */
  get state(): ApprovalViewModel | undefined {
    return this.model;
  }

  reveal(): void {
    this.panel.reveal();
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

  async receive(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.deps.log.warn(`[execution] ${this.config.name}: dropped an invalid message from the webview: ${describeInvalidMessage(raw)}`);
      return;
    }
    try {
      switch (message.type) {
        case 'ready':
          if (this.model) this.post({ type: 'state', state: this.model });
          return;
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
          this.deps.log.warn(`[execution] ${this.config.name}: refused a ${message.type} for past execution ${this.entry.executionId}: the panel is read-only`);
          return this.showError({ kind: 'not-allowed', message: 'This is a past execution, shown read-only: nothing can be decided here.' });
      }
    } catch (e) {
      this.showError({ kind: 'other', message: toDeployError(e).message });
    }
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

  private post(message: HostMessage): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.onDisposeEmitter.fire();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
