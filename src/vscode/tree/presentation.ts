// How each node looks: label, description, icon, tooltip (Markdown). Pure, so the words and icons are tested
// without VS Code; treeItemMapper.ts only copies this onto a TreeItem.

import { describeLeftovers, failedDeployLeftovers } from '../../core/afterFailure';
import type { DeployErrorKind } from '../../core/errors';
import type { CommitInfo } from '../../core/git';
import { oldestStale } from '../../core/lastKnown';
import type { ActionStatus, Drift, EnvironmentStatus, PipelineStatus, StalePart, StageStatus } from '../../core/model';
import { endedAs, formatDuration, type HistoryEntry } from '../../core/history';
import { describeMaintenance } from '../../core/maintenance';
import { describeOutcome, type ExecutionOutcome } from '../../core/outcome';
import { relativeTime, utcTimestamp } from '../../core/time';
import { shortVersion } from '../../core/version';
import { isCredentialsProblem } from '../store/viewState';
import { contextTokens, type ContextInputs } from './contextValue';
import { hasChildren, nodeId, type EnvironmentNode, type EnvTreeNode, type KeptValue } from './nodes';

/** A codicon id plus an optional theme colour id. */
export interface IconSpec {
  readonly id: string;
  readonly color?: string;
}

export interface Presentation {
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  readonly tooltip: string;
  readonly icon: IconSpec;
  readonly contextValue: string;
  readonly collapsible: 'none' | 'collapsed' | 'expanded';
  /** Command run on click, with the node as argument. */
  readonly command?: { readonly id: string; readonly title: string };
}

const OK: IconSpec = { id: 'pass', color: 'testing.iconPassed' };
const FAILED: IconSpec = { id: 'error', color: 'testing.iconFailed' };
/** A rejection (a decision) or an expired approval: nothing broke, nothing was deployed. */
const DECIDED: IconSpec = { id: 'circle-slash' };
/** Outcomes the pipeline node spells out instead of its bare status. */
const ENDED_BADLY: ReadonlySet<ExecutionOutcome['kind']> = new Set(['failed', 'rejected', 'expired', 'stopped', 'superseded']);
const RUNNING: IconSpec = { id: 'sync~spin', color: 'charts.blue' };
export const WAITING: IconSpec = { id: 'bell-dot', color: 'charts.yellow' };
const WARNING: IconSpec = { id: 'warning', color: 'problemsWarningIcon.foreground' };
/** Values kept from an earlier read and being read again (a reopened window): not confirmed yet, not a problem. */
const KEPT: IconSpec = { id: 'history' };
const IDLE: IconSpec = { id: 'circle-outline', color: 'disabledForeground' };

export function short(sha: string | undefined): string {
  return shortVersion(sha);
}

/** Escapes text for Markdown tooltips (commit subjects and AWS messages are not ours). */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$]/g, '\\$&');
}


const when = utcTimestamp;

export function commitMarkdown(sha: string, commit: CommitInfo | undefined): string {
  const lines = [`\`${sha}\``];
  if (commit) {
    lines.push('', `**${md(commit.subject)}**`, '', `${md(commit.author)}${commit.date ? ` · ${when(commit.date)}` : ''}`);
  } else {
    lines.push('', '_Not in the local repository (fetch, or another branch)._');
  }
  return lines.join('\n');
}

function executionIcon(status: StageStatus | undefined, waiting: boolean): IconSpec {
  if (waiting) return WAITING;
  switch (status) {
    case 'InProgress':
    case 'Stopping':
      return RUNNING;
    case 'Succeeded':
      return OK;
    case 'Failed':
      return FAILED;
    case 'Stopped':
    case 'Cancelled':
    case 'Superseded':
      return { id: 'debug-stop', color: 'disabledForeground' };
    case 'Skipped':
      return { id: 'debug-step-over', color: 'disabledForeground' };
    default:
      return IDLE;
  }
}

function actionIcon(status: ActionStatus | undefined, hasToken: boolean): IconSpec {
  if (hasToken) return WAITING;
  switch (status) {
    case 'InProgress':
      return RUNNING;
    case 'Succeeded':
      return OK;
    case 'Failed':
      return FAILED;
    case 'Abandoned':
      return { id: 'circle-slash', color: 'disabledForeground' };
    default:
      return IDLE;
  }
}

