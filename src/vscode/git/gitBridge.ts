// GitBridge over the built-in git extension: HEAD, commits, ranges, fetch, and opening a commit's changes.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DeployError } from '../../core/errors';
import type { ChangedFile, CommitInfo, HeadInfo } from '../../core/git';
import { isVersion, shortVersion } from '../../core/version';
import type { GitBridge } from '../contracts';
import { ADDED_STATUSES, DELETED_STATUSES, RENAMED_STATUSES, type GitApi, type GitChange, type GitCommit, type GitExtension, type GitRepository } from './gitApi';

/** git's infinite depth (INFINITE_DEPTH): `fetch --depth=2147483647` is `fetch --unshallow`. */
export const UNSHALLOW_DEPTH = 2147483647;

/** The repository's common git directory: `.git`, or where a worktree's or submodule's `.git` file points. */
export function gitCommonDir(root: string): string | undefined {
  const dotGit = path.join(root, '.git');
  try {
    let dir = dotGit;
    if (fs.statSync(dotGit).isFile()) {
      const m = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotGit, 'utf8'));
      if (!m) return undefined;
      dir = path.resolve(root, m[1].trim());
    }
    const common = path.join(dir, 'commondir');
    return fs.existsSync(common) ? path.resolve(dir, fs.readFileSync(common, 'utf8').trim()) : dir;
  } catch {
    return undefined;
  }
}

export function toCommitInfo(c: GitCommit): CommitInfo {
  return {
    sha: c.hash,
    subject: c.message.split('\n', 1)[0].trim(),
    author: c.authorName ?? 'unknown',
    ...(c.authorEmail ? { authorEmail: c.authorEmail } : {}),
    ...(c.authorDate ? { date: new Date(c.authorDate) } : {}),
    parents: [...c.parents],
  };
}

export class VscodeGitBridge implements GitBridge {
  /** Commits are immutable: a found one is cached for good. */
  private readonly found = new Map<string, CommitInfo>();

  constructor(
    readonly api: GitApi,
    readonly repository: GitRepository,
  ) {}

  async head(): Promise<HeadInfo | undefined> {
    const h = this.repository.state.HEAD;
    if (!h?.commit) return undefined;
    const s = this.repository.state;
    const pushed = h.upstream && (h.ahead ?? 0) === 0 ? true : await this.onAnyRemoteBranch(h.commit);
    return {
      sha: h.commit,
      ...(h.name ? { branch: h.name } : {}),
      ...(pushed !== undefined ? { pushed } : {}),
      dirty: s.workingTreeChanges.length + s.indexChanges.length + s.mergeChanges.length > 0,
    };
  }

  /**
   * Whether any remote branch contains the commit: a checked-out release tag (detached HEAD) or a branch without
   * upstream is pushed when the remote has the commit. undefined when git cannot say (no such API, an error):
   * then nothing is claimed and the image check speaks for the images.
   */
  private async onAnyRemoteBranch(sha: string): Promise<boolean | undefined> {
    if (!this.repository.getBranches) return undefined;
    try {
      // `remote: true` asks for remote branches as well as local ones (the git extension filters out remotes
      // only when it is false), so only the remote-tracking ones answer the question; no count limit, since the
      // first refs it finds are usually local.
      return (await this.repository.getBranches({ remote: true, contains: sha })).some((branch) => branch.remote !== undefined);
    } catch {
      return undefined;
    }
  }

  async commit(sha: string): Promise<CommitInfo | undefined> {
    if (!isVersion(sha)) return undefined;
    const cached = this.found.get(sha);
    if (cached) return cached;
    try {
      const info = toCommitInfo(await this.repository.getCommit(sha));
      this.found.set(sha, info);
      return info;
    } catch {
      return undefined;
    }
  }

  async commitsBetween(from: string, to: string): Promise<readonly CommitInfo[] | undefined> {
    if (!(await this.commit(from)) || !(await this.commit(to))) return undefined;
    try {
      return (await this.repository.log({ range: `${from}..${to}`, maxEntries: 500 })).map(toCommitInfo);
    } catch {
      return undefined;
    }
  }

  /** Files that differ between the two versions, in either direction (a rollback's too: see changedFiles). */
  async filesChanged(from: string, to: string): Promise<number | undefined> {
    return (await this.changedFiles(from, to))?.length;
  }

