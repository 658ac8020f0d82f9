// The Environments view: roots are the configured environments, everything below comes from the store's last
// polled status, except three reads the poll does not make: maintenance mode (two ListPipelineExecutions, kept for a
// minute), the History (read when the user expands it) and a failing service's stopped tasks (ListTasks STOPPED +
// DescribeTasks, read when its row is shown: only failed or failing rollouts have one). Local git gives the commit
// subjects.

import * as vscode from 'vscode';
import type { CommitInfo } from '../../core/git';
import type { GitBridge, EnvironmentStore } from '../contracts';
import { toDeployError } from '../../core/errors';
import type { MaintenanceState } from '../../core/maintenance';
import type { StoppedTask } from '../../core/model';
import { OnceMilestone, type Milestone } from '../../core/milestone';
import { notReadAgainYet } from '../../core/snapshot';
import { childrenOf, versionsShown, type EnvironmentNode, type EnvTreeNode } from './nodes';
import { present } from './presentation';
import { toTreeItem } from './treeItemMapper';

/** How long a maintenance read is shown before the next expansion or poll reads it again. */
const MAINTENANCE_TTL_MS = 60_000;
/** Executions the History node lists. */
export const HISTORY_SHOWN = 15;
/** Stopped tasks a failing service shows (newest first). */
export const STOPPED_TASKS_SHOWN = 5;
/** How long the first roots wait for the first read (see getChildren). */
const FIRST_READ_WAIT_MS = 1000;
/** What the tree needs of its view: whether it shows, expanding a row, and hearing of rows expanded or collapsed. */
export type AttachedView = Pick<vscode.TreeView<EnvTreeNode>, 'reveal' | 'visible'> & Partial<Pick<vscode.TreeView<EnvTreeNode>, 'onDidExpandElement' | 'onDidCollapseElement'>>;
/** How often a first row's expansion is asked for when VS Code refuses it, and how long apart. */
export const REVEAL_ATTEMPTS = 3;
export const REVEAL_RETRY_MS = 250;

