// The living pipeline. Executions move through the stages on the sandbox clock; every change happens at the time
// it is due (a discrete-event loop), so a manual clock moved by an hour replays the hour with the right timestamps.
//
// CodePipeline V1 in SUPERSEDED mode (and V2 in QUEUED or PARALLEL mode, see tryEnter), as modelled here:
// - a stage holds one execution at a time; an execution that finishes a stage while the next one is held waits at
//   the transition (GetPipelineState shows it as the stage's inboundExecution);
// - a newer execution arriving at a transition where an older one waits supersedes the older one;
// - an execution waiting for a manual approval is superseded as soon as a newer execution reaches that stage
//   (its token becomes invalid, its approval action is Abandoned); an older execution that is past the approval
//   keeps running and the newer one waits behind it.
import { startBuild, finishBuild } from './codebuild';
import { completeRollout, failRollout, forgetOldStoppedTasks, markNewTasksRunning, startRollout } from './ecs';
import { hasImage, pushImage } from './ecr';
import { appendLog } from './logs';
import { AwsError } from './protocol';
import { hasShape } from './shapes';
import { buildFailureMessage, stageFailure, takeRolloutFailures, takeStageFailure } from './scenarios';
import { parameterValue, writeParameter } from './ssm';
import type { ActionDefinition, ActionRun, Clock, EnvironmentRecord, ExecutionRecord, Ids, PipelineRecord, StageRun, World } from './world';

export interface EngineOptions {
  /** Duration of one stage, ms. */
  stageMs: number;
  /** Called after every change of the world the engine makes. */
  onChange?: () => void;
}

/** Part of a rollout stage after which the new tasks run next to the old ones. */
const TASKS_RUNNING_AT = 0.3;
/** A build that has to build images takes this many stage durations. */
const IMAGE_BUILD_STAGES = 2;
const SHA = /^[0-9a-f]{40}$/;
/** CodePipeline fails a manual approval nobody decided within seven days. */
export const APPROVAL_TIMEOUT_MS = 7 * 24 * 3600_000;
const isRollout = (a: ActionDefinition): boolean => a.behavior === 'deploy-services' || a.behavior === 'deploy-scheduler';
const isBuild = (a: ActionDefinition): boolean =>
  a.behavior === 'build' || a.behavior === 'script' || a.behavior === 'compare-versions' || a.behavior === 'update-deployed-version' || a.behavior === 'maintenance-on' || a.behavior === 'maintenance-off';

const isLive = (e: ExecutionRecord): boolean => e.dueAt !== undefined || e.status === 'InProgress' || e.status === 'Stopping';

export class PipelineEngine {
  private stageMsValue: number;
  // Indexes over world.executions, so a request costs the same after 3,000 executions as after 10 (the history is
  // kept whole, as AWS keeps it). Built on first use from whatever world the engine was given (a loaded --state
  // file included) and kept up to date by the only places that add executions or bring one back to life.
  private liveIndex: Set<ExecutionRecord> | undefined;
  /** Position of an execution in its pipeline's list (start order, which ties in startTime do not tell). */
  private readonly order = new WeakMap<ExecutionRecord, number>();
  private byIdIndex: Map<string, ExecutionRecord> | undefined;
  /** pipeline → stage → the execution that entered the stage last (what GetPipelineState shows). */
  private lastEnteredIndex: Map<string, Map<string, ExecutionRecord>> | undefined;

  constructor(
    private readonly world: World,
    private readonly clock: Clock,
    private readonly ids: Ids,
    private readonly options: EngineOptions,
  ) {
    this.stageMsValue = options.stageMs;
  }

  get stageMs(): number {
    return this.stageMsValue;
  }

  /** Changes the stage duration; steps already scheduled shrink or stretch in proportion, from now on. */
  setStageMs(ms: number): void {
    if (!(ms > 0)) throw new Error('The stage duration must be positive.');
    const now = this.clock.now();
    const ratio = ms / this.stageMsValue;
    for (const e of this.allExecutions()) {
      // An approval's seven-day deadline is AWS's, not a stage duration.
      if (e.dueAt !== undefined && e.dueAt > now && e.step !== 'approval-expires') e.dueAt = now + (e.dueAt - now) * ratio;
    }
    this.stageMsValue = ms;
    this.changed();
  }

  private changed(): void {
    this.options.onChange?.();
  }

  /** Executions still in progress or with a step due; those that ended leave the set the next time it is read. */
  private live(): Set<ExecutionRecord> {
    if (!this.liveIndex) {
      const live = new Set<ExecutionRecord>();
      for (const list of Object.values(this.world.executions)) {
        list.forEach((e, i) => {
          this.order.set(e, i);
          if (isLive(e)) live.add(e);
        });
      }
      this.liveIndex = live;
    }
    for (const e of this.liveIndex) if (!isLive(e)) this.liveIndex.delete(e);
    return this.liveIndex;
  }

