// Compare two environments, compare the workspace HEAD with what an environment runs, and promote what one
// environment runs to another. The rules (what may be promoted, what differs) are core/promotion's; this reads the
// statuses and git facts, shows them, and hands a promotion to the normal deploy flow (confirmation, follow, approval).

import * as vscode from 'vscode';
import { DeployError } from '../../core/errors';
import type { EnvironmentConfig, EnvironmentStatus } from '../../core/model';
import { compareEnvironments, planPromotion, promotionTarget, type EnvironmentComparison } from '../../core/promotion';
import { assessChange } from '../../core/risk';
import { isVersion, shortVersion } from '../../core/version';
import type { EnvironmentTarget } from '../commands/commandTargets';
import type { EnvironmentStore, GitBridge } from '../contracts';
import type { DeployCommands } from '../deploy/deployCommands';
import { pickEnvironment } from '../pickers/environmentPicker';
import { riskRules } from '../settings';
import { ReadOnlyDocuments, showMarkdown } from '../readOnlyDocuments';
import { comparisonMarkdown, type ComparisonGitFacts } from './comparisonDocument';

export const COMPARISON_SCHEME = 'spryker-deploy-compare';

/** The read-only comparison documents. */
export class ComparisonDocuments extends ReadOnlyDocuments {
  constructor() {
    super(COMPARISON_SCHEME, 'This comparison is no longer available: run "Compare Environments…" again.');
  }
}

export interface PromoteCommandDeps {
  readonly store: EnvironmentStore;
  readonly git: () => GitBridge | undefined;
  readonly deploys: DeployCommands;
  readonly documents: ComparisonDocuments;
  readonly log: vscode.LogOutputChannel;
  readonly canModify: () => boolean;
}

/** What the last comparison showed, for tests (the document's URI and text). */
export interface ShownComparison {
  readonly uri: vscode.Uri;
  readonly text: string;
  readonly comparison: EnvironmentComparison;
}

export class PromoteCommands {
  private lastShown: ShownComparison | undefined;

  constructor(private readonly deps: PromoteCommandDeps) {}

  lastComparison(): ShownComparison | undefined {
    return this.lastShown;
  }

  /** Refreshes an environment and returns its status with when it was read and why the refresh failed, if it did. */
  private async read(env: EnvironmentConfig): Promise<{ status: EnvironmentStatus; error?: string }> {
    const { store } = this.deps;
    await store.refresh(env.name);
    const status = store.status(env.name);
    const error = store.error(env.name);
    if (!status) throw error ?? new DeployError('not-found', `${env.name} could not be read.`);
    return { status, ...(error ? { error: error.message } : {}) };
  }

  /** The two environments: the source given or picked, then its promotion target (default) or a pick of the others. */
  private async pair(target: EnvironmentTarget, verb: string): Promise<{ source: EnvironmentConfig; target: EnvironmentConfig } | undefined> {
    const { store } = this.deps;
    const environments = store.environments();
    let sourceName = target.environment;
    // From the palette, staging vs prod (the first environment that promotes to another) is offered first.
    const defaultSource = environments.find((e) => promotionTarget(environments, e.name) !== undefined);
    if (sourceName === undefined && defaultSource && target.caller === 'palette') {
      const defaultTarget = promotionTarget(environments, defaultSource.name)!;
      const items = [
        { label: `$(arrow-right) ${defaultSource.name} → ${defaultTarget}`, description: 'promotes to', source: defaultSource.name },
        { label: '$(list-selection) Pick two environments…', source: undefined as string | undefined },
      ];
      const picked = await vscode.window.showQuickPick(items, { title: `${verb}…`, placeHolder: 'Which environments?', ignoreFocusOut: true });
      if (!picked) return undefined;
      if (picked.source) {
        const source = store.environment(picked.source)!;
        const to = store.environment(defaultTarget);
        if (!to) throw new DeployError('invalid-settings', `${source.name} promotes to "${defaultTarget}", which is not in the sprykerDeploy.environments setting.`);
        return { source, target: to };
      }
    }
    const source = await pickEnvironment(store, sourceName, `${verb}: from…`);
    if (!source) return undefined;
    sourceName = source.name;
    const configured = promotionTarget(environments, source.name);
    if (configured && target.caller !== 'palette') {
      const to = store.environment(configured);
      if (!to) throw new DeployError('invalid-settings', `${source.name} promotes to "${configured}", which is not in the sprykerDeploy.environments setting.`);
      return { source, target: to };
    }
    const others = environments.filter((e) => e.name !== sourceName);
    if (others.length === 0) throw new DeployError('invalid-settings', `Only ${source.name} is configured: add another environment to compare or promote to.`);
    const to = await pickEnvironment(store, undefined, `${verb}: ${source.name} and…`, (e) => e.name !== sourceName);
    return to ? { source, target: to } : undefined;
  }

