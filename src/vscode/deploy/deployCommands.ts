// Deploy HEAD, deploy a commit, roll back, approve and reject: the flows that change an environment. Each
// checks first (preflight), confirms exactly what changes, then follows the execution in a cancellable
// progress notification (cancelling stops following, never the deploy).

import * as vscode from 'vscode';
import type { DeployOptions, FollowResult } from '../../core/api';
import { DeployError, isDeployError } from '../../core/errors';
import { deployInMaintenance } from '../../core/maintenanceDeploy';
import type { CommitInfo } from '../../core/git';
import type { DeployPreflight, DeployProgress, EnvironmentConfig, PendingApproval } from '../../core/model';
import { describeOutcome } from '../../core/outcome';
import { parseVersion, shortVersion } from '../../core/version';
import { approvalCommentProblem } from '../../core/approvalComment';
import { commitOf, type ApprovalTarget, type CommitTarget, type EnvironmentTarget, type RetryTarget } from '../commands/commandTargets';
import type { Confirmer, GitBridge, EnvironmentStore } from '../contracts';
import type { Messages } from '../messages';
import type { DeployNotifier } from '../notifier';
import { restoreAction } from '../notifierText';
import { pickEnvironment } from '../pickers/environmentPicker';
import { relativeTime, utcTimestamp } from '../../core/time';
import { assessChange } from '../../core/risk';
import { loadVersionChange, undoneSummary } from '../../core/versionChange';
import { riskRules } from '../settings';
import { describeChange, isRollback, riskLines } from './changeDescription';
import { whoDeployed } from '../../core/history';
import { describeMaintenanceFollow, describeMaintenanceStep, describeProgress, maintenanceConfirmLine } from './progressText';
import { followInStore } from '../store/follow';

export interface DeployCommandDeps {
  readonly store: EnvironmentStore;
  readonly git: () => GitBridge | undefined;
  readonly confirmer: Confirmer;
  readonly notifier: DeployNotifier;
  readonly log: vscode.LogOutputChannel;
  readonly canModify: () => boolean;
  /** Notifications with buttons (a test answers them in test mode). */
  readonly messages: Messages;
  /**
   * Test mode only: a token that stops following exactly as the notification's Cancel button does (extension-host
   * tests cannot click a notification).
   */
  readonly followCancellation?: () => vscode.CancellationToken;
  /** Maintenance mode of the environment changed (the tree reads it again). */
  readonly maintenanceChanged: (env: string) => void;
  /** Switches maintenance mode off, now (the button of "Maintenance mode stays ON"; the click is the decision). */
  readonly disableMaintenance: (env: string) => Promise<void>;
}

const RECENT_FOR_PICK = 30;
const DISABLE_MAINTENANCE = 'Disable Maintenance';

export class DeployCommands {
  constructor(private readonly deps: DeployCommandDeps) {}

  private requireModify(what: string): void {
    if (!this.deps.canModify()) {
      throw new DeployError('invalid-input', `${what} is not available in an untrusted workspace (read-only mode). Trust the workspace to deploy, approve or roll back.`);
    }
  }

  /** The environment the caller named, or a quick pick (undefined when the user dismissed it). */
  private environment(named: string | undefined, title: string, filter?: (env: EnvironmentConfig) => boolean): Promise<EnvironmentConfig | undefined> {
    return pickEnvironment(this.deps.store, named, title, filter);
  }

  async deployHead(target: EnvironmentTarget): Promise<void> {
    this.requireModify('Deploying');
    const git = this.deps.git();
    if (!git) throw new DeployError('invalid-input', 'No Git repository is open: open the project folder to deploy its HEAD, or use "Deploy Commit…".');
    const head = await git.head();
    if (!head) throw new DeployError('invalid-input', 'The repository has no HEAD commit.');
    const env = await this.environment(target.environment, `Deploy HEAD ${shortVersion(head.sha)} to…`);
    if (!env) return;
    const at = `HEAD ${shortVersion(head.sha)}${head.branch ? ` on ${head.branch}` : ''}`;
    // Decided after the image check, so that what the warning says agrees with what was found.
    const warnings = (pre: DeployPreflight): string[] => [
      ...(head.dirty ? ['the working tree has uncommitted changes (they are not part of the image)'] : []),
      ...(head.pushed === false
        ? [
            pre.missingImages.length
              ? `${at} is not pushed: the pipeline builds from the remote repository, so push it before its images can be built`
              : `${at} is not pushed to its upstream, though images tagged with it exist`,
          ]
        : []),
    ];
    // The warnings go into the one confirmation, so the user reads them next to what will change.
    await this.deploy(env, head.sha, 'deploy', (pre) => warnings(pre).map((w) => `⚠ Careful: ${w}.`));
  }

