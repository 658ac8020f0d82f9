// The history of an environment: each execution of its normal pipeline with the version it deployed (or proposed),
// who started it, who approved or rejected it with their comment, its stages with durations and how it ended.
// Pure: built from ListPipelineExecutions, ListActionExecutions per execution and the version parameters' history.
//
// Which version an execution is about. CodePipeline does not record it; the Spryker pipeline reads desired_version
// (after the approval) and UpdateDeployedVersion writes the deployed-version parameter at its end. So, in order:
//   deployed-version   the deployed-version parameter was written while the execution ran (it deployed that);
//   desired-at-approval desired_version as it stood when the approval was decided (what the build stage read);
//   desired-at-start   desired_version as it stood when the execution started (what its comparison showed);
//   source-revision    the source action's commit, when it is a full hash.

import type { ActionStatus, EnvironmentConfig, ExecutionStatus, ExecutionSummary, Version } from './model';
import { outcomeOfActions, personOf, type ExecutionOutcome } from './outcome';
import type { ActionExecutionInfo, ParameterHistoryEntry } from './ports';
import { isVersion, versionValue } from './version';

export type HistoryVersionSource = 'deployed-version' | 'desired-at-approval' | 'desired-at-start' | 'source-revision';

/** An approval action someone decided. */
export interface HistoryDecision {
  readonly action: string;
  readonly decision: 'Approved' | 'Rejected';
  /** The person (the last part of the approver's ARN). */
  readonly by?: string;
  /** The approver's ARN as AWS records it (`updatedBy`). */
  readonly byArn?: string;
  readonly comment?: string;
  readonly at?: Date;
}

export interface HistoryStage {
  readonly name: string;
  /** The stage's latest attempt: Failed if an action failed, InProgress while one runs, else its actions' status. */
  readonly status: ActionStatus;
  readonly startedAt?: Date;
  /** Undefined while it runs. */
  readonly finishedAt?: Date;
  readonly durationMs?: number;
}

export interface HistoryEntry extends ExecutionSummary {
  readonly version?: Version;
  readonly versionSource?: HistoryVersionSource;
  /** The person who started it (StartPipelineExecution's caller), when AWS names one. */
  readonly startedBy?: string;
  /** When it ended; undefined while it runs or waits. */
  readonly finishedAt?: Date;
  /** From start to end (or to now while it runs). */
  readonly durationMs?: number;
  readonly outcome: ExecutionOutcome;
  /** Approval decisions, oldest first (several when QA and the product owner decide). */
  readonly decisions: readonly HistoryDecision[];
  /** Stages in the order they ran, with durations. */
  readonly stages: readonly HistoryStage[];
  /** Why the stages and decisions are missing (ListActionExecutions failed for this execution). */
  readonly detailsError?: string;
}

const ACTIVE: readonly ExecutionStatus[] = ['InProgress', 'Stopping'];

/** The value a parameter held at a moment (its history is oldest first), or undefined before its first version. */
export function valueAt(history: readonly ParameterHistoryEntry[], at: Date | undefined): string | undefined {
  if (!at) return undefined;
  let value: string | undefined;
  for (const h of history) {
    if (h.lastModified && h.lastModified.getTime() <= at.getTime()) value = h.value;
  }
  return value;
}

function asVersion(raw: string | undefined): Version | undefined {
  if (raw === undefined) return undefined;
  const v = versionValue(raw);
  return isVersion(v) ? v : undefined;
}

export function decisionsOf(actions: readonly ActionExecutionInfo[], stages: EnvironmentConfig['stages']): HistoryDecision[] {
  return actions
    .filter((a) => a.stageName === stages.approval && a.updatedBy && (a.status === 'Succeeded' || a.status === 'Failed'))
    .map((a) => {
      const by = personOf(a.updatedBy);
      const comment = a.summary?.trim();
      return {
        action: a.actionName,
        decision: a.status === 'Succeeded' ? ('Approved' as const) : ('Rejected' as const),
        ...(by ? { by } : {}),
        ...(a.updatedBy ? { byArn: a.updatedBy } : {}),
        ...(comment ? { comment } : {}),
        ...(a.lastUpdateTime ? { at: a.lastUpdateTime } : {}),
      };
    })
    .sort((a, b) => (a.at?.getTime() ?? 0) - (b.at?.getTime() ?? 0));
}