  private async gitFacts(c: EnvironmentComparison): Promise<{ facts?: ComparisonGitFacts; problem?: string }> {
    const git = this.deps.git();
    if (!git) return { problem: 'no Git repository is open' };
    const from = c.targetVersion;
    const to = c.sourceVersion;
    if (!isVersion(from) || !isVersion(to)) return { problem: 'one of the environments has no known deployed version' };
    const [fromCommit, toCommit] = await Promise.all([git.commit(from), git.commit(to)]);
    const missing = [fromCommit ? undefined : from, toCommit ? undefined : to].filter((v): v is string => v !== undefined);
    if (missing.length) return { problem: `the local repository lacks ${missing.map((v) => shortVersion(v)).join(' and ')} (fetch, or check out the branch that has it)` };
    const [sourceOnly, targetOnly, files] = await Promise.all([git.commitsBetween(from, to), git.commitsBetween(to, from), git.changedFiles(from, to)]);
    if (!sourceOnly || !targetOnly || !files) return { problem: 'git could not compare the two versions' };
    const risk = await assessChange(git, from, to, riskRules().rules).catch(() => undefined);
    const subjects = new Map([fromCommit!, toCommit!].map((x) => [x.sha, x.subject]));
    return { facts: { sourceOnly, targetOnly, files, subjects, ...(risk ? { risk } : {}) } };
  }

