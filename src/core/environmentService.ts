// The EnvironmentService over AwsPorts: status, deploy with its checks, following an execution, the
// approval and the rollback candidates of one environment. No SDK, no vscode: the CLI, the extension and
// the tests drive this same code.

import { approvalCommentProblem } from './approvalComment';
import type { EnvironmentService, DeployOptions, FollowOptions, FollowResult, MaintenanceOptions, MaintenanceSwitch } from './api';
import { createCoreCaches, type CoreCaches } from './caches';
import { asSentence, DeployError, isDeployError, toDeployError } from './errors';
import type {
  ApprovalDecision,
  ApprovalDetails,
  DeployPreflight,
  DeployProgress,
  DeployStarted,
  EnvironmentConfig,
  ExecutionSummary,
  PendingApproval,
  RollbackCandidate,
  RollbackHistory,
  StageLog,
  StageState,
  Version,
  VersionComparison,
} from './model';
import { historyEntry, type HistoryEntry } from './history';
import { awsCliWhere, putParameterCommand } from './awsCliCommands';
import { maintenanceState, type MaintenanceMode, type MaintenanceState } from './maintenance';
import { endDetails, isBuildId, personOf } from './outcome';
import { findWaitingApproval, findWaitingApprovals, pipelineStatus } from './pipeline';
import type { AwsPorts, ParameterHistoryEntry } from './ports';
import { fetchStatus, isCredentialsError, readVersionParameters } from './status';
import { isLatestKeyword, isVersion, parseVersion, shortVersion, versionValue } from './version';
import { parseVersionComparison } from './versionComparison';

