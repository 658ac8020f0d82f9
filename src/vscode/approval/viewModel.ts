// Builds the approval panel's view model from the domain (approval details, polled status, local git facts).
// Pure: no vscode import, so every rule here is unit-tested with plain data (test/unit/webview).

import type { CommitInfo, GitPort } from '../../core/git';
import type { ApprovalDetails, EnvironmentConfig, PendingApproval, EnvironmentStatus, PipelineStatus, StageState } from '../../core/model';
import { approvalEnding, describeOutcome } from '../../core/outcome';
import { stageInExecution } from '../../core/pipeline';
import { compareEnvironments, promotionTarget } from '../../core/promotion';
import { assessChange, categoryCount, DEFAULT_RISK_RULES, type ChangeAssessment, type RiskRules } from '../../core/risk';
import { isVersion, shortVersion, versionValue } from '../../core/version';
import { loadVersionChange } from '../../core/versionChange';
import type {
  ApprovalRefView,
  ApprovalViewModel,
  CommitsView,
  CommitView,
  ComparisonView,
  FailureView,
  OutcomeView,
  PanelErrorView,
  PipelineView,
  PromotionView,
  RiskView,
  ServiceChangeView,
  TimelineActionView,
  TimelineStageView,
  TimelineStatus,
  VersionCardView,
} from '../../webview/protocol';

/** More commits than this is not a list anyone reads before approving; the panel says how many were left out. */
export const MAX_COMMITS_SHOWN = 200;

/** What the local repository knows about the two versions. */
export interface GitFacts {
  readonly repository: boolean;
  /** Without a repository: why (the panel says it instead of "open the repository"). */
  readonly noRepositoryReason?: string;
  readonly running?: CommitInfo;
  readonly target?: CommitInfo;
  /** What the target adds, newest first; undefined when the list could not be computed (see `missing`). */
  readonly commits?: readonly CommitInfo[];
  /** What the target undoes (a rollback), newest first; set with `commits`. */
  readonly undone?: readonly CommitInfo[];
  /** Versions (full shas) the local repository lacks. */
  readonly missing: readonly string[];
  /** A shallow clone: a plain fetch never brings the missing versions; Fetch Full History does. */
  readonly shallow?: boolean;
  readonly filesChanged?: number;
  /** What kind of change it is; undefined when the repository could not tell. */
  readonly risk?: ChangeAssessment;
}

export interface ViewModelInput {
  readonly config: EnvironmentConfig;
  /** The other environments as the store last read them, to tell a promotion (the target runs in one of them). */
  readonly others?: readonly { readonly config: EnvironmentConfig; readonly status?: EnvironmentStatus }[];
  readonly details?: ApprovalDetails;
  readonly status?: EnvironmentStatus;
  /** The freshest pipeline state known (the store's poll is usually newer than the details). */
  readonly pipeline?: PipelineStatus;
  readonly git: GitFacts;
  readonly busy?: ApprovalViewModel['busy'];
  readonly outcome?: OutcomeView;
  readonly error?: PanelErrorView;
  readonly canModify: boolean;
  readonly now: Date;
  /** The end of the failed stage's log when the execution shown failed (read by the panel, see failureLines). */
  readonly failureLines?: FailureLines;
}

/** What the panel read to explain a failure: for which failure (`key`), the lines, or why it could not. */
export interface FailureLines {
  readonly key: string;
  readonly lines: readonly string[];
  readonly source?: string;
  readonly error?: string;
}

/** How many lines of a failed build's log the panel shows (the error is at the end; Show Log opens all of it). */
export const FAILURE_LINES = 20;

/** Identifies one failure of one execution (a retried stage that fails again is another). */
export function failureKey(pipeline: PipelineStatus | undefined): string | undefined {
  const outcome = pipeline?.outcome;
  if (outcome?.kind !== 'failed') return undefined;
  return `${pipeline?.executionId ?? ''}|${outcome.stage}|${outcome.action ?? ''}|${outcome.at?.getTime() ?? ''}`;
}

/**
 * The lines that explain an ECS rollout failure (no build log): the failing services' latest events, oldest first
 * as a log reads.
 */
export function serviceFailureLines(status: EnvironmentStatus | undefined): { lines: string[]; services: string[] } {
  const failing = (status?.services ?? []).filter((s) => s.failedDeployment || s.rolloutState === 'FAILED');
  const lines = failing.flatMap((s) =>
    [...(s.events ?? [])]
      .slice(0, 5)
      .reverse()
      .map((e) => `${e.at ? `${e.at.toISOString()} ` : ''}${e.message}`),
  );
  return { lines, services: failing.map((s) => s.name) };
}

