// "Deploy to…" in the Source Control Graph hover, through the git extension's history item details provider
// (the git extension appends the commit hash to the command's arguments, after our marker). Registered only where the git API
// offers it.

import type * as vscode from 'vscode';
import { GRAPH_HOVER_MARKER } from '../commands/commandTargets';
import type { GitApi, HistoryItemDetailsProvider } from './gitApi';

export function registerDeployHover(api: GitApi | undefined, visible: () => boolean): vscode.Disposable | undefined {
  if (!api || typeof api.registerSourceControlHistoryItemDetailsProvider !== 'function') return undefined;
  const provider: HistoryItemDetailsProvider = {
    provideAvatar: async () => undefined,
    provideMessageLinks: async () => undefined,
    provideHoverCommands: async () =>
      visible()
        ? [{ title: '$(rocket) Deploy to…', tooltip: 'Deploy this commit to a Spryker Cloud environment', command: 'sprykerDeploy.commit.deployTo', arguments: [GRAPH_HOVER_MARKER] }]
        : undefined,
  };
  return api.registerSourceControlHistoryItemDetailsProvider(provider);
}