export interface EnvironmentServiceOptions {
  /** Share one set between the services of all environments (task definitions, service and repository lists). */
  readonly caches?: CoreCaches;
  readonly now?: () => Date;
  /** Default poll interval while following an execution, ms. */
  readonly pollMs?: number;
  /** Waits between polls (tests inject a clock); rejects with DeployError('cancelled') when the signal aborts. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** How many reads of a followed execution may fail in a row for a passing reason before following stops. */
export const FOLLOW_RETRIES = 6;
/** The longest wait between two reads after failures (the wait doubles from the poll interval). */
export const MAX_FOLLOW_BACKOFF_MS = 60_000;

/** AWS's limit for PutApprovalResult's summary. */
const ACTIVE = new Set(['InProgress', 'Stopping']);
/** How long a new execution may be unknown to GetPipelineExecution before "not found" is believed. */
export const NEW_EXECUTION_VISIBLE_WITHIN_MS = 30_000;

export function createEnvironmentService(config: EnvironmentConfig, ports: AwsPorts, options: EnvironmentServiceOptions = {}): EnvironmentService {
  const caches = options.caches ?? createCoreCaches();
  const now = options.now ?? (() => new Date());
  const wait = options.sleep ?? sleep;
  const normal = config.pipelines.normal;
  /** Where the environment's builds log, for when CodeBuild does not say (BatchGetBuilds denied). */
  const logGroups = [config.logGroups.codebuild, config.logGroups.codebuildDestructive];

  async function resolveVersion(input: string): Promise<Version> {
    if (!isLatestKeyword(input)) return parseVersion(input);
    if (config.production) {
      throw new DeployError('invalid-input', `"latest" is not accepted for production environment ${config.name}: give the full commit hash.`);
    }
    const found = await ports.parameters.getParameters([config.parameters.lastBuildVersion]);
    const raw = found.get(config.parameters.lastBuildVersion)?.value;
    const value = raw === undefined ? undefined : versionValue(raw);
    if (!isVersion(value)) {
      throw new DeployError(
        'invalid-input',
        value === undefined
          ? `"latest" needs parameter ${config.parameters.lastBuildVersion}, which does not exist.`
          : `"latest" resolves to ${config.parameters.lastBuildVersion} = "${value}", which is not a full commit hash.`,
      );
    }
    return value;
  }

  async function repositories(): Promise<readonly string[]> {
    if (config.repositories !== 'auto') return config.repositories;
    const key = `repositories|${config.endpoint ?? ''}|${config.profile ?? ''}|${config.region}|${config.name}`;
    return caches.lists.get(key, () => ports.images.listRepositories(`${config.name}-`));
  }

  async function recentExecutions(): Promise<readonly ExecutionSummary[]> {
    return ports.pipelines.listPipelineExecutions(normal, 10);
  }

  async function preflight(input: Version): Promise<DeployPreflight> {
    const version = await resolveVersion(input);
    const [params, repos, recent] = await Promise.all([readVersionParameters(config, ports), repositories(), recentExecutions()]);
    if (repos.length === 0) {
      throw new DeployError('not-found', `No ECR repository found for ${config.name} (looked for "${config.name}-*"); set "repositories" for this environment.`);
    }
    const present = await Promise.all(repos.map((r) => ports.images.hasImage(r, version)));
    const active = recent.find((e) => ACTIVE.has(e.status));
    return {
      version,
      ...(params.desired ? { desiredVersion: params.desired.value } : {}),
      ...(params.lastDeployed ? { lastDeployedVersion: params.lastDeployed.value } : {}),
      missingImages: repos.filter((_, i) => !present[i]),
      ...(active ? { activeExecution: active } : {}),
      ...(recent[0] ? { latestExecutionId: recent[0].executionId } : {}),
      alreadyDeployed: params.lastDeployed?.value === version,
    };
  }

  /** desired_version as AWS holds it now (value and parameter version); undefined when it does not exist. */
  async function readDesired(): Promise<{ readonly value: string; readonly version: number } | undefined> {
    const found = await ports.parameters.getParameters([config.parameters.desiredVersion]);
    const p = found.get(config.parameters.desiredVersion);
    return p && { value: versionValue(p.value), version: p.version };
  }

  /** Executions started after the newest one the preflight saw, newest first (the list is newest first). */
  async function executionsSince(latestBefore: string | undefined): Promise<readonly ExecutionSummary[]> {
    const recent = await ports.pipelines.listPipelineExecutions(normal, 10);
    const seen = latestBefore === undefined ? -1 : recent.findIndex((e) => e.executionId === latestBefore);
    return seen === -1 ? (latestBefore === undefined ? recent : []) : recent.slice(0, seen);
  }

  /** PutParameter, and when its answer was lost (AWS may have written), what the parameter holds now. */
  async function writeDesired(parameter: string, version: string, previous: string | undefined, report: (p: DeployProgress) => void): Promise<number | undefined> {
    try {
      return await ports.parameters.putParameter(parameter, version);
    } catch (e) {
      const error = toDeployError(e);
      // AWS refused it (throttled, denied, expired credentials): say that nothing changed, as after a lost answer.
      if (!mayHaveActed(error)) {
        throw new DeployError(error.kind, `Writing ${parameter} = ${shortVersion(version)} failed: ${asSentence(error.message)} Nothing was written; no pipeline was started.`, error.details);
      }
      const now = await readDesired().then(
        (v) => ({ ok: true as const, v }),
        (r: unknown) => ({ ok: false as const, error: toDeployError(r) }),
      );
      if (now.ok && now.v?.value === version) {
        report({ kind: 'checking', message: `PutParameter's answer was lost (${error.message}); read again, ${parameter} holds ${version}: the write went through.` });
        return now.v.version;
      }
      const holds = !now.ok
        ? `could not be read again (${now.error.message}): it holds either ${version} or still ${previous ?? 'nothing'}; check with: aws ssm get-parameter --name ${parameter}${cliWhere()}`
        : now.v === undefined
          ? 'does not exist: nothing was written'
          : now.v.value === previous
            ? `still holds ${now.v.value}, read again: nothing was written`
            : `holds ${now.v.value}, read again: another deploy wrote it, not this one`;
      throw new DeployError(error.kind, `Writing ${parameter} = ${version} got no answer (${error.message}); ${parameter} ${holds}. No pipeline was started.`, error.details);
    }
  }

  function cliWhere(): string {
    return awsCliWhere(config);
  }

    async function deploy(input: Version, opts: DeployOptions = {}): Promise<DeployStarted> {
    const report = (p: DeployProgress) => opts.onProgress?.(p);
    report({ kind: 'checking', message: `Checking ${config.name} before deploying ${shortVersion(input)}…` });
    const pre = await preflight(input);
    const version = pre.version;
    if (pre.activeExecution && !opts.supersede) {
      const active = pre.activeExecution;
      // V2 pipelines do not supersede: say what a second execution really does there.
      const what =
        active.executionMode === 'QUEUED'
          ? `the pipeline is in QUEUED mode: a new execution waits behind it (nothing is superseded), and every execution that has not built yet deploys what ${config.parameters.desiredVersion} holds when it builds, so writing ${shortVersion(version)} changes that one's version too. Deploy anyway to queue ${shortVersion(version)}.`
          : active.executionMode === 'PARALLEL'
            ? `the pipeline is in PARALLEL mode: a new execution runs beside it, and each deploys what ${config.parameters.desiredVersion} holds when it builds. Deploy anyway to start ${shortVersion(version)} beside it.`
            : `supersede it to deploy ${shortVersion(version)}.`;
      throw new DeployError('execution-active', `${normal} already has execution ${active.executionId} in progress (running or waiting for approval); ${what}`);
    }
    if (pre.missingImages.length > 0 && !opts.allowMissingImages) {
      throw new DeployError('missing-images', `No image tagged ${version} in: ${pre.missingImages.join(', ')}. Build and push it first.`);
    }
    if (pre.alreadyDeployed) report({ kind: 'checking', message: `${shortVersion(version)} is already the deployed version of ${config.name}; deploying it again.` });
    if (opts.signal?.aborted) throw new DeployError('cancelled', 'Cancelled before anything was written.');

    const parameter = config.parameters.desiredVersion;
    report({ kind: 'writing', parameter, version, ...(pre.desiredVersion !== undefined ? { previous: pre.desiredVersion } : {}) });
    const written = await writeDesired(parameter, version, pre.desiredVersion, report);
    report({ kind: 'parameter-written', parameter, version, ...(pre.desiredVersion !== undefined ? { previous: pre.desiredVersion } : {}) });
    // One token for this start: the SDK's retries and a second ask after a lost answer are all the same request.
    const requestToken = globalThis.crypto.randomUUID();
    let executionId: string;
    try {
      executionId = await ports.pipelines.startPipelineExecution(normal, requestToken);
    } catch (e) {
      const cause = toDeployError(e);
      const found = mayHaveActed(cause) ? await startedAnyway(cause, requestToken, pre.latestExecutionId, report) : undefined;
      if (found?.executionId) executionId = found.executionId;
      else if (found?.unknown) {
        throw new DeployError(
          'start-failed',
          `Starting ${normal} got no answer (${cause.message}), and whether an execution started could not be read (${found.unknown}). ${parameter} was left at ${version} (it held ${pre.desiredVersion ?? 'nothing'} before): check with spryker-deploy status --env ${config.name}; if no execution started, start the pipeline with: aws codepipeline start-pipeline-execution --name ${normal}${cliWhere()}${pre.desiredVersion !== undefined ? `, or restore the old value with: ${restoreCommand(parameter, pre.desiredVersion)}` : ''}.`,
          { ...(cause.details.awsCode ? { awsCode: cause.details.awsCode } : {}), operation: 'StartPipelineExecution', ...(config.profile ? { profile: config.profile } : {}), cause },
        );
      } else {
        const restored = await restoreAfterFailedStart(parameter, pre.desiredVersion);
        const what = restored.ok
          ? `No execution started; ${parameter} was restored to ${shortVersion(pre.desiredVersion)}`
          : `${parameter} still holds ${version} and could not be restored (${restored.error})${restoreHint(parameter, pre.desiredVersion)}`;
        // AWS's words may end a sentence already ("…; try again in a moment."): one full stop, not two.
        throw new DeployError('start-failed', `Starting ${normal} failed: ${asSentence(cause.message)} ${what}.`, {
          restored,
          ...(cause.details.awsCode ? { awsCode: cause.details.awsCode } : {}),
          operation: 'StartPipelineExecution',
          ...(config.profile ? { profile: config.profile } : {}),
          cause,
        });
      }
    }
    report({ kind: 'started', executionId });
    const followed = await checkConcurrent(parameter, version, written, executionId, report);
    return { executionId: followed, version, ...(pre.desiredVersion !== undefined ? { previousDesiredVersion: pre.desiredVersion } : {}) };
  }

  /**
   * After a start whose answer was lost: ask again with the same token (AWS answers the execution the first ask
   * started, or starts it now), and if that gets no answer either, look for an execution started since the preflight.
   */
  async function startedAnyway(
    cause: DeployError,
    requestToken: string,
    latestBefore: string | undefined,
    report: (p: DeployProgress) => void,
  ): Promise<{ readonly executionId?: string; readonly unknown?: string }> {
    try {
      const executionId = await ports.pipelines.startPipelineExecution(normal, requestToken);
      report({ kind: 'checking', message: `StartPipelineExecution's answer was lost (${cause.message}); asked again with the same request token: execution ${executionId}.` });
      return { executionId };
    } catch {
      // Still no answer: the pipeline's executions tell whether one started.
    }
    try {
      const since = await executionsSince(latestBefore);
      const newest = since[0];
      if (!newest) return {};
      report({
        kind: 'checking',
        message: `StartPipelineExecution's answer was lost (${cause.message}), but execution ${newest.executionId} started since (${newest.status}); it deploys ${config.parameters.desiredVersion}, so it is left as written.`,
      });
      return { executionId: newest.executionId };
    } catch (e) {
      return { unknown: toDeployError(e).message };
    }
  }

  /**
   * Another deploy to the same environment at the same moment: after this one wrote and started, desired_version
   * no longer holds its version (theirs deploys), or a newer execution started (it supersedes this one and deploys
   * what desired_version holds). Returns the execution to follow.
   */
  async function checkConcurrent(parameter: string, version: string, written: number | undefined, executionId: string, report: (p: DeployProgress) => void): Promise<string> {
    let now: Awaited<ReturnType<typeof readDesired>>;
    let recent: readonly ExecutionSummary[];
    try {
      [now, recent] = await Promise.all([readDesired(), ports.pipelines.listPipelineExecutions(normal, 10)]);
    } catch (e) {
      report({ kind: 'checking', message: `Could not check for another deploy at the same moment (${toDeployError(e).message}).` });
      return executionId;
    }
    if (now !== undefined && now.value !== version) {
      // Who wrote it: the parameter's history names the writer of that very parameter version (worth one read here).
      const by = await ports.parameters
        .getParameterHistory(parameter)
        .then((h) => personOf(h.find((e) => e.version === now.version)?.lastModifiedUser))
        .catch(() => undefined);
      throw new DeployError(
        'concurrent-deploy',
        `Another deploy wrote ${parameter} after this one${by ? ` (written by ${by})` : ''}: it holds ${now.value} now (parameter version ${now.version}${written ? `; this deploy wrote version ${written}` : ''}). Execution ${executionId} started, and the pipeline deploys what ${parameter} holds when it reads it: ${now.value}, not ${version}. Nothing was restored (that would undo the other deploy); to deploy ${version}, deploy it again once the other one is done.`,
        { concurrent: { environment: config.name, parameter, ours: version, theirs: now.value, executionId, ...(by ? { by } : {}) } },
      );
    }
    const ours = recent.findIndex((e) => e.executionId === executionId);
    const newer = ours > 0 ? recent[0] : undefined;
    if (!newer) return executionId;
    if (newer.executionMode === 'QUEUED' || newer.executionMode === 'PARALLEL') {
      // V2: the newer execution does not supersede this one; this one runs on and is the one to follow.
      report({
        kind: 'checking',
        message: `Execution ${newer.executionId} started after ${executionId} (another deploy); the pipeline is in ${newer.executionMode} mode, so it ${newer.executionMode === 'QUEUED' ? 'waits behind' : 'runs beside'} this one. Both deploy what ${parameter} holds when they build (${version} now).`,
      });
      return executionId;
    }
    report({
      kind: 'checking',
      message: `Execution ${newer.executionId} started after ${executionId} (another deploy): it supersedes this one and deploys ${parameter} = ${version}; following ${newer.executionId}.`,
    });
    return newer.executionId;
  }

  /** The full old value and a command that can be pasted as is: a short hash could not be put back. */
  function restoreHint(parameter: string, previous: string | undefined): string {
    if (previous === undefined) return '';
    return `; it held ${previous} before; restore it with: ${restoreCommand(parameter, previous)}`;
  }

  function restoreCommand(parameter: string, previous: string): string {
    return putParameterCommand(parameter, previous, config);
  }

  async function restoreAfterFailedStart(parameter: string, previous: string | undefined): Promise<{ ok: boolean; parameter: string; value?: string; error?: string }> {
    if (previous === undefined) return { ok: false, parameter, error: 'it did not exist before the deploy' };
    try {
      await ports.parameters.putParameter(parameter, previous);
      return { ok: true, parameter, value: previous };
    } catch (e) {
      return { ok: false, parameter, value: previous, error: toDeployError(e).message };
    }
  }

  async function follow(executionId: string, opts: FollowOptions = {}): Promise<FollowResult> {
    const pollMs = opts.pollMs ?? options.pollMs ?? 5000;
    const seen = new Map<string, string | undefined>();
    let announcedToken: string | undefined;
    const startedAt = now().getTime();
    let readOnce = false;
    let failures = 0;
    for (;;) {
      if (opts.signal?.aborted) throw cancelled();
      let execution, state;
      try {
        [execution, state] = await Promise.all([ports.pipelines.getPipelineExecution(normal, executionId), ports.pipelines.getPipelineState(normal)]);
      } catch (e) {
        const error = toDeployError(e);
        // An execution AWS does not know yet right after StartPipelineExecution (eventual consistency) is read
        // again at the next tick, for a short while.
        const notYetVisible =
          !readOnce && error.details.awsCode === 'PipelineExecutionNotFoundException' && now().getTime() - startedAt < NEW_EXECUTION_VISIBLE_WITHIN_MS;
        if (notYetVisible) {
          await wait(pollMs, opts.signal);
          continue;
        }
        // A throttled, dropped or 5xx read is retried with backoff, a limited number of times in a row; anything
        // else (denied, expired, not found) ends the wait at once. Either way the deploy itself goes on.
        if (!isPassing(error)) throw stoppedFollowing(executionId, error, 'failed');
        failures++;
        if (failures > FOLLOW_RETRIES) throw stoppedFollowing(executionId, error, `failed ${failures} times in a row`);
        const retryInMs = Math.min(pollMs * 2 ** (failures - 1), MAX_FOLLOW_BACKOFF_MS);
        opts.onProgress?.({ kind: 'read-failed', executionId, attempt: failures, maxAttempts: FOLLOW_RETRIES, message: error.message, retryInMs });
        await wait(retryInMs, opts.signal);
        continue;
      }
      failures = 0;
      readOnce = true;
      for (const stage of state.stages) {
        if (stage.executionId !== executionId) continue;
        if (seen.has(stage.name) && seen.get(stage.name) === stage.status) continue;
        seen.set(stage.name, stage.status);
        opts.onProgress?.({ kind: 'stage', executionId, stage: stage.name, ...(stage.status ? { status: stage.status } : {}) });
      }
      const waiting = findWaitingApproval(state, config.stages);
      if (waiting && waiting.executionId === executionId && ACTIVE.has(execution.status)) {
        let approval: PendingApproval = waiting;
        if (announcedToken !== waiting.token) {
          announcedToken = waiting.token;
          const desired = await ports.parameters.getParameters([config.parameters.desiredVersion]).catch(() => undefined);
          const raw = desired?.get(config.parameters.desiredVersion)?.value;
          const version = raw === undefined ? undefined : versionValue(raw);
          approval = isVersion(version) ? { ...waiting, version } : waiting;
          opts.onProgress?.({ kind: 'awaiting-approval', approval });
        }
        if (opts.stopAtApproval) return { executionId, status: 'AwaitingApproval', approval };
      }
      if (!ACTIVE.has(execution.status)) {
        opts.onProgress?.({ kind: 'finished', executionId, status: execution.status, ...(execution.statusSummary ? { summary: execution.statusSummary } : {}) });
        return { executionId, status: execution.status, ...(execution.statusSummary ? { summary: execution.statusSummary } : {}) };
      }
      await wait(pollMs, opts.signal);
    }
  }

  async function approvalDetails(actionName?: string): Promise<ApprovalDetails | undefined> {
    const [state, params] = await Promise.all([ports.pipelines.getPipelineState(normal), readVersionParameters(config, ports)]);
    const desiredVersion = params.desired?.value;
    const pipeline = pipelineStatus(state, config.stages, isVersion(desiredVersion) ? desiredVersion : undefined);
    const waiting = findWaitingApprovals(state, config.stages, isVersion(desiredVersion) ? desiredVersion : undefined);
    if (waiting.length === 0) return undefined;
    const approval = actionName === undefined ? waiting[0] : waiting.find((a) => a.actionName === actionName);
    if (!approval) {
      throw new DeployError(
        'no-pending-approval',
        `No approval action "${actionName}" waits in ${waiting[0].stageName}; waiting: ${waiting.map((a) => a.actionName).join(', ')}.`,
      );
    }
    let comparison: VersionComparison | undefined;
    let comparisonError: string | undefined;
    try {
      comparison = await readComparison(approval.executionId, state.stages);
      if (!comparison) comparisonError = `The ${config.stages.comparison} log prints no version comparison.`;
    } catch (e) {
      const error = toDeployError(e);
      if (isCredentialsError(error)) throw error;
      comparisonError = error.message;
    }
    return {
      approval,
      waiting,
      ...(comparison ? { comparison } : {}),
      ...(comparisonError ? { comparisonError } : {}),
      ...(desiredVersion !== undefined ? { desiredVersion } : {}),
      ...(params.lastDeployed ? { lastDeployedVersion: params.lastDeployed.value } : {}),
      pipeline,
    };
  }

  async function readComparison(executionId: string, stages: readonly StageState[]): Promise<VersionComparison | undefined> {
    // The pipeline state already names the build when the comparison stage ran in the same execution.
    const stage = stages.find((s) => s.name === config.stages.comparison);
    let buildId = stage?.executionId === executionId ? stage.actions.find((a) => a.externalExecutionId)?.externalExecutionId : undefined;
    if (!buildId) {
      const actions = await ports.pipelines.listActionExecutions(normal, executionId);
      buildId = actions.find((a) => a.stageName === config.stages.comparison && a.externalExecutionId)?.externalExecutionId;
    }
    if (!buildId) throw new DeployError('not-found', `Stage ${config.stages.comparison} has no CodeBuild build in execution ${executionId}.`);
    const log = await ports.logs.getBuildLog(buildId, logGroups);
    return parseVersionComparison(log.lines, { ...(log.logGroup ? { logGroup: log.logGroup } : {}), ...(log.logStream ? { logStream: log.logStream } : {}) });
  }

  async function decide(approval: PendingApproval, decision: ApprovalDecision, comment: string): Promise<{ readonly note?: string }> {
    if (decision !== 'Approved' && decision !== 'Rejected') throw new DeployError('invalid-input', `Decision must be Approved or Rejected (got ${JSON.stringify(decision)}).`);
    const summary = String(comment ?? '').trim();
    const problem = approvalCommentProblem(summary);
    if (problem) throw new DeployError('invalid-input', problem);
    const state = await ports.pipelines.getPipelineState(approval.pipelineName);
    // The same action of the stage: with several approvers, another one waiting is not this one.
    const waiting = findWaitingApprovals(state, config.stages).find((a) => a.actionName === approval.actionName && a.stageName === approval.stageName);
    if (!waiting || waiting.token !== approval.token) {
      throw new DeployError(
        'stale-approval',
        waiting
          ? `The approval you saw (execution ${approval.executionId}) is no longer the one waiting: execution ${waiting.executionId} waits now. Nothing was ${decision.toLowerCase()}; review it again.`
          : `The approval you saw (execution ${approval.executionId}) no longer waits (decided, superseded or stopped). Nothing was sent.`,
      );
    }
    try {
      await ports.pipelines.putApprovalResult({
        pipelineName: waiting.pipelineName,
        stageName: waiting.stageName,
        actionName: waiting.actionName,
        token: waiting.token,
        status: decision,
        summary: summary || `${decision} with Spryker Cloud Deploy`,
      });
    } catch (e) {
      const error = toDeployError(e);
      if (error.details.awsCode === 'InvalidApprovalTokenException' || error.kind === 'stale-approval') {
        throw new DeployError('stale-approval', `The approval token of execution ${approval.executionId} is no longer valid; nothing was decided.`, error.details);
      }
      if (error.details.awsCode === 'ApprovalAlreadyCompletedException' || error.kind === 'approval-already-decided') {
        // The SDK retries a PutApprovalResult whose answer was lost, and the retry finds the decision made: by this
        // very call when the action's latest execution carries this decision and summary.
        const recorded = await latestDecision(waiting).catch(() => undefined);
        const sent = summary || `${decision} with Spryker Cloud Deploy`;
        if (recorded && recorded.decision === decision && recorded.summary === sent) {
          return { note: `The first answer was lost and AWS already had this decision: ${decision}${recorded.by ? ` by ${recorded.by}` : ''} ("${sent}").` };
        }
        const who = recorded ? `: ${recorded.decision ?? 'decided'}${recorded.by ? ` by ${recorded.by}` : ''}${recorded.summary ? ` ("${recorded.summary}")` : ''}` : ' by someone else';
        throw new DeployError('approval-already-decided', `The approval of execution ${approval.executionId} was already decided${who}; nothing was ${decision.toLowerCase()} by you.`, error.details);
      }
      throw error;
    }
    return {};
  }

  /** How the approval action of this execution was decided, by whom and with what summary (its action execution). */
  async function latestDecision(approval: PendingApproval): Promise<{ decision?: ApprovalDecision; by?: string; summary?: string } | undefined> {
    const actions = await ports.pipelines.listActionExecutions(approval.pipelineName, approval.executionId);
    const latest = actions
      .filter((a) => a.stageName === approval.stageName && a.actionName === approval.actionName)
      .sort((a, b) => (b.lastUpdateTime?.getTime() ?? 0) - (a.lastUpdateTime?.getTime() ?? 0))[0];
    if (!latest) return undefined;
    const decision: ApprovalDecision | undefined = latest.status === 'Succeeded' ? 'Approved' : latest.status === 'Failed' ? 'Rejected' : undefined;
    return { ...(decision ? { decision } : {}), ...(latest.updatedBy ? { by: latest.updatedBy } : {}), ...(latest.summary ? { summary: latest.summary } : {}) };
  }

  async function rollbackCandidates(): Promise<RollbackHistory> {
    const params = await readVersionParameters(config, ports);
    const deployedName = params.lastDeployed?.name ?? config.parameters.lastDeployedVersion[0];
    const orEmpty = <T>(p: Promise<readonly T[]>) =>
      p.catch((e: unknown) => {
        if (isDeployError(e, 'not-found')) return [] as readonly T[];
        throw e;
      });
    let missing: string | undefined;
    const [deployedHistory, desiredHistory, executions] = await Promise.all([
      orEmpty(ports.parameters.getParameterHistory(deployedName)),
      orEmpty(ports.parameters.getParameterHistory(config.parameters.desiredVersion)),
      // The executions only add versions deployed without a parameter trace; without them the parameter
      // history still answers, and the user is told what is missing.
      orEmpty(ports.pipelines.listPipelineExecutions(normal, 50)).catch((e: unknown) => {
        const error = toDeployError(e);
        if (isCredentialsError(error)) throw error;
        missing = `The executions of ${normal} could not be read (${error.message}); the versions come from the ${deployedName} history only.`;
        return [] as readonly ExecutionSummary[];
      }),
    ]);
    const candidates = rankRollbackCandidates({ deployedHistory, desiredHistory, executions, current: params.lastDeployed?.value });
    return { candidates, ...(missing ? { missing } : {}) };
  }

  async function maintenance(): Promise<MaintenanceState> {
    const { maintenanceEnable: on, maintenanceDisable: off } = config.pipelines;
    const read = (pipeline: string) =>
      ports.pipelines.listPipelineExecutions(pipeline, 10).catch((e: unknown) => {
        const error = toDeployError(e);
        if (isCredentialsError(error)) throw error;
        throw new DeployError(error.kind, error.kind === 'not-found' ? `${config.name} has no pipeline ${pipeline} (set pipelines.maintenanceEnable / maintenanceDisable if it is named otherwise).` : `${pipeline}: ${error.message}`, error.details);
      });
    try {
      const [enable, disable] = await Promise.all([read(on), read(off)]);
      return maintenanceState(enable, disable);
    } catch (e) {
      if (isDeployError(e) && isCredentialsError(e)) throw e;
      return { kind: 'unknown', reason: toDeployError(e).message };
    }
  }

  async function setMaintenance(mode: MaintenanceMode, opts: MaintenanceOptions = {}): Promise<MaintenanceSwitch> {
    const pipeline = mode === 'on' ? config.pipelines.maintenanceEnable : config.pipelines.maintenanceDisable;
    const state = await maintenance();
    if (state.kind === 'unknown') throw new DeployError('not-found', `Cannot switch maintenance mode of ${config.name} ${mode}: ${state.reason}`);
    if (state.kind === 'switching') {
      throw new DeployError('execution-active', `Maintenance mode of ${config.name} is already switching ${state.to} (execution ${state.executionId}); wait for it to end.`);
    }
    if (state.kind === mode) return { mode, pipeline, already: true };
    if (opts.signal?.aborted) throw cancelled();
    const executionId = await ports.pipelines.startPipelineExecution(pipeline);
    opts.onProgress?.({ kind: 'started', executionId });
    if (!opts.wait) return { mode, pipeline, executionId, already: false };
    const pollMs = opts.pollMs ?? options.pollMs ?? 5000;
    const startedAt = now().getTime();
    let readOnce = false;
    for (;;) {
      try {
        const execution = await ports.pipelines.getPipelineExecution(pipeline, executionId);
        readOnce = true;
        if (!ACTIVE.has(execution.status)) {
          opts.onProgress?.({ kind: 'finished', executionId, status: execution.status, ...(execution.statusSummary ? { summary: execution.statusSummary } : {}) });
          return { mode, pipeline, executionId, already: false, status: execution.status, ...(execution.statusSummary ? { summary: execution.statusSummary } : {}) };
        }
      } catch (e) {
        const error = toDeployError(e);
        const notYetVisible = !readOnce && error.details.awsCode === 'PipelineExecutionNotFoundException' && now().getTime() - startedAt < NEW_EXECUTION_VISIBLE_WITHIN_MS;
        if (error.kind !== 'throttled' && error.kind !== 'network' && !notYetVisible) throw error;
      }
      await sleep(pollMs, opts.signal);
    }
  }

  async function history(max = 20): Promise<readonly HistoryEntry[]> {
    const count = Math.max(1, Math.min(100, Math.floor(max)));
    const params = await readVersionParameters(config, ports);
    const deployedName = params.lastDeployed?.name ?? config.parameters.lastDeployedVersion[0];
    const orEmpty = (p: Promise<readonly ParameterHistoryEntry[]>) =>
      p.catch((e: unknown) => {
        if (isDeployError(e, 'not-found')) return [] as readonly ParameterHistoryEntry[];
        throw e;
      });
    const [executions, desiredHistory, deployedHistory] = await Promise.all([
      ports.pipelines.listPipelineExecutions(normal, count),
      orEmpty(ports.parameters.getParameterHistory(config.parameters.desiredVersion)),
      orEmpty(ports.parameters.getParameterHistory(deployedName)),
    ]);
    const at = now();
    // One ListActionExecutions per execution, a few at a time; one that fails leaves its entry without details.
    return mapLimited(executions, 4, async (execution) => {
      try {
        const actions = await ports.pipelines.listActionExecutions(normal, execution.executionId);
        return historyEntry({ execution, actions, desiredHistory, deployedHistory, stages: config.stages, now: at });
      } catch (e) {
        const error = toDeployError(e);
        if (isCredentialsError(error)) throw error;
        return historyEntry({ execution, detailsError: error.message, desiredHistory, deployedHistory, stages: config.stages, now: at });
      }
    });
  }

  return {
    config,
    status: () => fetchStatus(config, ports, caches, now),
    preflight,
    deploy,
    follow,
    approvalDetails,
    decide,
    rollbackCandidates,
    history,
    maintenance,
    setMaintenance,
    stop: (executionId, reason) => ports.pipelines.stopPipelineExecution(normal, executionId, reason.slice(0, 200)),
    async restoreDesiredVersion(value: string) {
      const version = parseVersion(value);
      await ports.parameters.putParameter(config.parameters.desiredVersion, version);
    },
    async buildLog(buildId: string) {
      if (typeof buildId !== 'string' || !buildId.trim()) throw new DeployError('invalid-input', 'A build id is needed to read a build log.');
      return ports.logs.getBuildLog(buildId, logGroups);
    },
    retry,
    stageLog,
    stoppedTasks: (service) => ports.containers.listStoppedTasks(config.cluster, service),
    endOf,
  };

  async function endOf(executionId: string): Promise<{ reason?: string; supersededBy?: string; startedBy?: string }> {
    const ended = endDetails((await ports.pipelines.getPipelineExecution(normal, executionId)).statusSummary);
    if (!ended.supersededBy) return ended;
    // Who started the execution that took its place: its trigger, when it was started by a person.
    const newer = await ports.pipelines.getPipelineExecution(normal, ended.supersededBy).catch(() => undefined);
    const startedBy = newer?.trigger === 'StartPipelineExecution' ? personOf(newer.triggerDetail) : undefined;
    return { ...ended, ...(startedBy ? { startedBy } : {}) };
  }

  async function retry(executionId?: string): Promise<{ executionId: string; stage: string }> {
    const state = await ports.pipelines.getPipelineState(normal);
    const status = pipelineStatus(state, config.stages);
    const target = executionId ?? status.executionId;
    if (target === undefined) throw new DeployError('not-retryable', `${normal} has never run: there is nothing to retry.`);
    if (target !== status.executionId) {
      throw new DeployError('not-retryable', `Execution ${target} is not the latest execution of ${normal} (${status.executionId} is): only the latest one can be retried.`);
    }
    const outcome = status.outcome;
    if (outcome?.kind !== 'failed' || !outcome.stage) {
      const what = outcome?.kind === 'rejected' ? 'was rejected (a decision: deploy again instead)' : outcome?.kind === 'expired' ? 'expired at the approval (deploy again instead)' : `did not fail (${status.status ?? 'unknown'})`;
      throw new DeployError('not-retryable', `Execution ${target} of ${normal} ${what}: there is no failed stage to retry.`);
    }
    try {
      await ports.pipelines.retryStageExecution(normal, outcome.stage, target);
    } catch (e) {
      const error = toDeployError(e);
      const code = error.details.awsCode;
      if (code === 'StageNotRetryableException' || code === 'NotLatestPipelineExecutionException' || code === 'ConflictException') {
        throw new DeployError('not-retryable', `AWS refused to retry ${outcome.stage} of execution ${target}: ${error.message}`, error.details);
      }
      throw error;
    }
    return { executionId: target, stage: outcome.stage };
  }

  async function stageLog(opts: { executionId?: string; stage?: string } = {}): Promise<StageLog> {
    let executionId = opts.executionId;
    if (executionId === undefined) {
      const latest = await ports.pipelines.listPipelineExecutions(normal, 1);
      executionId = latest[0]?.executionId;
      if (executionId === undefined) throw new DeployError('not-found', `${normal} has never run: there is no log.`);
    }
    const actions = await ports.pipelines.listActionExecutions(normal, executionId);
    // Newest first: after a retry, the latest attempt of the stage comes first.
    const candidates = opts.stage !== undefined ? actions.filter((a) => a.stageName === opts.stage) : actions.filter((a) => a.status === 'Failed');
    if (candidates.length === 0) {
      // The stages whose log can be read, in the order they ran (AWS lists the newest first): what to name instead.
      const built = [...new Set([...actions].reverse().filter((a) => isBuildId(a.externalExecutionId)).map((a) => a.stageName))];
      const which = built.length > 0 ? `stages with a build log in it: ${built.join(', ')}` : 'none of its stages ran a build yet';
      throw new DeployError(
        'not-found',
        opts.stage !== undefined ? `Stage ${opts.stage} did not run in execution ${executionId}; ${which}.` : `No stage failed in execution ${executionId}; name one with --stage (${which}).`,
      );
    }
    const action = candidates.find((a) => isBuildId(a.externalExecutionId));
    if (!action?.externalExecutionId) {
      throw new DeployError('not-found', `Stage ${candidates[0].stageName} of execution ${executionId} ran no CodeBuild build (no log to show): ${candidates[0].actionName}.`);
    }
    const log = await ports.logs.getBuildLog(action.externalExecutionId, logGroups);
    return {
      executionId,
      stage: action.stageName,
      action: action.actionName,
      buildId: action.externalExecutionId,
      lines: log.lines,
      ...(log.logGroup ? { logGroup: log.logGroup } : {}),
      ...(log.logStream ? { logStream: log.logStream } : {}),
    };
  }
}

/**
 * Merges the deployed-version parameter's history (who and when) with the successful executions (the
 * desired version in force when each started), newest first, one entry per version, invalid values dropped.
 */
export function rankRollbackCandidates(input: {
  readonly deployedHistory: readonly ParameterHistoryEntry[];
  readonly desiredHistory: readonly ParameterHistoryEntry[];
  readonly executions: readonly ExecutionSummary[];
  readonly current?: string;
}): RollbackCandidate[] {
  const all: Omit<RollbackCandidate, 'current'>[] = [];
  for (const h of input.deployedHistory) {
    const version = versionValue(h.value);
    if (!isVersion(version)) continue;
    all.push({ version, source: 'parameter-history', ...(h.lastModified ? { deployedAt: h.lastModified } : {}), ...(h.lastModifiedUser ? { deployedBy: h.lastModifiedUser } : {}) });
  }
  const desired = [...input.desiredHistory].filter((h) => h.lastModified).sort((a, b) => a.lastModified!.getTime() - b.lastModified!.getTime());
  for (const e of input.executions) {
    if (e.status !== 'Succeeded') continue;
    const start = e.startTime?.getTime();
    const atStart = start === undefined ? undefined : desired.filter((h) => h.lastModified!.getTime() <= start).pop()?.value;
    const atStartVersion = atStart === undefined ? undefined : versionValue(atStart);
    const fromSource = e.sourceRevisions?.map((r) => r.revisionId?.toLowerCase()).find((r) => isVersion(r));
    const version = isVersion(atStartVersion) ? atStartVersion : fromSource;
    if (!isVersion(version)) continue;
    const at = e.lastUpdateTime ?? e.startTime;
    all.push({ version, source: 'pipeline-execution', ...(at ? { deployedAt: at } : {}) });
  }
  all.sort((a, b) => (b.deployedAt?.getTime() ?? 0) - (a.deployedAt?.getTime() ?? 0));
  const byVersion = new Map<string, RollbackCandidate>();
  for (const c of all) {
    const kept = byVersion.get(c.version);
    if (!kept) byVersion.set(c.version, { ...c, current: c.version === input.current });
    else if (!kept.deployedBy && c.deployedBy) byVersion.set(c.version, { ...kept, deployedBy: c.deployedBy });
  }
  return [...byVersion.values()];
}

/** Maps with at most `limit` calls in flight, keeping the order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * An error after which AWS may have acted: the answer was lost (network, a proxy's page) or AWS failed on its side
 * (5xx). Throttling, refusals and bad input mean AWS did nothing.
 */
export function mayHaveActed(error: DeployError): boolean {
  if (error.kind === 'network' || error.kind === 'unknown') return true;
  return error.kind === 'aws' && SERVER_ERRORS.test(error.details.awsCode ?? '');
}

/** AWS's codes for a failure on its side (HTTP 5xx). */
const SERVER_ERRORS = /^(InternalFailure|InternalError|InternalServerError|InternalServiceError|InternalServiceException|ServiceUnavailable|ServiceUnavailableException|ServiceFailure|BadGateway|GatewayTimeout)$/;

/** A failure that passes by itself: throttling, the network, AWS's own 5xx. */
function isPassing(error: DeployError): boolean {
  return error.kind === 'throttled' || error.kind === 'network' || (error.kind === 'aws' && SERVER_ERRORS.test(error.details.awsCode ?? ''));
}

function stoppedFollowing(executionId: string, error: DeployError, how: string): DeployError {
  return new DeployError(error.kind, `Reading execution ${executionId} ${how} (${error.message}); stopped following it. The deploy itself goes on in AWS.`, {
    ...error.details,
    cause: error,
  });
}

function cancelled(): DeployError {
  return new DeployError('cancelled', 'Stopped following the execution; the deploy itself goes on.');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