/** The failed-stage section: only when the execution shown failed (not rejected, expired or stopped). */
export function failureView(pipeline: PipelineStatus | undefined, read: FailureLines | undefined): FailureView | undefined {
  const outcome = pipeline?.outcome;
  const key = failureKey(pipeline);
  if (outcome?.kind !== 'failed' || key === undefined) return undefined;
  const mine = read?.key === key ? read : undefined;
  return {
    stage: outcome.stage,
    ...(outcome.action ? { action: outcome.action } : {}),
    ...(outcome.code ? { code: outcome.code } : {}),
    ...(outcome.message ? { message: outcome.message } : {}),
    ...(outcome.at ? { at: outcome.at.toISOString() } : {}),
    lines: mine ? mine.lines.slice(-FAILURE_LINES) : [],
    ...(mine?.source ? { source: mine.source } : {}),
    ...(mine?.error ? { linesError: mine.error } : {}),
  };
}

export interface ComparedVersions {
  readonly running?: string;
  readonly target?: string;
}

/** The version running now and the one the approval would deploy, parameters first, the log as a fallback. */
export function comparedVersions(details: ApprovalDetails | undefined, status: EnvironmentStatus | undefined): ComparedVersions {
  const running = details?.lastDeployedVersion ?? status?.lastDeployedVersion ?? details?.comparison?.latestDeployedVersion;
  const target = details?.approval.version ?? details?.desiredVersion ?? status?.desiredVersion ?? details?.comparison?.deploymentVersion;
  return { ...(running !== undefined ? { running } : {}), ...(target !== undefined ? { target } : {}) };
}

/** Reads what the local repository knows. Never throws: a git failure is reported as "no facts". */
export async function loadGitFacts(git: GitPort | undefined, versions: ComparedVersions, rules: RiskRules = DEFAULT_RISK_RULES): Promise<GitFacts> {
  if (!git) return { repository: false, missing: [] };
  const shas = [versions.running, versions.target].filter((v): v is string => isVersion(v));
  const [running, target] = await Promise.all([
    isVersion(versions.running) ? git.commit(versions.running).catch(() => undefined) : undefined,
    isVersion(versions.target) ? git.commit(versions.target).catch(() => undefined) : undefined,
  ]);
  const missing = shas.filter((sha) => (sha === versions.running ? !running : !target));
  if (!isVersion(versions.running) || !isVersion(versions.target) || missing.length > 0 || versions.running === versions.target) {
    return { repository: true, ...(running ? { running } : {}), ...(target ? { target } : {}), missing: [...new Set(missing)] };
  }
  const [change, risk] = await Promise.all([loadVersionChange(git, versions.running, versions.target), assessChange(git, versions.running, versions.target, rules).catch(() => undefined)]);
  const commits = change?.added;
  const filesChanged = change?.files;
  return {
    repository: true,
    ...(running ? { running } : {}),
    ...(target ? { target } : {}),
    ...(change ? { commits: change.added, undone: change.undone } : {}),
    missing: commits ? [] : [versions.running, versions.target].filter((v): v is string => v !== undefined),
    ...(filesChanged !== undefined ? { filesChanged } : {}),
    ...(commits && risk ? { risk } : {}),
  };
}

/** The panel's risk section: one entry per category that changed; undefined when the repository could not tell. */
export function riskView(risk: ChangeAssessment | undefined): RiskView | undefined {
  if (!risk) return undefined;
  return {
    categories: risk.summary.categories.map((c) => ({
      id: c.id,
      title: c.title,
      // The panel shows the title beside it, so the phrase only counts ("Database schema: 1 file").
      phrase: categoryCount(c),
      files: [...c.files],
      ...(c.modules ? { modules: c.modules.map((m) => ({ name: m.name, ...(m.from !== undefined ? { from: m.from } : {}), ...(m.to !== undefined ? { to: m.to } : {}), change: m.change, major: m.major })) } : {}),
      ...(c.appliesTo ? { appliesTo: [...c.appliesTo] } : {}),
    })),
    notes: [...risk.summary.notes],
    ...(risk.rollbackWarning ? { rollbackWarning: risk.rollbackWarning } : {}),
  };
}

export function isRevertSubject(subject: string): boolean {
  return /^revert\b/i.test(subject.trim());
}

