// History and maintenance mode in the extension: a past execution opened read-only, and maintenance switched on or
// off through its Spryker Cloud pipeline (confirmed like a deploy, production typed). The rules are the core's
// (history.ts, maintenance.ts); this reads, confirms, shows.

import * as vscode from 'vscode';
import { DeployError } from '../../core/errors';
import type { HistoryEntry } from '../../core/history';
import { endedAs } from '../../core/history';
import type { MaintenanceMode } from '../../core/maintenance';
import { relativeTime } from '../../core/time';
import { shortVersion } from '../../core/version';
import type { EnvironmentTarget, InspectTarget } from '../commands/commandTargets';
import type { Confirmer, EnvironmentStore } from '../contracts';
import { pickEnvironment } from '../pickers/environmentPicker';

/** How far back "Show History…" and opening an execution by id look. */
const HISTORY_READ = 30;

export interface HistoryCommandDeps {
  readonly store: EnvironmentStore;
  readonly confirmer: Confirmer;
  /** Opens a past execution in the approval panel, read-only. */
  readonly openExecution: (envName: string, entry: HistoryEntry, previousVersion: string | undefined) => Promise<void>;
  readonly log: vscode.LogOutputChannel;
  readonly canModify: () => boolean;
  /** Maintenance mode of the environment changed: the tree reads it again. */
  readonly maintenanceChanged: (env: string) => void;
}

export class HistoryCommands {
  constructor(private readonly deps: HistoryCommandDeps) {}

  /** Palette: pick an environment, then one of its recent executions, and open it. */
  async show(target: EnvironmentTarget): Promise<void> {
    const env = await pickEnvironment(this.deps.store, target.environment, 'Show History…');
    if (!env) return;
    const entries = await this.read(env.name);
    if (entries.length === 0) {
      void vscode.window.showInformationMessage(`${env.pipelines.normal} has never run.`);
      return;
    }
    const picked = await vscode.window.showQuickPick(
      entries.map((entry) => ({
        label: `${entry.version ? shortVersion(entry.version) : 'version unknown'} — ${endedAs(entry)}`,
        description: entry.startTime ? relativeTime(entry.startTime, new Date()) : '',
        detail: entry.decisions.map((d) => `${d.decision} by ${d.by ?? 'someone'}${d.comment ? `: ${d.comment}` : ''}`).join(' · ') || undefined,
        entry,
      })),
      { title: `History of ${env.name}`, placeHolder: 'Open an execution (read-only)', matchOnDescription: true, matchOnDetail: true },
    );
    if (picked) await this.openEntry(env.name, picked.entry, entries);
  }

  /** A History entry from the tree, or `{environment, executionId}`. */
  async open(target: InspectTarget): Promise<void> {
    const node = target.node;
    const envName = node?.env.name ?? target.environment;
    if (!envName) throw new DeployError('invalid-input', 'Open Execution needs an environment and an execution id.');
    const entries = await this.read(envName);
    const id = node?.kind === 'history-entry' ? node.entry.executionId : target.executionId;
    const entry = entries.find((e) => e.executionId === id) ?? (node?.kind === 'history-entry' ? node.entry : undefined);
    if (!entry) throw new DeployError('not-found', `Execution ${id ?? '(none given)'} is not among the last ${HISTORY_READ} executions of ${envName}.`);
    await this.openEntry(envName, entry, entries);
  }

  private async read(envName: string): Promise<readonly HistoryEntry[]> {
    const service = await this.deps.store.service(envName);
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading the history of ${envName}…` }, () => service.history(HISTORY_READ));
  }

  private async openEntry(envName: string, entry: HistoryEntry, entries: readonly HistoryEntry[]): Promise<void> {
    if (!this.deps.store.environment(envName)) throw new DeployError('invalid-settings', `${envName} is not configured.`);
    // What ran before: the newest older execution that deployed.
    const index = entries.findIndex((e) => e.executionId === entry.executionId);
    const previousVersion = entries.slice(index + 1).find((e) => e.outcome.kind === 'deployed' && e.version)?.version;
    await this.deps.openExecution(envName, entry, previousVersion);
  }

  /**
   * `clicked`: the user clicked a button that says exactly this ("Disable Maintenance" after a deploy in maintenance
   * mode that did not succeed); the click is the confirmation.
   */
  async switchMaintenance(target: EnvironmentTarget, mode: MaintenanceMode, options: { readonly clicked?: boolean } = {}): Promise<void> {
    if (!this.deps.canModify()) {
      throw new DeployError('invalid-input', 'Switching maintenance mode is not available in an untrusted workspace (read-only mode). Trust the workspace first.');
    }
    const verb = mode === 'on' ? 'Enable' : 'Disable';
    const env = await pickEnvironment(this.deps.store, target.environment, `${verb} Maintenance Mode…`);
    if (!env) return;
    const service = await this.deps.store.service(env.name);
    const state = await service.maintenance();
    if (state.kind === 'unknown') throw new DeployError('not-found', `Cannot switch maintenance mode of ${env.name} ${mode}: ${state.reason}`);
    if (state.kind === 'switching') throw new DeployError('execution-active', `Maintenance mode of ${env.name} is already switching ${state.to}; wait for it to end.`);
    if (state.kind === mode) {
      void vscode.window.showInformationMessage(`Maintenance mode of ${env.name} is already ${mode}.`);
      this.deps.maintenanceChanged(env.name);
      return;
    }
    const pipeline = mode === 'on' ? env.pipelines.maintenanceEnable : env.pipelines.maintenanceDisable;
    const confirmed =
      options.clicked ||
      (await this.deps.confirmer.confirm({
      env,
      title: `${verb} maintenance mode of ${env.name}?`,
      detail: [
        `Starts ${pipeline}.`,
        mode === 'on'
          ? `Until it is disabled, ${env.name}'s shop, Glue API and Back Office answer with the maintenance page.`
          : `${env.name}'s shop, Glue API and Back Office answer normally again.`,
      ].join('\n'),
        action: `${verb} Maintenance`,
      }));
    if (!confirmed) return;
    this.deps.log.info(`[maintenance] ${env.name}: switching ${mode} (${pipeline})`);
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Switching maintenance mode of ${env.name} ${mode}…` }, () =>
        service.setMaintenance(mode, { wait: true }),
      );
      if (result.already) void vscode.window.showInformationMessage(`Maintenance mode of ${env.name} is already ${mode}.`);
      else if (result.status === 'Succeeded') void vscode.window.showInformationMessage(`Maintenance mode of ${env.name} is ${mode}.`);
      else throw new DeployError('aws', `${pipeline} ended ${result.status ?? 'without a result'}${result.summary ? ` (${result.summary})` : ''}: maintenance mode of ${env.name} did not switch ${mode}.`);
    } finally {
      this.deps.maintenanceChanged(env.name);
    }
  }
}
