// What activate() returns in test mode (ExtensionMode.Test) only: handles for extension-host tests that the
// real UI answers with modals (which such tests cannot click). Never returned to other extensions otherwise.

import type { ApprovalPanels } from './approval/registerApprovalPanel';
import type { SwitchableConfirmer } from './confirmer';
import type { DeployCommands } from './deploy/deployCommands';
import type { GitBridgeProvider } from './git/gitBridge';
import type { ProductionStatusBar } from './statusBar/productionStatusBar';
import type { PollingEnvironmentStore } from './store/environmentStore';
import type { Confirmer } from './contracts';
import type { EnvironmentsTreeProvider } from './tree/environmentsTreeProvider';
import type { CommitsTreeProvider } from './commits/commitsTreeProvider';

export interface TestApi {
  readonly store: PollingEnvironmentStore;
  /** Answers confirmations instead of the modal; undefined restores the real one. */
  setConfirmer(confirmer: Confirmer | undefined): void;
  /** AWS calls made since activation. */
  awsCalls(): number;
  statusBar: ProductionStatusBar;
  readonly panels: ApprovalPanels;
  readonly deploys: DeployCommands;
  readonly git: GitBridgeProvider;
  readonly trees: { readonly environments: EnvironmentsTreeProvider; readonly commits: CommitsTreeProvider };
}

export function createTestApi(parts: {
  store: PollingEnvironmentStore;
  confirmer: SwitchableConfirmer;
  awsCalls: { count: number };
  statusBar: ProductionStatusBar;
  panels: ApprovalPanels;
  deploys: DeployCommands;
  git: GitBridgeProvider;
  trees: { environments: EnvironmentsTreeProvider; commits: CommitsTreeProvider };
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
    git: parts.git,
    trees: parts.trees,
  };
}