  private allExecutions(): ExecutionRecord[] {
    return [...this.live()];
  }

  /** The executions of one pipeline that are in progress (or stopping), oldest first. */
  liveExecutions(pipelineName: string): ExecutionRecord[] {
    return [...this.live()].filter((e) => e.pipelineName === pipelineName && (e.status === 'InProgress' || e.status === 'Stopping')).sort((a, b) => (this.order.get(a) ?? 0) - (this.order.get(b) ?? 0));
  }

  /** The execution that entered the stage last, as GetPipelineState shows it. */
  lastEntered(pipelineName: string, stageName: string): ExecutionRecord | undefined {
    if (!this.lastEnteredIndex) {
      this.lastEnteredIndex = new Map();
      for (const [name, list] of Object.entries(this.world.executions)) {
        const stages = new Map<string, { e: ExecutionRecord; at: number }>();
        for (const e of list) for (const run of e.stages) if (run.enteredAt >= (stages.get(run.name)?.at ?? -Infinity)) stages.set(run.name, { e, at: run.enteredAt });
        this.lastEnteredIndex.set(name, new Map([...stages].map(([stage, { e }]) => [stage, e])));
      }
    }
    return this.lastEnteredIndex.get(pipelineName)?.get(stageName);
  }

  private entered(e: ExecutionRecord, stageName: string): void {
    if (!this.lastEnteredIndex) return; // built from the world on first read
    let stages = this.lastEnteredIndex.get(e.pipelineName);
    if (!stages) this.lastEnteredIndex.set(e.pipelineName, (stages = new Map()));
    stages.set(stageName, e);
  }

  private byId(pipelineName: string, id: string): ExecutionRecord | undefined {
    if (!this.byIdIndex) {
      this.byIdIndex = new Map();
      for (const list of Object.values(this.world.executions)) for (const e of list) this.byIdIndex.set(e.id, e);
    }
    const e = this.byIdIndex.get(id);
    return e && e.pipelineName === pipelineName ? e : undefined;
  }

  private environmentOf(pipeline: PipelineRecord): EnvironmentRecord {
    const env = this.world.environments.find((e) => e.name === pipeline.environment);
    if (!env) throw new Error(`Pipeline ${pipeline.name} belongs to no environment`);
    return env;
  }

  pipeline(name: string): PipelineRecord {
    const p = this.world.pipelines[name];
    if (!p) throw new AwsError('PipelineNotFoundException', `Account '${this.world.accountId}' does not have a pipeline with name '${name}'`);
    return p;
  }

  execution(pipelineName: string, id: string): ExecutionRecord {
    const e = this.byId(pipelineName, id);
    if (!e) throw new AwsError('PipelineExecutionNotFoundException', `Pipeline execution ID ${id} does not exist in the pipeline with name ${pipelineName} in account ${this.world.accountId}`);
    return e;
  }

  /** The earliest pending step, if any. */
  nextDue(): number | undefined {
    let due: number | undefined;
    for (const e of this.allExecutions()) if (e.dueAt !== undefined && (due === undefined || e.dueAt < due)) due = e.dueAt;
    return due;
  }

  /** Brings the world up to the clock's time. */
  sync(): void {
    this.advanceTo(this.clock.now());
  }

  advanceTo(target: number): void {
    let stepped = false;
    for (;;) {
      let next: ExecutionRecord | undefined;
      for (const e of this.allExecutions()) {
        if (e.dueAt !== undefined && e.dueAt <= target && (next === undefined || e.dueAt < next.dueAt!)) next = e;
      }
      if (!next) break;
      const at = next.dueAt!;
      next.dueAt = undefined;
      this.step(next, at);
      stepped = true;
    }
    if (stepped) {
      forgetOldStoppedTasks(this.world, target);
      this.changed();
    }
  }

  // --- API operations ---------------------------------------------------------------------------------------

  /** The execution a StartPipelineExecution with this clientRequestToken started, if any. */
  executionByRequestToken(pipelineName: string, token: string): ExecutionRecord | undefined {
    this.pipeline(pipelineName);
    return (this.world.executions[pipelineName] ?? []).find((e) => e.clientRequestToken === token);
  }

