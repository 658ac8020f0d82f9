// Which environments run or await a commit: the marks the Commits view shows next to each commit. Pure.

import type { EnvironmentStatus } from '../../core/model';

export interface CommitMark {
  readonly env: string;
  /** deployed: last deployed version; desired: set to be deployed next; approval: waits for approval. */
  readonly role: 'deployed' | 'desired' | 'approval';
}

export function commitMarks(sha: string, statuses: readonly EnvironmentStatus[]): CommitMark[] {
  const marks: CommitMark[] = [];
  for (const s of statuses) {
    if (s.pipeline?.pendingApproval?.version === sha) marks.push({ env: s.name, role: 'approval' });
    else if (s.lastDeployedVersion === sha) marks.push({ env: s.name, role: 'deployed' });
    else if (s.desiredVersion === sha) marks.push({ env: s.name, role: 'desired' });
  }
  return marks;
}

/**
 * The marks in words, for the front of the row's label where a narrow sidebar still shows them (the row's
 * codicon says the strongest role). No emoji: ⏳ renders as an empty box where no emoji font exists.
 */
export function describeMarks(marks: readonly CommitMark[]): string {
  return marks.map((m) => (m.role === 'deployed' ? m.env : m.role === 'approval' ? `${m.env} awaits approval` : `${m.env} desired`)).join(', ');
}
