// Notifications for what happens to deployments, each with its next action. They come from one place: the store's
// transitions (an approval started waiting, an execution finished), which a followed deploy waits on as well, so
// each is told once without remembering what was told.

import * as vscode from 'vscode';
import type { EnvironmentConfig, EnvironmentStatus, ExecutionStatus, PendingApproval } from '../core/model';
import { describeLeftovers, failedDeployLeftovers } from '../core/afterFailure';
import type { ExecutionOutcome } from '../core/outcome';
import { shortVersion } from '../core/version';
import type { GitBridge } from './contracts';
import type { Messages } from './messages';
import type { StatusTransition } from './store/transitions';
import { finishedNotice, followStoppedMessage, restoreAction, RETRY, ROLL_BACK, SHOW_LOG, SHOW_SERVICES } from './notifierText';

export class DeployNotifier {
  /** Executions the user ended on purpose (rejected in VS Code): told by the command itself. Used once, then gone. */
  private readonly expected = new Set<string>();
  /** Executions started in this window: their being superseded is news to this user (a colleague's is not). */
  private readonly own = new Set<string>();

  constructor(
    /** The repository, once Git has started (a notification in a window's first seconds waits for it briefly). */
    private readonly git: () => Promise<GitBridge | undefined>,
    private readonly enabled: () => { approval: boolean },
    private readonly canModify: () => boolean,
    private readonly log: vscode.LogOutputChannel,
    private readonly messages: Messages,
    /** How a stopped or superseded execution ended, as AWS says it (core EnvironmentService.endOf). */
    private readonly endOf?: (env: string, executionId: string) => Promise<{ readonly reason?: string; readonly supersededBy?: string; readonly startedBy?: string }>,
  ) {}

  /** This window started the execution: tell its end whatever it is, a supersession included. */
  startedHere(executionId: string): void {
    this.own.add(executionId);
  }

  /** The user ended this execution on purpose (rejected it): its failure is no news to report. */
  expectEnd(executionId: string): void {
    this.expected.add(executionId);
  }

  /**
   * What the store saw change. An older execution that vanished as superseded is told only when this window started
   * it (a deploy, a rollback, a promotion): a colleague's superseded execution is no news.
   */
  heard(env: EnvironmentConfig, t: StatusTransition, current: EnvironmentStatus | undefined): void {
    if (t.kind === 'approval-waiting') void this.approvalWaiting(env, t.approval);
    else if (t.status !== 'Superseded' || this.own.has(t.executionId)) void this.finished(env, t.executionId, t.status, t.version, current);
  }

  private async subject(sha: string | undefined): Promise<string> {
    if (!sha) return '';
    const c = await (await this.git())?.commit(sha).catch(() => undefined);
    return c ? ` "${c.subject}"` : '';
  }

  async approvalWaiting(env: EnvironmentConfig, approval: PendingApproval): Promise<void> {
    if (!this.enabled().approval) return;
    const what = approval.version ? `${shortVersion(approval.version)}${await this.subject(approval.version)}` : `execution ${approval.executionId}`;
    const message = `${env.name}${env.production ? ' (production)' : ''}: deployment of ${what} is waiting for approval.`;
    this.log.info(`[notify] ${message}`);
    const actions = this.canModify() ? ['Open Panel', 'Approve', 'Reject'] : ['Open Panel'];
    const picked = await this.messages.show('warning', message, ...actions);
    const arg = { environment: env.name, approval };
    if (picked === 'Open Panel') await vscode.commands.executeCommand('sprykerDeploy.approval.openPanel', arg);
    else if (picked === 'Approve') await vscode.commands.executeCommand('sprykerDeploy.approval.approve', arg);
    else if (picked === 'Reject') await vscode.commands.executeCommand('sprykerDeploy.approval.reject', arg);
  }

  /** The user stopped following a deploy (not the deploy): say it goes on and offer the places to watch it. */
  async followingStopped(env: EnvironmentConfig, executionId: string, version: string | undefined): Promise<void> {
    const message = followStoppedMessage(env.name, executionId, version);
    this.log.info(`[notify] ${message}`);
    const picked = await vscode.window.showInformationMessage(message, 'Open Panel', 'Show Environments');
    if (picked === 'Open Panel') await vscode.commands.executeCommand('sprykerDeploy.approval.openPanel', { environment: env.name });
    else if (picked === 'Show Environments') await vscode.commands.executeCommand('sprykerDeploy.environments.focus');
  }