  start(pipelineName: string, triggerDetail: string, clientRequestToken?: string): ExecutionRecord {
    const pipeline = this.pipeline(pipelineName);
    const at = this.clock.now();
    const head = this.world.commits[0];
    const execution: ExecutionRecord = {
      id: this.ids.uuid(),
      pipelineName,
      pipelineVersion: pipeline.version,
      status: 'InProgress',
      startTime: at,
      lastUpdateTime: at,
      triggerDetail,
      ...(clientRequestToken !== undefined ? { clientRequestToken } : {}),
      sourceRevision: { sha: head.sha, subject: head.subject, time: head.time },
      phase: 'waiting',
      stageIndex: 0,
      stages: [],
      actions: [],
    };
    const list = (this.world.executions[pipelineName] ??= []);
    list.push(execution);
    this.live().add(execution);
    this.order.set(execution, list.length - 1);
    this.byIdIndex?.set(execution.id, execution);
    this.tryEnter(execution, 0, at);
    this.changed();
    return execution;
  }

  stop(pipelineName: string, executionId: string, abandon: boolean, reason: string | undefined): void {
    this.pipeline(pipelineName);
    const e = this.execution(pipelineName, executionId);
    if (e.status === 'Stopping' && !abandon) {
      throw new AwsError('DuplicatedStopRequestException', `Execution ${executionId} is already being stopped.`);
    }
    if (e.status !== 'InProgress' && e.status !== 'Stopping') {
      throw new AwsError('PipelineExecutionNotStoppableException', `Unable to stop pipeline execution ${executionId}: it is ${e.status}.`);
    }
    const at = this.clock.now();
    e.stopReason = reason;
    if (abandon || e.phase === 'approval' || e.phase === 'waiting') {
      this.endExecution(e, 'Stopped', at, reason ? `Stopped: ${reason}` : undefined, 'Abandoned');
    } else {
      e.status = 'Stopping';
      e.stopRequested = true;
      e.lastUpdateTime = at;
      const stage = this.currentStageRun(e);
      if (stage) stage.status = 'Stopping';
    }
    this.admitWaiting(e.pipelineName, at);
    this.changed();
  }

  decideApproval(input: { pipelineName: string; stageName: string; actionName: string; token: string; status: 'Approved' | 'Rejected'; summary: string; caller: string }): number {
    const pipeline = this.pipeline(input.pipelineName);
    const stage = pipeline.stages.find((s) => s.name === input.stageName);
    if (!stage) throw new AwsError('StageNotFoundException', `Stage ${input.stageName} not found in pipeline ${input.pipelineName}`);
    const action = stage.actions.find((a) => a.name === input.actionName);
    if (!action) throw new AwsError('ActionNotFoundException', `Action ${input.actionName} not found in stage ${input.stageName}`);
    let owner: ExecutionRecord | undefined;
    let run: ActionRun | undefined;
    for (const e of this.world.executions[pipeline.name] ?? []) {
      const r = e.actions.find((a) => a.token === input.token && a.stageName === stage.name && a.actionName === action.name);
      if (r) {
        owner = e;
        run = r;
      }
    }
    if (!owner || !run || action.behavior !== 'approval') {
      throw new AwsError('InvalidApprovalTokenException', `The token for the approval action ${input.actionName} is not valid.`);
    }
    if (run.approvalDecided) throw new AwsError('ApprovalAlreadyCompletedException', `The approval action ${input.actionName} has already been completed.`);
    if (run.status !== 'InProgress' || owner.phase !== 'approval') {
      throw new AwsError('InvalidApprovalTokenException', `The token for the approval action ${input.actionName} is not valid.`);
    }
    const at = this.clock.now();
    run.approvalDecided = true;
    run.summary = input.summary;
    run.updatedBy = input.caller;
    run.lastUpdateTime = at;
    if (input.status === 'Approved') {
      run.status = 'Succeeded';
      // The stage goes on once every approval action of it is approved.
      if (!this.runsOf(owner, stage.name).some((r) => r !== run && r.status === 'InProgress')) this.finishStage(owner, at);
    } else {
      run.status = 'Failed';
      this.failStage(owner, at, `Rejected by ${input.caller.split('/').pop()}${input.summary ? `: ${input.summary}` : ''}`);
    }
    this.changed();
    return at;
  }

  // --- transitions --------------------------------------------------------------------------------------------

  private currentStageRun(e: ExecutionRecord): StageRun | undefined {
    const name = this.pipeline(e.pipelineName).stages[e.stageIndex]?.name;
    return e.stages.find((s) => s.name === name);
  }

  private holder(pipelineName: string, index: number, except: ExecutionRecord): ExecutionRecord | undefined {
    return this.liveExecutions(pipelineName).find((x) => x !== except && x.stageIndex === index && (x.phase === 'running' || x.phase === 'approval'));
  }