/** The stages of one execution from its action executions (newest first as AWS lists them; a retry adds attempts). */
export function stagesOf(actions: readonly ActionExecutionInfo[], now: Date): HistoryStage[] {
  const byStage = new Map<string, ActionExecutionInfo[]>();
  for (const a of [...actions].sort((x, y) => (x.startTime?.getTime() ?? 0) - (y.startTime?.getTime() ?? 0))) {
    const list = byStage.get(a.stageName) ?? [];
    list.push(a);
    byStage.set(a.stageName, list);
  }
  const stages: HistoryStage[] = [];
  for (const [name, runs] of byStage) {
    // The latest attempt of each action decides the stage's status (a retried action failed first, then succeeded).
    const latest = new Map<string, ActionExecutionInfo>();
    for (const r of runs) latest.set(r.actionName, r);
    const statuses = [...latest.values()].map((r) => r.status);
    const status: ActionStatus = statuses.includes('Failed')
      ? 'Failed'
      : statuses.includes('InProgress') || statuses.some((s) => s === undefined)
        ? 'InProgress'
        : statuses.includes('Abandoned')
          ? 'Abandoned'
          : 'Succeeded';
    const starts = runs.map((r) => r.startTime?.getTime()).filter((t): t is number => t !== undefined);
    const ends = runs.map((r) => r.lastUpdateTime?.getTime()).filter((t): t is number => t !== undefined);
    const startedAt = starts.length ? new Date(Math.min(...starts)) : undefined;
    const finishedAt = status !== 'InProgress' && ends.length ? new Date(Math.max(...ends)) : undefined;
    const end = finishedAt ?? (status === 'InProgress' ? now : undefined);
    stages.push({
      name,
      status,
      ...(startedAt ? { startedAt } : {}),
      ...(finishedAt ? { finishedAt } : {}),
      ...(startedAt && end ? { durationMs: Math.max(0, end.getTime() - startedAt.getTime()) } : {}),
    });
  }
  return stages.sort((a, b) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0));
}

/** Which version an execution deployed or proposed (see the rule at the top of this file). */
export function versionOf(input: {
  readonly execution: ExecutionSummary;
  readonly decisions: readonly HistoryDecision[];
  readonly desiredHistory: readonly ParameterHistoryEntry[];
  readonly deployedHistory: readonly ParameterHistoryEntry[];
}): { version: Version; source: HistoryVersionSource } | undefined {
  const { execution: e } = input;
  const start = e.startTime?.getTime();
  const end = ACTIVE.includes(e.status) ? Infinity : e.lastUpdateTime?.getTime();
  if (e.status === 'Succeeded' && start !== undefined && end !== undefined) {
    const written = input.deployedHistory.filter((h) => h.lastModified && h.lastModified.getTime() >= start && h.lastModified.getTime() <= end).pop();
    const version = asVersion(written?.value);
    if (version) return { version, source: 'deployed-version' };
  }
  const approved = input.decisions.filter((d) => d.decision === 'Approved').pop();
  if (approved?.at) {
    const version = asVersion(valueAt(input.desiredHistory, approved.at));
    if (version) return { version, source: 'desired-at-approval' };
  }
  const atStart = asVersion(valueAt(input.desiredHistory, e.startTime));
  if (atStart) return { version: atStart, source: 'desired-at-start' };
  const fromSource = e.sourceRevisions?.map((r) => asVersion(r.revisionId)).find((v) => v !== undefined);
  if (fromSource) return { version: fromSource, source: 'source-revision' };
  return undefined;
}

