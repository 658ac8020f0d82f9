// Shallow clones (`git clone --depth`): older commits are missing, so deployed versions may be absent from the
// Commits view and the approval panel, and a plain `git fetch` never brings them. These say so and offer to fetch
// the full history (`git fetch --unshallow`, through the git extension).

import * as vscode from 'vscode';
import type { GitBridge } from '../contracts';

/** Fetches the rest of the history with a progress notification; says what happened. */
export async function fetchFullHistory(git: GitBridge | undefined): Promise<void> {
  if (!git) throw new Error('No Git repository is open.');
  if (!(await git.isShallow())) {
    void vscode.window.showInformationMessage('This repository already has its full history; a normal fetch brings new commits.');
    return;
  }
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Fetching the full history (git fetch --unshallow): every older commit of the remote…' },
    () => git.fetchFullHistory(),
  );
  void vscode.window.showInformationMessage(
    (await git.isShallow()) ? 'The fetch finished, but the repository is still shallow: the remote may itself be shallow.' : 'The full history is here: every deployed version can be listed now.',
  );
}