  private tryEnter(e: ExecutionRecord, index: number, at: number): void {
    const mode = this.pipeline(e.pipelineName).executionMode ?? 'SUPERSEDED';
    // PARALLEL (V2): executions run side by side; no stage holds one.
    const holder = mode === 'PARALLEL' ? undefined : this.holder(e.pipelineName, index, e);
    if (holder && mode === 'QUEUED') {
      // QUEUED (V2): a held stage makes the execution wait at its transition, in start order; nothing is superseded.
      e.phase = 'waiting';
      e.stageIndex = index;
      e.lastUpdateTime = at;
      return;
    }
    if (holder && holder.phase === 'approval' && holder.startTime <= e.startTime) {
      this.endExecution(holder, 'Superseded', at, `Superseded by execution ${e.id}`, 'Abandoned');
    } else if (holder) {
      for (const other of this.liveExecutions(e.pipelineName)) {
        if (other !== e && other.status === 'InProgress' && other.phase === 'waiting' && other.stageIndex === index) {
          this.endExecution(other, 'Superseded', at, `Superseded by execution ${e.id}`, 'Abandoned');
        }
      }
      e.phase = 'waiting';
      e.stageIndex = index;
      e.lastUpdateTime = at;
      return;
    }
    this.enterStage(e, index, at);
  }

  /** Lets executions waiting at a transition enter their stage once it is free (oldest first). */
  private admitWaiting(pipelineName: string, at: number): void {
    const waiting = this.liveExecutions(pipelineName).filter((x) => x.status === 'InProgress' && x.phase === 'waiting');
    for (const w of waiting) if (w.phase === 'waiting' && !this.holder(pipelineName, w.stageIndex, w)) this.enterStage(w, w.stageIndex, at);
  }

  private enterStage(e: ExecutionRecord, index: number, at: number): void {
    const pipeline = this.pipeline(e.pipelineName);
    const stage = pipeline.stages[index];
    e.phase = 'running';
    e.stageIndex = index;
    e.lastUpdateTime = at;
    e.stages.push({ name: stage.name, status: 'InProgress', enteredAt: at, lastUpdateTime: at });
    this.entered(e, stage.name);
    this.runActions(e, stage.actions, at);
  }

  /** Starts actions of the current stage (all on entry, the failed ones on a retry) and schedules its next step. */
  private runActions(e: ExecutionRecord, actions: readonly ActionDefinition[], at: number): void {
    const pipeline = this.pipeline(e.pipelineName);
    const stage = pipeline.stages[e.stageIndex];
    const services = actions.filter(isRollout).map((a) => a.configuration.ServiceName);
    const failing = services.length > 0 ? takeRolloutFailures(this.world, this.environmentOf(pipeline).name, services) : [];
    e.failingServices = failing.length > 0 ? failing : undefined;
    let duration = this.stageMsValue;
    let rollout = false;
    let approval = false;
    for (const action of actions) {
      const run: ActionRun = { id: this.ids.uuid(), stageName: stage.name, actionName: action.name, status: 'InProgress', startTime: at, lastUpdateTime: at };
      e.actions.push(run);
      const extra = this.startAction(pipeline, e, action, run, at);
      // Several approval actions of one stage (e.g. QA and the product owner) wait side by side.
      if (extra === 'approval') approval = true;
      if (extra === 'rollout') rollout = true;
      if (extra === 'image-build') duration = this.stageMsValue * IMAGE_BUILD_STAGES;
    }
    if (approval) {
      // Nobody waits forever: CodePipeline fails an undecided approval after seven days.
      e.phase = 'approval';
      e.step = 'approval-expires';
      e.dueAt = at + APPROVAL_TIMEOUT_MS;
      return;
    }
    if (rollout) {
      e.step = 'tasks-running';
      e.dueAt = at + duration * TASKS_RUNNING_AT;
    } else {
      e.step = 'finish';
      e.dueAt = at + duration;
    }
  }

  private logGroup(pipeline: PipelineRecord): string {
    const env = this.environmentOf(pipeline);
    return pipeline.kind === 'destructive' ? env.logGroups.destructive : env.logGroups.normal;
  }

  private startCodeBuild(pipeline: PipelineRecord, e: ExecutionRecord, action: ActionDefinition, run: ActionRun, at: number, lines: readonly string[]): void {
    const project = action.configuration.ProjectName;
    const build = startBuild(this.world, project, `codepipeline/${pipeline.name}`, this.logGroup(pipeline), at, this.ids, e.sourceRevision.sha);
    run.externalExecutionId = build.id;
    appendLog(
      this.world,
      build.logGroup,
      build.logStream,
      [
        `[Container] ${containerTime(at)} Running on CodeBuild On-demand`,
        `[Container] ${containerTime(at)} Waiting for agent ping`,
        `[Container] ${containerTime(at)} Entering phase BUILD`,
        ...lines,
      ],
      at,
    );
  }