export function toCommitView(commit: CommitInfo): CommitView {
  return {
    sha: commit.sha,
    subject: commit.subject,
    author: commit.author,
    ...(commit.date && !Number.isNaN(commit.date.getTime()) ? { date: commit.date.toISOString() } : {}),
    isMerge: commit.parents.length > 1,
    isRevert: isRevertSubject(commit.subject),
  };
}

export function versionCardOf(version: string | undefined, commit: CommitInfo | undefined, git: GitFacts): VersionCardView {
  return {
    ...(version !== undefined ? { version } : {}),
    ...(commit ? { commit: toCommitView(commit) } : {}),
    missingLocally: version !== undefined && git.missing.includes(version),
  };
}

export function commitsViewOf(versions: ComparedVersions, git: GitFacts): CommitsView {
  if (versions.running === undefined || versions.target === undefined) {
    return { kind: 'unknown', reason: versions.running === undefined ? 'The version running now is not known.' : 'The version to deploy is not known.' };
  }
  if (!isVersion(versions.running) || !isVersion(versions.target)) {
    const other = !isVersion(versions.target) ? versions.target : versions.running;
    return { kind: 'unknown', reason: `"${other}" is not a commit hash, so there are no commits to compare.` };
  }
  if (versions.running === versions.target) return { kind: 'same-version' };
  if (!git.repository) return { kind: 'no-repository', ...(git.noRepositoryReason ? { reason: git.noRepositoryReason } : {}) };
  if (!git.commits) return { kind: 'missing', missing: git.missing.length > 0 ? git.missing : [versions.running, versions.target], ...(git.shallow ? { shallow: true } : {}) };
  const undone = git.undone ?? [];
  return {
    kind: 'list',
    commits: git.commits.slice(0, MAX_COMMITS_SHOWN).map(toCommitView),
    total: git.commits.length,
    undone: undone.slice(0, MAX_COMMITS_SHOWN).map(toCommitView),
    undoneTotal: undone.length,
  };
}

/** Services whose versioned images differ from the version to deploy (sidecars with non-sha tags never change). */
export function servicesThatChange(status: EnvironmentStatus | undefined, target: string | undefined): ServiceChangeView[] | undefined {
  if (!status || status.errors.some((e) => e.part === 'services') || !isVersion(target)) return undefined;
  const changes: ServiceChangeView[] = [];
  for (const service of status.services) {
    const tags = new Set<string>();
    for (const image of service.images) if (isVersion(image.tag)) tags.add(image.tag);
    for (const version of service.runningVersions) if (isVersion(version)) tags.add(version);
    if (tags.size === 0) continue;
    if ([...tags].some((t) => t !== target)) changes.push({ name: service.name, from: [...tags].sort(), to: target });
  }
  return changes.sort((a, b) => a.name.localeCompare(b.name));
}

function sameVersion(a: string, b: string): boolean {
  return versionValue(a) === versionValue(b);
}

/** The pipeline's own comparison, flagged where it contradicts the parameters. */
export function comparisonView(config: EnvironmentConfig, details: ApprovalDetails | undefined, status: EnvironmentStatus | undefined): ComparisonView {
  const comparison = details?.comparison;
  const disagreements: string[] = [];
  const expectedTarget = details?.approval.version ?? details?.desiredVersion ?? status?.desiredVersion;
  const expectedRunning = details?.lastDeployedVersion ?? status?.lastDeployedVersion;
  const deployedParameter = status?.lastDeployedParameter ?? config.parameters.lastDeployedVersion[0];
  if (comparison?.deploymentVersion !== undefined && expectedTarget !== undefined && !sameVersion(comparison.deploymentVersion, expectedTarget)) {
    disagreements.push(
      `The pipeline's log says it deploys ${shortVersion(comparison.deploymentVersion)}, but ${config.parameters.desiredVersion} is ${shortVersion(expectedTarget)}.`,
    );
  }
  if (comparison?.latestDeployedVersion !== undefined && expectedRunning !== undefined && !sameVersion(comparison.latestDeployedVersion, expectedRunning)) {
    disagreements.push(
      `The pipeline's log says ${shortVersion(comparison.latestDeployedVersion)} is deployed, but ${deployedParameter} is ${shortVersion(expectedRunning)}.`,
    );
  }
  return {
    ...(comparison?.deploymentVersion !== undefined ? { deploymentVersion: comparison.deploymentVersion } : {}),
    ...(comparison?.latestDeployedVersion !== undefined ? { latestDeployedVersion: comparison.latestDeployedVersion } : {}),
    lines: comparison?.lines ?? [],
    ...(details?.comparisonError !== undefined ? { error: details.comparisonError } : {}),
    ...(comparison?.logGroup !== undefined ? { logGroup: comparison.logGroup } : {}),
    disagrees: disagreements.length > 0,
    disagreements,
  };
}

