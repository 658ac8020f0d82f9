// Read-only commands: open in the AWS console, show a pipeline build log (in a read-only virtual document).

import * as vscode from 'vscode';
import { DeployError } from '../../core/errors';
import type { ActionState, EnvironmentConfig, EnvironmentStatus, ServiceStatus } from '../../core/model';
import type { InspectTarget } from '../commands/commandTargets';
import { consoleTarget, isCustomEndpoint, isLocalEndpoint } from './consoleLinks';
import type { EnvironmentStore } from '../contracts';
import { pickEnvironment } from '../pickers/environmentPicker';

export const LOG_SCHEME = 'spryker-deploy-log';

/** Build logs as read-only documents: `spryker-deploy-log:/<env>/<build>.log`. */
export class BuildLogDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.emitter.fire(uri);
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This log is no longer loaded: run "Spryker Deploy: Show Pipeline Logs" again.';
  }
}

/** The build whose log is most useful: the node's own, else the comparison stage's, else the latest build. */
export function pickBuild(status: EnvironmentStatus | undefined, env: EnvironmentConfig, node: unknown): { stage: string; action: ActionState } | undefined {
  const n = node as { kind?: string; stageName?: string; action?: ActionState } | undefined;
  if (n?.kind === 'action' && n.action?.externalExecutionId && n.stageName) return { stage: n.stageName, action: n.action };
  const stages = status?.pipeline?.stages ?? [];
  const withBuild = stages.flatMap((s) => s.actions.filter((a) => a.externalExecutionId).map((action) => ({ stage: s.name, action })));
  const failed = withBuild.filter((b) => b.action.status === 'Failed');
  return (
    failed[0] ??
    withBuild.find((b) => b.stage === env.stages.comparison) ??
    [...withBuild].sort((a, b) => (b.action.lastStatusChange?.getTime() ?? 0) - (a.action.lastStatusChange?.getTime() ?? 0))[0]
  );
}

export class InspectCommands {
  constructor(
    private readonly store: EnvironmentStore,
    private readonly documents: BuildLogDocuments,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async openInConsole(target: InspectTarget): Promise<void> {
    const env = await pickEnvironment(this.store, target.environment, 'Open in AWS Console…');
    if (!env) return;
    const { url, what } = consoleTarget(target.node, env);
    if (isCustomEndpoint(env)) {
      const where = isLocalEndpoint(env.endpoint) ? `the local sandbox (${env.endpoint})` : `the endpoint ${env.endpoint}`;
      const picked = await vscode.window.showInformationMessage(
        `${env.name} talks to ${where}, not to AWS: the AWS console has no ${what} for it.`,
        'Copy Console URL',
      );
      if (picked) await vscode.env.clipboard.writeText(url);
      return;
    }
    this.log.info(`[console] ${env.name}: opening ${what}`);
    await vscode.env.openExternal(vscode.Uri.parse(url));
  }

  async showLogs(target: InspectTarget): Promise<void> {
    const env = await pickEnvironment(this.store, target.environment, 'Show Pipeline Logs…');
    if (!env) return;
    if (!this.store.status(env.name)) await this.store.refresh(env.name);
    const status = this.store.status(env.name);
    // A rollout the circuit breaker rolled back has no build log: its story is the service's events and the tasks
    // that stopped (why, with which exit code).
    const node = target.node;
    const serviceName = node?.kind === 'service' ? node.service.name : node?.kind === 'stopped-tasks' || node?.kind === 'service-events' ? node.serviceName : undefined;
    const rolledBack = (status?.services ?? []).filter((s) => s.failedDeployment && (serviceName === undefined || s.name === serviceName));
    const outcome = status?.pipeline?.outcome;
    if (rolledBack.length > 0 && (serviceName !== undefined || (outcome?.kind === 'failed' && outcome.buildId === undefined))) {
      await this.showRolloutFailure(env, rolledBack);
      return;
    }
    const build = pickBuild(status, env, target.node);
    if (!build?.action.externalExecutionId) {
      throw new DeployError('not-found', `${env.name}: the latest execution of ${env.pipelines.normal} has no CodeBuild build with a log yet.`);
    }
    const buildId = build.action.externalExecutionId;
    const service = await this.store.service(env.name);
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading the log of ${build.stage}` }, () => service.buildLog(buildId));
    const header = [
      `# ${env.name} · ${env.pipelines.normal} · ${build.stage} / ${build.action.name} (${build.action.status ?? 'not run'})`,
      `# build ${buildId}${result.logGroup ? ` · ${result.logGroup}` : ''}${result.logStream ? ` / ${result.logStream}` : ''}`,
      `# execution ${target.executionId ?? status?.pipeline?.executionId ?? ''}`,
      '',
    ];
    const safeBuild = buildId.replace(/[^A-Za-z0-9_.-]+/g, '_');
    const uri = vscode.Uri.from({ scheme: LOG_SCHEME, path: `/${env.name}/${safeBuild}.log` });
    this.documents.set(uri, [...header, ...result.lines].join('\n'));
    await this.open(uri);
  }

  /** Opens a log document scrolled to its end, where a failure's error is. */
  private async open(uri: vscode.Uri): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc, { preview: true });
    const end = new vscode.Position(Math.max(0, doc.lineCount - 1), 0);
    editor.selection = new vscode.Selection(end, end);
    editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async showRolloutFailure(env: EnvironmentConfig, services: readonly ServiceStatus[]): Promise<void> {
    const service = await this.store.service(env.name);
    const stopped = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading the stopped tasks of ${env.name}` }, () =>
      Promise.all(services.map((s) => service.stoppedTasks(s.name))),
    );
    const lines = [`# ${env.name} · ECS cluster ${env.cluster} · rollouts the deployment circuit breaker rolled back`, ''];
    services.forEach((s, i) => {
      const failed = s.failedDeployment!;
      const tags = [...new Set(s.images.map((x) => x.tag).filter((t): t is string => t !== undefined))];
      lines.push(`## ${s.name}`, `Rollout ${failed.id} (${failed.taskDefinition}): ${failed.rolloutState ?? ''} · ${failed.rolloutStateReason ?? ''}${failed.failedTasks ? ` · ${failed.failedTasks} tasks failed` : ''}`);
      lines.push(`Runs now: ${tags.join(', ') || 'unknown'} (${s.runningCount}/${s.desiredCount} tasks)`, '', 'Service events (oldest first):');
      for (const e of [...(s.events ?? [])].reverse()) lines.push(`  ${e.at ? e.at.toISOString() : ''}  ${e.message}`);
      lines.push('', 'Stopped tasks:');
      const tasks = stopped[i].filter((t) => t.taskDefinition === failed.taskDefinition);
      if (tasks.length === 0) lines.push('  (none listed: ECS keeps stopped tasks for about an hour)');
      for (const t of tasks) {
        lines.push(`  task ${t.id}  ${t.stoppedAt ? t.stoppedAt.toISOString() : ''}  ${t.stopCode ?? ''}: ${t.stoppedReason ?? ''}`);
        for (const c of t.containers) lines.push(`    container ${c.name}: exit code ${c.exitCode ?? '—'}${c.reason ? ` (${c.reason})` : ''}`);
      }
      lines.push('');
    });
    const uri = vscode.Uri.from({ scheme: LOG_SCHEME, path: `/${env.name}/ecs-rollback-${services.map((s) => s.name).join('_')}.log` });
    this.documents.set(uri, lines.join('\n'));
    await this.open(uri);
  }
}
