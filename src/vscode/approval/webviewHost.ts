// What every panel of ours does with its WebviewPanel, whatever it shows: the HTML shell with its CSP and nonce,
// scripts and resources from dist/ only, validating what the webview sends (an invalid message is logged and
// dropped), answering `ready` with the last state, posting to a webview that may be hidden, and one dispose that
// tells the owner and ends everything the panel registered. The approval panel and the past-execution panel
// extend it with what they show and do.

import * as vscode from 'vscode';
import { toDeployError, type DeployError } from '../../core/errors';
import { describeInvalidMessage, parseWebviewMessage, type ApprovalViewModel, type HostMessage, type WebviewMessage } from '../../webview/protocol';
import { approvalHtml } from './html';

/** A message the panel itself acts on: `ready` is answered here. */
export type PanelMessage = Exclude<WebviewMessage, { readonly type: 'ready' }>;

export interface WebviewHostOptions {
  readonly extensionUri: vscode.Uri;
  /** The environment the panel is about (the page's title and loading line). */
  readonly env: string;
  readonly title: string;
  /** A codicon id for the editor tab. */
  readonly icon: string;
  /** Starts every log line of this panel, e.g. `[approval] staging`. */
  readonly logPrefix: string;
  readonly log: vscode.LogOutputChannel;
}

export abstract class WebviewHost implements vscode.Disposable {
  /** Ended with the panel. */
  protected readonly disposables: vscode.Disposable[] = [];
  protected readonly logPrefix: string;
  protected readonly log: vscode.LogOutputChannel;
  private isDisposed = false;
  private readonly onDisposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.onDisposeEmitter.event;

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    options: WebviewHostOptions,
  ) {
    this.logPrefix = options.logPrefix;
    this.log = options.log;
    const dist = vscode.Uri.joinPath(options.extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.iconPath = new vscode.ThemeIcon(options.icon);
    panel.title = options.title;
    const asUri = (...segments: string[]) => panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, ...segments)).toString();
    panel.webview.html = approvalHtml(
      {
        cspSource: panel.webview.cspSource,
        scriptUri: asUri('webview', 'main.js'),
        styleUri: asUri('webview', 'main.css'),
        codiconsUri: asUri('codicons', 'codicon.css'),
      },
      options.env,
    );
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw) => this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
      this.onDisposeEmitter,
    );
  }

  /** The last view model sent to the webview (tests read it). */
  abstract get state(): ApprovalViewModel | undefined;

  /** Acts on a valid message from the webview; what it throws goes to `failed`. */
  protected abstract handle(message: PanelMessage): Promise<void>;

  /** A message's handling threw: tell the user in the panel. */
  protected abstract failed(message: PanelMessage, error: DeployError): void;

  protected get disposed(): boolean {
    return this.isDisposed;
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Entry point for everything the webview sends; also used by tests to act as the webview. */
  async receive(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.log.warn(`${this.logPrefix}: dropped an invalid message from the webview: ${describeInvalidMessage(raw)}`);
      return;
    }
    if (message.type === 'ready') {
      // The webview (re)loaded, e.g. after being hidden: give it the current state at once.
      const state = this.state;
      if (state) this.post({ type: 'state', state });
      return;
    }
    try {
      await this.handle(message);
    } catch (e) {
      this.failed(message, toDeployError(e));
    }
  }

  protected post(message: HostMessage): void {
    if (this.isDisposed) return;
    // A hidden webview drops messages; it asks again with `ready` when it is shown.
    void this.panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.onDisposeEmitter.fire();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