  /** Resolves `latest` (staging) to the last build version. */
  /** As the pipeline's shell reads it: `$(aws ssm get-parameter … --output text)` trimmed, lower-cased. */
  private readDesiredVersion(env: EnvironmentRecord): string | undefined {
    const raw = parameterValue(this.world, env.parameters.desiredVersion)?.trim().toLowerCase();
    if (raw === 'latest' && env.parameters.lastBuildVersion) return parameterValue(this.world, env.parameters.lastBuildVersion)?.trim().toLowerCase();
    return raw;
  }

  private startAction(pipeline: PipelineRecord, e: ExecutionRecord, action: ActionDefinition, run: ActionRun, at: number): 'approval' | 'rollout' | 'image-build' | undefined {
    const env = this.environmentOf(pipeline);
    switch (action.behavior) {
      case 'source':
        run.externalExecutionId = e.sourceRevision.sha;
        run.externalExecutionSummary = e.sourceRevision.subject;
        run.summary = e.sourceRevision.subject;
        return undefined;
      case 'compare-versions': {
        const desired = this.readDesiredVersion(env);
        const deployed = parameterValue(this.world, env.parameters.lastDeployedVersion);
        e.comparedVersion = desired;
        const versions = [
          // The typo is Spryker's own and users grep for it; keep it.
          `Deploymnet version: ${desired ?? ''}`,
          `Latest deployed version: ${deployed ?? ''}`,
        ];
        const quiet = hasShape(this.world, 'quiet-log');
        this.startCodeBuild(pipeline, e, action, run, at, [
          `[Container] ${containerTime(at)} Running command ./scripts/prepare_versions_information.sh ${env.name}`,
          `Environment: ${env.name}`,
          ...(quiet ? ['Waiting for the image metadata of every repository…'] : versions),
        ]);
        // The versions come after a pause as long as the stage: the log has a quiet stretch in the middle.
        if (quiet) run.pendingLog = versions;
        return undefined;
      }
      case 'approval':
        run.token = this.ids.uuid();
        return 'approval';
      case 'build': {
        e.version = this.readDesiredVersion(env);
        const known = e.version !== undefined && this.world.commits.some((c) => c.sha === e.version);
        const missing = known ? env.repositories.filter((r) => !hasImage(this.world, r, e.version!)) : [];
        this.startCodeBuild(pipeline, e, action, run, at, [
          `[Container] ${containerTime(at)} Running command ./scripts/build.sh ${e.version ?? ''}`,
          `Requested version: ${e.version ?? '(desired_version is not set)'}`,
          ...(known && missing.length === 0 ? ['All images exist for this version, nothing to build.'] : []),
          ...missing.map((r) => `Building image ${r}:${e.version}`),
        ]);
        return missing.length > 0 ? 'image-build' : undefined;
      }
      case 'maintenance-on':
      case 'maintenance-off':
        this.startCodeBuild(pipeline, e, action, run, at, [
          `[Container] ${containerTime(at)} Running command ./scripts/maintenance.sh ${action.behavior === 'maintenance-on' ? 'enable' : 'disable'} ${env.name}`,
        ]);
        return undefined;
      case 'script':
      case 'update-deployed-version':
        this.startCodeBuild(pipeline, e, action, run, at, [`[Container] ${containerTime(at)} Running command ./scripts/${action.name.toLowerCase()}.sh`]);
        return undefined;
      case 'deploy-scheduler':
      case 'deploy-services': {
        const version = e.version ?? parameterValue(this.world, env.parameters.lastDeployedVersion);
        if (version === undefined) return undefined;
        e.version = version;
        startRollout(this.world, env.cluster, action.configuration.ServiceName, version, at, this.ids);
        run.externalExecutionId = `${env.cluster}/${action.configuration.ServiceName}`;
        return 'rollout';
      }
    }
  }

