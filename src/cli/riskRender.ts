// How the CLI prints a risk summary (src/core/risk.ts): the lines of `diff` and of deploy/rollback/approve, and
// the documented `diff --json` shape (README.md next to this file). Pure.

import type { ChangedFile, CommitInfo } from '../core/git';
import { categoryPhrase, moduleChangeText, riskLine, type RiskSummary } from '../core/risk';
import { shortVersion } from '../core/version';

/** At most this many files per category in text output; JSON carries them all. */
const FILES_SHOWN = 8;

export function riskText(summary: RiskSummary): string[] {
  if (summary.categories.length === 0) return ['Nothing risky changed (no schema, module, deploy or configuration change).', ...summary.notes.map((n) => `  note: ${n}`)];
  const lines: string[] = [];
  for (const c of summary.categories) {
    lines.push(`${c.title}: ${categoryPhrase(c)}`);
    if (c.modules) for (const m of c.modules) lines.push(`  ${moduleChangeText(m)}`);
    else {
      for (const f of c.files.slice(0, FILES_SHOWN)) lines.push(`  ${f}`);
      if (c.files.length > FILES_SHOWN) lines.push(`  … and ${c.files.length - FILES_SHOWN} more`);
    }
  }
  for (const n of summary.notes) lines.push(`note: ${n}`);
  return lines;
}

export interface DiffResult {
  readonly from: string;
  readonly to: string;
  readonly fromCommit?: CommitInfo;
  readonly toCommit?: CommitInfo;
  readonly commits: readonly CommitInfo[];
  readonly files: readonly ChangedFile[];
  readonly risk: RiskSummary;
  /** The summary of the opposite direction when `to` is older than `from` (a rollback): its schema warning. */
  readonly rollbackWarning?: string;
}

export function diffText(d: DiffResult): string {
  const label = (sha: string, c: CommitInfo | undefined) => `${shortVersion(sha)}${c ? ` "${c.subject}"` : ''}`;
  return [
    `${label(d.from, d.fromCommit)} → ${label(d.to, d.toCommit)}`,
    `${d.commits.length} commit(s), ${d.files.length} file(s) changed`,
    ...(d.rollbackWarning ? [d.rollbackWarning] : []),
    ...riskText(d.risk),
  ].join('\n');
}

export function diffJson(d: DiffResult) {
  return {
    from: d.from,
    to: d.to,
    commits: d.commits.map((c) => ({ sha: c.sha, subject: c.subject, author: c.author, date: c.date && !Number.isNaN(c.date.getTime()) ? c.date.toISOString() : null })),
    files: d.files.map((f) => ({ path: f.path, status: f.status, previousPath: f.previousPath ?? null })),
    risk: {
      line: riskLine(d.risk) ?? null,
      rollbackWarning: d.rollbackWarning ?? null,
      categories: d.risk.categories.map((c) => ({
        id: c.id,
        title: c.title,
        files: c.files,
        modules: c.modules?.map((m) => ({ name: m.name, from: m.from ?? null, to: m.to ?? null, change: m.change, major: m.major })) ?? null,
        appliesTo: c.appliesTo ?? null,
      })),
      notes: d.risk.notes,
    },
  };
}