const DRIFT: Record<Drift, { icon: IconSpec; words: string }> = {
  'in-sync': { icon: OK, words: 'runs the deployed version' },
  rolling: { icon: RUNNING, words: 'rollout in progress' },
  'failed-deploy': { icon: { id: 'debug-step-over', color: 'charts.yellow' }, words: "runs the version of the deploy that failed (it moved before the failure): not drift" },
  drifted: { icon: WARNING, words: 'runs another version than the deployed one' },
  mixed: { icon: { id: 'versions', color: 'charts.yellow' }, words: 'runs several versions without a rollout' },
  unknown: { icon: { id: 'question', color: 'disabledForeground' }, words: 'no running tasks to compare' },
};

/**
 * "last read 5 min ago · Network error": how old a part kept from an earlier read is, and why it is not newer; "as of
 * 5 min ago, refreshing" for a part an earlier window read, shown while this one reads it again (core/snapshot).
 */
export function staleWords(stale: StalePart, now: Date): string {
  if (!stale.error) return `as of ${relativeTime(stale.asOf, now)}, refreshing`;
  return `last read ${relativeTime(stale.asOf, now)} · ${errorWords(stale.error.code)}`;
}

/** A kept value's icon: the warning when AWS could not be reached since, the history icon while it is read again. */
function staleIcon(stale: StalePart): IconSpec {
  return stale.error ? WARNING : KEPT;
}

/** " · as of 5 min ago, refreshing" after a kept part's value, unless its environment's `kept` row says it for all. */
function staleSuffix(node: KeptValue, now: Date): string {
  return node.stale && !node.staleSaidAbove ? ` · ${staleWords(node.stale, now)}` : '';
}

function staleTip(stale: StalePart): string {
  if (!stale.error) return `$(history) Shown as read ${when(stale.asOf)} (kept from an earlier window); being read again now.`;
  return `$(history) Shown as last read ${when(stale.asOf)}; AWS could not be reached since: ${md(stale.error.message)}`;
}

/**
 * "1 queued: a1b2c3d": executions waiting behind the one shown (QUEUED mode). They deploy desired_version as it is
 * when they build, so that is the version named.
 */
export function queuedWords(p: PipelineStatus | undefined, desiredVersion: string | undefined): string | undefined {
  const n = p?.queued?.length ?? 0;
  if (n === 0) return undefined;
  return `${n} queued${desiredVersion ? `: ${short(desiredVersion)}` : ''}`;
}

/** The environment's one-line summary: `a1b2c3d → e4f5a6b · Waiting for approval`. */
export function environmentSummary(status: EnvironmentStatus): string {
  const deployed = status.lastDeployedVersion;
  const desired = status.desiredVersion;
  const versions = desired && deployed && desired !== deployed ? `${short(deployed)} → ${short(desired)}` : short(deployed ?? desired);
  const p = status.pipeline;
  let state: string;
  if (p?.pendingApproval) state = 'Waiting for approval';
  else if (p?.status === 'InProgress') state = `Deploying${p.currentStage ? ` · ${p.currentStage}` : ''}`;
  else if (p?.status === 'Stopping') state = 'Stopping';
  else if (p?.outcome?.kind === 'rejected') state = `Rejected${p.outcome.by ? ` by ${p.outcome.by}` : ''}`;
  else if (p?.outcome?.kind === 'expired') state = 'Approval expired';
  else if (p?.outcome?.kind === 'failed') state = `Failed${p.outcome.stage ? ` at ${p.outcome.stage}` : ''}`;
  else if (p?.status === 'Failed') state = 'Last deploy failed';
  else if (p?.outcome?.kind === 'stopped') state = `Stopped${p.outcome.stage ? ` at ${p.outcome.stage}` : ''}`;
  else if (desired && deployed && desired !== deployed) state = 'Not deployed yet';
  else if (deployed) state = 'Up to date';
  // Unread versions are not missing ones: "Never deployed" only when AWS answered that no version is set.
  else if (status.errors.some((e) => e.part === 'parameters' && e.code !== 'not-found')) state = 'Versions not read';
  else state = 'Never deployed';
  const drifted = status.services.filter((s) => s.drift === 'drifted' || s.drift === 'mixed').length;
  // After a deploy that failed part-way: what runs where, in a few words (the "Runs now" row says it all).
  const left = failedDeployLeftovers(status);
  if (left) {
    const words = describeLeftovers(left, { desiredParameter: 'desired_version', deployedParameter: 'last_deployed_version' }).short;
    return `${versions} · ${state} · ${words}${drifted ? ` · ${drifted} drifted` : ''}`;
  }
  const rolledBack = status.services.filter((s) => s.failedDeployment).length;
  const queued = queuedWords(p, desired);
  return `${versions} · ${state}${queued ? ` · ${queued}` : ''}${rolledBack ? ` · ${rolledBack} rolled back` : ''}${drifted ? ` · ${drifted} drifted` : ''}`;
}