/** One history entry from what AWS answered for the execution (`actions` undefined when they could not be read). */
export function historyEntry(input: {
  readonly execution: ExecutionSummary;
  readonly actions?: readonly ActionExecutionInfo[];
  readonly detailsError?: string;
  readonly desiredHistory: readonly ParameterHistoryEntry[];
  readonly deployedHistory: readonly ParameterHistoryEntry[];
  readonly stages: EnvironmentConfig['stages'];
  readonly now: Date;
}): HistoryEntry {
  const e = input.execution;
  const actions = input.actions ?? [];
  const decisions = decisionsOf(actions, input.stages);
  const found = versionOf({ execution: e, decisions, desiredHistory: input.desiredHistory, deployedHistory: input.deployedHistory });
  const active = ACTIVE.includes(e.status);
  const finishedAt = active ? undefined : e.lastUpdateTime;
  const end = finishedAt ?? (active ? input.now : undefined);
  const startedBy = e.trigger === 'StartPipelineExecution' ? personOf(e.triggerDetail) : undefined;
  return {
    ...e,
    ...(startedBy ? { startedBy } : {}),
    ...(found ? { version: found.version, versionSource: found.source } : {}),
    ...(finishedAt ? { finishedAt } : {}),
    ...(e.startTime && end ? { durationMs: Math.max(0, end.getTime() - e.startTime.getTime()) } : {}),
    outcome: outcomeOfActions(e.status, actions, input.stages),
    decisions,
    stages: stagesOf(actions, input.now),
    ...(input.detailsError ? { detailsError: input.detailsError } : {}),
  };
}

/** "1 h 4 min", "3 min 20 s", "45 s": a duration as the history shows it. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** How an execution ended, for a history line: "deployed", "rejected by jane.doe: …", "failed at Run_install", … */
export function endedAs(entry: HistoryEntry): string {
  const o = entry.outcome;
  switch (o.kind) {
    case 'deployed':
      return 'deployed';
    case 'rejected':
      return `rejected${o.by ? ` by ${o.by}` : ''}${o.comment ? `: ${o.comment}` : ''}`;
    case 'failed':
      return o.stage ? `failed at ${o.stage}${o.message ? `: ${o.message}` : ''}` : `failed${entry.statusSummary ? `: ${entry.statusSummary}` : ''}`;
    case 'expired':
      return `approval expired at ${o.stage}`;
    case 'stopped':
      return `stopped${o.stage ? ` at ${o.stage}` : ''}${entry.statusSummary ? ` (${entry.statusSummary.replace(/^Stopped:\s*/, '')})` : ''}`;
    case 'superseded':
      return 'superseded';
    case 'awaiting-approval':
      return 'waiting for approval';
    case 'running':
      return o.stage ? `running: ${o.stage}` : 'running';
    case 'none':
      return 'never ran';
  }
}

/** `arn:aws:sts::123:assumed-role/Role/jane.doe` → `jane.doe (Role)`: the person, not the ARN, in a pick list. */
export function whoFromArn(identity: string): string {
  const m = /^arn:aws[\w-]*:(?:sts|iam)::\d*:(?:assumed-role\/([^/]+)\/(.+)|user\/(?:.*\/)?(.+))$/.exec(identity);
  if (!m) return identity;
  return m[3] ?? `${m[2]} (${m[1]})`;
}

/** The roles that write the version parameters for the pipeline: never "who did it". */
const SERVICE_ROLE = /AWSCodeBuild|CodeBuild|CodePipeline|codepipeline|codebuild/;

/**
 * Who is behind a deployed version, in words: the approvers and the starter of the execution that deployed it
 * (from the history), never the build role that wrote the parameter. The parameter's writer is named only when it
 * is a person and the history has nobody.
 */
export function whoDeployed(entry: Pick<HistoryEntry, 'decisions' | 'startedBy'> | undefined, parameterWriter: string | undefined): string | undefined {
  const approvers = approversOf(entry);
  const parts = [
    ...(approvers.length ? [`approved by ${approvers.join(' and ')}`] : []),
    ...(entry?.startedBy && !SERVICE_ROLE.test(entry.startedBy) ? [`started by ${entry.startedBy}`] : []),
  ];
  if (parts.length) return parts.join(', ');
  return parameterWriter && !SERVICE_ROLE.test(parameterWriter) ? `by ${whoFromArn(parameterWriter)}` : undefined;
}

/** Who approved the execution, each once, in the order they decided (several approval actions, one person each). */
export function approversOf(entry: Pick<HistoryEntry, 'decisions'> | undefined): string[] {
  return [...new Set((entry?.decisions ?? []).filter((d) => d.decision === 'Approved' && d.by).map((d) => d.by as string))];
}
