// The comparison of two environments as a Markdown document, shown in VS Code's own Markdown preview of a
// read-only virtual document: tables for the services, lists for the commits, theme colours for free, copyable
// text, and no webview of our own to secure. Pure (no vscode): the command gathers the facts, this writes them.

import type { ChangedFile, CommitInfo } from '../../core/git';
import type { EnvironmentComparison } from '../../core/promotion';
import type { ChangeAssessment } from '../../core/risk';
import { relativeTime, utcTimestamp } from '../../core/time';
import { shortVersion } from '../../core/version';
import { riskLines } from '../deploy/changeDescription';

/** What git says between the two deployed versions; undefined parts could not be read. */
export interface ComparisonGitFacts {
  /** Commits the source runs that the target lacks. */
  readonly sourceOnly: readonly CommitInfo[];
  readonly targetOnly: readonly CommitInfo[];
  readonly files: readonly ChangedFile[];
  readonly risk?: ChangeAssessment;
  readonly subjects: ReadonlyMap<string, string>;
}

export interface ComparisonDocumentInput {
  readonly comparison: EnvironmentComparison;
  /** undefined: no repository is open, or it lacks one of the versions (`gitProblem` says which). */
  readonly git?: ComparisonGitFacts;
  readonly gitProblem?: string;
  /** When each environment's status was read, and the error of the last refresh when it failed (stale data). */
  readonly readAt: { readonly source: Date; readonly target: Date };
  readonly refreshErrors: { readonly source?: string; readonly target?: string };
  readonly now: Date;
}

/** Commits listed per direction before "and N more": a long list is read in the multi-file diff or git log. */
export const COMMITS_LISTED = 50;
export const FILES_LISTED = 200;

/** Markdown special characters in text from the repository (commit subjects, paths) are escaped: untrusted input. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

function version(v: string | undefined, subjects: ReadonlyMap<string, string> | undefined): string {
  if (!v) return 'unknown (no deployed version could be read)';
  const subject = subjects?.get(v);
  return `\`${shortVersion(v)}\`${subject ? ` ${escapeMarkdown(subject)}` : ''}`;
}

function commitLines(commits: readonly CommitInfo[], now: Date): string[] {
  const lines = commits.slice(0, COMMITS_LISTED).map((c) => `- \`${shortVersion(c.sha)}\` ${escapeMarkdown(c.subject)} — ${escapeMarkdown(c.author)}${c.date ? `, ${relativeTime(c.date, now)}` : ''}`);
  if (commits.length > COMMITS_LISTED) lines.push(`- … and ${commits.length - COMMITS_LISTED} more`);
  return lines;
}

function serviceCell(versions: readonly string[] | undefined): string {
  if (versions === undefined) return '—';
  if (versions.length === 0) return 'nothing running';
  return versions.map((v) => `\`${shortVersion(v)}\``).join(' + ');
}

function freshness(name: string, at: Date, error: string | undefined, now: Date): string | undefined {
  if (!error) return undefined;
  return `> ⚠ ${escapeMarkdown(name)} could not be read just now (${escapeMarkdown(error)}): shown as last read ${relativeTime(at, now)} (${utcTimestamp(at)}).`;
}

export function comparisonMarkdown(input: ComparisonDocumentInput): string {
  const { comparison: c, git, now } = input;
  const subjects = git?.subjects;
  const out: string[] = [`# ${escapeMarkdown(c.source)} ↔ ${escapeMarkdown(c.target)}`, ''];
  for (const line of [freshness(c.source, input.readAt.source, input.refreshErrors.source, now), freshness(c.target, input.readAt.target, input.refreshErrors.target, now)]) {
    if (line) out.push(line, '');
  }
  out.push('| Environment | Deployed version |', '| --- | --- |');
  out.push(`| ${escapeMarkdown(c.source)} | ${version(c.sourceVersion, subjects)} |`);
  out.push(`| ${escapeMarkdown(c.target)} | ${version(c.targetVersion, subjects)} |`, '');
  if (c.sameVersion) out.push('Both run the same deployed version.', '');
  else if (!git) out.push(`**Commits and files:** unknown — ${escapeMarkdown(input.gitProblem ?? 'the local repository cannot compare the two versions')}.`, '');
  else {
    out.push(`## ${git.sourceOnly.length} commit(s) ${escapeMarkdown(c.source)} has that ${escapeMarkdown(c.target)} lacks`, '');
    out.push(...(git.sourceOnly.length ? commitLines(git.sourceOnly, now) : ['None.']), '');
    out.push(`## ${git.targetOnly.length} commit(s) ${escapeMarkdown(c.target)} has that ${escapeMarkdown(c.source)} lacks`, '');
    out.push(...(git.targetOnly.length ? commitLines(git.targetOnly, now) : ['None.']), '');
    const risk = riskLines(git.risk, true);
    out.push(`**Promoting ${escapeMarkdown(c.source)} → ${escapeMarkdown(c.target)}:** ${escapeMarkdown(risk.line)}`, '');
    if (risk.warning) out.push(`> ⚠ ${escapeMarkdown(risk.warning)}`, '');
    out.push(`## ${git.files.length} file(s) differ`, '');
    const files = git.files.slice(0, FILES_LISTED).map((f) => `- ${f.status}: \`${f.path.replace(/`/g, "'")}\`${f.previousPath ? ` (from \`${f.previousPath.replace(/`/g, "'")}\`)` : ''}`);
    if (git.files.length > FILES_LISTED) files.push(`- … and ${git.files.length - FILES_LISTED} more`);
    out.push(...(files.length ? files : ['None.']), '');
  }
  out.push('## Services', '');
  if (c.services.length === 0) out.push('Neither environment has an ECS service that could be read.', '');
  else {
    out.push(`| Service | ${escapeMarkdown(c.source)} | ${escapeMarkdown(c.target)} | |`, '| --- | --- | --- | --- |');
    for (const s of c.services) out.push(`| ${escapeMarkdown(s.role)} | ${serviceCell(s.source)} | ${serviceCell(s.target)} | ${s.same ? 'same' : '**differs**'} |`);
    out.push('');
  }
  if (c.unknown.length) {
    out.push('## Could not be read', '', ...c.unknown.map((u) => `- ${escapeMarkdown(u)}`), '');
  }
  out.push(`_Read ${utcTimestamp(now)}. Run the comparison again to refresh it._`, '');
  return out.join('\n');
}
