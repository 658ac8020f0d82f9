// Notifications for what happens to deployments, each with its next action. One notification per approval
// token and per finished execution, whoever noticed it first (the store's polling or a followed deploy).

import * as vscode from 'vscode';
import type { EnvironmentConfig, ExecutionStatus, PendingApproval } from '../core/model';
import { shortVersion } from '../core/version';
import type { GitBridge } from './contracts';
import { followStoppedMessage } from './notifierText';

export class DeployNotifier {
  private readonly shown = new Set<string>();

  constructor(
    private readonly git: () => GitBridge | undefined,
    private readonly enabled: () => { approval: boolean },
    private readonly canModify: () => boolean,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The user ended this execution on purpose (rejected it): its failure is no news to report. */
  expectEnd(executionId: string): void {
    this.shown.add(`finished:${executionId}`);
  }

  private once(key: string): boolean {
    if (this.shown.has(key)) return false;
    this.shown.add(key);
    return true;
  }

  private async subject(sha: string | undefined): Promise<string> {
    if (!sha) return '';
    const c = await this.git()?.commit(sha).catch(() => undefined);
    return c ? ` "${c.subject}"` : '';
  }

  async approvalWaiting(env: EnvironmentConfig, approval: PendingApproval): Promise<void> {
    if (!this.enabled().approval || !this.once(`approval:${approval.token}`)) return;
    const what = approval.version ? `${shortVersion(approval.version)}${await this.subject(approval.version)}` : `execution ${approval.executionId}`;
    const message = `${env.name}${env.production ? ' (production)' : ''}: deployment of ${what} is waiting for approval.`;
    this.log.info(`[notify] ${message}`);
    const actions = this.canModify() ? ['Open Panel', 'Approve', 'Reject'] : ['Open Panel'];
    const picked = await vscode.window.showWarningMessage(message, ...actions);
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

  async finished(env: EnvironmentConfig, executionId: string, status: ExecutionStatus, version: string | undefined, summary?: string): Promise<void> {
    if (!this.once(`finished:${executionId}`)) return;
    const what = version ? `${shortVersion(version)}${await this.subject(version)}` : `execution ${executionId}`;
    if (status === 'Succeeded') {
      const message = `Deployed ${what} to ${env.name}.`;
      this.log.info(`[notify] ${message}`);
      const picked = await vscode.window.showInformationMessage(message, 'Show Services');
      if (picked) await vscode.commands.executeCommand('sprykerDeploy.environments.focus');
      return;
    }
    const message = `${env.name}: deployment of ${what} ${status === 'Failed' ? 'failed' : status.toLowerCase()}${summary ? `: ${summary}` : '.'}`;
    this.log.warn(`[notify] ${message}`);
    const picked = await (status === 'Failed' ? vscode.window.showErrorMessage(message, 'Show Log') : vscode.window.showWarningMessage(message, 'Show Log'));
    if (picked) await vscode.commands.executeCommand('sprykerDeploy.pipeline.showLogs', { environment: env.name, executionId });
  }
}
