// What moving an environment from one version to another does to its history: the commits it adds, the commits it
// undoes (a rollback: the new version is an ancestor of the running one), or both (the versions diverged). The
// confirmation, the rollback picker and the approval panel all say it in these terms. Pure.

import type { CommitInfo, GitPort } from './git';
import { shortVersion } from './version';

export type ChangeDirection = 'same' | 'forward' | 'rollback' | 'diverged';

export interface VersionChange {
  /** Commits the new version has and the running one has not, newest first. */
  readonly added: readonly CommitInfo[];
  /** Commits the running version has and the new one has not (what a rollback removes), newest first. */
  readonly undone: readonly CommitInfo[];
  /** Files that differ between the two versions (both directions); undefined when git could not say. */
  readonly files?: number;
}

export function changeDirection(change: Pick<VersionChange, 'added' | 'undone'>): ChangeDirection {
  if (change.undone.length === 0) return change.added.length === 0 ? 'same' : 'forward';
  return change.added.length === 0 ? 'rollback' : 'diverged';
}

/** Both directions of the history between two versions; undefined when the local repository lacks either. */
export async function loadVersionChange(git: Pick<GitPort, 'commitsBetween' | 'filesChanged'>, from: string, to: string): Promise<VersionChange | undefined> {
  const [added, undone, files] = await Promise.all([
    git.commitsBetween(from, to).catch(() => undefined),
    git.commitsBetween(to, from).catch(() => undefined),
    git.filesChanged(from, to).catch(() => undefined),
  ]);
  if (!added || !undone) return undefined;
  return { added, undone, ...(files !== undefined ? { files } : {}) };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "3 files changed" or nothing when unknown. */
function filesPhrase(files: number | undefined): string {
  return files === undefined ? '' : `, ${plural(files, 'file')} changed`;
}

/** One commit on one line: `− a1b2c3d Subject (Author)`. */
export function commitLine(commit: CommitInfo, mark: '+' | '−'): string {
  return `  ${mark} ${shortVersion(commit.sha)} ${commit.subject} (${commit.author})`;
}

/**
 * The lines of a confirmation: what the change adds or undoes, the undone commits listed newest first (at most
 * `max`, then how many more).
 */
export function changeLines(change: VersionChange, max = 10): string[] {
  const direction = changeDirection(change);
  const list = (commits: readonly CommitInfo[], mark: '+' | '−'): string[] => [
    ...commits.slice(0, max).map((c) => commitLine(c, mark)),
    ...(commits.length > max ? [`  … and ${commits.length - max} older`] : []),
  ];
  switch (direction) {
    case 'same':
      return [`No commits between the deployed and the new version${filesPhrase(change.files)}.`];
    case 'forward':
      return [`Adds ${plural(change.added.length, 'commit')}${filesPhrase(change.files)}.`];
    case 'rollback':
      return [`Rolls back ${plural(change.undone.length, 'commit')}${filesPhrase(change.files)}; removed, newest first:`, ...list(change.undone, '−')];
    case 'diverged':
      return [
        `The versions diverged: adds ${plural(change.added.length, 'commit')} and removes ${plural(change.undone.length, 'commit')}${filesPhrase(change.files)}. Removed, newest first:`,
        ...list(change.undone, '−'),
      ];
  }
}

/** The rollback picker's one-line summary: `undoes 3 commits, 5 files changed: a1b2c3d Subject; …`. */
export function undoneSummary(change: VersionChange, max = 3): string {
  if (change.undone.length === 0) return change.added.length === 0 ? 'no commits change' : `adds ${plural(change.added.length, 'commit')}${filesPhrase(change.files)}`;
  const shown = change.undone.slice(0, max).map((c) => `${shortVersion(c.sha)} ${c.subject}`);
  const more = change.undone.length > max ? `; … ${change.undone.length - max} more` : '';
  return `undoes ${plural(change.undone.length, 'commit')}${filesPhrase(change.files)}: ${shown.join('; ')}${more}`;
}