  /** Asks AWS how a stopped or superseded execution ended; the outcome as it was when AWS cannot say. */
  private async withEnd(env: EnvironmentConfig, executionId: string, outcome: ExecutionOutcome): Promise<ExecutionOutcome> {
    if ((outcome.kind !== 'stopped' && outcome.kind !== 'superseded') || !this.endOf) return outcome;
    try {
      return mergeEnd(outcome, await this.endOf(env.name, executionId));
    } catch (e) {
      this.log.warn(`[notify] ${env.name}: how execution ${executionId} ended could not be read: ${e instanceof Error ? e.message : String(e)}`);
      return outcome;
    }
  }

  /**
   * An execution ended. `current` is the environment's status read after the end: its outcome says how (failed at
   * which stage and why, rejected by whom); without it only the bare status is known.
   */
  async finished(env: EnvironmentConfig, executionId: string, status: ExecutionStatus, version: string | undefined, current?: EnvironmentStatus): Promise<void> {
    this.own.delete(executionId);
    if (this.expected.delete(executionId)) return;
    const known = current?.pipeline?.executionId === executionId ? current.pipeline.outcome : undefined;
    const outcome: ExecutionOutcome = await this.withEnd(env, executionId, known ?? fallbackOutcome(status));
    const what = version ? `${shortVersion(version)}${await this.subject(version)}` : `execution ${executionId}`;
    const left = known && current ? failedDeployLeftovers(current) : undefined;
    const leftovers = left
      ? describeLeftovers(left, { envName: env.name, desiredParameter: env.parameters.desiredVersion, deployedParameter: current?.lastDeployedParameter ?? env.parameters.lastDeployedVersion[0] })
      : undefined;
    const notice = finishedNotice({
      envName: env.name,
      what,
      outcome,
      ...(current?.desiredVersion ? { desiredVersion: current.desiredVersion } : {}),
      ...(current?.lastDeployedVersion ? { deployedVersion: current.lastDeployedVersion } : {}),
      desiredParameter: env.parameters.desiredVersion,
      canModify: this.canModify(),
      rolledBack: (current?.services ?? []).filter((s) => s.failedDeployment).map((s) => s.name),
      ...(leftovers ? { leftovers } : {}),
    });
    (notice.severity === 'info' ? this.log.info : this.log.warn).call(this.log, `[notify] ${notice.message}`);
    const picked = await this.messages.show(notice.severity, notice.message, ...notice.actions);
    const arg = { environment: env.name, executionId };
    if (picked === SHOW_SERVICES) await vscode.commands.executeCommand('sprykerDeploy.environments.focus');
    else if (picked === SHOW_LOG) await vscode.commands.executeCommand('sprykerDeploy.pipeline.showLogs', arg);
    else if (picked === RETRY) await vscode.commands.executeCommand('sprykerDeploy.pipeline.retry', arg);
    else if (picked === ROLL_BACK) {
      // The last good version is the deployed one (the pipeline writes it only on success): deploy it again.
      await vscode.commands.executeCommand('sprykerDeploy.rollback', current?.lastDeployedVersion ? { environment: env.name, version: current.lastDeployedVersion } : { environment: env.name });
    }
    else if (picked !== undefined && current?.lastDeployedVersion && picked === restoreAction(current.lastDeployedVersion)) {
      await vscode.commands.executeCommand('sprykerDeploy.desiredVersion.restore', { environment: env.name, version: current.lastDeployedVersion });
    }
  }
}

/** A stopped or superseded execution: why it stopped, or which execution took its place and who started it. */
function mergeEnd(outcome: ExecutionOutcome, end: { readonly reason?: string; readonly supersededBy?: string; readonly startedBy?: string }): ExecutionOutcome {
  if (outcome.kind === 'stopped' && end.reason) return { ...outcome, reason: end.reason };
  if (outcome.kind === 'superseded' && end.supersededBy) return { kind: 'superseded', by: end.supersededBy, ...(end.startedBy ? { startedBy: end.startedBy } : {}) };
  return outcome;
}

/** When the pipeline state has moved on to another execution, the bare status is all that is known. */
function fallbackOutcome(status: ExecutionStatus): ExecutionOutcome {
  switch (status) {
    case 'Succeeded':
      return { kind: 'deployed' };
    case 'Stopped':
      return { kind: 'stopped' };
    case 'Superseded':
    case 'Cancelled':
      return { kind: 'superseded' };
    default:
      return { kind: 'failed', stage: '' };
  }
}
