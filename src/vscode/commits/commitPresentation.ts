// How a commit of the Commits view looks and which actions it offers. Pure, like the Environments view's
// presentation it builds on (the dependency goes commits/ → tree/, never back).

import type { CommitInfo } from '../../core/git';
import type { ContextInputs } from '../tree/contextValue';
import { relativeTime } from '../../core/time';
import { commitMarkdown, short, WAITING, type Presentation } from '../tree/presentation';
import { describeMarks, type CommitMark } from './commitMarks';

export function commitContextTokens(marks: readonly CommitMark[], { canModify }: ContextInputs): string[] {
  const t = ['commit'];
  if (canModify) t.push('canDeploy');
  if (marks.some((m) => m.role === 'deployed')) t.push('isDeployed');
  return t;
}

/** A commit of the Commits view. */
export function presentCommit(commit: CommitInfo, marks: readonly CommitMark[], ctx: ContextInputs, now: Date = new Date()): Presentation {
  const deployed = marks.some((m) => m.role === 'deployed');
  const waiting = marks.some((m) => m.role === 'approval');
  const markText = describeMarks(marks);
  const tip = [commitMarkdown(commit.sha, commit)];
  if (marks.length) tip.push('', marks.map((m) => `${m.env}: ${m.role === 'deployed' ? 'deployed' : m.role === 'approval' ? 'waiting for approval' : 'desired version'}`).join('  \n'));
  return {
    id: `commit:${commit.sha}`,
    // The environments lead the label: a long subject pushes the description (and anything after it) out of a
    // narrow sidebar, but the start of the label is always seen.
    label: `${markText ? `${markText}: ` : ''}${commit.subject || commit.sha}`,
    description: `${short(commit.sha)} · ${commit.author}${commit.date ? `, ${relativeTime(commit.date, now)}` : ''}`,
    tooltip: tip.join('\n'),
    icon: waiting ? WAITING : deployed ? { id: 'cloud', color: 'testing.iconPassed' } : marks.length ? { id: 'target', color: 'charts.yellow' } : { id: 'git-commit' },
    contextValue: commitContextTokens(marks, ctx).join(' '),
    collapsible: 'none',
    command: { id: 'sprykerDeploy.commit.open', title: 'Open Commit Changes' },
  };
}