  async compare(target: EnvironmentTarget): Promise<void> {
    const pair = await this.pair(target, 'Compare Environments');
    if (!pair) return;
    if (pair.source.name === pair.target.name) throw new DeployError('invalid-input', `Compare two different environments (got ${pair.source.name} twice).`);
    const text = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Comparing ${pair.source.name} with ${pair.target.name}…` }, async () => {
      const [source, targetRead] = await Promise.all([this.read(pair.source), this.read(pair.target)]);
      const comparison = compareEnvironments(source.status, targetRead.status);
      const git = await this.gitFacts(comparison);
      return {
        comparison,
        text: comparisonMarkdown({
          comparison,
          ...(git.facts ? { git: git.facts } : {}),
          ...(git.problem ? { gitProblem: git.problem } : {}),
          readAt: { source: source.status.fetchedAt, target: targetRead.status.fetchedAt },
          refreshErrors: { ...(source.error ? { source: source.error } : {}), ...(targetRead.error ? { target: targetRead.error } : {}) },
          now: new Date(),
        }),
      };
    });
    const uri = this.deps.documents.add(`/${pair.source.name} vs ${pair.target.name}.md`, text.text);
    this.lastShown = { uri, text: text.text, comparison: text.comparison };
    await showMarkdown(uri);
  }

  /** The workspace HEAD against what an environment runs, in the multi-file diff editor. */
  async compareBranch(target: EnvironmentTarget): Promise<void> {
    const git = this.deps.git();
    if (!git) throw new DeployError('invalid-input', 'No Git repository is open: open the project folder to compare its HEAD with an environment.');
    const head = await git.head();
    if (!head) throw new DeployError('invalid-input', 'The repository has no HEAD commit.');
    const env = await pickEnvironment(this.deps.store, target.environment, `Compare HEAD ${shortVersion(head.sha)} with…`);
    if (!env) return;
    const { status, error } = await this.read(env);
    const deployed = status.lastDeployedVersion;
    if (!isVersion(deployed)) {
      throw new DeployError('not-found', `${env.name}'s deployed version could not be read${error ? ` (${error})` : ''}: there is nothing to compare HEAD with.`);
    }
    const stale = error ? ` (as last read, ${error})` : '';
    if (deployed === head.sha) {
      void vscode.window.showInformationMessage(`HEAD ${shortVersion(head.sha)} is what ${env.name} runs${stale}: nothing differs${head.dirty ? ' except your uncommitted changes' : ''}.`);
      return;
    }
    if (!(await git.commit(deployed))) {
      throw new DeployError('not-found', `${env.name} runs ${shortVersion(deployed)}, which is not in the local repository: fetch, or check out the branch that has it.`);
    }
    const title = `${env.name} ${shortVersion(deployed)} ↔ HEAD ${shortVersion(head.sha)}${head.branch ? ` (${head.branch})` : ''}`;
    if (!(await git.openChanges(deployed, head.sha, title))) {
      void vscode.window.showInformationMessage(`HEAD ${shortVersion(head.sha)} changes no file since ${env.name}'s ${shortVersion(deployed)}${stale}.`);
    }
    this.deps.log.info(`[compare] opened ${title}${stale}`);
  }

  async promote(target: EnvironmentTarget): Promise<void> {
    if (!this.deps.canModify()) {
      throw new DeployError('invalid-input', 'Promoting is not available in an untrusted workspace (read-only mode). Trust the workspace to deploy, approve or roll back.');
    }
    const pair = await this.pair(target, 'Promote');
    if (!pair) return;
    const { source, target: to } = pair;
    if (source.name === to.name) throw new DeployError('invalid-input', `Promote between two different environments (got ${source.name} twice).`);
    const [sourceRead, targetRead] = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking ${source.name} and ${to.name} before promoting…` }, () =>
      Promise.all([this.read(source), this.read(to)]),
    );
    // Promote what runs now, never what was last seen: a source that cannot be read now is not promoted.
    if (sourceRead.error) throw new DeployError('promotion-refused', `Refused to promote ${source.name} → ${to.name}, nothing was changed: ${source.name} could not be read now (${sourceRead.error}).`);
    let plan = planPromotion(sourceRead.status, targetRead.status);
    if (!plan.ok) {
      const superseding = planPromotion(sourceRead.status, targetRead.status, { supersede: true });
      // The only objection is a running or waiting execution on the target: the user may supersede it, deliberately.
      if (superseding.ok && superseding.supersedes) {
        const answer = await vscode.window.showWarningMessage(
          `${to.name} has execution ${superseding.supersedes} running or waiting. Promoting supersedes it.`,
          { modal: true, detail: `${source.name} runs ${shortVersion(superseding.version)}; nothing else stands in the way.` },
          'Supersede and Continue',
        );
        if (answer !== 'Supersede and Continue') return;
        plan = superseding;
      } else {
        throw new DeployError('promotion-refused', `Refused to promote ${source.name} → ${to.name}, nothing was changed: ${plan.reasons.join(' ')}`);
      }
    }
    if (!plan.ok) return;
    const comparison = compareEnvironments(sourceRead.status, targetRead.status);
    const git = await this.gitFacts(comparison);
    const lines = [
      `Promoting ${source.name} → ${to.name}: exactly what ${source.name} runs (${shortVersion(plan.version)}, deployed and running on every service).`,
      git.facts
        ? `${git.facts.sourceOnly.length} commit(s) ${to.name} lacks, ${git.facts.targetOnly.length} commit(s) ${to.name} has that ${source.name} lacks; ${git.facts.files.length} file(s) differ.`
        : `Commits and files: unknown (${git.problem ?? 'not compared'}).`,
      ...(targetRead.error ? [`⚠ ${to.name} could not be read now (${targetRead.error}); its versions are as last read.`] : []),
    ];
    this.deps.log.info(`[promote] ${source.name} → ${to.name}: ${plan.version}`);
    await this.deps.deploys.deploy(to, plan.version, 'deploy', () => lines);
  }
}
