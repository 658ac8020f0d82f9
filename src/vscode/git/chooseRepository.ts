// Multi-root workspaces: which repository the Commits view, Deploy HEAD and the panel use is shown on the Commits
// view and can be switched.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GitBridgeProvider, RepositoryChoice } from './gitBridge';

const REASONS: Record<RepositoryChoice['reason'], string> = {
  only: '',
  chosen: 'chosen by you',
  'deployed-versions': 'has the deployed versions',
  'first-folder': 'first folder; no repository has the deployed versions',
};

/** The Commits view's description: the repository in use, only when there was a choice to make. */
export function repositoryDescription(choice: RepositoryChoice | undefined): string | undefined {
  if (!choice || choice.count < 2) return undefined;
  return `${choice.name} (${REASONS[choice.reason]})`;
}

/** A given repository root (scripts and tests) skips the quick pick. */
export async function chooseRepository(git: GitBridgeProvider, given: string | undefined): Promise<void> {
  if (given !== undefined) return git.choose(given);
  const current = git.repositoryChoice()?.root;
  const items = git.repositories().map((r) => ({
    label: `$(repo) ${path.basename(r.rootUri.fsPath)}`,
    description: r.rootUri.fsPath === current ? 'in use' : undefined,
    detail: r.rootUri.fsPath,
    root: r.rootUri.fsPath,
  }));
  if (items.length === 0) throw new Error('No Git repository is open in this workspace.');
  const picked = await vscode.window.showQuickPick(items, { title: 'Repository for the Commits view, Deploy HEAD and the approval panel' });
  if (picked) await git.choose(picked.root);
}