/**
 * Stages of an earlier execution still show in GetPipelineState until the current one reaches them: those are
 * "pending" in this run, not "succeeded". Durations are estimated: GetPipelineState gives only the time of each
 * action's last status change, so a finished action is taken to have started when the previous stage ended.
 */
/** How the execution shown ended, in the outcome's words: an expiry or a rejection is not "failed". */
function endedView(pipeline: PipelineStatus | undefined): { ended?: string } {
  const o = pipeline?.outcome;
  if (pipeline?.pendingApproval || !o || o.kind === 'none' || o.kind === 'running' || o.kind === 'awaiting-approval') return {};
  return { ended: describeOutcome(o) };
}

export function timeline(pipeline: PipelineStatus | undefined, approvalStage: string): PipelineView {
  if (!pipeline) return { stages: [] };
  const current = pipeline.executionId;
  // A queued execution (QUEUED mode) shows in the stages the shown one has passed: those are done in this run.
  const queued = new Set((pipeline.queued ?? []).map((q) => q.executionId));
  const reachedUpTo = pipeline.stages.reduce((last, s, i) => (s.executionId === current ? i : last), -1);
  let previousEnd: number | undefined;
  const stages: TimelineStageView[] = pipeline.stages.map((stage, index) => {
    if (current !== undefined && stage.executionId !== undefined && queued.has(stage.executionId) && index < reachedUpTo) {
      return { name: stage.name, status: 'Succeeded', isApproval: stage.name === approvalStage, actions: stage.actions.map((a) => ({ name: a.name, status: 'Succeeded' })) };
    }
    const inThisRun = stageInExecution(stage, current);
    const stageStart = previousEnd;
    let stageEnd: number | undefined;
    const actions: TimelineActionView[] = stage.actions.map((action) => {
      const changed = action.lastStatusChange?.getTime();
      const status: TimelineStatus = !inThisRun || action.status === undefined ? 'Pending' : action.token && action.status === 'InProgress' ? 'Waiting' : action.status;
      const finished = status === 'Succeeded' || status === 'Failed' || status === 'Abandoned';
      if (inThisRun && finished && changed !== undefined) stageEnd = Math.max(stageEnd ?? changed, changed);
      return {
        name: action.name,
        status: (inThisRun ? approvalEnding(stage.name, status, pipeline.outcome, approvalStage) : undefined) ?? status,
        ...(inThisRun && (status === 'InProgress' || status === 'Waiting') && action.lastStatusChange ? { startedAt: action.lastStatusChange.toISOString() } : {}),
        ...(inThisRun && action.lastStatusChange ? { changedAt: action.lastStatusChange.toISOString() } : {}),
        ...(finished && changed !== undefined && stageStart !== undefined && changed >= stageStart ? { durationMs: changed - stageStart } : {}),
        ...(inThisRun && action.summary ? { summary: action.summary } : {}),
      };
    });
    if (stageEnd !== undefined) previousEnd = Math.max(previousEnd ?? stageEnd, stageEnd);
    const status = (inThisRun ? approvalEnding(stage.name, stage.status, pipeline.outcome, approvalStage) : undefined) ?? stageStatus(stage, inThisRun, actions);
    return {
      name: stage.name,
      status,
      isApproval: stage.name === approvalStage,
      ...(status !== 'InProgress' && status !== 'Waiting' && stageEnd !== undefined && stageStart !== undefined && stageEnd >= stageStart
        ? { durationMs: stageEnd - stageStart }
        : {}),
      actions,
    };
  });
  return {
    name: pipeline.name,
    ...(pipeline.status !== undefined ? { status: endedStatus(pipeline) ?? pipeline.status } : {}),
    ...(pipeline.executionId !== undefined ? { executionId: pipeline.executionId } : {}),
    stages,
    ...(pipeline.queued?.length ? { queued: pipeline.queued.map((q) => ({ executionId: q.executionId, stage: q.stage })) } : {}),
  };
}

/** The execution's status where CodePipeline's "Failed" is an approval rejected or expired. */
function endedStatus(pipeline: PipelineStatus): 'Rejected' | 'Expired' | undefined {
  if (pipeline.status !== 'Failed') return undefined;
  return pipeline.outcome?.kind === 'rejected' ? 'Rejected' : pipeline.outcome?.kind === 'expired' ? 'Expired' : undefined;
}

