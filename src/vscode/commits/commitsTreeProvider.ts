// The Commits view: recent commits of the current branch, marked with the environments that run or await
// them. Right-click → "Deploy to…".

import * as vscode from 'vscode';
import type { CommitInfo } from '../../core/git';
import type { EnvironmentStatus } from '../../core/model';
import type { GitBridge, EnvironmentStore } from '../contracts';
import { presentCommit } from './commitPresentation';
import { toTreeItem } from '../tree/treeItemMapper';
import { commitMarks } from './commitMarks';

export interface CommitNode {
  readonly kind: 'commit';
  readonly commit: CommitInfo;
}

export const RECENT_COMMITS = 50;

export class CommitsTreeProvider implements vscode.TreeDataProvider<CommitNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<CommitNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Marks change only when versions do: skip re-rendering on every poll. */
  private lastMarksKey = '';

  constructor(
    private readonly store: EnvironmentStore,
    private readonly git: () => GitBridge | undefined,
    private readonly canModify: () => boolean,
  ) {
    this.subscriptions.push(
      store.onDidChange(() => {
        const key = this.marksKey();
        if (key !== this.lastMarksKey) this.refresh();
      }),
      store.onDidChangeEnvironments(() => this.refresh()),
    );
  }

  refresh(): void {
    this.emitter.fire(undefined);
  }

  private statuses(): EnvironmentStatus[] {
    return this.store
      .environments()
      .map((e) => this.store.status(e.name))
      .filter((s): s is EnvironmentStatus => s !== undefined);
  }

  private marksKey(): string {
    return this.statuses()
      .map((s) => `${s.name}:${s.desiredVersion}:${s.lastDeployedVersion}:${s.pipeline?.pendingApproval?.version ?? ''}`)
      .join('|');
  }

  getTreeItem(node: CommitNode): vscode.TreeItem {
    const marks = commitMarks(node.commit.sha, this.statuses());
    return toTreeItem(presentCommit(node.commit, marks, { canModify: this.canModify() }), node);
  }

  async getChildren(node?: CommitNode): Promise<CommitNode[]> {
    if (node) return [];
    const git = this.git();
    if (!git) return [];
    this.lastMarksKey = this.marksKey();
    const commits = await git.recent(RECENT_COMMITS);
    return commits.map((commit) => ({ kind: 'commit', commit }));
  }

  dispose(): void {
    this.emitter.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
