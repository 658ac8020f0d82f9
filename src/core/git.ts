// What the product needs from the local Git repository. The extension implements it over the built-in git
// extension (src/vscode/git); the CLI could implement it over the git executable. Pure interface.

export interface CommitInfo {
  readonly sha: string;
  readonly subject: string;
  readonly author: string;
  readonly authorEmail?: string;
  readonly date?: Date;
  readonly parents: readonly string[];
}

export interface HeadInfo {
  readonly sha: string;
  readonly branch?: string;
  /** false: HEAD has commits not on its upstream (or no upstream); undefined: unknown. */
  readonly pushed?: boolean;
  /** Uncommitted changes in the working tree or index. */
  readonly dirty: boolean;
}

export interface ChangedFile {
  /** Repository-relative, with forward slashes. */
  readonly path: string;
  readonly status: 'added' | 'modified' | 'deleted' | 'renamed';
  /** The path before a rename. */
  readonly previousPath?: string;
}

/** The git facts a risk summary is made of (src/core/risk.ts). */
export interface ChangeSource {
  /** Files changed between two commits; undefined when either commit is missing locally. */
  changedFiles(from: string, to: string): Promise<readonly ChangedFile[] | undefined>;
  /** A file's content at a commit; undefined when it does not exist there. */
  fileAt(sha: string, path: string): Promise<string | undefined>;
}

export interface GitPort extends ChangeSource {
  head(): Promise<HeadInfo | undefined>;
  /** undefined when the repository does not have the commit. */
  commit(sha: string): Promise<CommitInfo | undefined>;
  /**
   * Commits reachable from `to` and not from `from`, newest first. undefined when either commit is missing
   * locally (shallow clone, other branch): the caller offers to fetch instead of showing an empty list.
   */
  commitsBetween(from: string, to: string): Promise<readonly CommitInfo[] | undefined>;
  /** Number of files changed between two commits; undefined when unknown. */
  filesChanged(from: string, to: string): Promise<number | undefined>;
  /** Recent commits of the current branch, newest first. */
  recent(max: number): Promise<readonly CommitInfo[]>;
  fetch(): Promise<void>;
}
