// What the CLI prints: the documented `status --json` shape (see README.md next to this file) and the
// human-readable lines. Pure functions over the core's model.

import { utcTimestamp } from '../core/time';
import { asSentence, type DeployError } from '../core/errors';
import type { ContainerImage, EnvironmentStatus, ExecutionSummary, RollbackCandidate, TaskState } from '../core/model';
import { approversOf, endedAs, formatDuration, whoDeployed, type HistoryEntry } from '../core/history';
import { describeLeftovers, failedDeployLeftovers, type FailedDeployLeftovers } from '../core/afterFailure';
import { describeOutcome } from '../core/outcome';
import { shortVersion } from '../core/version';

const images = (list: readonly ContainerImage[]) => list.map((i) => ({ container: i.container, tag: i.tag ?? null, image: i.image }));
const iso = (d: Date | undefined) => (d ? d.toISOString() : null);

function taskJson(t: TaskState) {
  return { id: t.id, lastStatus: t.lastStatus, taskDefinition: t.taskDefinition, startedAt: iso(t.startedAt), images: images(t.images) };
}

export function environmentJson(s: EnvironmentStatus) {
  const p = s.pipeline;
  return {
    name: s.name,
    production: s.production,
    region: s.region,
    fetchedAt: iso(s.fetchedAt),
    desiredVersion: s.desiredVersion ?? null,
    lastDeployedVersion: s.lastDeployedVersion ?? null,
    lastDeployedParameter: s.lastDeployedParameter ?? null,
    pipeline: p
      ? {
          name: p.name,
          status: p.status ?? null,
          executionId: p.executionId ?? null,
          currentStage: p.currentStage ?? null,
          queued: (p.queued ?? []).map((q) => ({ executionId: q.executionId, waitsToEnter: q.stage })),
          outcome: p.outcome ? { ...p.outcome, ...('at' in p.outcome ? { at: iso(p.outcome.at) } : {}), description: describeOutcome(p.outcome) } : null,
          stages: p.stages.map((st) => ({
            name: st.name,
            status: st.status ?? null,
            executionId: st.executionId ?? null,
            inboundExecutions: st.inbound ?? [],
            actions: st.actions.map((a) => ({
              name: a.name,
              status: a.status ?? null,
              lastStatusChange: iso(a.lastStatusChange),
              summary: a.summary ?? null,
              externalExecutionId: a.externalExecutionId ?? null,
              externalExecutionUrl: a.externalExecutionUrl ?? null,
              errorDetails: a.errorDetails ?? null,
            })),
          })),
          pendingApproval: p.pendingApproval
            ? {
                stageName: p.pendingApproval.stageName,
                actionName: p.pendingApproval.actionName,
                executionId: p.pendingApproval.executionId,
                version: p.pendingApproval.version ?? null,
                requestedAt: iso(p.pendingApproval.requestedAt),
                token: p.pendingApproval.token,
              }
            : null,
        }
      : null,
    afterFailure: afterFailureJson(s),
    services: s.services.map((svc) => ({
      name: svc.name,
      status: svc.status,
      desiredCount: svc.desiredCount,
      runningCount: svc.runningCount,
      pendingCount: svc.pendingCount,
      rolloutState: svc.rolloutState ?? null,
      drift: svc.drift,
      runningVersions: svc.runningVersions,
      images: images(svc.images),
      deployments: svc.deployments.map((d) => ({
        id: d.id,
        status: d.status,
        taskDefinition: d.taskDefinition,
        rolloutState: d.rolloutState ?? null,
        desiredCount: d.desiredCount,
        runningCount: d.runningCount,
        pendingCount: d.pendingCount,
        createdAt: iso(d.createdAt),
        images: images(d.images),
      })),
      tasks: svc.tasks.map(taskJson),
      failedDeployment: svc.failedDeployment
        ? { id: svc.failedDeployment.id, taskDefinition: svc.failedDeployment.taskDefinition, rolloutStateReason: svc.failedDeployment.rolloutStateReason ?? null, failedTasks: svc.failedDeployment.failedTasks ?? 0 }
        : null,
      events: (svc.events ?? []).map((e) => ({ at: iso(e.at), message: e.message })),
    })),
    errors: s.errors.map((e) => ({ part: e.part, code: e.code, message: e.message, ...(e.awsCode ? { awsCode: e.awsCode } : {}) })),
  };
}