export class EnvironmentsTreeProvider implements vscode.TreeDataProvider<EnvTreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<EnvTreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  /** The root objects last handed to VS Code: change events must name these exact objects. */
  private roots = new Map<string, EnvironmentNode>();
  private readonly commits = new Map<string, CommitInfo>();
  /** `statusAt`: the poll (status.fetchedAt) the read went with; no poll, no read (nobody looks, nothing is read). */
  private readonly maintenance = new Map<string, { state: MaintenanceState; at: number; statusAt: number }>();
  private readonly maintenanceReads = new Map<string, Promise<void>>();
  /**
   * Stopped tasks by `env/service/rollout`: a finished (rolled-back) rollout's are read once; a rollout still in
   * progress has them read again with the next poll (`statusAt`), never more often.
   */
  private readonly stopped = new Map<string, { tasks: readonly StoppedTask[]; error?: string; statusAt: number }>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /**
   * VS Code has had the first rows it can draw with what AWS said: the roots with their versions (or errors) and
   * the children of every (expanded) environment. VS Code hides the welcome view as soon as it has the roots but
   * draws them only with the children of the expanded ones, one more round trip: until then the extension host
   * should stay free for it (the composition root starts Git after this).
   */
  private readonly freshRows = new OnceMilestone();
  readonly freshRowsDrawn: Milestone = this.freshRows;
  /**
   * VS Code has had rows it can draw with a status, kept (an earlier window's) or read, or an error: the view's
   * "Loading…" message and a reopened window's first read wait for it.
   */
  private readonly anyRows = new OnceMilestone();
  readonly rowsDrawn: Milestone = this.anyRows;
  /** Environments whose children VS Code has had since their first status (or error). */
  private readonly childrenAnswered = new Set<string>();
  /**
   * Environments whose rows VS Code can draw with a status, kept or read, or an error: their first row given
   * collapsed with one, or their children answered with one.
   */
  private readonly drawableWithStatus = new Set<string>();

  constructor(
    private readonly store: EnvironmentStore,
    private readonly git: () => GitBridge | undefined,
    private readonly canModify: () => boolean,
    private readonly timeline?: { mark(step: string, detail?: string): void },
    /** How long the first roots wait for a first read on its way (tests shorten or lengthen it). */
    private readonly firstReadWaitMs = FIRST_READ_WAIT_MS,
    /** How long a refused expansion waits before it is asked again (tests shorten it). */
    private readonly revealRetryMs = REVEAL_RETRY_MS,
  ) {
    this.subscriptions.push(
      store.onDidChange((env) => void this.statusChanged(env)),
      store.onDidChangeEnvironments(() => this.refreshAll()),
    );
  }

  /**
   * What VS Code was last given for each environment whose rows it asked for (the environment's row without its
   * tooltip, and its children), so that a poll that changes nothing the user sees refreshes nothing.
   */
  private readonly shown = new Map<string, string>();

  /**
   * A refreshed item's children have no target in VS Code until it has asked for them again: an inline button
   * clicked then (the Maintenance row's Enable…) runs its command with no argument. So refresh only when something
   * shown changed, and read what the rows need (maintenance, commit subjects) before refreshing, not while VS Code
   * waits for them.
   */
  private async statusChanged(env: string): Promise<void> {
    if (!this.shown.has(env)) {
      // Not shown with its rows yet (the first status, or collapsed so far): show it at once, read ahead. Roots
      // being answered (waiting for the first read) will carry it: a refresh now would have them asked again.
      if (this.answeringRoots === 0) this.emitter.fire(this.roots.get(env));
      this.readAhead(env);
      return;
    }
    const current = this.live(env);
    if (!current) return this.emitter.fire(this.roots.get(env));
    const children = await this.environmentChildren(current);
    if (this.rendering(current, children) === this.shown.get(env)) return;
    this.emitter.fire(this.roots.get(env));
  }

  /** Roots being answered that wait for the first read. */
  private answeringRoots = 0;

  /** Resolves when an environment has its first status or error, or after `ms`; at once when none is being read. */
  private async firstStatus(ms: number): Promise<void> {
    if (!this.store.environments().some((e) => this.store.isRefreshing(e.name))) return;
    this.answeringRoots++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let subscription: vscode.Disposable | undefined;
    try {
      await new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
        subscription = this.store.onDidChange(() => (this.store.viewState() !== 'loading' ? resolve() : undefined));
      });
    } finally {
      clearTimeout(timer);
      subscription?.dispose();
      this.answeringRoots--;
    }
  }

  /** The environment's row and its children as VS Code shows them; the tooltip is resolved on hover. */
  private rendering(current: EnvironmentNode, children: readonly EnvTreeNode[]): string {
    const ctx = { canModify: this.canModify() };
    const { tooltip: _tooltip, ...row } = present(current, ctx);
    return JSON.stringify([row, ...children.map((child) => present(child, ctx))]);
  }

  /** Maintenance mode changed (a switch was started or ended): read it again and show it. */
  refreshMaintenance(env: string): void {
    this.maintenance.delete(env);
    this.emitter.fire(this.roots.get(env));
  }

  private async maintenanceOf(env: string, statusAt: number): Promise<{ readonly state: MaintenanceState; readonly at: number } | undefined> {
    const kept = this.maintenance.get(env);
    // Read with a poll, never without one: a switch in progress or a failed read at every poll (a failure must
    // not stand for a minute), a settled state once a minute.
    const settled = kept !== undefined && kept.state.kind !== 'switching' && kept.state.kind !== 'unknown';
    if (kept && (statusAt <= kept.statusAt || (settled && Date.now() - kept.at < MAINTENANCE_TTL_MS))) return kept;
    let reading = this.maintenanceReads.get(env);
    if (!reading) {
      reading = (async () => {
        try {
          const state = await (await this.store.service(env)).maintenance();
          this.maintenance.set(env, { state, at: Date.now(), statusAt });
        } catch (e) {
          this.maintenance.set(env, { state: { kind: 'unknown', reason: toDeployError(e).message }, at: Date.now(), statusAt });
        } finally {
          this.maintenanceReads.delete(env);
        }
      })();
      this.maintenanceReads.set(env, reading);
    }
    await reading;
    return this.maintenance.get(env);
  }

  /**
   * An environment's first status: VS Code will ask for its (expanded) children before it shows the new row, so
   * their reads (maintenance, commit subjects) start now instead of after that round trip. Only the first: later
   * polls read them when asked, as before.
   */
  private readonly readAheadDone = new Set<string>();
  private readAhead(env: string): void {
    const status = this.store.status(env);
    if (!status || notReadAgainYet(status) || this.readAheadDone.has(env)) return;
    this.readAheadDone.add(env);
    void this.maintenanceOf(env, status.fetchedAt.getTime());
    void this.resolveCommits(versionsShown(status));
  }

  /**
   * The repository changed (found, HEAD moved, fetched): commit subjects are read again, and an environment shown
   * is refreshed only if its rows now read differently (a whole refresh at start-up, when Git opens its repository,
   * made VS Code ask for every row again while the first versions were on their way).
   */
  gitChanged(): void {
    this.commits.clear();
    for (const env of this.shown.keys()) void this.statusChanged(env);
  }

  /** Everything changed (settings, trust, the choice of repository, a fetch of the full history). */
  refreshAll(): void {
    if (this.roots.size > 0) this.timeline?.mark('tree refreshed whole');
    this.commits.clear();
    this.shown.clear();
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
    if (current.kind === 'environment' && current.status) this.timeline?.mark('tree item: versions', current.env.name);
    const item = toTreeItem(present(current, { canModify: this.canModify() }), node);
    // An environment's tooltip says when its status was read: resolved on hover (below) from the live status, so
    // a poll that changes nothing else need not refresh the row.
    if (current.kind === 'environment') {
      item.tooltip = undefined;
      this.firstRow(node as EnvironmentNode, item);
    }
    return item;
  }

  private everyRootIn(set: ReadonlySet<string>): boolean {
    return [...this.roots.keys()].every((n) => set.has(n));
  }

  private checkDrawable(): void {
    if (this.roots.size > 0 && this.everyRootIn(this.drawableWithStatus)) this.anyRows.reach();
  }

  /** The view the tree is shown in: an environment's first row goes out collapsed and is then expanded in it. */
  private view: AttachedView | undefined;
  /** Environments VS Code has had a row for. */
  private readonly rowsGiven = new Set<string>();
  /** Environments whose row was expanded or collapsed in the view (by the user, or by our expansion). */
  private readonly rowsToggled = new Set<string>();
  private disposed = false;

  attach(view: AttachedView): void {
    this.view = view;
    // Once a row has been expanded or collapsed, an expansion still to be asked again is not: the user's click
    // (within the first second) is what the row keeps.
    const toggled = (e: vscode.TreeViewExpansionEvent<EnvTreeNode>) => (e.element.kind === 'environment' ? this.rowsToggled.add(e.element.env.name) : undefined);
    for (const event of [view.onDidExpandElement, view.onDidCollapseElement]) if (event) this.subscriptions.push(event(toggled));
  }

  /**
   * VS Code draws an expanded row only together with its children: one more round trip to the extension host,
   * which in a window's first seconds waits behind VS Code's own extensions starting there (0.7-1 s measured in the
   * first look). So an environment's first row, when it carries a status (or an error), goes out collapsed, drawn
   * with its version as soon as the roots answer, and is expanded right after, once (later rows keep whatever the
   * user made of it). A first row without one ("Loading…", the first read slower than the roots' wait) goes out as
   * presented: VS Code asks for its children again when the status refreshes it, and a collapsed one would need a
   * reveal that races that refresh (VS Code refused it, "Data tree node not found", in the demo's first window).
   */
  private firstRow(node: EnvironmentNode, item: vscode.TreeItem): void {
    const name = node.env.name;
    if (this.rowsGiven.has(name)) return;
    this.rowsGiven.add(name);
    const view = this.view;
    const current = this.live(name);
    if (!(current?.status || current?.error)) return;
    if (!view?.visible || item.collapsibleState !== vscode.TreeItemCollapsibleState.Expanded) return;
    item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
    this.drawableWithStatus.add(name);
    // Once this answer (every root's item) has gone out.
    queueMicrotask(() => this.checkDrawable());
    // After this answer has gone out: VS Code can expand only a row it has.
    this.expand(view, node, 1);
  }

  /**
   * Expands a row VS Code has been given. VS Code refuses a reveal of a row its tree has not taken in yet ("Data
   * tree node not found", while it still renders the answer or a refresh of the row): asked again a moment later.
   */
  private expand(view: AttachedView, node: EnvironmentNode, attempt: number): void {
    const name = node.env.name;
    setTimeout(
      () => {
        if (this.disposed || (attempt > 1 && this.rowsToggled.has(name))) return;
        view.reveal(node, { expand: true, select: false, focus: false }).then(
          () => this.timeline?.mark('tree expanded', name),
          (e: unknown) => {
            const why = `${name}: ${e instanceof Error ? e.message : String(e)}`;
            if (attempt < REVEAL_ATTEMPTS) {
              this.timeline?.mark('tree expanded on a later attempt', why);
              this.expand(view, node, attempt + 1);
            } else this.timeline?.mark('tree not expanded', `${why} (${attempt} attempts)`);
          },
        );
      },
      attempt === 1 ? 0 : this.revealRetryMs,
    );
  }

  resolveTreeItem(item: vscode.TreeItem, node: EnvTreeNode): vscode.TreeItem {
    if (node.kind === 'environment') item.tooltip = toTreeItem(present(this.live(node.env.name) ?? node, { canModify: this.canModify() }), node).tooltip;
    return item;
  }

  async getChildren(node?: EnvTreeNode): Promise<EnvTreeNode[]> {
    if (!node) {
      this.timeline?.mark('tree asked for roots');
      // While the first read is on its way the roots wait for it a little: rows that come with their versions spare
      // VS Code asking for them a second time (a round trip to the window, 0.3-0.9 s measured under load). The
      // welcome view's "Loading the environments…" shows meanwhile.
      if (this.store.viewState() === 'loading') await this.firstStatus(this.firstReadWaitMs);
      // Welcome views show only while the tree is empty: signed-out / error states return no roots.
      const state = this.store.viewState();
      if (state !== 'ready' && state !== 'loading') return [];
      const roots = new Map<string, EnvironmentNode>();
      for (const env of this.store.environments()) {
        const live = this.live(env.name);
        if (live) roots.set(env.name, live);
      }
      this.roots = roots;
      this.timeline?.mark(state === 'loading' ? 'tree answered: loading' : 'tree answered: versions');
      return [...roots.values()];
    }
    const current = node.kind === 'environment' ? this.live(node.env.name) : node;
    if (!current) return [];
    if (current.kind === 'history') return this.historyChildren(current.env.name);
    if (current.kind === 'stopped-tasks') return this.stoppedChildren(current);
    if (current.kind === 'environment') {
      const asked = Date.now();
      if (current.status) this.timeline?.mark('tree asked for children: versions', current.env.name);
      const children = await this.environmentChildren(current);
      if (current.status) this.timeline?.mark('tree children: versions', `${current.env.name} (maintenance and commits read in ${Date.now() - asked} ms)`);
      if (current.status) this.shown.set(current.env.name, this.rendering(current, children));
      if ((current.status && !notReadAgainYet(current.status)) || current.error) this.childrenAnswered.add(current.env.name);
      if (current.status || current.error) this.drawableWithStatus.add(current.env.name);
      this.checkDrawable();
      if (this.everyRootIn(this.childrenAnswered)) {
        this.timeline?.mark('tree answered: rows drawable');
        this.freshRows.reach();
      }
      return children;
    }
    return childrenOf(current, this.commitOf);
  }

  /** A commit's subject and author as git last gave them (resolveCommits reads the missing ones). */
  private readonly commitOf = (sha: string | undefined): CommitInfo | undefined => (sha ? this.commits.get(sha) : undefined);

  private async environmentChildren(current: EnvironmentNode): Promise<EnvTreeNode[]> {
    // What an earlier window read shows at once: maintenance mode is read with this window's first poll, not
    // before it (it would load the AWS layer and hold the rows for a round trip).
    const polled = current.status && !notReadAgainYet(current.status) ? current.status : undefined;
    const [maintenance] = await Promise.all([
      polled ? this.maintenanceOf(current.env.name, polled.fetchedAt.getTime()) : undefined,
      this.resolveCommits(versionsShown(current.status)),
    ]);
    return childrenOf(current, this.commitOf, maintenance ? { maintenance: maintenance.state, maintenanceReadAt: new Date(maintenance.at) } : {});
  }

  private async historyChildren(name: string): Promise<EnvTreeNode[]> {
    const env = this.store.environment(name);
    if (!env) return [];
    try {
      const entries = await (await this.store.service(name)).history(HISTORY_SHOWN);
      if (entries.length === 0) return [{ kind: 'note', env, parent: 'history', text: `${env.pipelines.normal} has never run`, warning: false }];
      await this.resolveCommits(entries.map((e) => e.version).filter((v): v is string => v !== undefined));
      return entries.map((entry) => {
        const commit = entry.version ? this.commits.get(entry.version) : undefined;
        return { kind: 'history-entry', env, entry, ...(commit ? { commit } : {}) };
      });
    } catch (e) {
      return [{ kind: 'note', env, parent: 'history', text: `History not read: ${toDeployError(e).message}`, warning: true }];
    }
  }

  private async stoppedChildren(node: Extract<EnvTreeNode, { kind: 'stopped-tasks' }>): Promise<EnvTreeNode[]> {
    const { env, serviceName, rollout } = node;
    const key = `${env.name}/${serviceName}/${rollout.id}`;
    const statusAt = this.store.status(env.name)?.fetchedAt.getTime() ?? 0;
    let kept = this.stopped.get(key);
    if (!kept || (!rollout.finished && statusAt > kept.statusAt)) {
      try {
        const all = await (await this.store.service(env.name)).stoppedTasks(serviceName);
        const tasks = all
          .filter((t) => t.taskDefinition === rollout.taskDefinition)
          .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
          .slice(0, STOPPED_TASKS_SHOWN);
        kept = { tasks, statusAt };
      } catch (e) {
        // Not kept: the next look reads again.
        return [{ kind: 'note', env, parent: `services/${serviceName}/stopped`, text: `Stopped tasks not read: ${toDeployError(e).message}`, warning: true }];
      }
      this.stopped.set(key, kept);
    }
    if (kept.tasks.length === 0) {
      return [{ kind: 'note', env, parent: `services/${serviceName}/stopped`, text: 'None listed (ECS keeps stopped tasks for about an hour)', warning: false }];
    }
    return kept.tasks.map((task) => ({ kind: 'stopped-task', env, serviceName, task }));
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
    this.disposed = true;
    this.emitter.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
