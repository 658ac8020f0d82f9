// A past execution (from the History) as the approval panel's view model, read-only: the version it deployed or
// proposed against the one that ran before, the commits between them, its stages with durations, how it ended and
// who decided. Pure: no vscode import, unit-tested with plain data.

import type { EnvironmentConfig } from '../../core/model';
import { endedAs, type HistoryEntry } from '../../core/history';
import type { ApprovalViewModel, PastExecutionView, TimelineStageView, TimelineStatus } from '../../webview/protocol';
import { commitsViewOf, riskView, versionCardOf, type GitFacts } from './viewModel';

const VERSION_SOURCE: Record<NonNullable<HistoryEntry['versionSource']>, string> = {
  'deployed-version': 'the deployed-version parameter, written while it ran',
  'desired-at-approval': 'desired_version as it stood when the approval was decided',
  'desired-at-start': 'desired_version as it stood when it started',
  'source-revision': "the source action's commit",
};

export interface PastExecutionInput {
  readonly config: EnvironmentConfig;
  readonly entry: HistoryEntry;
  /** The version the environment ran before it (the previous execution that deployed), when known. */
  readonly previousVersion?: string;
  /** What the local repository knows between `previousVersion` and the entry's version (loadGitFacts). */
  readonly git: GitFacts;
  readonly now: Date;
  readonly busy?: ApprovalViewModel['busy'];
  readonly error?: ApprovalViewModel['error'];
}

export function pastExecutionView(config: EnvironmentConfig, e: HistoryEntry): PastExecutionView {
  return {
    executionId: e.executionId,
    pipelineName: config.pipelines.normal,
    status: e.status,
    ended: endedAs(e),
    deployed: e.outcome.kind === 'deployed',
    ...(e.startTime ? { startedAt: e.startTime.toISOString() } : {}),
    ...(e.startedBy ? { startedBy: e.startedBy } : {}),
    ...(e.finishedAt ? { finishedAt: e.finishedAt.toISOString() } : {}),
    ...(e.durationMs !== undefined ? { durationMs: e.durationMs } : {}),
    ...(e.versionSource ? { versionSource: VERSION_SOURCE[e.versionSource] } : {}),
    decisions: e.decisions.map((d) => ({
      action: d.action,
      decision: d.decision,
      ...(d.by ? { by: d.by } : {}),
      ...(d.comment ? { comment: d.comment } : {}),
      ...(d.at ? { at: d.at.toISOString() } : {}),
    })),
    ...(e.detailsError ? { detailsError: e.detailsError } : {}),
  };
}

/** The stages as the execution ran them (ListActionExecutions), each with how long it took. */
function stagesOf(config: EnvironmentConfig, e: HistoryEntry): TimelineStageView[] {
  return e.stages.map((s) => ({
    name: s.name,
    status: s.status as TimelineStatus,
    isApproval: s.name === config.stages.approval,
    ...(s.durationMs !== undefined ? { durationMs: s.durationMs } : {}),
    actions: [],
  }));
}

export function buildPastExecutionViewModel(input: PastExecutionInput): ApprovalViewModel {
  const { config, entry, git } = input;
  const versions = { ...(input.previousVersion !== undefined ? { running: input.previousVersion } : {}), ...(entry.version !== undefined ? { target: entry.version } : {}) };
  const commits =
    versions.running === undefined
      ? { kind: 'unknown' as const, reason: 'The version that ran before it is not known (no earlier deploy among the executions read).' }
      : versions.target === undefined
        ? { kind: 'unknown' as const, reason: 'The version of this execution is not known.' }
        : commitsViewOf(versions, git);
  const risk = git.commits ? riskView(git.risk) : undefined;
  return {
    env: config.name,
    production: config.production,
    region: config.region,
    builtAt: input.now.toISOString(),
    running: versionCardOf(versions.running, git.running, git),
    target: versionCardOf(versions.target, git.target, git),
    commits,
    ...(git.commits && git.filesChanged !== undefined ? { filesChanged: git.filesChanged } : {}),
    ...(risk ? { risk } : {}),
    comparison: { lines: [], disagrees: false, disagreements: [] },
    pipeline: { name: config.pipelines.normal, status: entry.status, executionId: entry.executionId, stages: stagesOf(config, entry) },
    ...(input.busy ? { busy: input.busy } : {}),
    ...(input.error ? { error: input.error } : {}),
    canModify: false,
    past: pastExecutionView(config, entry),
  };
}