  private step(e: ExecutionRecord, at: number): void {
    if (e.status !== 'InProgress' && e.status !== 'Stopping') return;
    if (e.step === 'approval-expires') {
      if (e.phase === 'approval') this.expireApproval(e, at);
      return;
    }
    if (e.step === 'tasks-running') {
      const pipeline = this.pipeline(e.pipelineName);
      const env = this.environmentOf(pipeline);
      for (const run of this.runsOf(e, pipeline.stages[e.stageIndex].name)) {
        const a = pipeline.stages[e.stageIndex].actions.find((x) => x.name === run.actionName);
        if (!a || !isRollout(a) || run.status !== 'InProgress') continue;
        const service = a.configuration.ServiceName;
        // New tasks of a failing rollout start and stop; the circuit breaker rolls the service back.
        if (e.failingServices?.includes(service)) failRollout(this.world, env.cluster, service, at, this.ids);
        else markNewTasksRunning(this.world, env.cluster, service, at);
      }
      e.step = 'finish';
      e.dueAt = at + this.stageMsValue * (1 - TASKS_RUNNING_AT);
      e.lastUpdateTime = at;
      return;
    }
    const pipeline = this.pipeline(e.pipelineName);
    const stage = pipeline.stages[e.stageIndex];
    if (e.failingServices && e.failingServices.length > 0) {
      this.failRollouts(e, at);
      return;
    }
    if (stage.actions.some(isBuild) && takeStageFailure(this.world, this.environmentOf(pipeline).name, stage.name)) {
      this.failBuilds(e, at);
      return;
    }
    if (stage.actions.some((a) => a.behavior === 'build')) {
      const known = e.version !== undefined && this.world.commits.some((c) => c.sha === e.version);
      if (!known) {
        const reason = e.version === undefined ? 'desired_version is not set' : SHA.test(e.version) ? `commit ${e.version} not found in the repository` : `'${e.version}' is not a commit hash`;
        for (const run of this.runsOf(e, stage.name)) {
          if (run.externalExecutionId) appendLog(this.world, this.logGroup(pipeline), this.world.builds[run.externalExecutionId]?.logStream ?? '', [`ERROR: ${reason}`, `[Container] ${containerTime(at)} Phase complete: BUILD State: FAILED`], at);
        }
        this.failStage(e, at, `Build failed: ${reason}`);
        return;
      }
      const env = this.environmentOf(pipeline);
      for (const r of env.repositories) pushImage(this.world, r, e.version!, at);
    }
    this.finishStage(e, at);
  }

  /** The latest run of each action of the stage in this execution (a retry adds runs for the failed ones). */
  private runsOf(e: ExecutionRecord, stageName: string): ActionRun[] {
    const entered = e.stages.find((s) => s.name === stageName)?.enteredAt ?? 0;
    const latest = new Map<string, ActionRun>();
    for (const a of e.actions) if (a.stageName === stageName && a.startTime >= entered) latest.set(a.actionName, a);
    return [...latest.values()];
  }

  /** A stage-fails scenario: each build of the stage ends FAILED with the error at the end of its log. */
  private failBuilds(e: ExecutionRecord, at: number): void {
    const pipeline = this.pipeline(e.pipelineName);
    const env = this.environmentOf(pipeline);
    const stage = pipeline.stages[e.stageIndex];
    const failure = stageFailure(stage.name, env.name);
    const message = buildFailureMessage(failure);
    for (const run of this.runsOf(e, stage.name)) {
      const build = run.externalExecutionId ? this.world.builds[run.externalExecutionId] : undefined;
      if (run.status !== 'InProgress' || !build) continue;
      appendLog(
        this.world,
        build.logGroup,
        build.logStream,
        [
          `[Container] ${containerTime(at)} Running command ${failure.command}`,
          ...failure.lines,
          '',
          `[Container] ${containerTime(at)} Command did not exit successfully ${failure.command} exit status ${failure.exitStatus}`,
          `[Container] ${containerTime(at)} Phase complete: BUILD State: FAILED`,
          `[Container] ${containerTime(at)} Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: ${failure.command}. Reason: exit status ${failure.exitStatus}`,
        ],
        at,
      );
      build.failure = { statusCode: 'COMMAND_EXECUTION_ERROR', message: `Error while executing command: ${failure.command}. Reason: exit status ${failure.exitStatus}` };
      run.errorDetails = { code: 'JobFailed', message };
    }
    this.failStage(e, at, undefined);
  }

  /**
   * A rollout-fails scenario at the end of the rollout stage: the healthy services' rollouts complete, the failing
   * ones' actions fail with the circuit breaker's reason (their services already rolled back).
   */
  private failRollouts(e: ExecutionRecord, at: number): void {
    const pipeline = this.pipeline(e.pipelineName);
    const env = this.environmentOf(pipeline);
    const stage = pipeline.stages[e.stageIndex];
    const failing = e.failingServices ?? [];
    for (const run of this.runsOf(e, stage.name)) {
      const action = stage.actions.find((a) => a.name === run.actionName);
      if (!action || !isRollout(action) || run.status !== 'InProgress') continue;
      const service = action.configuration.ServiceName;
      if (failing.includes(service)) {
        const record = this.world.clusters[env.cluster]?.services.find((s) => s.name === service);
        const failed = record?.deployments.find((d) => d.rolloutState === 'FAILED');
        run.errorDetails = {
          code: 'JobFailed',
          message: `Deployment ${failed?.id ?? ''} of ECS service ${service} failed: ECS deployment circuit breaker: tasks failed to start. The service was rolled back to ${record?.taskDefinition ?? 'its previous task definition'}.`,
        };
      } else {
        completeRollout(this.world, env.cluster, service, at, this.ids);
        run.status = 'Succeeded';
        run.lastUpdateTime = at;
      }
    }
    e.failingServices = undefined;
    this.failStage(e, at, undefined);
  }