/** desired_version's name is the environment's; the status names only the deployed-version spelling it found. */
const PARAMETERS = (s: EnvironmentStatus) => ({ envName: s.name, desiredParameter: 'desired_version', deployedParameter: s.lastDeployedParameter?.replace(/^.*\//, '') ?? 'last_deployed_version' });

function afterFailureJson(s: EnvironmentStatus) {
  const left: FailedDeployLeftovers | undefined = failedDeployLeftovers(s);
  if (!left) return null;
  const text = describeLeftovers(left, PARAMETERS(s));
  return {
    ended: left.ended,
    stage: left.stage ?? null,
    failedVersion: left.failedVersion ?? null,
    deployedVersion: left.deployedVersion ?? null,
    runs: left.runs.map((g) => ({ version: g.version, services: g.services })),
    mixed: left.mixed,
    rolledBack: left.rolledBack,
    runsNow: text.runsNow,
    parameters: text.parameters,
    advice: text.advice,
  };
}

/** An environment that could not be read at all (credentials): still one entry, with the reason. */
export function failedEnvironmentJson(name: string, error: DeployError) {
  return {
    name,
    desiredVersion: null,
    lastDeployedVersion: null,
    pipeline: null,
    services: [],
    errors: [{ part: 'environment', code: error.kind, message: error.message, ...(error.details.awsCode ? { awsCode: error.details.awsCode } : {}) }],
  };
}

/**
 * What to set when AWS knows no pipeline or cluster of the name used: Spryker's default names differ between
 * projects, and the environment's settings name them (src/cli/README.md, "Environments").
 */
export function withSettingHint(message: string, awsCode: string | undefined): string {
  const hint =
    awsCode === 'PipelineNotFoundException'
      ? 'If the pipeline has another name here, set it under "pipelines" for this environment in .spryker-deploy.json.'
      : awsCode === 'ClusterNotFoundException'
        ? 'If the ECS cluster has another name here, set "cluster" for this environment in .spryker-deploy.json.'
        : undefined;
  return hint ? `${asSentence(message)} ${hint}` : message;
}

export function statusText(s: EnvironmentStatus): string {
  const lines: string[] = [];
  lines.push(`${s.name}${s.production ? ' (production)' : ''}  ${s.region}`);
  lines.push(`  desired   ${s.desiredVersion ?? '—'}`);
  lines.push(`  deployed  ${s.lastDeployedVersion ?? '—'}${s.lastDeployedParameter ? `  (${s.lastDeployedParameter})` : ''}`);
  const p = s.pipeline;
  if (p) {
    // A rejection is a decision: AWS reports the execution Failed, the line says what happened (JSON keeps AWS's status).
    const shown = p.outcome?.kind === 'rejected' && p.status === 'Failed' ? 'Rejected' : p.status;
    lines.push(`  pipeline  ${p.name}: ${shown ?? 'never ran'}${p.currentStage ? ` at ${p.currentStage}` : ''}${p.executionId ? `  [${p.executionId}]` : ''}`);
    if (p.pendingApproval) {
      lines.push(`  approval  waiting in ${p.pendingApproval.stageName} to deploy ${p.pendingApproval.version ?? '(unknown version)'}`);
    }
    if (p.queued && p.queued.length > 0) {
      // Queued executions (QUEUED mode) deploy desired_version as it is when they build, not what they were started for.
      lines.push(`  queued    ${p.queued.length} queued: ${s.desiredVersion ? shortVersion(s.desiredVersion) : '(desired_version unknown)'} (desired_version when it builds)`);
      for (const q of p.queued) lines.push(`            [${q.executionId}] waits to enter ${q.stage}`);
    }
    const o = p.outcome;
    if (o && (o.kind === 'failed' || o.kind === 'rejected' || o.kind === 'expired' || o.kind === 'stopped' || o.kind === 'superseded')) {
      lines.push(`  outcome   ${describeOutcome(o)}`);
      const left = failedDeployLeftovers(s);
      if (left) {
        // Split between versions after a deploy that failed part-way: what runs, the parameters, what to do.
        const text = describeLeftovers(left, PARAMETERS(s));
        lines.push(`  runs now  ${text.runsNow.replace(/^Runs now: /, '')}`, `            ${text.parameters}`, `  next      ${text.advice}`);
      } else if (o.kind !== 'superseded' && s.desiredVersion && s.desiredVersion !== s.lastDeployedVersion) {
        // Nothing was deployed, yet desired_version keeps that version: the next pipeline run deploys it.
        const restore = s.lastDeployedVersion && p.status !== 'InProgress' ? `; put it back with: spryker-deploy restore --env ${s.name}` : '';
        lines.push(`            desired_version still holds ${shortVersion(s.desiredVersion)}; ${s.lastDeployedVersion ? `${shortVersion(s.lastDeployedVersion)} is the deployed version` : 'nothing is recorded as deployed'}${restore}`);
      }
    }
  }
  for (const svc of s.services) {
    const tags = [...new Set(svc.images.map((i) => shortVersion(i.tag)))].join(',');
    const rollout = svc.rolloutState && svc.rolloutState !== 'COMPLETED' ? ` ${svc.rolloutState}` : '';
    lines.push(`  ${svc.name.padEnd(32)} ${String(svc.runningCount).padStart(2)}/${svc.desiredCount}  ${tags.padEnd(10)} ${svc.drift}${rollout}`);
    if (svc.failedDeployment) {
      lines.push(`    ! rollout ${svc.failedDeployment.id} failed: ${svc.failedDeployment.rolloutStateReason ?? 'FAILED'}${svc.failedDeployment.failedTasks ? ` (${svc.failedDeployment.failedTasks} tasks failed)` : ''}; the service was rolled back`);
      for (const e of (svc.events ?? []).slice(0, 4)) lines.push(`      ${e.at ? e.at.toISOString().slice(11, 19) : ''} ${e.message}`);
    }
  }
  for (const e of s.errors) lines.push(`  ! ${e.part}: ${withSettingHint(e.message, e.awsCode)}`);
  return lines.join('\n');
}

function executionJson(e: ExecutionSummary) {
  return {
    executionId: e.executionId,
    status: e.status,
    startTime: iso(e.startTime),
    lastUpdateTime: iso(e.lastUpdateTime),
    statusSummary: e.statusSummary ?? null,
    trigger: e.trigger ?? null,
    triggerDetail: e.triggerDetail ?? null,
    sourceRevisions: e.sourceRevisions ?? [],
  };
}

/** One execution of the history: a headline (start, version, subject, how it ended) and what happened in it. */
export function historyText(e: HistoryEntry, subject: string | undefined): string {
  const when = e.startTime ? utcTimestamp(e.startTime) : '—'.padEnd(20);
  const version = e.version ? shortVersion(e.version) : '(version unknown)';
  const lines = [`${when}  ${version}${subject ? ` ${subject}` : ''}  — ${endedAs(e)}`];
  const facts = [
    e.startedBy ? `started by ${e.startedBy}` : undefined,
    e.finishedAt ? `finished ${utcTimestamp(e.finishedAt)}` : undefined,
    e.durationMs !== undefined ? `${e.finishedAt ? 'took' : 'running for'} ${formatDuration(e.durationMs)}` : undefined,
    `result ${e.outcome.kind === 'rejected' && e.status === 'Failed' ? 'Rejected' : e.status}`,
  ].filter(Boolean);
  lines.push(`    ${facts.join(' · ')}  (${e.executionId})`);
  for (const d of e.decisions) {
    lines.push(`    ${d.decision.toLowerCase()} by ${d.by ?? 'someone'}${d.at ? ` at ${utcTimestamp(d.at)}` : ''}${d.action !== 'Approval' ? ` (${d.action})` : ''}${d.comment ? `: ${d.comment}` : ''}`);
  }
  if (e.detailsError) lines.push(`    ! stages and decisions not read: ${e.detailsError}`);
  return lines.join('\n');
}

export function historyJson(e: HistoryEntry, subject: string | undefined) {
  return {
    ...executionJson(e),
    version: e.version ?? null,
    versionSource: e.versionSource ?? null,
    subject: subject ?? null,
    startedBy: e.startedBy ?? null,
    finishedAt: iso(e.finishedAt),
    durationMs: e.durationMs ?? null,
    outcome: e.outcome,
    ended: endedAs(e),
    decisions: e.decisions.map((d) => ({ action: d.action, decision: d.decision, by: d.by ?? null, byArn: d.byArn ?? null, comment: d.comment ?? null, at: iso(d.at) })),
    stages: e.stages.map((s) => ({ name: s.name, status: s.status, startedAt: iso(s.startedAt), finishedAt: iso(s.finishedAt), durationMs: s.durationMs ?? null })),
    detailsError: e.detailsError ?? null,
  };
}

/** The execution that deployed a candidate, from the pipeline's history: who approved and started it. */
export function deployedIn(history: readonly HistoryEntry[], version: string): HistoryEntry | undefined {
  return history.find((h) => h.version === version && h.outcome.kind === 'deployed');
}

/**
 * One line per candidate. Who: the approvers and the starter of the execution that deployed it, never the build
 * role that wrote the parameter (what `deployedBy` holds on a real pipeline); nobody named when neither is known.
 */
export function candidateText(c: RollbackCandidate, deployed?: HistoryEntry): string {
  const when = c.deployedAt ? utcTimestamp(c.deployedAt) : '—'.padEnd(20);
  const who = whoDeployed(deployed, c.deployedBy);
  return `${when}  ${c.version}${c.current ? '  (current)' : ''}${who ? `  ${who}` : ''}`;
}

/** `deployedBy` is the parameter's last writer as AWS names it (a role's ARN); `approvedBy`/`startedBy` the people. */
export function candidateJson(c: RollbackCandidate, deployed?: HistoryEntry) {
  return {
    version: c.version,
    deployedAt: iso(c.deployedAt),
    deployedBy: c.deployedBy ?? null,
    approvedBy: approversOf(deployed),
    startedBy: deployed?.startedBy ?? null,
    source: c.source,
    current: c.current,
  };
}
