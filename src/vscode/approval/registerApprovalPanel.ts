// The approval panels of all environments: at most one per environment (opening again reveals it), and a
// serializer so panels come back after a window reload without retainContextWhenHidden (the webview saves {env}
// with setState; the serializer reopens the panel for that environment).

import * as vscode from 'vscode';
import { APPROVAL_VIEW_TYPE, EXECUTION_VIEW_TYPE, parsePersistedState, type ApprovalViewModel } from '../../webview/protocol';
import type { ApprovalPanelDeps } from '../contracts';
import type { HistoryEntry } from '../../core/history';
import { lazyBundle } from '../aws/lazyBundles';
// Types only: the panels' code is the sibling bundle dist/panels.js, loaded when the first panel opens.
import type { ApprovalPanel } from './approvalPanel';
import type * as PanelBundle from './panels';

export interface ApprovalPanelHandle {
  /** The last view model the panel sent to its webview. */
  state(): ApprovalViewModel | undefined;
  /** Delivers a message as if the webview had sent it (validated the same way); resolves when handled. */
  send(message: unknown): Promise<void>;
  /** Rebuilds the view model now (coalesced with a rebuild already running) and resolves when it is sent. */
  settled(): Promise<void>;
  readonly panel: vscode.WebviewPanel;
}

export interface ApprovalPanels extends vscode.Disposable {
  open(envName: string): Promise<void>;
  /** A past execution (from the History) in the panel, read-only; opening the same one again reveals it. */
  openExecution(envName: string, entry: HistoryEntry, previousVersion: string | undefined): Promise<void>;
  /** The open panel of a past execution, for tests. */
  inspectExecution(executionId: string): ApprovalPanelHandle | undefined;
  /** The open panel of an environment, for tests and for the commands that act on it. */
  inspect(envName: string): ApprovalPanelHandle | undefined;
}

export function registerApprovalPanel(deps: ApprovalPanelDeps): ApprovalPanels {
  const panels = new Map<string, ApprovalPanel>();
  const executions = new Map<string, InstanceType<typeof PanelBundle.ExecutionPanel>>();
  const bundle = lazyBundle<typeof PanelBundle>(vscode.Uri.joinPath(deps.extensionUri, 'dist').fsPath, 'panels.js');

  /** A new editor tab for a panel (the panel sets its title, icon and HTML); scripts and resources from dist/ only. */
  function createPanel(viewType: string, title: string): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(viewType, title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(deps.extensionUri, 'dist')],
    });
  }

  function adopt(webviewPanel: vscode.WebviewPanel, envName: string): ApprovalPanel | undefined {
    const config = deps.store.environments().find((e) => e.name === envName);
    if (!config) return undefined;
    const panel = new (bundle().ApprovalPanel)(webviewPanel, config, deps);
    panels.set(envName, panel);
    panel.onDidDispose(() => {
      if (panels.get(envName) === panel) panels.delete(envName);
    });
    return panel;
  }

  const serializer = vscode.window.registerWebviewPanelSerializer(APPROVAL_VIEW_TYPE, {
    async deserializeWebviewPanel(webviewPanel, saved) {
      const state = parsePersistedState(saved);
      const existing = state ? panels.get(state.env) : undefined;
      if (!state || existing) {
        // Nothing to restore (bad state, or the environment's panel was opened again meanwhile).
        deps.log.warn(`[approval] not restoring a panel: ${state ? `${state.env} is already open` : 'its saved state is invalid'}`);
        webviewPanel.dispose();
        return;
      }
      if (!adopt(webviewPanel, state.env)) {
        deps.log.warn(`[approval] not restoring the panel of ${state.env}: the environment is no longer configured`);
        webviewPanel.dispose();
      }
    },
  });

  return {
    async open(envName: string): Promise<void> {
      const existing = panels.get(envName);
      if (existing) {
        existing.reveal();
        await existing.scheduleRebuild();
        return;
      }
      if (!deps.store.environments().some((e) => e.name === envName)) {
        throw new Error(`No environment named "${envName}" is configured.`);
      }
      const webviewPanel = createPanel(APPROVAL_VIEW_TYPE, `Approve: ${envName}`);
      const panel = adopt(webviewPanel, envName);
      await panel?.scheduleRebuild();
    },
    async openExecution(envName, entry, previousVersion): Promise<void> {
      const config = deps.store.environments().find((e) => e.name === envName);
      if (!config) throw new Error(`No environment named "${envName}" is configured.`);
      const existing = executions.get(entry.executionId);
      if (existing) {
        existing.reveal();
        return;
      }
      const webviewPanel = createPanel(EXECUTION_VIEW_TYPE, `Execution: ${envName}`);
      const panel = new (bundle().ExecutionPanel)(webviewPanel, config, entry, previousVersion, deps);
      executions.set(entry.executionId, panel);
      panel.onDidDispose(() => {
        if (executions.get(entry.executionId) === panel) executions.delete(entry.executionId);
      });
      await panel.load();
    },
    inspectExecution(executionId: string): ApprovalPanelHandle | undefined {
      const panel = executions.get(executionId);
      if (!panel) return undefined;
      return { state: () => panel.state, send: (message) => panel.receive(message), settled: () => Promise.resolve(), panel: panel.panel };
    },
    inspect(envName: string): ApprovalPanelHandle | undefined {
      const panel = panels.get(envName);
      if (!panel) return undefined;
      return {
        state: () => panel.state,
        send: (message) => panel.receive(message),
        settled: () => panel.scheduleRebuild(),
        panel: panel.panel,
      };
    },
    dispose(): void {
      serializer.dispose();
      for (const panel of [...panels.values()]) panel.dispose();
      panels.clear();
      for (const panel of [...executions.values()]) panel.dispose();
      executions.clear();
    },
  };
}