  /** Nobody decided within seven days: CodePipeline fails the approval action and with it the execution. */
  private expireApproval(e: ExecutionRecord, at: number): void {
    const stageName = this.pipeline(e.pipelineName).stages[e.stageIndex].name;
    for (const run of this.runsOf(e, stageName)) {
      if (run.status === 'InProgress' && run.token) {
        run.errorDetails = { code: 'JobFailed', message: 'The approval request expired: it was neither approved nor rejected within 7 days.' };
      }
    }
    this.failStage(e, at, undefined);
  }

  /**
   * RetryStageExecution: the failed stage of the latest execution runs again (its failed actions, or all of them),
   * and the execution goes on from there. AWS refuses when the stage did not fail in this execution, when a later
   * execution has since entered the stage, and while another execution holds the stage.
   */
  retry(pipelineName: string, stageName: string, executionId: string, mode: 'FAILED_ACTIONS' | 'ALL_ACTIONS'): void {
    const pipeline = this.pipeline(pipelineName);
    const index = pipeline.stages.findIndex((s) => s.name === stageName);
    if (index < 0) throw new AwsError('StageNotFoundException', `Stage ${stageName} not found in pipeline ${pipelineName}`);
    const e = this.byId(pipelineName, executionId);
    if (!e) throw new AwsError('StageNotRetryableException', `Execution ${executionId} of ${pipelineName} has no failed stage ${stageName} to retry.`);
    const latest = this.lastEntered(pipelineName, stageName);
    const newer = latest !== undefined && latest !== e && (latest.stages.find((s) => s.name === stageName)?.enteredAt ?? -Infinity) > (e.stages.find((r) => r.name === stageName)?.enteredAt ?? Infinity);
    if (newer) throw new AwsError('NotLatestPipelineExecutionException', `Execution ${executionId} is not the latest execution of stage ${stageName}; a later execution ran it since.`);
    const stageRun = e.stages.find((s) => s.name === stageName);
    const stage = pipeline.stages[index];
    const runs = this.runsOf(e, stageName);
    const failed = runs.filter((r) => r.status === 'Failed');
    if (e.status !== 'Failed' || !stageRun || stageRun.status !== 'Failed' || failed.length === 0 || e.stageIndex !== index) {
      throw new AwsError('StageNotRetryableException', `Stage ${stageName} of execution ${executionId} cannot be retried: it has no failed actions.`);
    }
    if (stage.actions.some((a) => a.behavior === 'approval')) {
      throw new AwsError('StageNotRetryableException', `Stage ${stageName} holds a manual approval; start a new execution instead.`);
    }
    if (this.holder(pipelineName, index, e)) throw new AwsError('ConflictException', `Stage ${stageName} is busy with another execution; try again when it is free.`);
    const at = this.clock.now();
    e.status = 'InProgress';
    e.statusSummary = undefined;
    e.lastUpdateTime = at;
    e.phase = 'running';
    stageRun.status = 'InProgress';
    stageRun.lastUpdateTime = at;
    this.live().add(e);
    const again = mode === 'ALL_ACTIONS' ? stage.actions : stage.actions.filter((a) => failed.some((r) => r.actionName === a.name));
    this.runActions(e, again, at);
    this.changed();
  }

