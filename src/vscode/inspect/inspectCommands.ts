// Read-only commands: open in the AWS console, show a pipeline build log (in a read-only virtual document).

import * as vscode from 'vscode';
import { DeployError } from '../../core/errors';
import type { ActionState, EnvironmentConfig, EnvironmentStatus } from '../../core/model';
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
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
  }
}
