// The Environments view: roots are the configured environments, everything below comes from the store's last
// polled status. getChildren never calls AWS (only local git, for commit subjects).

import * as vscode from 'vscode';
import type { CommitInfo } from '../../core/git';
import type { GitBridge, EnvironmentStore } from '../contracts';
import { childrenOf, versionsShown, type EnvironmentNode, type EnvTreeNode } from './nodes';
import { present } from './presentation';
import { toTreeItem } from './treeItemMapper';

export class EnvironmentsTreeProvider implements vscode.TreeDataProvider<EnvTreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<EnvTreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  /** The root objects last handed to VS Code: change events must name these exact objects. */
  private roots = new Map<string, EnvironmentNode>();
  private readonly commits = new Map<string, CommitInfo>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly store: EnvironmentStore,
    private readonly git: () => GitBridge | undefined,
    private readonly canModify: () => boolean,
  ) {
    this.subscriptions.push(
      store.onDidChange((env) => {
        const root = this.roots.get(env);
        this.emitter.fire(root);
      }),
      store.onDidChangeEnvironments(() => this.refreshAll()),
    );
  }

  /** Everything changed (settings, trust, the git repository). */
  refreshAll(): void {
    this.commits.clear();
    this.emitter.fire(undefined);
  }

  private live(name: string): EnvironmentNode | undefined {
    const env = this.store.environment(name);
    if (!env) return undefined;
    const status = this.store.status(name);
    const error = this.store.error(name);
    return { kind: 'environment', env, refreshing: this.store.isRefreshing(name), ...(status ? { status } : {}), ...(error ? { error } : {}) };
  }

  async getTreeItem(node: EnvTreeNode): Promise<vscode.TreeItem> {
    const current = node.kind === 'environment' ? (this.live(node.env.name) ?? node) : node;
    return toTreeItem(present(current, { canModify: this.canModify() }), node);
  }

  async getChildren(node?: EnvTreeNode): Promise<EnvTreeNode[]> {
    if (!node) {
      // Welcome views show only while the tree is empty: signed-out / error states return no roots.
      const state = this.store.viewState();
      if (state !== 'ready' && state !== 'loading') return [];
      const roots = new Map<string, EnvironmentNode>();
      for (const env of this.store.environments()) {
        const live = this.live(env.name);
        if (live) roots.set(env.name, live);
      }
      this.roots = roots;
      return [...roots.values()];
    }
    const current = node.kind === 'environment' ? this.live(node.env.name) : node;
    if (!current) return [];
    if (current.kind === 'environment') await this.resolveCommits(versionsShown(current.status));
    return childrenOf(current, (sha) => (sha ? (this.commits.get(sha) ?? undefined) : undefined));
  }

  getParent(): undefined {
    return undefined;
  }

  private async resolveCommits(shas: readonly string[]): Promise<void> {
    const git = this.git();
    if (!git) return;
    await Promise.all(
      shas
        .filter((sha) => !this.commits.has(sha))
        .map(async (sha) => {
          // Only hits are kept: a commit missing now may arrive with a fetch or a checkout.
          const commit = await git.commit(sha).catch(() => undefined);
          if (commit) this.commits.set(sha, commit);
        }),
    );
  }

  dispose(): void {
    this.emitter.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
