// Seams between the parts of the VS Code layer, so the composition root (src/extension.ts) can wire them
// without the parts knowing each other.

import type * as vscode from 'vscode';
import type { EnvironmentService } from '../core/api';
import type { GitPort } from '../core/git';
import type { EnvironmentConfig, EnvironmentStatus } from '../core/model';

/** The environments, their services (AWS loaded lazily) and their latest polled status. */
export interface EnvironmentStore {
  environments(): readonly EnvironmentConfig[];
  /** Builds (once) the EnvironmentService of an environment; loads the AWS bundle on first use. */
  service(envName: string): Promise<EnvironmentService>;
  /** The last status polled, if any. */
  status(envName: string): EnvironmentStatus | undefined;
  /** Fires with the environment name whose status (or error) changed. */
  readonly onDidChange: vscode.Event<string>;
  /** Refreshes now (coalesced with a refresh already running) and resolves with the new status. */
  refresh(envName?: string): Promise<void>;
  /**
   * Someone looks at this environment (a panel is open, a deploy is followed): it polls at the fast interval until
   * the watch is disposed, even while the views are hidden and the window unfocused.
   */
  watch(envName: string): vscode.Disposable;
}

/** The one way to confirm something risky; production asks to type the environment name. */
export interface Confirmer {
  confirm(input: { env: EnvironmentConfig; title: string; detail: string; action: string }): Promise<boolean>;
}

/** The git side, with editor actions on top of the pure GitPort. */
export interface GitBridge extends GitPort {
  /** Opens the commit (its changes) in the editor. */
  openCommit(sha: string): Promise<void>;
}

/** Everything the approval panel (src/vscode/approval) needs from the rest of the extension. */
export interface ApprovalPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly store: EnvironmentStore;
  /** undefined when no git repository is open. */
  readonly git: () => GitBridge | undefined;
  readonly confirmer: Confirmer;
  readonly log: vscode.LogOutputChannel;
  /** Whether actions that change AWS are allowed (false in untrusted workspaces). */
  readonly canModify: () => boolean;
}
