// The Commits view: recent commits of the current branch, marked with the environments that run or await
// them. Right-click → "Deploy to…".

import * as vscode from 'vscode';
import type { CommitInfo } from '../../core/git';
import type { EnvironmentStatus } from '../../core/model';
import type { GitBridge, EnvironmentStore } from '../contracts';
import { presentCommit } from './commitPresentation';
import { toTreeItem } from '../tree/treeItemMapper';
import { commitMarks } from './commitMarks';
import { shallowEndText } from './shallowEnd';

export interface CommitNode {
  readonly kind: 'commit';
  readonly commit: CommitInfo;
}

/** The last row of a shallow clone's history: why older (deployed) versions are missing, and the fix. */
export interface ShallowEndNode {
  readonly kind: 'shallow-end';
  readonly missing: readonly { readonly env: string; readonly version: string }[];
}

export type CommitsViewNode = CommitNode | ShallowEndNode;

export const RECENT_COMMITS = 50;

export class CommitsTreeProvider implements vscode.TreeDataProvider<CommitsViewNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<CommitsViewNode | undefined>();
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

  getTreeItem(node: CommitsViewNode): vscode.TreeItem {
    if (node.kind === 'shallow-end') {
      const text = shallowEndText(node.missing);
      const item = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.None);
      item.id = 'shallow-end';
      item.description = text.description;
      item.tooltip = text.tooltip;
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      item.contextValue = 'shallowEnd';
      item.command = { command: 'sprykerDeploy.git.fetchFullHistory', title: 'Fetch Full History' };
      return item;
    }
    const marks = commitMarks(node.commit.sha, this.statuses());
    return toTreeItem(presentCommit(node.commit, marks, { canModify: this.canModify() }), node);
  }

  async getChildren(node?: CommitsViewNode): Promise<CommitsViewNode[]> {
    if (node) return [];
    const git = this.git();
    if (!git) return [];
    this.lastMarksKey = this.marksKey();
    const commits = await git.recent(RECENT_COMMITS);
    const rows: CommitsViewNode[] = commits.map((commit) => ({ kind: 'commit', commit }));
    if (commits.length < RECENT_COMMITS && (await git.isShallow().catch(() => false))) {
      // The history stops early because the clone is shallow: say which deployed versions it lacks.
      const missing: { env: string; version: string }[] = [];
      for (const s of this.statuses()) {
        const version = s.lastDeployedVersion;
        if (version && !commits.some((c) => c.sha === version) && !(await git.commit(version).catch(() => undefined))) missing.push({ env: s.name, version });
      }
      rows.push({ kind: 'shallow-end', missing });
    }
    return rows;
  }

  dispose(): void {
    this.emitter.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