/** The "Runs now" row's and the environment tooltip's text: what runs, how the parameters disagree, what to do. */
function leftoversMarkdown(node: { env: EnvironmentNode['env'] }, status: EnvironmentStatus): string[] {
  const left = failedDeployLeftovers(status);
  if (!left) return [];
  const text = describeLeftovers(left, {
    envName: node.env.name,
    desiredParameter: node.env.parameters.desiredVersion,
    deployedParameter: status.lastDeployedParameter ?? node.env.parameters.lastDeployedVersion[0],
  });
  return [`$(warning) ${md(text.runsNow)}`, '', md(text.parameters), '', `**What to do:** ${md(text.advice)}`];
}

function environmentIcon(node: EnvironmentNode): IconSpec {
  if (node.error) return WARNING;
  const s = node.status;
  if (!s) return { id: 'loading~spin' };
  const p = s.pipeline;
  if (p?.pendingApproval) return WAITING;
  if (p?.status === 'InProgress' || p?.status === 'Stopping') return RUNNING;
  // A rejection or an expiry is a decision or a lapse, not a breakage: neutral, not red.
  if (p?.outcome?.kind === 'rejected' || p?.outcome?.kind === 'expired') return DECIDED;
  if (p?.status === 'Failed') return FAILED;
  if (s.errors.length > 0) return WARNING;
  return { id: node.env.production ? 'globe' : 'cloud', color: s.desiredVersion === s.lastDeployedVersion ? 'testing.iconPassed' : 'charts.yellow' };
}