  private finishStage(e: ExecutionRecord, at: number): void {
    const pipeline = this.pipeline(e.pipelineName);
    const stage = pipeline.stages[e.stageIndex];
    const env = this.environmentOf(pipeline);
    for (const action of stage.actions) {
      const run = this.runsOf(e, stage.name).find((r) => r.actionName === action.name);
      // After a retry of the failed actions, the ones that succeeded the first time are done already.
      if (!run || (run.status !== 'InProgress' && action.behavior !== 'approval')) continue;
      if (action.behavior === 'deploy-services' || action.behavior === 'deploy-scheduler') {
        completeRollout(this.world, env.cluster, action.configuration.ServiceName, at, this.ids);
      }
      if (action.behavior === 'update-deployed-version' && e.version !== undefined) {
        writeParameter(this.world, env.parameters.lastDeployedVersion, e.version, `arn:aws:sts::${this.world.accountId}:assumed-role/SprykerCodeBuild/AWSCodeBuild-${run.id}`, at);
        appendLog(this.world, this.logGroup(pipeline), this.world.builds[run.externalExecutionId ?? '']?.logStream ?? '', [`Updated ${env.parameters.lastDeployedVersion} to ${e.version}`], at);
      }
      if (action.behavior === 'maintenance-on' || action.behavior === 'maintenance-off') {
        const on = action.behavior === 'maintenance-on';
        (this.world.maintenance ??= {})[env.name] = on;
        appendLog(
          this.world,
          this.logGroup(pipeline),
          this.world.builds[run.externalExecutionId ?? '']?.logStream ?? '',
          [on ? `Maintenance mode enabled for ${env.name}: Yves, Glue and the Backoffice answer 503 with the maintenance page.` : `Maintenance mode disabled for ${env.name}.`],
          at,
        );
      }
      if (run.pendingLog && run.externalExecutionId && this.world.builds[run.externalExecutionId]) {
        appendLog(this.world, this.logGroup(pipeline), this.world.builds[run.externalExecutionId].logStream, run.pendingLog, at);
        run.pendingLog = undefined;
      }
      if (run.externalExecutionId && this.world.builds[run.externalExecutionId]) {
        appendLog(this.world, this.logGroup(pipeline), this.world.builds[run.externalExecutionId].logStream, [`[Container] ${containerTime(at)} Phase complete: BUILD State: SUCCEEDED`], at);
        finishBuild(this.world, run.externalExecutionId, 'SUCCEEDED', at);
      }
      if (run.status === 'InProgress') run.status = 'Succeeded';
      run.lastUpdateTime = at;
    }
    const stageRun = this.currentStageRun(e);
    if (stageRun) {
      stageRun.status = 'Succeeded';
      stageRun.lastUpdateTime = at;
    }
    e.lastUpdateTime = at;
    e.dueAt = undefined;
    if (e.stopRequested) {
      this.endExecution(e, 'Stopped', at, e.stopReason ? `Stopped: ${e.stopReason}` : undefined, 'Abandoned');
    } else if (e.stageIndex + 1 >= pipeline.stages.length) {
      e.status = 'Succeeded';
      e.phase = 'done';
    } else {
      e.phase = 'waiting';
      this.tryEnter(e, e.stageIndex + 1, at);
    }
    this.admitWaiting(e.pipelineName, at);
  }

  /** Fails the current stage and the execution; `summary` (a rejection, a build error) goes to the open actions. */
  private failStage(e: ExecutionRecord, at: number, summary: string | undefined): void {
    for (const run of this.runsOf(e, this.pipeline(e.pipelineName).stages[e.stageIndex].name)) {
      if (run.status === 'InProgress') {
        run.status = 'Failed';
        if (summary !== undefined) run.summary ??= summary;
        run.lastUpdateTime = at;
        finishBuild(this.world, run.externalExecutionId, 'FAILED', at);
      }
    }
    const stageRun = this.currentStageRun(e);
    if (stageRun) {
      stageRun.status = 'Failed';
      stageRun.lastUpdateTime = at;
    }
    e.status = 'Failed';
    e.statusSummary = summary;
    e.failingServices = undefined;
    e.phase = 'done';
    e.dueAt = undefined;
    e.lastUpdateTime = at;
    this.admitWaiting(e.pipelineName, at);
  }

  /** Ends an execution from outside its own progress (stop, supersede): open actions end as `actionStatus`. */
  private endExecution(e: ExecutionRecord, status: 'Stopped' | 'Superseded', at: number, summary: string | undefined, actionStatus: 'Abandoned'): void {
    const pipeline = this.pipeline(e.pipelineName);
    const env = this.environmentOf(pipeline);
    const inStage = e.phase === 'running' || e.phase === 'approval';
    if (inStage) {
      for (const run of this.runsOf(e, pipeline.stages[e.stageIndex].name)) {
        if (run.status !== 'InProgress') continue;
        run.status = actionStatus;
        run.lastUpdateTime = at;
        finishBuild(this.world, run.externalExecutionId, 'STOPPED', at);
        const action = pipeline.stages[e.stageIndex].actions.find((a) => a.name === run.actionName);
        // ECS finishes a deployment on its own once it started; stopping the pipeline does not roll it back.
        if (action && (action.behavior === 'deploy-services' || action.behavior === 'deploy-scheduler')) {
          completeRollout(this.world, env.cluster, action.configuration.ServiceName, at, this.ids);
        }
      }
      const stageRun = this.currentStageRun(e);
      if (stageRun) {
        stageRun.status = status === 'Stopped' ? 'Stopped' : 'Cancelled';
        stageRun.lastUpdateTime = at;
      }
    }
    e.status = status;
    e.statusSummary = summary;
    e.phase = 'done';
    e.dueAt = undefined;
    e.stopRequested = undefined;
    e.lastUpdateTime = at;
  }
}

/** The timestamp format of CodeBuild's `[Container]` lines: `2024/05/01 10:00:00.123456`. */
function containerTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}000`;
}