function stageStatus(stage: StageState, inThisRun: boolean, actions: readonly TimelineActionView[]): TimelineStatus {
  if (!inThisRun || stage.status === undefined) return 'Pending';
  if (stage.status === 'InProgress' && actions.some((a) => a.status === 'Waiting')) return 'Waiting';
  return stage.status;
}

/**
 * A promotion: the version to deploy is the deployed version of another environment. The source is the one that
 * promotes here (promotesTo or staging → prod by name), else any that runs it. The commits and files between this
 * environment's running version and it are the panel's own commit list; this adds since when the source runs it
 * and what each service runs on both sides (the same comparison as `spryker-deploy compare`).
 */
export function promotionView(
  config: EnvironmentConfig,
  status: EnvironmentStatus | undefined,
  target: string | undefined,
  others: ViewModelInput['others'],
): PromotionView | undefined {
  if (!status || !isVersion(target) || !others) return undefined;
  const configs = [config, ...others.map((o) => o.config)];
  const runs = others.filter((o): o is { config: EnvironmentConfig; status: EnvironmentStatus } => o.config.name !== config.name && o.status?.lastDeployedVersion === target);
  const source = runs.find((o) => promotionTarget(configs, o.config.name) === config.name) ?? runs[0];
  if (!source) return undefined;
  const comparison = compareEnvironments(source.status, status);
  return {
    source: source.config.name,
    version: target,
    ...(source.status.lastDeployedAt ? { since: source.status.lastDeployedAt.toISOString() } : {}),
    promotesHere: promotionTarget(configs, source.config.name) === config.name,
    services: comparison.services.map((s) => ({ role: s.role, ...(s.source ? { source: [...s.source] } : {}), ...(s.target ? { target: [...s.target] } : {}), same: s.same })),
    unknown: [...comparison.unknown],
  };
}

/**
 * Every approval action waiting in the stage, once each, the one the details were read for first (`waiting` holds
 * it too): with several approvers (QA and the product owner) the user chooses which one a decision is for.
 */
export function waitingApprovals(details: ApprovalDetails): PendingApproval[] {
  return [details.approval, ...(details.waiting ?? []).filter((a) => a.actionName !== details.approval.actionName || a.stageName !== details.approval.stageName)];
}

export function approvalRefs(details: ApprovalDetails, pipeline: PipelineStatus | undefined): ApprovalRefView[] {
  return waitingApprovals(details).map((a) => {
    const action = pipeline?.stages.find((s) => s.name === a.stageName)?.actions.find((x) => x.name === a.actionName);
    const since = a.requestedAt ?? action?.lastStatusChange;
    return {
      token: a.token,
      executionId: a.executionId,
      pipelineName: a.pipelineName,
      stageName: a.stageName,
      actionName: a.actionName,
      ...(since ? { waitingSince: since.toISOString() } : {}),
    };
  });
}

export function buildApprovalViewModel(input: ViewModelInput): ApprovalViewModel {
  const { config, details, status, git } = input;
  const versions = comparedVersions(details, status);
  const approval = details?.approval;
  const pipeline = input.pipeline ?? details?.pipeline ?? status?.pipeline;
  const approvals = details ? approvalRefs(details, pipeline) : [];
  const filesChanged = git.commits ? git.filesChanged : undefined;
  const services = servicesThatChange(status, versions.target);
  const risk = git.commits ? riskView(git.risk) : undefined;
  const failure = failureView(pipeline, input.failureLines);
  // Only for a waiting approval: it is what the approval would deploy that another environment runs.
  const promotion = approval ? promotionView(config, status, versions.target, input.others) : undefined;
  return {
    env: config.name,
    production: config.production,
    region: config.region,
    builtAt: input.now.toISOString(),
    ...(approvals.length > 0 ? { approval: approvals[0], approvals } : {}),
    running: versionCardOf(versions.running, git.running, git),
    target: versionCardOf(versions.target, git.target, git),
    commits: commitsViewOf(versions, git),
    ...(filesChanged !== undefined ? { filesChanged } : {}),
    ...(risk ? { risk } : {}),
    ...(promotion ? { promotion } : {}),
    ...(services ? { services } : {}),
    comparison: comparisonView(config, details, status),
    pipeline: { ...timeline(pipeline, approval?.stageName ?? config.stages.approval), ...endedView(pipeline) },
    ...(failure ? { failure } : {}),
    ...(input.busy ? { busy: input.busy } : {}),
    ...(input.outcome ? { outcome: input.outcome } : {}),
    ...(input.error ? { error: input.error } : {}),
    canModify: input.canModify,
  };
}