  /**
   * The git extension's diffBetween compares from the merge base (`from...to`), which is empty when `to` is an
   * ancestor of `from` (a rollback). Both directions together give the files that differ; what only the way back
   * shows has its added/deleted inverted.
   */
  async changedFiles(from: string, to: string): Promise<readonly ChangedFile[] | undefined> {
    if (!(await this.commit(from)) || !(await this.commit(to))) return undefined;
    try {
      const root = this.repository.rootUri.fsPath;
      const relative = (uri: vscode.Uri) => path.relative(root, uri.fsPath).split(path.sep).join('/');
      const toFile = (c: GitChange, inverted: boolean): ChangedFile => {
        const added = ADDED_STATUSES.has(c.status);
        const deleted = DELETED_STATUSES.has(c.status);
        const status = added ? (inverted ? 'deleted' : 'added') : deleted ? (inverted ? 'added' : 'deleted') : RENAMED_STATUSES.has(c.status) ? 'renamed' : 'modified';
        const [previous, current] = inverted ? [relative(c.uri), relative(c.originalUri)] : [relative(c.originalUri), relative(c.uri)];
        return { path: current, status, ...(status === 'renamed' && previous !== current ? { previousPath: previous } : {}) };
      };
      const [forward, backward] = await Promise.all([this.repository.diffBetween(from, to), this.repository.diffBetween(to, from)]);
      const files = new Map<string, ChangedFile>();
      for (const c of forward) files.set(relative(c.uri), toFile(c, false));
      for (const c of backward) {
        const file = toFile(c, true);
        if (!files.has(file.path)) files.set(file.path, file);
      }
      return [...files.values()];
    } catch {
      return undefined;
    }
  }

  async fileAt(sha: string, relativePath: string): Promise<string | undefined> {
    try {
      return await this.repository.show(sha, path.join(this.repository.rootUri.fsPath, ...relativePath.split('/')));
    } catch {
      return undefined;
    }
  }

  async recent(max: number): Promise<readonly CommitInfo[]> {
    const commits = (await this.repository.log({ maxEntries: max })).map(toCommitInfo);
    for (const c of commits) this.found.set(c.sha, c);
    return commits;
  }

  async fetch(): Promise<void> {
    await this.repository.fetch();
  }

  /** Git marks a shallow clone with a `shallow` file in its (common) git directory. */
  async isShallow(): Promise<boolean> {
    const dir = gitCommonDir(this.repository.rootUri.fsPath);
    return dir !== undefined && fs.existsSync(path.join(dir, 'shallow'));
  }

  async fetchFullHistory(): Promise<void> {
    // The git extension has no --unshallow; a depth of 2147483647 is git's "infinite", which is the same.
    await this.repository.fetch({ depth: UNSHALLOW_DEPTH });
    this.found.clear();
  }

  /** The commit's changes in a multi-file diff editor (vscode.changes), against its first parent. */
  async openCommit(sha: string): Promise<void> {
    const commit = await this.commit(sha);
    if (!commit) throw new Error(`Commit ${sha} is not in the local repository: fetch, or check out the branch that has it.`);
    const parent = commit.parents[0];
    if (!parent) {
      void vscode.window.showInformationMessage(`${shortVersion(sha)} "${commit.subject}" is a root commit: nothing to compare it with.`);
      return;
    }
    if (!(await this.openChanges(parent, sha, `${shortVersion(sha)} ${commit.subject}`))) {
      void vscode.window.showInformationMessage(`${shortVersion(sha)} "${commit.subject}" changes no files.`);
    }
  }

  /**
   * The changes from `from` to `to` in VS Code's multi-file diff editor (vscode.changes); false when no file
   * differs. The git extension's diffBetween lists what changed since the merge base (`git diff from...to`), so the
   * left side is that merge base too: a file changed only on `from`'s side never shows as a change of `to`.
   */
  async openChanges(from: string, to: string, title: string): Promise<boolean> {
    const changes = await this.repository.diffBetween(from, to);
    if (changes.length === 0) return false;
    const base = (await this.repository.getMergeBase?.(from, to).catch(() => undefined)) ?? from;
    const resources = changes.map((c) => [
      c.uri,
      ADDED_STATUSES.has(c.status) ? undefined : this.api.toGitUri(c.originalUri, base),
      DELETED_STATUSES.has(c.status) ? undefined : this.api.toGitUri(c.uri, to),
    ]);
    await vscode.commands.executeCommand('vscode.changes', title, resources);
    return true;
  }
}

export type { GitAvailability } from './availability';
import type { GitAvailability } from './availability';

/** What decides between several repositories of a multi-root workspace: the versions the environments run. */
export interface RepositoryHints {
  /** The versions deployed (and desired) in the configured environments, as last polled. */
  deployedVersions(): readonly string[];
  readonly onDidChange: vscode.Event<unknown>;
}

/** The repository in use, and why it was chosen (shown to the user when there is a choice). */
export interface RepositoryChoice {
  readonly root: string;
  readonly name: string;
  readonly reason: 'only' | 'chosen' | 'deployed-versions' | 'first-folder';
  /** How many repositories the workspace has. */
  readonly count: number;
}

/**
 * Finds the repository of the workspace folders (not simply the first repository git knows) once the git
 * extension has initialised, and follows repositories opening and closing. With several (a multi-root
 * workspace) it uses the one the user chose, else the one that has the environments' deployed versions, else the
 * first folder's; it says which and why.
 */
