// Seams between the parts of the VS Code layer, so the composition root (src/extension.ts) can wire them
// without the parts knowing each other.

import type * as vscode from 'vscode';
import type { GitPort } from '../core/git';
import type { EnvironmentConfig } from '../core/model';
import type { EnvironmentStore } from './store/contract';

export type { EnvironmentStore } from './store/contract';

export interface ConfirmInput {
  readonly env: EnvironmentConfig;
  readonly title: string;
  readonly detail: string;
  readonly action: string;
  /** Ask even where confirmations are turned off: the answer to what would otherwise be a refusal. */
  readonly always?: boolean;
  /** A safe action (rejecting): one modal is deliberate enough, never the typed production name as well. */
  readonly oneStep?: boolean;
  /**
   * A second way to do it, as its own button beside `action` (never the default): "Deploy in Maintenance Mode".
   * Picking it answers 'alternative'.
   */
  readonly alternative?: string;
}

/**
 * The one way to confirm something risky; production asks to type the environment name. true: `action` was
 * confirmed; 'alternative': the input's `alternative` was; false: neither.
 */
export interface Confirmer {
  confirm(input: ConfirmInput): Promise<boolean | 'alternative'>;
}

/** The git side, with editor actions on top of the pure GitPort. */
export interface GitBridge extends GitPort {
  /** Opens the commit (its changes) in the editor. */
  openCommit(sha: string): Promise<void>;
  /** Opens the changes from one commit to another in the multi-file diff editor; false when no file differs. */
  openChanges(from: string, to: string, title: string): Promise<boolean>;
  /** A shallow clone (`git clone --depth`): older commits are missing and a plain fetch never brings them. */
  isShallow(): Promise<boolean>;
  /** Fetches the rest of the history (`git fetch --unshallow`, through the git extension). */
  fetchFullHistory(): Promise<void>;
}

/** Everything the approval panel (src/vscode/approval) needs from the rest of the extension. */
export interface ApprovalPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly store: EnvironmentStore;
  /** undefined when no git repository is open. */
  readonly git: () => GitBridge | undefined;
  /** Why no repository is open (Restricted Mode, git disabled, no repository), in a sentence. */
  readonly noRepositoryReason?: () => string | undefined;
  readonly confirmer: Confirmer;
  readonly log: vscode.LogOutputChannel;
  /** Whether actions that change AWS are allowed (false in untrusted workspaces). */
  readonly canModify: () => boolean;
}