export function present(node: EnvTreeNode, ctx: ContextInputs, now: Date = new Date()): Presentation {
  const base = {
    id: nodeId(node),
    contextValue: contextTokens(node, ctx).join(' '),
    collapsible: hasChildren(node) ? ('collapsed' as const) : ('none' as const),
  };
  const env = node.env;
  switch (node.kind) {
    case 'environment': {
      const s = node.status;
      const tip = [`**${md(env.name)}**${env.production ? ' · production' : ''} · ${md(env.region)}${env.endpoint ? ` · endpoint ${md(env.endpoint)}` : ''}`];
      if (node.error) tip.push('', `$(warning) ${md(node.error.message)}`);
      if (s) {
        tip.push('', `Deployed: \`${s.lastDeployedVersion ?? '—'}\``, '', `Desired: \`${s.desiredVersion ?? '—'}\``);
        if (s.pipeline) tip.push('', `Pipeline ${md(s.pipeline.name)}: ${s.pipeline.status ?? 'never ran'}${s.pipeline.executionId ? ` (${s.pipeline.executionId})` : ''}`);
        const left = leftoversMarkdown(node, s);
        if (left.length) tip.push('', ...left);
        for (const e of s.errors) tip.push('', `$(warning) ${e.part}: ${md(e.message)}`);
        const oldest = oldestStale(s);
        if (oldest) tip.push('', staleTip(oldest));
        tip.push('', `_Updated ${when(s.fetchedAt)}_`);
      }
      const oldest = s ? oldestStale(s) : undefined;
      // A refresh that failed as a whole keeps the status it had: say how old that is.
      const description = node.error
        ? `${s ? `${environmentSummary(s)} · last read ${relativeTime(oldest?.asOf ?? s.fetchedAt, now)} · ` : ''}${errorWords(node.error.kind)}`
        : s
          ? `${environmentSummary(s)}${oldest ? ` · ${staleWords(oldest, now)}` : ''}`
          : 'Loading…';
      // Expired or missing credentials: a click on the row signs in (and the row has a Sign In button).
      const signIn = isCredentialsProblem(node.error);
      if (signIn) tip.push('', '_Click to sign in again._');
      return {
        ...base,
        // Always expandable: an item first rendered without children stays a leaf for VS Code once its id is known.
        collapsible: 'expanded',
        label: env.name,
        description,
        tooltip: tip.join('\n'),
        icon: environmentIcon(node),
        ...(signIn ? { command: { id: 'sprykerDeploy.signIn', title: 'Sign In' } } : {}),
      };
    }
    case 'version': {
      const label = node.role === 'desired' ? 'Desired version' : 'Deployed version';
      const value = node.version ? `${short(node.version)}${node.commit ? ` ${node.commit.subject}` : ''}` : node.error ? node.error.message : 'not set';
      const description = `${value}${staleSuffix(node, now)}`;
      const tip = [`**${label}** · parameter \`${node.parameter}\``, ''];
      if (node.version) tip.push(commitMarkdown(node.version, node.commit));
      if (node.stale) tip.push('', staleTip(node.stale));
      return {
        ...base,
        label,
        description,
        tooltip: tip.join('\n'),
        icon: node.error ? WARNING : node.stale ? staleIcon(node.stale) : { id: node.role === 'desired' ? 'target' : 'check-all', ...(node.role === 'deployed' ? { color: 'testing.iconPassed' } : {}) },
        ...(node.commit ? { command: { id: 'sprykerDeploy.commit.open', title: 'Open Commit Changes' } } : {}),
      };
    }
    case 'pipeline': {
      const p = node.pipeline;
      const waiting = p?.pendingApproval !== undefined;
      const state = !p
        ? 'not loaded'
        : waiting
          ? 'Waiting for approval'
          : p.outcome && ENDED_BADLY.has(p.outcome.kind)
            ? describeOutcome(p.outcome)
            : `${p.status ?? 'never ran'}${p.currentStage && p.status === 'InProgress' ? ` · ${p.currentStage}` : ''}`;
      const queued = queuedWords(p, node.desiredVersion);
      const description = node.stale ? `${state}${staleSuffix(node, now)}` : node.error ? node.error.message : `${state}${queued ? ` · ${queued}` : ''}`;
      const tip = [`**${md(node.name)}**`];
      if (p?.executionId) tip.push('', `Execution \`${p.executionId}\`: ${p.status ?? ''}`);
      for (const q of p?.queued ?? []) {
        tip.push('', `Queued: execution \`${q.executionId}\` waits to enter ${md(q.stage)}; it runs once the execution ahead leaves that stage and deploys what desired_version holds when it builds${node.desiredVersion ? ` (now \`${short(node.desiredVersion)}\`)` : ''}.`);
      }
      if (p?.outcome && ENDED_BADLY.has(p.outcome.kind)) tip.push('', md(describeOutcome(p.outcome)));
      if (p?.outcome?.kind === 'failed') tip.push('', '_Show Log, Retry the failed stage, or Roll Back from the context menu._');
      if (node.stale) tip.push('', staleTip(node.stale));
      else if (node.error) tip.push('', `$(warning) ${md(node.error.code)}: ${md(node.error.message)}`);
      // The pipeline's name is long and always the environment's; the label says what it is, the tooltip which.
      return {
        ...base,
        label: 'Pipeline',
        description,
        tooltip: tip.join('\n'),
        // Kept from an earlier read: marked as the other kept rows are (its state is in the words), never a fresh-looking status.
        icon: node.stale ? staleIcon(node.stale) : node.error ? WARNING : p?.outcome?.kind === 'rejected' || p?.outcome?.kind === 'expired' ? DECIDED : executionIcon(p?.status, waiting),
      };
    }
    case 'approval': {
      const a = node.approval;
      const version = a.version ? `deploys ${short(a.version)}${node.commit ? ` ${node.commit.subject}` : ''}` : '';
      const tip = [`**Waiting for approval** in ${md(a.stageName)} / ${md(a.actionName)}`, '', `Execution \`${a.executionId}\``];
      if (a.requestedAt) tip.push('', `Requested ${when(a.requestedAt)} (${relativeTime(a.requestedAt, now)})`);
      if (a.version) tip.push('', commitMarkdown(a.version, node.commit));
      return {
        ...base,
        label: 'Waiting for approval',
        description: version,
        tooltip: tip.join('\n'),
        icon: WAITING,
        command: { id: 'sprykerDeploy.approval.openPanel', title: 'Open Approval Panel' },
      };
    }
    case 'stage': {
      const st = node.stage;
      if (node.notStarted) {
        return {
          ...base,
          label: st.name,
          description: 'not started',
          tooltip: [
            `**${md(st.name)}**: not started in execution \`${node.notStarted.shownExecutionId}\``,
            ...(st.executionId ? ['', `Last ran in execution \`${st.executionId}\`${st.status ? `: ${st.status}` : ''}`] : []),
          ].join('\n'),
          icon: IDLE,
        };
      }
      const waiting = st.actions.some((a) => a.token !== undefined);
      return {
        ...base,
        label: st.name,
        description: waiting ? 'Waiting for approval' : (node.ended ?? st.status ?? 'not run'),
        tooltip: [
          `**${md(st.name)}**: ${node.ended ? `${node.ended} (CodePipeline reports the stage as ${st.status})` : (st.status ?? 'not run in the latest execution')}`,
          ...(st.executionId ? ['', `Execution \`${st.executionId}\``] : []),
        ].join('\n'),
        icon: node.ended ? DECIDED : executionIcon(st.status, waiting),
      };
    }
    case 'action': {
      const a = node.action;
      if (node.notStarted) {
        return {
          ...base,
          label: a.name,
          description: 'not started',
          tooltip: [`**${md(a.name)}**: not started in execution \`${node.notStarted.shownExecutionId}\``, ...(a.status ? ['', `In an earlier execution: ${a.status}`] : [])].join('\n'),
          icon: IDLE,
        };
      }
      const tip = [`**${md(a.name)}**: ${node.ended ? `${node.ended} (CodePipeline reports the action as ${a.status})` : (a.status ?? 'not run')}`];
      if (a.lastStatusChange) tip.push('', `Changed ${when(a.lastStatusChange)} (${relativeTime(a.lastStatusChange, now)})`);
      if (a.summary) tip.push('', md(a.summary));
      if (a.externalExecutionId) tip.push('', `Build \`${a.externalExecutionId}\``);
      return {
        ...base,
        label: a.name,
        description: `${a.token ? 'Waiting for approval' : (node.ended ?? a.status ?? 'not run')}${a.lastStatusChange ? ` · ${relativeTime(a.lastStatusChange, now)}` : ''}`,
        tooltip: tip.join('\n'),
        icon: node.ended ? DECIDED : actionIcon(a.status, a.token !== undefined),
        ...(a.externalExecutionId ? { command: { id: 'sprykerDeploy.pipeline.showLogs', title: 'Show Pipeline Logs' } } : {}),
      };
    }
    case 'services': {
      const off = node.services.filter((s) => s.drift === 'drifted' || s.drift === 'mixed').length;
      const rolling = node.services.filter((s) => s.drift === 'rolling').length;
      const leftByFailure = node.services.filter((s) => s.drift === 'failed-deploy').length;
      const rolledBack = node.services.filter((s) => s.failedDeployment).length;
      const parts = [`${node.services.length}`];
      if (rolling) parts.push(`${rolling} rolling`);
      if (leftByFailure) parts.push(`${leftByFailure} on the failed version`);
      if (rolledBack) parts.push(`${rolledBack} rolled back`);
      if (off) parts.push(`${off} drifted`);
      return {
        ...base,
        label: 'Services',
        description: node.stale ? `${parts.join(' · ')}${staleSuffix(node, now)}` : node.error ? node.error.message : parts.join(' · '),
        tooltip: node.stale
          ? `ECS cluster \`${env.cluster}\`\n\n${staleTip(node.stale)}`
          : node.error
            ? `$(warning) ${md(node.error.code)}: ${md(node.error.message)}`
            : `ECS cluster \`${env.cluster}\``,
        icon: node.error ? WARNING : node.stale ? staleIcon(node.stale) : off ? WARNING : rolling ? RUNNING : { id: 'server-process' },
      };
    }
    case 'service': {
      const s = node.service;
      const tags = [...new Set(s.images.map((i) => i.tag).filter((t): t is string => t !== undefined))];
      const shortName = s.name.startsWith(`${env.name}-`) ? s.name.slice(env.name.length + 1) : s.name;
      const drift = DRIFT[s.drift];
      const tip = [
        `**${md(s.name)}** · ${s.status}`,
        '',
        `Running ${s.runningCount} / desired ${s.desiredCount}${s.pendingCount ? ` (${s.pendingCount} pending)` : ''}`,
        '',
        `Rollout: ${s.rolloutState ?? '—'} · ${drift.words}`,
        '',
        `Images: ${tags.map((t) => `\`${t}\``).join(', ') || '—'}`,
      ];
      if (s.runningVersions.length) tip.push('', `Tasks run: ${s.runningVersions.map((t) => `\`${t}\``).join(', ')}`);
      const failed = s.failedDeployment;
      if (failed) {
        tip.push('', `$(error) Rollout \`${failed.id}\` failed: ${md(failed.rolloutStateReason ?? 'FAILED')}${failed.failedTasks ? ` (${failed.failedTasks} tasks failed)` : ''}. The service was rolled back and runs ${tags.map((t) => `\`${short(t)}\``).join(', ') || 'its previous version'}.`);
        for (const e of (s.events ?? []).slice(0, 5)) tip.push('', `${e.at ? `${when(e.at)} · ` : ''}${md(e.message)}`);
      }
      return {
        ...base,
        label: shortName,
        description: `${tags.map(short).join(', ') || '—'} · ${s.runningCount}/${s.desiredCount}${failed ? ' · rollout failed, rolled back' : s.rolloutState && s.rolloutState !== 'COMPLETED' ? ` · ${s.rolloutState}` : ''}`,
        tooltip: tip.join('\n'),
        icon: failed ? FAILED : drift.icon,
        ...(failed ? { command: { id: 'sprykerDeploy.pipeline.showLogs', title: 'Show Service Events' } } : {}),
      };
    }
    case 'container': {
      const i = node.image;
      return {
        ...base,
        label: i.container,
        description: i.tag ? `${short(i.tag)}${node.commit ? ` ${node.commit.subject}` : ''}` : i.image,
        tooltip: [`\`${i.image}\``, ...(i.tag ? ['', commitMarkdown(i.tag, node.commit)] : [])].join('\n'),
        icon: { id: 'package' },
      };
    }
    case 'task': {
      const t = node.task;
      const tags = [...new Set(t.images.map((i) => i.tag).filter((x): x is string => x !== undefined))];
      return {
        ...base,
        label: `task ${t.id.slice(0, 8)}`,
        description: `${t.lastStatus} · ${tags.map(short).join(', ') || '—'}${t.startedAt ? ` · started ${relativeTime(t.startedAt, now)}` : ''}`,
        tooltip: [`Task \`${t.id}\` · ${t.lastStatus}`, '', `Task definition \`${t.taskDefinition}\``, ...t.images.map((i) => `\n\`${i.image}\``)].join('\n'),
        icon: { id: t.lastStatus === 'RUNNING' ? 'vm-running' : 'vm-outline', ...(t.lastStatus === 'RUNNING' ? { color: 'testing.iconPassed' } : {}) },
      };
    }
    case 'maintenance': {
      const s = node.state;
      const tip = [`**Maintenance mode** of ${md(env.name)}`, '', `Read from the last executions of \`${env.pipelines.maintenanceEnable}\` and \`${env.pipelines.maintenanceDisable}\`.`];
      if (s) tip.push('', md(describeMaintenance(s, when)));
      if (s?.kind === 'on' || s?.kind === 'off') tip.push('', `_${s.kind === 'on' ? 'Disable' : 'Enable'} Maintenance Mode with the button on this row, or from the environment's context menu._`);
      if (node.stale) tip.push('', staleTip(node.stale));
      const value = !s ? 'not read' : s.kind === 'unknown' ? 'unknown' : s.kind === 'switching' ? `switching ${s.to}…` : `${s.kind}${s.since ? ` · ${relativeTime(s.since, now)}` : ''}${s.by ? ` · ${s.by}` : ''}${s.lastSwitchFailed ? ' · last switch failed' : ''}`;
      return {
        ...base,
        label: 'Maintenance',
        description: `${value}${staleSuffix(node, now)}`,
        tooltip: tip.join('\n'),
        icon: node.stale ? staleIcon(node.stale) : !s || s.kind === 'unknown' ? IDLE : s.kind === 'switching' ? RUNNING : s.kind === 'on' ? { id: 'tools', color: 'charts.orange' } : { id: 'tools' },
      };
    }
    case 'history':
      return {
        ...base,
        label: 'History',
        description: 'recent executions',
        tooltip: `**History** of ${md(env.name)}: each execution of \`${env.pipelines.normal}\` with its version, who decided it and how it ended. Read from AWS when expanded.`,
        icon: { id: 'history' },
      };
    case 'history-entry': {
      const e = node.entry;
      const version = e.version ? `${short(e.version)}${node.commit ? ` ${node.commit.subject}` : ''}` : 'version unknown';
      const decided = e.decisions.find((d) => d.decision === 'Rejected') ?? e.decisions[e.decisions.length - 1];
      const tip = [`**${md(endedAs(e))}** · execution \`${e.executionId}\``, ''];
      if (e.version) tip.push(commitMarkdown(e.version, node.commit), '');
      if (e.startTime) tip.push(`Started ${when(e.startTime)}${e.startedBy ? ` by ${md(e.startedBy)}` : ''}`, '');
      if (e.finishedAt) tip.push(`Finished ${when(e.finishedAt)} · took ${formatDuration(e.durationMs)}`, '');
      for (const d of e.decisions) tip.push(`${d.decision} by ${md(d.by ?? 'someone')}${d.at ? ` at ${when(d.at)}` : ''}${d.comment ? `: ${md(d.comment)}` : ''}`, '');
      if (e.detailsError) tip.push(`$(warning) Stages and decisions not read: ${md(e.detailsError)}`);
      return {
        ...base,
        label: version,
        description: `${endedAs(e).split(':')[0]}${e.startTime ? ` · ${relativeTime(e.startTime, now)}` : ''}${decided?.by ? ` · ${decided.by}` : e.startedBy ? ` · ${e.startedBy}` : ''}`,
        tooltip: tip.join('\n'),
        icon: historyIcon(e),
        command: { id: 'sprykerDeploy.history.open', title: 'Open Execution' },
      };
    }
    case 'note':
      return { ...base, label: node.text, tooltip: md(node.text), icon: node.warning ? WARNING : { id: 'info' } };
    case 'kept': {
      // "Last read 3 min ago · Network error" / "As of 3 min ago · refreshing": the environment's row says it too,
      // but after its versions, where the sidebar's width cuts it off.
      const ago = relativeTime(node.stale.asOf, now);
      return {
        ...base,
        label: node.stale.error ? `Last read ${ago}` : `As of ${ago}`,
        description: node.stale.error ? errorWords(node.stale.error.code) : 'refreshing',
        tooltip: staleTip(node.stale),
        icon: staleIcon(node.stale),
      };
    }
    case 'runs-now': {
      const left = node.left;
      const text = describeLeftovers(left, { envName: env.name, desiredParameter: env.parameters.desiredVersion, deployedParameter: node.deployedParameter });
      const tip = [`**What runs on ${md(env.name)} now**`, '', md(text.runsNow), '', md(text.parameters), '', `**What to do:** ${md(text.advice)}`, '', '_Roll Back or Retry from the context menu._'];
      return {
        ...base,
        label: 'Runs now',
        description: text.short.replace(/^services: /, ''),
        tooltip: tip.join('\n'),
        icon: WARNING,
      };
    }
    case 'service-events':
      return {
        ...base,
        collapsible: 'collapsed',
        label: 'ECS events',
        description: `latest ${node.events.length}`,
        tooltip: `The newest events of ECS service \`${node.serviceName}\`, newest first.`,
        icon: { id: 'list-unordered' },
      };
    case 'service-event': {
      const e = node.event;
      const bad = /fail|unhealthy|rolling back|circuit breaker|stopped|unable/i.test(e.message);
      return {
        ...base,
        label: e.message,
        ...(e.at ? { description: relativeTime(e.at, now) } : {}),
        tooltip: `${e.at ? `${when(e.at)}\n\n` : ''}${md(e.message)}`,
        icon: bad ? WARNING : { id: 'circle-small' },
      };
    }
    case 'stopped-tasks':
      return {
        ...base,
        // Open with the service: why its tasks stopped is what a failed rollout is asked first.
        collapsible: 'expanded',
        label: 'Stopped tasks',
        description: `of rollout ${node.rollout.id.replace(/^ecs-svc\//, '')}`,
        tooltip: `Tasks of rollout \`${node.rollout.id}\` (\`${node.rollout.taskDefinition}\`) that stopped: why, and each container's exit code. Read from ECS when shown (ECS keeps stopped tasks for about an hour).`,
        icon: { id: 'debug-stop', color: 'testing.iconFailed' },
      };
    case 'stopped-task': {
      const t = node.task;
      const exits = t.containers.filter((c) => c.exitCode !== undefined || c.reason).map((c) => `${c.name} exit ${c.exitCode ?? '—'}`);
      const tip = [`Task \`${t.id}\` stopped${t.stoppedAt ? ` ${when(t.stoppedAt)}` : ''}`, '', `${t.stopCode ? `\`${t.stopCode}\`: ` : ''}${md(t.stoppedReason ?? 'no reason given')}`];
      for (const c of t.containers) tip.push('', `Container ${md(c.name)}: exit code ${c.exitCode ?? '—'}${c.reason ? ` · ${md(c.reason)}` : ''}`);
      return {
        ...base,
        label: `${t.stoppedReason ?? t.stopCode ?? 'stopped'}`,
        description: [exits.join(', '), t.stoppedAt ? relativeTime(t.stoppedAt, now) : ''].filter(Boolean).join(' · '),
        tooltip: tip.join('\n'),
        icon: FAILED,
      };
    }
  }
}

function historyIcon(e: HistoryEntry): IconSpec {
  switch (e.outcome.kind) {
    case 'deployed':
      return OK;
    case 'failed':
      return FAILED;
    case 'rejected':
    case 'expired':
      return DECIDED;
    case 'running':
      return RUNNING;
    case 'awaiting-approval':
      return WAITING;
    default:
      return IDLE;
  }
}

/** The few words a node shows for its error; a switch over every kind, so a new kind does not compile until it has words. */
export function errorWords(kind: DeployErrorKind): string {
  switch (kind) {
    case 'not-signed-in':
      return 'Not signed in';
    case 'credentials-expired':
      return 'Credentials expired';
    case 'access-denied':
      return 'Access denied';
    case 'throttled':
      return 'Throttled by AWS';
    case 'not-found':
      return 'Not found';
    case 'network':
      return 'Network error';
    case 'invalid-settings':
      return 'Settings invalid';
    case 'invalid-input':
      return 'Invalid input';
    case 'stale-approval':
      return 'Approval changed';
    case 'approval-already-decided':
      return 'Approval already decided';
    case 'no-pending-approval':
      return 'No approval waiting';
    case 'execution-active':
      return 'Execution running';
    case 'missing-images':
      return 'Images missing';
    case 'promotion-refused':
      return 'Promotion refused';
    case 'start-failed':
      return 'Start failed';
    case 'concurrent-deploy':
      return 'Another deploy wrote the version';
    case 'not-retryable':
      return 'Nothing to retry';
    case 'cancelled':
      return 'Cancelled';
    case 'aws':
      return 'AWS error';
    case 'unknown':
      return 'Error';
    default:
      return unhandled(kind);
  }
}

function unhandled(kind: never): string {
  return `Error (${String(kind)})`;
}
