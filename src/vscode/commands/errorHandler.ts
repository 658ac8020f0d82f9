// The one error path of every command: cancellation stays silent, DeployErrors get a clear message with one
// useful action, anything else a short line with the stack in the log.

import * as vscode from 'vscode';
import { toDeployError, type DeployError } from '../../core/errors';
import type { Messages } from '../messages';
import { describeError } from './errorMessages';

export interface ErrorHandlerDeps {
  readonly log: vscode.LogOutputChannel;
  /** Puts desired_version back after a failed start that could not restore it. */
  readonly restore: (e: DeployError) => Promise<void>;
  /** Switches maintenance mode off (after a deploy in maintenance mode that went wrong left it on). */
  readonly disableMaintenance: (env: string) => Promise<void>;
  /** Notifications with buttons (a test answers them in test mode). */
  readonly messages: Messages;
}

export class ErrorHandler {
  constructor(private readonly deps: ErrorHandlerDeps) {}

  /** Shows the error; resolves once the user has picked the action (or dismissed it). */
  async show(error: unknown, context: string, retry?: () => Promise<unknown>): Promise<void> {
    const e = error instanceof vscode.CancellationError ? toDeployError(Object.assign(new Error('Cancelled'), { name: 'AbortError' })) : toDeployError(error);
    const report = describeError(e, context);
    if (report.silent) {
      this.deps.log.debug(`[command] ${context}: cancelled`);
      return;
    }
    if (e.kind === 'unknown') this.deps.log.error(`[command] ${context}: ${e.message}${e.details.cause instanceof Error && e.details.cause.stack ? `\n${e.details.cause.stack}` : ''}`);
    else this.deps.log.warn(`[command] ${context}: ${e.kind}${e.details.awsCode ? ` (${e.details.awsCode}${e.details.operation ? ` in ${e.details.operation}` : ''})` : ''}: ${e.message}`);
    const action = report.action;
    const picked = await this.deps.messages.show('error', report.message, ...(action ? [action.label] : []));
    if (!action || picked !== action.label) return;
    switch (action.id) {
      case 'signIn':
        await vscode.commands.executeCommand('sprykerDeploy.signIn');
        break;
      case 'retry':
        if (retry) await this.run(context, retry);
        else await vscode.commands.executeCommand('sprykerDeploy.refresh');
        break;
      case 'showLog':
        this.deps.log.show(true);
        break;
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'sprykerDeploy.environments');
        break;
      case 'restore':
        await this.run('Restore desired version', () => this.deps.restore(e));
        break;
      case 'disableMaintenance':
        if (e.details.maintenance) {
          const env = e.details.maintenance.environment;
          await this.run('Disable maintenance mode', () => this.deps.disableMaintenance(env));
        }
        break;
    }
  }

  /** Runs work, routing any error through show(). Resolves undefined when it failed. */
  async run<T>(context: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (e) {
      // Not awaited: a command must not hang on an unanswered notification (tests, the next command).
      void this.show(e, context, work);
      return undefined;
    }
  }

  /** registerCommand with this error path. */
  register(id: string, title: string, handler: (...args: unknown[]) => Promise<unknown>): vscode.Disposable {
    return vscode.commands.registerCommand(id, (...args: unknown[]) => this.run(title, () => handler(...args)));
  }
}