  /** Palette: input box or quick pick of recent commits. Context menus: the commit they were opened on. */
  async deployCommit(target: CommitTarget): Promise<void> {
    this.requireModify('Deploying');
    const version = commitOf(target) ?? (await this.pickCommit());
    if (!version) return;
    const env = await this.environment(target.environment, `Deploy ${shortVersion(version)} to…`);
    if (!env) return;
    await this.deploy(env, version, 'deploy');
  }

  private async pickCommit(): Promise<string | undefined> {
    const git = this.deps.git();
    const recent: readonly CommitInfo[] = git ? await git.recent(RECENT_FOR_PICK).catch(() => []) : [];
    const now = new Date();
    const typeItem = { label: '$(edit) Enter a commit hash…', sha: undefined as string | undefined, alwaysShow: true };
    const items = [
      typeItem,
      ...recent.map((c) => ({ label: c.subject || c.sha, description: `${shortVersion(c.sha)} · ${c.author}${c.date ? `, ${relativeTime(c.date, now)}` : ''}`, sha: c.sha as string | undefined })),
    ];
    const picked = recent.length ? await vscode.window.showQuickPick(items, { title: 'Deploy Commit', placeHolder: 'Pick a commit or enter a full hash', matchOnDescription: true }) : typeItem;
    if (!picked) return undefined;
    if (picked.sha) return picked.sha;
    const typed = await vscode.window.showInputBox({
      title: 'Deploy Commit',
      prompt: 'Full 40-character commit hash (it is the image tag)',
      placeHolder: 'e.g. 3f2a9c1e…',
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          parseVersion(v);
          return undefined;
        } catch (e) {
          return e instanceof Error ? e.message : String(e);
        }
      },
    });
    return typed === undefined ? undefined : parseVersion(typed);
  }

  async rollback(target: CommitTarget): Promise<void> {
    this.requireModify('Rolling back');
    const env = await this.environment(target.environment, 'Roll back…');
    if (!env) return;
    const service = await this.deps.store.service(env.name);
    // The history names the people (approver, starter); the parameter history only the build role that wrote it.
    const [{ candidates, missing }, history] = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading the deploy history of ${env.name}` }, () =>
      Promise.all([service.rollbackCandidates(), service.history(20).catch((e: unknown) => (this.deps.log.warn(`[rollback] ${env.name}: history unread: ${String(e)}`), []))]),
    );
    if (missing) void vscode.window.showWarningMessage(missing);
    const earlier = candidates.filter((c) => !c.current);
    if (earlier.length === 0) throw new DeployError('not-found', `${env.name} has no earlier deployed version to roll back to.`);
    const wanted = commitOf(target, 'roll back');
    let version: string | undefined;
    const status = this.deps.store.status(env.name);
    const ended = status?.pipeline?.outcome;
    if (wanted !== undefined && wanted === status?.lastDeployedVersion && (ended?.kind === 'failed' || ended?.kind === 'stopped')) {
      // After a failed (or stopped) deploy the last good version is still the deployed one; some services may already
      // run the failed version (stages before the failure), so deploying the last good one again is the roll back.
      const why = `the last deployment ${ended.kind === 'failed' ? 'failed' : 'was stopped'} (${describeOutcome(ended)}): this deploys the last good version again`;
      return void (await this.deploy(env, wanted, 'rollback', () => [why]));
    }
    if (wanted) {
      if (!earlier.some((c) => c.version === wanted)) {
        throw new DeployError('invalid-input', `${shortVersion(wanted)} was never deployed to ${env.name} (or is the current version): pick one of its earlier deployed versions.`);
      }
      version = wanted;
    } else {
      const git = this.deps.git();
      const now = new Date();
      const running = candidates.find((c) => c.current)?.version ?? status?.lastDeployedVersion;
      const items = await Promise.all(
        earlier.map(async (c) => {
          const commit = await git?.commit(c.version).catch(() => undefined);
          // What picking it undoes, from the version running now: the commits removed, newest first.
          const change = commit && running && git ? await loadVersionChange(git, running, c.version) : undefined;
          return {
            label: `$(history) ${shortVersion(c.version)} ${commit?.subject ?? ''}`.trim(),
            description: commit ? `${commit.author}${commit.date ? `, ${relativeTime(commit.date, now)}` : ''}` : 'not in the local repository',
            // When and who first: the list of undone commits is long and a narrow picker cuts the line's end.
            detail: [
              [
                `deployed ${c.deployedAt ? `${relativeTime(c.deployedAt, now)} (${utcTimestamp(c.deployedAt)})` : ''}`,
                whoDeployed(history.find((h) => h.version === c.version && h.outcome.kind === 'deployed'), c.deployedBy),
              ]
                .filter(Boolean)
                .join(', '),
              ...(change ? [undoneSummary(change)] : []),
            ].join(' · '),
            version: c.version,
          };
        }),
      );
      const picked = await vscode.window.showQuickPick(items, { title: `Roll back ${env.name} to…`, placeHolder: 'An earlier deployed version', matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true });
      version = picked?.version;
    }
    if (!version) return;
    await this.deploy(env, version, 'rollback');
  }

  /** Preflight, confirmation, deploy, follow. */
  async deploy(env: EnvironmentConfig, version: string, kind: 'deploy' | 'rollback', warnings: (pre: DeployPreflight) => readonly string[] = () => []): Promise<FollowResult | undefined> {
    const { store, log } = this.deps;
    const service = await store.service(env.name);
    const git = this.deps.git();
    // Maintenance mode is read beside the preflight: the confirmation offers a deploy inside it only when it is off.
    const [pre, maintenance] = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking ${env.name} before deploying ${shortVersion(version)}…` }, () =>
      Promise.all([service.preflight(version), service.maintenance().catch((e: unknown) => (log.warn(`[deploy] ${env.name}: maintenance mode unread: ${String(e)}`), undefined))]),
    );
    const from = pre.lastDeployedVersion ?? pre.desiredVersion;
    const commits = new Map<string, CommitInfo | undefined>();
    for (const sha of [from, version]) if (sha) commits.set(sha, await git?.commit(sha).catch(() => undefined));
    const change = from && git && from !== version ? await loadVersionChange(git, from, version) : undefined;
    const risk = from && git ? await assessChange(git, from, version, riskRules().rules).catch(() => undefined) : undefined;
    const { title, detail } = describeChange({
      env,
      version,
      preflight: pre,
      kind,
      commitOf: (sha) => (sha ? commits.get(sha) : undefined),
      ...(change ? { change } : {}),
      ...(risk ? { risk } : {}),
      repository: git !== undefined,
    });
    // Missing images are not a refusal but an offer: the pipeline's Build_and_Prepare builds them. The answer to
    // that offer is asked even where confirmations are turned off, because deploying would otherwise be refused.
    const buildsImages = pre.missingImages.length > 0;
    const rollback = isRollback({ kind, ...(change ? { change } : {}) });
    const action = buildsImages ? 'Deploy Anyway' : rollback ? 'Roll Back' : 'Deploy';
    const inMaintenance = maintenance?.kind === 'off' ? `${action} in Maintenance Mode` : undefined;
    const maintenanceLine = maintenanceConfirmLine(env, maintenance, inMaintenance);
    const ok = await this.deps.confirmer.confirm({
      env,
      title,
      detail: [...warnings(pre), detail, ...(maintenanceLine ? [maintenanceLine] : [])].join('\n'),
      action,
      ...(inMaintenance ? { alternative: inMaintenance } : {}),
      ...(buildsImages ? { always: true } : {}),
    });
    if (!ok) return undefined;
    const deployOptions = { supersede: pre.activeExecution !== undefined, allowMissingImages: buildsImages, onProgress: (p: DeployProgress) => log.info(`[deploy] ${env.name}: ${describeProgress(p)}`) };
    if (ok === 'alternative') return this.deployInMaintenanceMode(env, version, deployOptions, rollback);
    const started = await service.deploy(version, deployOptions);
    log.info(`[deploy] ${env.name}: ${kind} of ${version} started as ${started.executionId} (previous desired ${started.previousDesiredVersion ?? 'none'})`);
    this.deps.notifier.startedHere(started.executionId);
    void store.refresh(env.name);
    return this.follow(env, started.executionId, version, `${rollback ? 'Rolling back' : 'Deploying'} ${env.name} to ${shortVersion(version)}`);
  }

  /**
   * Maintenance mode on, deploy, follow through the approval to the end, maintenance off after success, each step
   * in one progress notification (core/maintenanceDeploy.ts decides what happens when something goes wrong). When it
   * stays on, the user is told why with a Disable Maintenance button; an error says so in its message and offers
   * the same button (errorMessages.ts).
   */
  private async deployInMaintenanceMode(env: EnvironmentConfig, version: string, deployOptions: DeployOptions, rollback: boolean): Promise<FollowResult | undefined> {
    const { store, log, notifier } = this.deps;
    const service = await store.service(env.name);
    const title = `${rollback ? 'Rolling back' : 'Deploying'} ${env.name} to ${shortVersion(version)} in maintenance mode`;
    log.info(`[deploy] ${env.name}: ${title}`);
    let done;
    try {
      done = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
        const abort = new AbortController();
        const listeners = [token, this.deps.followCancellation?.()].map((cancellation) => {
          if (cancellation?.isCancellationRequested) abort.abort();
          return cancellation?.onCancellationRequested(() => abort.abort());
        });
        const say = (message: string) => {
          progress.report({ message });
          log.info(`[deploy] ${env.name}: ${message}`);
        };
        return deployInMaintenance(
          service,
          {
            start: async () => {
              const started = await service.deploy(version, deployOptions);
              void store.refresh(env.name);
              return started;
            },
            follow: (started) =>
              followInStore(store, env.name, started.executionId, { signal: abort.signal, throughApproval: true, onProgress: (p) => say(describeMaintenanceFollow(p)) }).catch((e: unknown) => {
                if (isDeployError(e, 'cancelled')) return undefined;
                throw e;
              }),
          },
          {
            onStep: (step) => {
              say(describeMaintenanceStep(step, env));
              if (step.kind === 'enabled' || step.kind === 'disabled') this.deps.maintenanceChanged(env.name);
            },
          },
        ).finally(() => listeners.forEach((l) => l?.dispose()));
      });
    } finally {
      this.deps.maintenanceChanged(env.name);
    }
    const { started, followed, maintenance } = done;
    if (followed?.status === 'Superseded') void notifier.finished(env, started.executionId, followed.status, version, store.status(env.name));
    if (maintenance.kind === 'off') {
      void this.deps.messages.show('info', `Maintenance mode of ${env.name} is off again: ${shortVersion(version)} is deployed.`);
    } else {
      void this.offerDisableMaintenance(env, `Maintenance mode of ${env.name} stays ON: ${maintenance.reason}`);
    }
    return followed;
  }

  /** Says maintenance mode stays on, with a button that switches it off at once. */
  async offerDisableMaintenance(env: EnvironmentConfig, said: string): Promise<void> {
    this.deps.log.warn(`[deploy] ${said}`);
    const picked = await this.deps.messages.show('warning', said, DISABLE_MAINTENANCE);
    if (picked === DISABLE_MAINTENANCE) await this.deps.disableMaintenance(env.name);
  }

  /** Puts desired_version back after a failed start that could not restore it (the error handler's Restore). */
  async restoreAfterFailedStart(e: DeployError): Promise<void> {
    const { store } = this.deps;
    const restored = e.details.restored;
    const env = store.environments().find((x) => x.parameters.desiredVersion === restored?.parameter);
    if (!env || restored?.value === undefined) throw new Error('There is nothing known to restore.');
    await (await store.service(env.name)).restoreDesiredVersion(restored.value);
    void vscode.window.showInformationMessage(`${restored.parameter} restored to ${restored.value}.`);
    await store.refresh(env.name);
  }

  /**
   * Follows until the end or an approval, in a cancellable notification: the store's watch and its transitions
   * (store/follow.ts), which also tell the user how it ended (the notifier hears every transition once).
   */
  async follow(env: EnvironmentConfig, executionId: string, version: string | undefined, title: string): Promise<FollowResult | undefined> {
    const { store, notifier, log } = this.deps;
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
        const abort = new AbortController();
        const listeners = [token, this.deps.followCancellation?.()].map((cancellation) => {
          if (cancellation?.isCancellationRequested) abort.abort();
          return cancellation?.onCancellationRequested(() => abort.abort());
        });
        return followInStore(store, env.name, executionId, {
          signal: abort.signal,
          onProgress: (p) => {
            progress.report({ message: describeProgress(p) });
            log.debug(`[deploy] ${env.name}: ${describeProgress(p)}`);
          },
        }).finally(() => listeners.forEach((l) => l?.dispose()));
      });
      // Every end (a supersession of an execution started here included) and a waiting approval the notifier has
      // heard from the store's transitions already.
      return result;
    } catch (e) {
      if (e instanceof DeployError && e.kind === 'cancelled') {
        log.info(`[deploy] ${env.name}: stopped following ${executionId}; the execution continues`);
        // Not awaited: the command ends now; the message waits for the user.
        void notifier.followingStopped(env, executionId, version);
        return undefined;
      }
      throw e;
    }
  }

  /** The waiting approval the arguments name (checked against the latest status), else the current one. */
  private async waitingApproval(target: ApprovalTarget, verb: string): Promise<{ env: EnvironmentConfig; approval: PendingApproval } | undefined> {
    const { store } = this.deps;
    const env = await this.environment(target.environment, `${verb}…`, (e) => store.status(e.name)?.pipeline?.pendingApproval !== undefined);
    if (!env) {
      if (store.environments().length) throw new DeployError('no-pending-approval', 'No deployment is waiting for approval.');
      return undefined;
    }
    // Read what waits now before asking anything: an old notification's approval may be long decided.
    await store.refresh(env.name);
    const pipeline = store.status(env.name)?.pipeline;
    const waiting = pipeline?.pendingApprovals ?? (pipeline?.pendingApproval ? [pipeline.pendingApproval] : []);
    const given = target.approval;
    if (given) {
      // The same action must still wait with the same token (with several approvers, another action's is not it).
      const now = waiting.find((a) => a.actionName === given.actionName && a.stageName === given.stageName);
      if (given.token === now?.token) return { env, approval: now };
      const other = now ?? waiting[0];
      throw new DeployError(
        'stale-approval',
        `The approval of ${shortVersion(given.version)} (execution ${given.executionId}) no longer waits${other ? `: ${shortVersion(other.version)} waits now; open the approval panel to decide it` : ''}. Nothing was sent.`,
      );
    }
    if (waiting.length === 0) throw new DeployError('no-pending-approval', `No deployment of ${env.name} is waiting for approval.`);
    const approval = await this.pickApproval(env, waiting, target.action, verb);
    return approval ? { env, approval } : undefined;
  }

  /**
   * Several approval actions can wait in one stage (QA and product owner): the user says which one to decide
   * (or the caller names it); never someone else's by default.
   */
  private async pickApproval(env: EnvironmentConfig, waiting: readonly PendingApproval[], action: string | undefined, verb: string): Promise<PendingApproval | undefined> {
    if (action !== undefined) {
      const named = waiting.find((a) => a.actionName === action);
      if (!named) throw new DeployError('no-pending-approval', `No approval action "${action}" waits in ${env.name}; waiting: ${waiting.map((a) => a.actionName).join(', ')}.`);
      return named;
    }
    if (waiting.length === 1) return waiting[0];
    const picked = await vscode.window.showQuickPick(
      waiting.map((a) => ({ label: a.actionName, description: `${a.stageName} · execution ${a.executionId.slice(0, 8)}`, approval: a })),
      { title: `${verb}: ${waiting.length} approvals wait in ${env.name}`, placeHolder: 'Which approval do you decide?', ignoreFocusOut: true },
    );
    return picked?.approval;
  }

  async approve(target: ApprovalTarget): Promise<void> {
    this.requireModify('Approving');
    const found = await this.waitingApproval(target, 'Approve');
    if (!found) return;
    const { env, approval } = found;
    const status = this.deps.store.status(env.name);
    const git = this.deps.git();
    const to = approval.version;
    const from = status?.lastDeployedVersion;
    const subject = async (sha: string | undefined) => (sha ? ((await git?.commit(sha).catch(() => undefined))?.subject ?? '') : '');
    const detail = [
      `Environment: ${env.name}${env.production ? ' — production' : ''}`,
      `Version: ${shortVersion(from)} ${await subject(from)} → ${shortVersion(to)} ${await subject(to)}`.replace(/\s+/g, ' '),
      `Pipeline: ${approval.pipelineName}, execution ${approval.executionId}`,
      'Approving lets the pipeline deploy this version.',
    ];
    if (from && to && from !== to) {
      const risk = riskLines(git ? await assessChange(git, from, to, riskRules().rules).catch(() => undefined) : undefined, git !== undefined);
      detail.push(risk.line);
      if (risk.warning) detail.unshift(risk.warning, '');
    }
    const several = (status?.pipeline?.pendingApprovals?.length ?? 1) > 1;
    const ok = await this.deps.confirmer.confirm({
      env,
      title: `Approve the deployment of ${shortVersion(to)} to ${env.name}${several ? ` as ${approval.actionName}` : ''}?`,
      detail: detail.join('\n'),
      action: 'Approve',
    });
    if (!ok) return;
    const service = await this.deps.store.service(env.name);
    const comment = target.comment ?? 'Approved in VS Code (Spryker Cloud Deploy).';
    const { note } = await service.decide(approval, 'Approved', comment);
    this.deps.log.info(`[approval] ${env.name}: approved ${approval.executionId}${note ? ` (${note})` : ''}`);
    // After a lost answer AWS already had this decision: the user is told, not left to wonder about a retry.
    if (note) void this.deps.messages.show('info', `Approved the deployment of ${shortVersion(to)} to ${env.name}. ${note}`);
    void this.deps.store.refresh(env.name);
    await this.follow(env, approval.executionId, to, `Deploying ${shortVersion(to)} to ${env.name} (approved)`);
  }

  async reject(target: ApprovalTarget): Promise<void> {
    this.requireModify('Rejecting');
    const found = await this.waitingApproval(target, 'Reject');
    if (!found) return;
    const { env, approval } = found;
    const comment =
      target.comment ??
      (await vscode.window.showInputBox({
        title: `Reject the deployment of ${shortVersion(approval.version)} to ${env.name}`,
        prompt: 'Why? (recorded in the pipeline as the rejection summary)',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() === '' ? 'A reason is required.' : approvalCommentProblem(v)),
      }));
    if (comment === undefined) return;
    const service = await this.deps.store.service(env.name);
    this.deps.notifier.expectEnd(approval.executionId);
    const { note } = await service.decide(approval, 'Rejected', comment);
    this.deps.log.info(`[approval] ${env.name}: rejected ${approval.executionId}${note ? ` (${note})` : ''}`);
    await this.deps.store.refresh(env.name);
    void this.offerRestore(env, `Rejected the deployment of ${shortVersion(approval.version)} to ${env.name}.${note ? ` ${note}` : ''}`);
  }

  /**
   * After a deploy that did not happen (rejected, failed, expired) desired_version still holds its version: say so
   * and offer to put the deployed version back, so the next pipeline run does not deploy it by surprise.
   */
  async offerRestore(env: EnvironmentConfig, said: string): Promise<void> {
    const status = this.deps.store.status(env.name);
    const desired = status?.desiredVersion;
    const deployed = status?.lastDeployedVersion;
    if (!desired || !deployed || desired === deployed || !this.deps.canModify()) {
      void this.deps.messages.show('info', said);
      return;
    }
    const restore = restoreAction(deployed);
    const picked = await this.deps.messages.show('info', `${said} ${env.parameters.desiredVersion} still holds ${shortVersion(desired)}; ${shortVersion(deployed)} is deployed.`, restore);
    if (picked !== restore) return;
    try {
      await (await this.deps.store.service(env.name)).restoreDesiredVersion(deployed);
    } catch (e) {
      // Said where the user looks: desired_version still holds the rejected version.
      const why = e instanceof Error ? e.message : String(e);
      this.deps.log.error(`[deploy] ${env.name}: restoring ${env.parameters.desiredVersion} to ${deployed} failed: ${why}`);
      void this.deps.messages.show('error', `Could not restore ${env.parameters.desiredVersion} of ${env.name}: ${why}. It still holds ${shortVersion(desired)}.`);
      return;
    }
    this.deps.log.info(`[deploy] ${env.name}: ${env.parameters.desiredVersion} restored to ${deployed}`);
    await this.deps.store.refresh(env.name);
    void this.deps.messages.show('info', `${env.parameters.desiredVersion} is ${shortVersion(deployed)} again, the deployed version.`);
  }

  /**
   * Puts desired_version back to the deployed version (a notification's Restore, or the palette). It writes nothing
   * else: a version that is not the deployed one is refused, and what it writes is confirmed first.
   */
  async restoreDesired(target: CommitTarget): Promise<void> {
    this.requireModify('Restoring desired_version');
    const { store } = this.deps;
    const env = await this.environment(target.environment, 'Restore desired_version of…');
    if (!env) return;
    const parameter = env.parameters.desiredVersion;
    const asked = commitOf(target, 'restore');
    // Read what the parameters hold now: the notification that offered Restore may be old.
    await store.refresh(env.name);
    const status = store.status(env.name);
    const deployed = status?.lastDeployedVersion;
    if (!deployed) throw new DeployError('not-found', `${env.name} has no deployed version to put ${parameter} back to. Nothing was changed.`);
    if (asked !== undefined && asked !== deployed) {
      throw new DeployError(
        'invalid-input',
        `Restore puts ${parameter} back to the deployed version, ${shortVersion(deployed)}; ${shortVersion(asked)} is not it. Nothing was changed. To deploy another version use Deploy Commit… or Roll Back….`,
      );
    }
    if (status?.desiredVersion === deployed) {
      void this.deps.messages.show('info', `${parameter} of ${env.name} already holds the deployed version, ${shortVersion(deployed)}. Nothing was changed.`);
      return;
    }
    const ok = await this.deps.confirmer.confirm({
      env,
      title: `Put ${parameter} of ${env.name} back to ${shortVersion(deployed)}, the deployed version?`,
      detail: [
        `${parameter}: ${status?.desiredVersion ?? '(not set)'} → ${deployed}`,
        'Nothing is deployed now; the next pipeline run deploys what desired_version holds.',
      ].join('\n'),
      action: 'Restore',
      oneStep: true,
    });
    if (!ok) return;
    await (await store.service(env.name)).restoreDesiredVersion(deployed);
    this.deps.log.info(`[deploy] ${env.name}: ${parameter} restored to ${deployed}`);
    await store.refresh(env.name);
    void this.deps.messages.show('info', `${parameter} is ${shortVersion(deployed)} again, the deployed version.`);
  }

  /** Retries the failed stage of the latest execution (RetryStageExecution, failed actions) and follows it. */
  async retry(target: RetryTarget): Promise<void> {
    this.requireModify('Retrying');
    const { store, confirmer } = this.deps;
    const env = await this.environment(target.environment, 'Retry the failed stage of…', (e) => store.status(e.name)?.pipeline?.outcome?.kind === 'failed');
    if (!env) {
      if (store.environments().length) throw new DeployError('not-retryable', 'No environment has a failed deployment to retry.');
      return;
    }
    await store.refresh(env.name);
    const status = store.status(env.name);
    const outcome = status?.pipeline?.outcome;
    if (outcome?.kind !== 'failed') {
      throw new DeployError('not-retryable', `The latest deployment of ${env.name} did not fail${outcome ? ` (${describeOutcome(outcome)})` : ''}: there is nothing to retry.`);
    }
    const ok = await confirmer.confirm({
      env,
      title: `Retry ${outcome.stage} of ${env.name}?`,
      detail: [`${describeOutcome(outcome)}`, '', `Runs the failed actions of ${outcome.stage} again (execution ${status?.pipeline?.executionId ?? ''}); the pipeline then goes on to the end.`].join('\n'),
      action: 'Retry',
    });
    if (!ok) return;
    const retried = await (await store.service(env.name)).retry(status?.pipeline?.executionId);
    this.deps.log.info(`[deploy] ${env.name}: retrying ${retried.stage} of ${retried.executionId}`);
    void store.refresh(env.name);
    await this.follow(env, retried.executionId, status?.desiredVersion, `Retrying ${retried.stage} on ${env.name}`);
  }
}

