// One approval panel = one environment. It owns its WebviewPanel, rebuilds the view model when the store polls
// a new status, and sends the user's decision. The view model is built by the pure viewModel.ts; this class
// only gathers the inputs, guards the actions and talks to the webview.

import * as vscode from 'vscode';
import type { EnvironmentService } from '../../core/api';
import { DeployError, toDeployError } from '../../core/errors';
import type { ApprovalDetails, EnvironmentConfig } from '../../core/model';
import { shortVersion } from '../../core/version';
import type { ApprovalViewModel, DecisionKind, OutcomeView, PanelErrorView } from '../../webview/protocol';
import type { ApprovalPanelDeps } from '../contracts';
import { riskRules } from '../settings';
import { decisionError, loadError } from './panelErrors';
import { buildApprovalViewModel, comparedVersions, FAILURE_LINES, failureKey, loadGitFacts, serviceFailureLines, waitingApprovals, type FailureLines, type GitFacts } from './viewModel';
import { WebviewHost, type PanelMessage } from './webviewHost';

type Busy = ApprovalViewModel['busy'];

export class ApprovalPanel extends WebviewHost {
  private details: ApprovalDetails | undefined;
  /** The token the details were read for: details are re-read (log and all) only when the waiting approval changes. */
  private detailsKey: string | undefined;
  private detailsLoaded = false;
  private detailsReadAt = 0;
  private git: GitFacts = { repository: false, missing: [] };
  private gitKey: string | undefined;
  private busy: Busy;
  /** The end of the failed build's log, read once per failure. */
  private failureLines: FailureLines | undefined;
  private outcome: OutcomeView | undefined;
  /** The approval `outcome` decided: the outcome is shown only until another approval waits. */
  private decidedToken: string | undefined;
  /** The error of the last failed read, cleared by the next read that works. */
  private loadErrorShown: PanelErrorView | undefined;
  private error: PanelErrorView | undefined;
  private lastModel: ApprovalViewModel | undefined;
  private rebuilding: Promise<void> | undefined;
  private rebuildAgain = false;
  private forceDetails = false;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly config: EnvironmentConfig,
    private readonly deps: ApprovalPanelDeps,
  ) {
    super(panel, { extensionUri: deps.extensionUri, env: config.name, title: `Approve: ${config.name}`, icon: 'pass', logPrefix: `[approval] ${config.name}`, log: deps.log });
    this.disposables.push(
      deps.store.onDidChange((env) => {
        // Another environment's status tells whether this approval promotes what it runs.
        if (env === config.name || (env !== undefined && this.lastModel?.approval !== undefined)) void this.scheduleRebuild();
      }),
      // An open panel is someone looking: the store keeps this environment polling fast (the timeline stays
      // live) even with the views hidden and the window unfocused, until the panel closes.
      deps.store.watch(config.name),
    );
    void this.scheduleRebuild();
    // Opening the panel is asking for current data: don't show a status polled minutes ago (or none).
    void deps.store.refresh(config.name).catch(() => undefined);
  }

  get env(): string {
    return this.config.name;
  }

  /** The last view model sent to the webview (tests read it through the registration's inspect()). */
  override get state(): ApprovalViewModel | undefined {
    return this.lastModel;
  }

  protected override failed(message: PanelMessage, error: DeployError): void {
    this.log.error(`${this.logPrefix}: ${message.type} failed: ${error.message}`);
    this.error = { kind: 'other', message: error.message };
    this.post({ type: 'error', error: this.error });
    this.render();
  }

  protected override async handle(message: PanelMessage): Promise<void> {
    switch (message.type) {
      case 'refresh':
        this.error = undefined;
        this.forceDetails = true;
        this.gitKey = undefined;
        await Promise.all([this.deps.store.refresh(this.env).catch(() => undefined), this.scheduleRebuild()]);
        return;
      case 'approve':
        return this.decide('Approved', message.comment, message.token, message.action);
      case 'reject':
        return this.decide('Rejected', message.comment, message.token, message.action);
      case 'openCommit':
        return this.openCommit(message.sha);
      case 'fetch':
        return this.fetch(message.full === true);
      case 'showLog':
        return this.showLog();
    }
  }

  /** The failure section's Show Log: the same read-only log document as the failure notification's Show Log. */
  private async showLog(): Promise<void> {
    const pipeline = this.deps.store.status(this.env)?.pipeline;
    if (pipeline?.outcome?.kind !== 'failed') {
      this.showError({ kind: 'stale', message: 'The execution shown no longer failed: refresh the panel.', action: 'refresh' });
      return;
    }
    await vscode.commands.executeCommand('sprykerDeploy.pipeline.showLogs', { environment: this.env, ...(pipeline.executionId ? { executionId: pipeline.executionId } : {}) });
  }

  private async openCommit(sha: string): Promise<void> {
    const git = this.deps.git();
    if (!git) {
      this.showError({ kind: 'git', message: 'No Git repository is open, so the commit cannot be shown.' });
      return;
    }
    try {
      await git.openCommit(sha);
    } catch (e) {
      this.showError({ kind: 'git', message: `Could not open commit ${shortVersion(sha)}: ${toDeployError(e).message}` });
    }
  }

  private async fetch(full: boolean): Promise<void> {
    const git = this.deps.git();
    if (!git || this.busy) return;
    this.busy = 'fetch';
    this.error = undefined;
    this.render();
    try {
      await (full ? git.fetchFullHistory() : git.fetch());
      this.gitKey = undefined;
    } catch (e) {
      this.error = { kind: 'fetch-failed', message: `git fetch${full ? ' --unshallow' : ''} failed: ${toDeployError(e).message}`, action: 'fetch' };
    } finally {
      this.busy = undefined;
    }
    await this.scheduleRebuild();
  }

  private async decide(decision: DecisionKind, comment: string, token: string, actionName: string): Promise<void> {
    if (this.busy === 'Approved' || this.busy === 'Rejected') {
      this.log.info(`${this.logPrefix}: ignored a second ${decision} while one is being sent`);
      return;
    }
    if (!this.deps.canModify()) {
      this.showError({ kind: 'not-allowed', message: 'Approving and rejecting are disabled in an untrusted workspace. Trust the workspace to decide here.' });
      return;
    }
    // The action chosen must be one that waits now (as last read), with the token the panel showed for it.
    const waitingNow = this.details ? waitingApprovals(this.details) : [];
    const approval = waitingNow.find((a) => a.actionName === actionName);
    if (!approval) {
      const names = [...new Set(waitingNow.map((a) => a.actionName))];
      this.forceDetails = true;
      this.showError({
        kind: 'stale',
        message: `${actionName} does not wait for a decision in ${this.env} (decided, or the execution moved on), so nothing was sent.${names.length > 0 ? ` Waiting now: ${names.join(', ')}.` : ''} Refresh to see what waits.`,
        action: 'refresh',
      });
      return;
    }
    if (approval.token !== token) {
      this.showError(decisionError(new DeployError('stale-approval', 'The panel showed an approval that no longer waits.')));
      return;
    }
    const several = waitingNow.length > 1;
    // Set before any await so a second click arriving during the confirmation is ignored too.
    this.busy = decision;
    this.error = undefined;
    this.render();
    try {
      // Approving asks as the confirmation settings say (production: typed name; others: a modal unless turned
      // off). Rejecting is the safe action: the comment and one modal where a confirmation is asked for at all.
      const versions = comparedVersions(this.details, this.deps.store.status(this.env));
      const where = this.config.production ? 'production' : this.env;
      // What the panel shows as "Rollback: commits removed" the confirmation calls a rollback too.
      const undone = this.git.target?.sha === versions.target && this.git.running?.sha === versions.running ? (this.git.undone ?? []) : [];
      const what = undone.length > 0 ? `rollback of ${this.env} to ${shortVersion(versions.target)}` : `deploy of ${shortVersion(versions.target)} to ${this.env}`;
      const others = several ? ` once ${waitingNow.filter((a) => a !== approval).map((a) => a.actionName).join(' and ')} ${waitingNow.length > 2 ? 'are' : 'is'} approved too` : '';
      const confirmed = await this.deps.confirmer.confirm({
        env: this.config,
        title: `${decision === 'Approved' ? 'Approve' : 'Reject'} the ${what}${this.config.production ? ' (production)' : ''}${several ? ` as ${approval.actionName}` : ''}?`,
        detail:
          decision === 'Approved'
            ? undone.length > 0
              ? `${shortVersion(versions.running)} → ${shortVersion(versions.target)}: ${where} will be rolled back${others}, undoing ${undone.length} commit${undone.length === 1 ? '' : 's'} (newest: ${shortVersion(undone[0].sha)} "${undone[0].subject}").`
              : `${shortVersion(versions.running)} → ${shortVersion(versions.target)} will be deployed to ${where}${others}.`
            : `The waiting execution ${approval.executionId} will stop; ${shortVersion(versions.running)} keeps running.`,
        action: decision === 'Approved' ? 'Approve' : 'Reject',
        ...(decision === 'Rejected' ? { oneStep: true } : {}),
      });
      if (!confirmed) {
        this.log.info(`${this.logPrefix}: ${decision} not confirmed, nothing sent`);
        return;
      }
      const service = await this.service();
      this.log.info(`${this.logPrefix}: sending ${decision} of ${approval.actionName} for execution ${approval.executionId}`);
      const { note } = await service.decide(approval, decision, comment);
      this.decidedToken = approval.token;
      this.outcome = {
        decision,
        at: new Date().toISOString(),
        comment,
        ...(approval.version !== undefined ? { version: approval.version } : {}),
        ...(note ? { note } : {}),
      };
      this.log.info(`${this.logPrefix}: ${decision} sent${note ? ` (${note})` : ''}`);
      this.post({ type: 'result', outcome: this.outcome });
      this.forceDetails = true;
    } catch (e) {
      const error = decisionError(e);
      this.log.error(`${this.logPrefix}: ${decision} failed (${toDeployError(e).kind}): ${toDeployError(e).message}`);
      this.error = error;
      this.post({ type: 'error', error });
      if (error.kind === 'stale' || error.kind === 'already-decided') this.forceDetails = true;
    } finally {
      this.busy = undefined;
      this.render();
    }
    // The tree and status bar follow the store; the panel rebuilds from the store's change event.
    await this.deps.store.refresh(this.env).catch((e) => this.log.warn(`${this.logPrefix}: refresh after decision failed: ${toDeployError(e).message}`));
    await this.scheduleRebuild();
  }

  private showError(error: PanelErrorView): void {
    this.error = error;
    this.post({ type: 'error', error });
    this.render();
  }

  private service(): Promise<EnvironmentService> {
    return this.deps.store.service(this.env);
  }

  /** Coalesces rebuilds: one runs at a time, and a request during a run causes exactly one more run. */
  scheduleRebuild(): Promise<void> {
    if (this.rebuilding) {
      this.rebuildAgain = true;
      return this.rebuilding;
    }
    this.rebuilding = (async () => {
      try {
        do {
          this.rebuildAgain = false;
          await this.rebuild();
        } while (this.rebuildAgain && !this.disposed);
      } finally {
        this.rebuilding = undefined;
      }
    })();
    return this.rebuilding;
  }

  private async rebuild(): Promise<void> {
    if (this.disposed) return;
    const status = this.deps.store.status(this.env);
    const waiting = status?.pipeline?.pendingApproval;
    const key = waiting?.token ?? (status?.pipeline ? 'none' : undefined);
    if (!this.detailsLoaded || this.forceDetails || key !== this.detailsKey) {
      this.forceDetails = false;
      if (!this.lastModel) {
        this.busy ??= 'load';
      }
      try {
        const service = await this.service();
        this.details = await service.approvalDetails();
        this.detailsReadAt = Date.now();
        this.detailsKey = this.details?.approval.token ?? (status?.pipeline ? 'none' : undefined);
        this.detailsLoaded = true;
        // A read that works ends the error of a read that did not ("Could not reach AWS" included).
        if (this.error && this.error === this.loadErrorShown) this.error = undefined;
        this.loadErrorShown = undefined;
        // Another approval waits now: the decision and the errors about the previous one belong to that one.
        const waitingNow = this.details?.approval.token;
        if (waitingNow !== undefined && waitingNow !== this.decidedToken) {
          this.outcome = undefined;
          this.decidedToken = undefined;
          if (this.error?.kind === 'stale' || this.error?.kind === 'already-decided') this.error = undefined;
        }
      } catch (e) {
        this.log.error(`${this.logPrefix}: reading the approval failed: ${toDeployError(e).message}`);
        this.error = this.loadErrorShown = loadError(e);
      } finally {
        if (this.busy === 'load') this.busy = undefined;
      }
    }
    const versions = comparedVersions(this.details, status);
    const gitKey = `${versions.running}..${versions.target}`;
    if (gitKey !== this.gitKey) {
      const git = this.deps.git();
      const risk = riskRules();
      for (const problem of risk.problems) this.log.warn(`[approval] ${problem}`);
      const loaded = await loadGitFacts(git, versions, risk.rules);
      const reason = git ? undefined : this.deps.noRepositoryReason?.();
      const facts = reason ? { ...loaded, noRepositoryReason: reason } : loaded;
      // Missing versions in a shallow clone: say so, and offer the fetch that can bring them.
      this.git = facts.missing.length > 0 && git && (await git.isShallow().catch(() => false)) ? { ...facts, shallow: true } : facts;
      // No repository yet (the git extension is still starting after a reload): ask again on the next rebuild.
      this.gitKey = git ? gitKey : undefined;
    }
    await this.readFailure();
    this.render();
  }

  /** A failed CodeBuild action: the end of its log, read once per failure (the error is in its last lines). */
  private async readFailure(): Promise<void> {
    const pipeline = this.deps.store.status(this.env)?.pipeline;
    const key = failureKey(pipeline);
    const outcome = pipeline?.outcome;
    if (key === undefined || key === this.failureLines?.key || outcome?.kind !== 'failed' || outcome.buildId === undefined) return;
    try {
      const log = await (await this.service()).buildLog(outcome.buildId);
      const lines = [...log.lines];
      while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
      this.failureLines = { key, lines: lines.slice(-FAILURE_LINES), source: `Last lines of ${outcome.action ?? outcome.stage}'s build log${log.logGroup ? ` (${log.logGroup})` : ''}` };
    } catch (e) {
      this.failureLines = { key, lines: [], error: `The build log could not be read: ${toDeployError(e).message}` };
    }
  }

  /** What explains the failure shown: the build log's end, or for an ECS rollout its services' latest events. */
  private failureInput(): FailureLines | undefined {
    const status = this.deps.store.status(this.env);
    const key = failureKey(status?.pipeline);
    if (key === undefined) return undefined;
    if (this.failureLines?.key === key) return this.failureLines;
    const outcome = status?.pipeline?.outcome;
    if (outcome?.kind === 'failed' && outcome.buildId !== undefined) return undefined;
    const { lines, services } = serviceFailureLines(status);
    return { key, lines, ...(services.length > 0 ? { source: `Latest ECS events of ${services.join(', ')}` } : {}) };
  }

  private render(): void {
    if (this.disposed) return;
    const status = this.deps.store.status(this.env);
    // Whichever was read last is the fresher pipeline state: the store polls, the details are read on demand.
    const pipeline =
      status?.pipeline && (!this.details || status.fetchedAt.getTime() >= this.detailsReadAt) ? status.pipeline : (this.details?.pipeline ?? status?.pipeline);
    const failure = this.failureInput();
    const others = this.deps.store
      .environments()
      .filter((e) => e.name !== this.env)
      .map((e) => {
        const other = this.deps.store.status(e.name);
        return { config: e, ...(other ? { status: other } : {}) };
      });
    this.lastModel = buildApprovalViewModel({
      config: this.config,
      others,
      ...(this.details ? { details: this.details } : {}),
      ...(status ? { status } : {}),
      ...(pipeline ? { pipeline } : {}),
      git: this.git,
      ...(this.busy ? { busy: this.busy } : {}),
      ...(this.outcome ? { outcome: this.outcome } : {}),
      ...(this.error ? { error: this.error } : {}),
      canModify: this.deps.canModify(),
      now: new Date(),
      ...(failure ? { failureLines: failure } : {}),
    });
    this.post({ type: 'state', state: this.lastModel });
  }
}
