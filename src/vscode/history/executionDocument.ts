// A past execution as a read-only Markdown document: versions, the commits it brought, its stages with durations
// and the decision. Pure: the words are tested without VS Code.

import type { CommitInfo } from '../../core/git';
import { endedAs, formatDuration, type HistoryEntry } from '../../core/history';
import { utcTimestamp } from '../../core/time';
import { shortVersion } from '../../core/version';

export interface ExecutionDocumentInput {
  readonly environment: string;
  readonly pipeline: string;
  readonly entry: HistoryEntry;
  /** The version the environment ran before (the previous deployed execution's), when known. */
  readonly previousVersion?: string;
  readonly commit?: CommitInfo;
  readonly previousCommit?: CommitInfo;
  /** Commits from the previous version to this one; undefined when the repository could not tell (`gitProblem`). */
  readonly commits?: readonly CommitInfo[];
  readonly gitProblem?: string;
}

const VERSION_SOURCE: Record<NonNullable<HistoryEntry['versionSource']>, string> = {
  'deployed-version': 'the deployed-version parameter, written while it ran',
  'desired-at-approval': 'desired_version as it stood when the approval was decided',
  'desired-at-start': 'desired_version as it stood when it started',
  'source-revision': "the source action's commit",
};

/** Markdown special characters escaped: subjects, comments and AWS messages are not ours. */
function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

function versionLine(label: string, sha: string | undefined, commit: CommitInfo | undefined): string {
  if (!sha) return `- **${label}:** unknown`;
  return `- **${label}:** \`${shortVersion(sha)}\`${commit ? ` ${md(commit.subject)} (${md(commit.author)})` : ''} — \`${sha}\``;
}

export function executionMarkdown(input: ExecutionDocumentInput): string {
  const e = input.entry;
  const out = [
    `# ${md(input.environment)}: ${md(endedAs(e))}`,
    '',
    `_Read-only: execution \`${e.executionId}\` of ${md(input.pipeline)}, as AWS recorded it._`,
    '',
    '## Versions',
    '',
    versionLine('Deployed or proposed', e.version, input.commit),
    ...(e.versionSource ? [`  (known from ${VERSION_SOURCE[e.versionSource]})`] : []),
    versionLine('Running before', input.previousVersion, input.previousCommit),
    '',
    '## When and who',
    '',
    `- **Started:** ${e.startTime ? utcTimestamp(e.startTime) : 'unknown'}${e.startedBy ? ` by ${md(e.startedBy)}` : ''}`,
    `- **Finished:** ${e.finishedAt ? utcTimestamp(e.finishedAt) : 'not yet'}${e.durationMs !== undefined ? ` (${e.finishedAt ? 'took' : 'running for'} ${formatDuration(e.durationMs)})` : ''}`,
    `- **Result:** ${e.status} — ${md(endedAs(e))}`,
    '',
    '## Decision',
    '',
  ];
  if (e.decisions.length === 0) out.push(e.detailsError ? '_Not read._' : '_Nobody approved or rejected it._');
  for (const d of e.decisions) out.push(`- **${d.decision}** by ${md(d.by ?? 'someone')}${d.at ? ` at ${utcTimestamp(d.at)}` : ''} (${md(d.action)})${d.comment ? `: “${md(d.comment)}”` : ''}`);
  out.push('', '## Stages', '');
  if (e.detailsError) out.push(`⚠ The stages could not be read: ${md(e.detailsError)}`);
  else if (e.stages.length === 0) out.push('_No stage ran._');
  else {
    out.push('| Stage | Result | Started | Took |', '| --- | --- | --- | --- |');
    for (const s of e.stages) out.push(`| ${md(s.name)} | ${s.status} | ${s.startedAt ? utcTimestamp(s.startedAt) : ''} | ${formatDuration(s.durationMs)}${s.finishedAt ? '' : ' (running)'} |`);
  }
  out.push('', '## Commits', '');
  if (input.commits) {
    if (input.commits.length === 0) out.push('_None: the same version as before._');
    for (const c of input.commits) out.push(`- \`${shortVersion(c.sha)}\` ${md(c.subject)} — ${md(c.author)}${c.date ? `, ${utcTimestamp(c.date)}` : ''}`);
  } else out.push(`_Unknown: ${md(input.gitProblem ?? 'not compared')}._`);
  return `${out.join('\n')}\n`;
}
