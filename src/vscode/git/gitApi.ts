// The small part of the built-in git extension's API (extensions/git/src/api/git.d.ts, version 1) that this
// extension uses, typed here so no external typings are needed. Optional members may be missing in older
// VS Code versions: check before use.

import type * as vscode from 'vscode';

export interface GitExtension {
  readonly enabled: boolean;
  readonly onDidChangeEnablement: vscode.Event<boolean>;
  getAPI(version: 1): GitApi;
}

export interface GitApi {
  readonly state: 'uninitialized' | 'initialized';
  readonly onDidChangeState: vscode.Event<'uninitialized' | 'initialized'>;
  readonly onDidOpenRepository: vscode.Event<GitRepository>;
  readonly onDidCloseRepository: vscode.Event<GitRepository>;
  readonly repositories: readonly GitRepository[];
  getRepository(uri: vscode.Uri): GitRepository | null;
  toGitUri(uri: vscode.Uri, ref: string): vscode.Uri;
  registerSourceControlHistoryItemDetailsProvider?(provider: HistoryItemDetailsProvider): vscode.Disposable;
}

export interface HistoryItemDetailsProvider {
  provideAvatar(repository: GitRepository, query: unknown): Promise<Map<string, string | undefined> | undefined>;
  provideHoverCommands(repository: GitRepository): Promise<vscode.Command[] | undefined>;
  provideMessageLinks(repository: GitRepository, message: string): Promise<string | undefined>;
}

export interface GitBranch {
  readonly name?: string;
  readonly commit?: string;
  readonly upstream?: { readonly remote: string; readonly name: string };
  readonly ahead?: number;
  readonly behind?: number;
  /** Set on remote-tracking branches (`origin/main`): the remote's name. */
  readonly remote?: string;
}

export interface GitChange {
  readonly uri: vscode.Uri;
  readonly originalUri: vscode.Uri;
  readonly renameUri?: vscode.Uri;
  readonly status: number;
}

export interface GitCommit {
  readonly hash: string;
  readonly message: string;
  readonly parents: readonly string[];
  readonly authorDate?: Date;
  readonly authorName?: string;
  readonly authorEmail?: string;
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: {
    readonly HEAD?: GitBranch;
    readonly workingTreeChanges: readonly GitChange[];
    readonly indexChanges: readonly GitChange[];
    readonly mergeChanges: readonly GitChange[];
    readonly onDidChange: vscode.Event<void>;
  };
  log(options?: { readonly maxEntries?: number; readonly range?: string }): Promise<GitCommit[]>;
  getCommit(ref: string): Promise<GitCommit>;
  diffBetween(ref1: string, ref2: string): Promise<GitChange[]>;
  /** The best common ancestor of two refs (git merge-base). */
  getMergeBase?(ref1: string, ref2: string): Promise<string | undefined>;
  /** A file's content at a ref; the path is absolute (inside rootUri). Rejects when the file does not exist there. */
  show(ref: string, path: string): Promise<string>;
  /** `depth` 2147483647 is git's infinite depth: the same as `git fetch --unshallow`. */
  fetch(options?: { readonly remote?: string; readonly depth?: number }): Promise<void>;
  /** Branches (local, or remote with `remote: true`), optionally only those containing a commit. */
  getBranches?(query: { readonly remote?: boolean; readonly contains?: string; readonly count?: number }): Promise<GitBranch[]>;
}

/** Status values of GitChange that mean "the file is new" / "the file was removed" (extensions/git Status enum). */
export const ADDED_STATUSES: ReadonlySet<number> = new Set([1, 7, 9]);
export const DELETED_STATUSES: ReadonlySet<number> = new Set([2, 6]);
export const RENAMED_STATUSES: ReadonlySet<number> = new Set([3, 10]);