export class GitBridgeProvider implements vscode.Disposable {
  private bridge: VscodeGitBridge | undefined;
  private availability: GitAvailability = 'pending';
  private choice: RepositoryChoice | undefined;
  /** The root the user picked with Choose Repository; kept while that repository is open. */
  private chosenRoot: string | undefined;
  private picking = 0;
  private readonly emitter = new vscode.EventEmitter<void>();
  /** The repository, its HEAD or the availability changed. */
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private repoSubscription: vscode.Disposable | undefined;
  private api: GitApi | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly hints?: RepositoryHints,
  ) {}

  current(): GitBridge | undefined {
    return this.bridge;
  }

  state(): GitAvailability {
    return this.availability;
  }

  /** Which repository is used and why; undefined when none. */
  repositoryChoice(): RepositoryChoice | undefined {
    return this.choice;
  }

  gitApi(): GitApi | undefined {
    return this.api;
  }

  /** The repositories of the workspace folders, in folder order, each once. */
  repositories(): readonly GitRepository[] {
    const api = this.api;
    if (!api || this.availability === 'unavailable') return [];
    const repos: GitRepository[] = [];
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      const repo = api.getRepository(f.uri);
      if (repo && !repos.includes(repo)) repos.push(repo);
    }
    return repos;
  }

  /** Uses this repository (by its root path) from now on, whatever the hints say. */
  async choose(root: string): Promise<void> {
    const repo = this.repositories().find((r) => r.rootUri.fsPath === root);
    if (!repo) throw new DeployError('invalid-input', `${root} is not a Git repository of this workspace.`);
    this.chosenRoot = root;
    if (this.api) await this.pick(this.api);
  }

  async start(): Promise<void> {
    const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
    if (!extension) return this.set('unavailable');
    try {
      const exports = extension.isActive ? extension.exports : await extension.activate();
      if (!exports.enabled) {
        this.subscriptions.push(exports.onDidChangeEnablement(() => void this.start()));
        return this.set('unavailable');
      }
      const api = exports.getAPI(1);
      this.api = api;
      if (api.state !== 'initialized') {
        await new Promise<void>((resolve) => {
          const sub = api.onDidChangeState((s) => {
            if (s === 'initialized') {
              sub.dispose();
              resolve();
            }
          });
        });
      }
      this.subscriptions.push(
        api.onDidOpenRepository(() => void this.pick(api)),
        api.onDidCloseRepository(() => void this.pick(api)),
        vscode.workspace.onDidChangeWorkspaceFolders(() => void this.pick(api)),
        // The deployed versions arrive with the first poll, usually after git: decide again then.
        ...(this.hints ? [this.hints.onDidChange(() => (this.repositories().length > 1 ? void this.pick(api) : undefined))] : []),
      );
      await this.pick(api);
    } catch (e) {
      this.log.warn(`[git] the git extension could not be used: ${e instanceof Error ? e.message : String(e)}`);
      this.set('unavailable');
    }
  }

  private async decide(repos: readonly GitRepository[]): Promise<{ repo: GitRepository; reason: RepositoryChoice['reason'] } | undefined> {
    if (repos.length === 0) return undefined;
    if (repos.length === 1) return { repo: repos[0], reason: 'only' };
    const chosen = repos.find((r) => r.rootUri.fsPath === this.chosenRoot);
    if (chosen) return { repo: chosen, reason: 'chosen' };
    const versions = [...new Set(this.hints?.deployedVersions() ?? [])].filter(isVersion);
    let best: { repo: GitRepository; hits: number } | undefined;
    for (const repo of repos) {
      let hits = 0;
      for (const v of versions) {
        hits += await repo.getCommit(v).then(
          () => 1,
          () => 0,
        );
      }
      if (hits > (best?.hits ?? 0)) best = { repo, hits };
    }
    return best ? { repo: best.repo, reason: 'deployed-versions' } : { repo: repos[0], reason: 'first-folder' };
  }

  private async pick(api: GitApi): Promise<void> {
    const run = ++this.picking;
    this.api = api;
    const repos = this.repositories();
    const decided = await this.decide(repos);
    // A later pick (a folder added, new statuses) started meanwhile: it decides.
    if (run !== this.picking) return;
    const repo = decided?.repo ?? null;
    const choice = decided ? { root: decided.repo.rootUri.fsPath, name: path.basename(decided.repo.rootUri.fsPath), reason: decided.reason, count: repos.length } : undefined;
    const sameChoice = JSON.stringify(choice) === JSON.stringify(this.choice);
    this.choice = choice;
    void vscode.commands.executeCommand('setContext', 'sprykerDeploy.gitRepositoryCount', repos.length);
    if (repo === this.bridge?.repository) {
      if (!sameChoice) this.emitter.fire();
      return;
    }
    this.repoSubscription?.dispose();
    this.bridge = repo ? new VscodeGitBridge(api, repo) : undefined;
    if (repo) {
      let lastHead = repo.state.HEAD?.commit;
      this.repoSubscription = repo.state.onDidChange(() => {
        const head = repo.state.HEAD?.commit;
        if (head !== lastHead) {
          lastHead = head;
          this.emitter.fire();
        }
      });
      this.log.info(`[git] using repository ${repo.rootUri.fsPath}${repos.length > 1 ? ` (${choice?.reason} of ${repos.length})` : ''}`);
    }
    this.set(repo ? 'ready' : 'none');
  }

  private set(state: GitAvailability): void {
    this.availability = state;
    void vscode.commands.executeCommand('setContext', 'sprykerDeploy.git', state);
    this.emitter.fire();
  }

  dispose(): void {
    this.repoSubscription?.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }
}
