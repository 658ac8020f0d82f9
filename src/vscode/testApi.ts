// What activate() returns in test mode (ExtensionMode.Test) only: handles for extension-host tests that the
// real UI answers with modals (which such tests cannot click). Never returned to other extensions otherwise.

import * as vscode from 'vscode';
import type { ApprovalPanels } from './approval/registerApprovalPanel';
import type { SwitchableConfirmer } from './confirmer';
import type { PromoteCommands } from './promote/promoteCommands';
import type { HistoryCommands } from './history/historyCommands';
import type { DeployCommands } from './deploy/deployCommands';
import type { GitBridgeProvider } from './git/gitBridge';
import type { ProductionStatusBar } from './statusBar/productionStatusBar';
import type { PollingEnvironmentStore } from './store/environmentStore';
import type { Confirmer } from './contracts';
import type { MessageAnswerer, Messages } from './messages';
import type { SetupCommands } from './setup/setupCommands';
import type { EnvironmentsTreeProvider } from './tree/environmentsTreeProvider';
import type { CommitsTreeProvider } from './commits/commitsTreeProvider';

/** Stands in for the Cancel button of a deploy's progress notification (tests cannot click notifications). */
export class FollowCancellation implements vscode.Disposable {
  private source = new vscode.CancellationTokenSource();

  get token(): vscode.CancellationToken {
    return this.source.token;
  }

  /** Cancels the follows running now; follows started later get a fresh token. */
  cancel(): void {
    this.source.cancel();
    this.source.dispose();
    this.source = new vscode.CancellationTokenSource();
  }

  dispose(): void {
    this.source.dispose();
  }
}

/** The workspace trust the extension acts on; tests can pretend an untrusted workspace (the harness trusts all). */
export class WorkspaceTrust {
  /** Test mode only, set through the test API; undefined follows VS Code. */
  override: boolean | undefined;

  canModify(): boolean {
    return this.override ?? vscode.workspace.isTrusted;
  }
}

export interface TestApi {
  readonly store: PollingEnvironmentStore;
  /** Answers confirmations instead of the modal; undefined restores the real one. */
  setConfirmer(confirmer: Confirmer | undefined): void;
  /** AWS calls made since activation. */
  awsCalls(): number;
  statusBar: ProductionStatusBar;
  readonly panels: ApprovalPanels;
  readonly deploys: DeployCommands;
  readonly promotions: PromoteCommands;
  readonly history: HistoryCommands;
  readonly git: GitBridgeProvider;
  readonly trees: { readonly environments: EnvironmentsTreeProvider; readonly commits: CommitsTreeProvider };
  /** Stops following the deploys followed now, as the progress notification's Cancel button does. */
  cancelFollowing(): void;
  /** Acts as if the workspace were (un)trusted; undefined follows VS Code again. */
  setWorkspaceTrusted(trusted: boolean | undefined): void;
  /** Answers notifications with buttons instead of the user (it sees message and buttons); undefined shows them again. */
  answerMessages(answerer: MessageAnswerer | undefined): void;
  /** The running sandbox's status bar entry (text and tooltip), undefined when none runs. */
  sandboxIndicator(): { readonly text: string; readonly tooltip: string } | undefined;
  /** Where the last known state is kept between windows (store/lastKnownFile), undefined when nowhere. */
  readonly lastKnownFile: string | undefined;
}

export function createTestApi(parts: {
  store: PollingEnvironmentStore;
  confirmer: SwitchableConfirmer;
  awsCalls: { count: number };
  statusBar: ProductionStatusBar;
  panels: ApprovalPanels;
  deploys: DeployCommands;
  promotions: PromoteCommands;
  history: HistoryCommands;
  git: GitBridgeProvider;
  trees: { environments: EnvironmentsTreeProvider; commits: CommitsTreeProvider };
  followCancellation: FollowCancellation;
  trust: WorkspaceTrust;
  messages: Messages;
  setup: SetupCommands;
  lastKnownFile: string | undefined;
}): TestApi {
  return {
    store: parts.store,
    setConfirmer: (c) => {
      parts.confirmer.override = c;
    },
    awsCalls: () => parts.awsCalls.count,
    statusBar: parts.statusBar,
    panels: parts.panels,
    deploys: parts.deploys,
    promotions: parts.promotions,
    history: parts.history,
    git: parts.git,
    trees: parts.trees,
    cancelFollowing: () => parts.followCancellation.cancel(),
    setWorkspaceTrusted: (trusted) => {
      parts.trust.override = trusted;
    },
    answerMessages: (answerer) => {
      parts.messages.answerer = answerer;
    },
    sandboxIndicator: () => parts.setup.sandboxIndicator(),
    lastKnownFile: parts.lastKnownFile,
  };
}
