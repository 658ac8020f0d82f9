// spryker-deploy: the command-line front end over the same core as the extension. Progress goes to stderr,
// results to stdout; a failure is one clear line on stderr and a non-zero exit code.

import { utcTimestamp } from '../core/time';
import { resolve as resolvePath } from 'node:path';
import { isatty } from 'node:tty';
import { join } from 'node:path';
import type { EnvironmentService, FollowResult, MaintenanceSwitch } from '../core/api';
import { awsCliWhere, putParameterCommand } from '../core/awsCliCommands';
import { deployInMaintenance, type MaintenanceDeployStep } from '../core/maintenanceDeploy';
import { describeMaintenance, type MaintenanceMode } from '../core/maintenance';
import { createCoreCaches } from '../core/caches';
import { createEnvironmentService } from '../core/environmentService';
import type { HistoryEntry } from '../core/history';
import { asSentence, DeployError, toDeployError } from '../core/errors';
import type { ApprovalDetails, DeployProgress, DeployStarted, EnvironmentConfig, EnvironmentStatus } from '../core/model';
import type { AwsPortsFactory } from '../core/ports';
import type { SdkPortsFactory } from '../aws/operations';
import type { ChangedFile, CommitInfo } from '../core/git';
import { compareEnvironments, planPromotion, promotionTarget, type EnvironmentComparison } from '../core/promotion';
import { assessChange, resolveRiskRules, riskLine, type ChangeAssessment, type RiskRules } from '../core/risk';
import { isVersion, parseVersion, shortVersion } from '../core/version';
import { describeOutcome } from '../core/outcome';
import { loadConfig, selectEnvironments } from './config';
import { FileImageCache, forEndpoints, userCacheDir } from './imageCache';
import { EXIT, parseCommandLine, type CommandName, type StandaloneName } from './commands';
import { createCliGit } from './gitCli';
import { diffJson, diffText, type DiffResult } from './riskRender';
import { candidateJson, candidateText, deployedIn, environmentJson, failedEnvironmentJson, historyJson, historyText, statusText, withSettingHint } from './render';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
  /** Asks a question on the terminal (only called when isTTY). */
  readonly ask: (question: string) => Promise<string>;
  readonly cwd: string;
  /** The process environment (SPRYKER_DEPLOY_TRUST_CONFIG); process.env unless a test injects one. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** Injected by tests; the real AWS adapters otherwise (loaded only when a command needs them). */
  readonly portsFactory?: AwsPortsFactory;
  readonly signal?: AbortSignal;
  /**
   * Ctrl-C as it happens (1 = the first, 2 = the second). The first stops at the next safe point (never between
   * writing desired_version and starting the pipeline); the second leaves a message with the state, then the process
   * exits 130. main() wires SIGINT; tests call the listener.
   */
  readonly interrupts?: { subscribe(listener: (count: number) => 'exit' | 'continue'): () => void };
  /** Where task definition images are kept between runs (the user's cache directory); none when unset (tests). */
  readonly cacheDir?: string;
}

interface Context {
  /** The command's name, for its one failure line. */
  readonly command: string;
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
  readonly io: CliIo;
  readonly environments: () => EnvironmentConfig[];
  readonly service: (env: EnvironmentConfig) => EnvironmentService;
  /** Aborted by the first Ctrl-C (or io.signal). */
  readonly signal: AbortSignal;
  /** What the command has done so far, for what Ctrl-C says. */
  readonly progress: RunState;
}

const COMMAND_RUNS: Record<CommandName, (ctx: Context) => Promise<number>> = {
  status,
  deploy,
  approve: (ctx) => decide(ctx, 'Approved'),
  reject: (ctx) => decide(ctx, 'Rejected'),
  rollback,
  restore,
  diff,
  compare,
  promote,
  retry,
  logs,
  maintenance: maintenanceCommand,
  history,
};

/** Commands that are not about an environment: they take their own arguments, parsed by themselves. */
const STANDALONE_RUNS: Record<StandaloneName, (args: readonly string[], io: CliIo) => Promise<number>> = {
  sandbox: async (args) => {
    // Loaded only for this command; in the package it is dist/sandbox-cli.js next to cli.js.
    const sandbox = require('../sandbox/cli') as typeof import('../sandbox/cli');
    const code = await sandbox.main(args, 'spryker-deploy sandbox [options]', 'spryker-deploy sandbox');
    // Running: the process lives until Ctrl-C/SIGTERM stops the sandbox (the sandbox exits it then).
    return code ?? new Promise<number>(() => {});
  },
};

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const line = parseCommandLine(argv);
  if (line.kind === 'answer') {
    if (line.stdout !== undefined) io.stdout(line.stdout);
    if (line.stderr !== undefined) io.stderr(line.stderr);
    return line.code;
  }
  if (line.kind === 'standalone') return STANDALONE_RUNS[line.name](line.args, io);
  const { name, values, positionals } = line;
  const command = COMMAND_RUNS[name];
  // Text from AWS and git reaches the terminal only through here: no control character gets through.
  const raw = io;
  io = { ...raw, stdout: values.json ? raw.stdout : (t) => raw.stdout(printable(t)), stderr: (t) => raw.stderr(printable(t)) };
  const controller = new AbortController();
  if (io.signal?.aborted) controller.abort();
  io.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const progress = new RunState();
  const stderr = io.stderr;
  const unsubscribe = io.interrupts?.subscribe((count) => {
    if (count === 1 && progress.safeToExit()) {
      // Nothing written, nothing in flight: stop at once, as a terminal expects.
      stderr('Ctrl-C: stopped; nothing was written.');
      return 'exit';
    }
    if (count === 1) {
      stderr(progress.firstInterrupt());
      controller.abort();
      return 'continue';
    }
    stderr(progress.secondInterrupt());
    return 'exit';
  });
  const factory = lazyFactory(io, Boolean(values.verbose), name === 'status');
  const imageCache = io.cacheDir ? new FileImageCache(join(io.cacheDir, 'task-definitions.json')) : undefined;
  // AWS_ENDPOINT_URL is the endpoint of environments that name none (as src/aws resolves it).
  const persistent = imageCache ? forEndpoints(imageCache, process.env.AWS_ENDPOINT_URL) : undefined;
  const caches = createCoreCaches(persistent ? { persistent } : {});
  const ctx: Context = {
    command: name,
    values,
    positionals,
    io,
    environments: () => {
      const config = loadConfig(values.config as string | undefined, io.cwd, io.environment ?? process.env);
      return selectEnvironments(config, {
        ...(values.env ? { env: values.env as string } : {}),
        ...(values.profile ? { profile: values.profile as string } : {}),
        ...(values.region ? { region: values.region as string } : {}),
        ...(values.endpoint ? { endpoint: values.endpoint as string } : {}),
      });
    },
    service: (env) => {
      // A local sandbox's world is asked now, in parallel with the first round, not when the images are needed.
      persistent?.prefetch(env.endpoint);
      return createEnvironmentService(env, factory()(env), { caches });
    },
    signal: controller.signal,
    progress,
  };
  try {
    return await command(ctx);
  } catch (e) {
    const error = toDeployError(e);
    const maintenance = error.details.maintenance;
    io.stderr(`spryker-deploy ${name}: ${oneLine(withSettingHint(error.message, error.details.awsCode))}${maintenance?.on ? ` Switch it off with: spryker-deploy maintenance off --env ${maintenance.environment}` : ''}`);
    return exitCodeOf(error);
  } finally {
    unsubscribe?.();
    imageCache?.save();
  }
}

/**
 * Terminal control characters (ANSI escapes, BEL, CR, backspace, the C1 set) and the bidirectional overrides that
 * reorder what is shown: text from AWS (comments, summaries, log lines) and git (commit subjects) must not drive
 * the terminal. Newlines and tabs stay.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(CONTROL, '');
}

/**
 * Where a deploy stands, from its progress: what a Ctrl-C is told. The first Ctrl-C lets the write of
 * desired_version and the pipeline start finish together (stopping between them would leave desired_version
 * changed with no pipeline); the second stops at once and says what state that leaves and how to go on.
 */
class RunState {
  private phase: 'idle' | 'deciding' | 'restoring' | 'writing' | 'written' | 'started' = 'idle';
  private env?: EnvironmentConfig;
  private parameter = '';
  private version = '';
  private previous?: string;
  private executionId?: string;

  environment(env: EnvironmentConfig): void {
    this.env = env;
  }

  record(p: DeployProgress): void {
    if (p.kind === 'writing' || p.kind === 'parameter-written') {
      this.phase = p.kind === 'writing' ? 'writing' : 'written';
      this.parameter = p.parameter;
      this.version = p.version;
      this.previous = p.previous;
    } else if (p.kind === 'started') {
      this.phase = 'started';
      this.executionId = p.executionId;
    }
  }

  /** A decision is being sent: stopping before AWS answered would leave it unknown whether it was taken. */
  deciding(): void {
    this.phase = 'deciding';
  }

  /** desired_version is being put back (restore): one write, finished before stopping. */
  restoring(env: EnvironmentConfig, version: string, previous: string | undefined): void {
    this.phase = 'restoring';
    this.env = env;
    this.parameter = env.parameters.desiredVersion;
    this.version = version;
    this.previous = previous;
  }

  safeToExit(): boolean {
    return this.phase === 'idle';
  }

  following(executionId: string): void {
    this.phase = 'started';
    this.executionId = executionId;
  }

  firstInterrupt(): string {
    switch (this.phase) {
      case 'idle':
        return 'Ctrl-C: stopped; nothing was written.';
      case 'deciding':
        return 'Ctrl-C: the decision is being sent; it stops once AWS answered. Ctrl-C again to stop at once.';
      case 'restoring':
        return `Ctrl-C: ${this.parameter} = ${this.version} is being written; it stops once AWS answered. Ctrl-C again to stop at once.`;
      case 'writing':
      case 'written':
        return `Ctrl-C: finishing what is in flight first: ${this.parameter} = ${this.version} and the start of ${this.env?.pipelines.normal ?? 'the pipeline'} (stopping between the two would leave ${this.parameter} changed with no pipeline); then it stops. Ctrl-C again to stop at once.`;
      case 'started':
        return `Ctrl-C: stopped following execution ${this.executionId}; the deploy goes on in AWS.`;
    }
  }

  secondInterrupt(): string {
    const env = this.env?.name ?? '<env>';
    const where = this.env ? awsCliWhere(this.env) : '';
    const restore = this.previous !== undefined && this.env ? putParameterCommand(this.parameter, this.previous, this.env) : undefined;
    switch (this.phase) {
      case 'idle':
        return 'Stopped: nothing was written.';
      case 'deciding':
        return `Stopped while the decision was being sent: it may or may not have been taken. See with: spryker-deploy status --env ${env}`;
      case 'restoring':
        return `Stopped while ${this.parameter} = ${this.version} was being written: it holds either ${this.version} or still ${this.previous ?? 'nothing'}; nothing was deployed. See with: spryker-deploy status --env ${env}`;
      case 'writing':
        return `Stopped while ${this.parameter} = ${this.version} was being written: it holds either ${this.version} or still ${this.previous ?? 'nothing'}, and no pipeline was started. See with: spryker-deploy status --env ${env}${restore ? `; restore with: ${restore}` : ''}`;
      case 'written':
        return `Stopped after ${this.parameter} was set to ${this.version}${this.previous ? ` (it held ${this.previous})` : ''}, while ${this.env?.pipelines.normal ?? 'the pipeline'} was being started: an execution may or may not have started. See with: spryker-deploy status --env ${env}; if none started, start it with: aws codepipeline start-pipeline-execution --name ${this.env?.pipelines.normal ?? '<pipeline>'}${where}${restore ? `, or restore with: ${restore}` : ''}`;
      case 'started':
        return `Stopped: execution ${this.executionId} goes on in AWS${this.version ? ` and deploys ${this.parameter} = ${this.version}` : ''}. See with: spryker-deploy status --env ${env}`;
    }
  }
}

/**
 * The one way a command prints its result on stdout: with --json one JSON document of the command's documented
 * shape (src/cli/README.md), else the text. Progress and warnings go to stderr, never here.
 */
function printResult(ctx: Context, json: () => unknown, text: () => string): void {
  ctx.io.stdout(ctx.values.json ? JSON.stringify(json(), null, 2) : text());
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

export function exitCodeOf(error: DeployError): number {
  // A start that failed for want of credentials is a credentials problem (exit 4), as for any other call.
  const cause = error.kind === 'start-failed' ? error.details.cause : undefined;
  if (cause instanceof DeployError && (cause.kind === 'not-signed-in' || cause.kind === 'credentials-expired')) return EXIT.credentials;
  switch (error.kind) {
    case 'invalid-input':
    case 'invalid-settings':
      return EXIT.usage;
    case 'not-signed-in':
    case 'credentials-expired':
      return EXIT.credentials;
    case 'cancelled':
      return EXIT.cancelled;
    default:
      return EXIT.failure;
  }
}

/**
 * The AWS ports, loaded on first use so that --help and bad input never pay for them. `status` reads through the
 * small JSON-protocol client (dist/lean.js) where it can do what the SDK would (static credentials, AWS's own or a
 * plain endpoint; src/aws/lean.ts), which keeps the SDK (dist/aws.js) off a status's path (#12); every other
 * command, and any environment the lean client cannot serve, uses the SDK. SPRYKER_DEPLOY_SDK=1 makes status use
 * the SDK too.
 */
function lazyFactory(io: CliIo, verbose: boolean, lean: boolean): () => AwsPortsFactory {
  let factory = io.portsFactory;
  const environment = (io.environment ?? process.env) as NodeJS.ProcessEnv;
  const options = verbose ? { logger: (line: string) => io.stderr(line) } : {};
  let sdk: SdkPortsFactory | undefined;
  const sdkFactory = () => (sdk ??= (require('../aws') as typeof import('../aws')).createAwsPortsFactory(options));
  return () => {
    if (!factory) {
      factory = lean && !environment.SPRYKER_DEPLOY_SDK ? (require('../aws/lean') as typeof import('../aws/lean')).createLeanPortsFactory(sdkFactory, options, environment) : sdkFactory();
    }
    return factory;
  };
}

function single(ctx: Context): EnvironmentConfig {
  const envs = ctx.environments();
  if (envs.length !== 1) {
    throw new DeployError('invalid-input', `Several environments are configured (${envs.map((e) => e.name).join(', ')}): choose one with --env.`);
  }
  return envs[0];
}

function noPositionals(ctx: Context): void {
  if (ctx.positionals.length > 0) throw new DeployError('invalid-input', `Unexpected argument "${ctx.positionals[0]}".`);
}

async function status(ctx: Context): Promise<number> {
  noPositionals(ctx);
  const envs = ctx.environments();
  const results = await Promise.all(
    envs.map((env) =>
      ctx
        .service(env)
        .status()
        .then((s) => ({ ok: true as const, env, status: s }))
        .catch((e: unknown) => ({ ok: false as const, env, error: toDeployError(e) })),
    ),
  );
  printResult(
    ctx,
    () => ({ environments: results.map((r) => (r.ok ? environmentJson(r.status) : failedEnvironmentJson(r.env.name, r.error))) }),
    () => results.map((r) => (r.ok ? statusText(r.status) : `${r.env.name}\n  ! ${oneLine(r.error.message)}`)).join('\n\n'),
  );
  const unreadable = results.filter((r) => r.ok && nothingRead(r.status));
  for (const r of unreadable) {
    if (!r.ok) continue;
    ctx.io.stderr(`spryker-deploy status: ${r.env.name}: nothing could be read (${r.status.errors.map((e) => `${e.part}: ${oneLine(e.message)}`).join('; ')})`);
  }
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) {
    const first = unreadable[0];
    if (!first?.ok) return EXIT.ok;
    const error = first.status.errors.find((e) => e.part === 'pipeline') ?? first.status.errors[0];
    return exitCodeOf(new DeployError(error.code, error.message));
  }
  const first = failed[0] as { env: EnvironmentConfig; error: DeployError };
  ctx.io.stderr(`spryker-deploy status: ${first.env.name}: ${oneLine(first.error.message)}`);
  return exitCodeOf(first.error);
}

/**
 * An environment of which no part could be read (an unreachable endpoint, an environment that does not exist,
 * every call failing): a status that would otherwise look like a quiet, never-deployed environment.
 */
function nothingRead(status: EnvironmentStatus): boolean {
  const failed = new Set(status.errors.map((e) => e.part));
  return failed.has('pipeline') && failed.has('services') && status.desiredVersion === undefined && status.lastDeployedVersion === undefined;
}

async function confirmProduction(ctx: Context, env: EnvironmentConfig, what: string): Promise<void> {
  if (!env.production || ctx.values.yes) return;
  if (!ctx.io.isTTY) {
    throw new DeployError('invalid-input', `${env.name} is production: pass --yes to ${what} without a terminal.`);
  }
  const answer = await ctx.io.ask(`${env.name} is production. To ${what}, type the environment name: `);
  if (answer.trim() !== env.name) throw new DeployError('cancelled', `Not confirmed: nothing was done on ${env.name}.`);
}

/** --poll in ms (checked with the other options before the command ran). */
function pollMs(ctx: Context): number {
  const raw = ctx.values.poll as string | undefined;
  return raw === undefined ? 5000 : Math.round(Number(raw) * 1000);
}

function progressPrinter(ctx: Context, env: EnvironmentConfig): (p: DeployProgress) => void {
  ctx.progress.environment(env);
  return (p) => {
    ctx.progress.record(p);
    switch (p.kind) {
      case 'checking':
        return ctx.io.stderr(p.message);
      case 'writing':
        return;
      case 'read-failed':
        return ctx.io.stderr(`  reading execution ${p.executionId} failed (${oneLine(p.message)}); retry ${p.attempt} of ${p.maxAttempts} in ${formatSeconds(p.retryInMs)}`);
      case 'parameter-written':
        return ctx.io.stderr(`${p.parameter} = ${p.version}${p.previous ? ` (was ${shortVersion(p.previous)})` : ''}`);
      case 'started':
        return ctx.io.stderr(`Started ${env.pipelines.normal}: execution ${p.executionId}`);
      case 'stage':
        return ctx.io.stderr(`  ${p.stage}: ${p.status ?? 'waiting'}`);
      case 'awaiting-approval':
        return ctx.io.stderr(
          `Waiting for approval in ${p.approval.stageName}${p.approval.version ? ` to deploy ${shortVersion(p.approval.version)}` : ''}: spryker-deploy approve --env ${env.name}`,
        );
      case 'finished':
        return ctx.io.stderr(`Execution ${p.executionId}: ${p.status}${p.summary ? ` (${p.summary})` : ''}`);
    }
  };
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** What deploy, rollback, approve and reject report: the execution and where it stands when the command ends. */
interface ExecutionOutcome {
  readonly executionId: string;
  /** `Started` (--no-follow), `AwaitingApproval`, or the execution's final status. */
  readonly status: string;
  readonly summary?: string;
  /** The version desired_version held when the execution stopped at its approval (what approving deploys). */
  readonly approvalVersion?: string;
}

async function followExecution(ctx: Context, env: EnvironmentConfig, service: EnvironmentService, executionId: string, stopAtApproval: boolean): Promise<ExecutionOutcome> {
  if (ctx.values['no-follow']) return { executionId, status: 'Started' };
  ctx.progress.following(executionId);
  let result: FollowResult;
  try {
    result = await service.follow(executionId, {
      onProgress: progressPrinter(ctx, env),
      pollMs: pollMs(ctx),
      stopAtApproval,
      signal: ctx.signal,
    });
  } catch (e) {
    const error = toDeployError(e);
    const next = `Follow it with: spryker-deploy status --env ${env.name} (or spryker-deploy approve --env ${env.name} when it waits for approval).`;
    if (error.kind === 'cancelled') throw new DeployError('cancelled', `Stopped following execution ${executionId} on ${env.name}; the deploy goes on in AWS. ${next}`);
    throw new DeployError(error.kind, `${error.message} ${next}`, error.details);
  }
  if (result.status === 'AwaitingApproval') {
    return { executionId, status: result.status, ...(result.summary ? { summary: result.summary } : {}), ...(result.approval?.version ? { approvalVersion: result.approval.version } : {}) };
  }
  if (result.status === 'Succeeded') return { executionId, status: result.status, ...(result.summary ? { summary: result.summary } : {}) };
  // Ended badly: say where and why in one line (the stage, the action, AWS's reason), and what to do next.
  const why = await endedWhy(env, service, executionId);
  ctx.io.stderr(`spryker-deploy ${ctx.command}: ${env.name}: execution ${executionId} ${why ?? result.status}${result.status === 'Failed' && why?.startsWith('Failed') ? `. Next: spryker-deploy logs --env ${env.name}; spryker-deploy retry --env ${env.name}; or spryker-deploy rollback --env ${env.name}` : ''}`);
  return { executionId, status: result.status, ...(why ? { summary: why } : result.summary ? { summary: result.summary } : {}) };
}

/** How the execution ended, from the pipeline state when it is still the latest one there (else unknown). */
async function endedWhy(env: EnvironmentConfig, service: EnvironmentService, executionId: string): Promise<string | undefined> {
  const status = await service.status().catch(() => undefined);
  const pipeline = status?.pipeline;
  if (!status || !pipeline?.outcome || pipeline.executionId !== executionId) return undefined;
  const failing = status.services.filter((s) => s.failedDeployment).map((s) => s.name);
  return `${describeOutcome(pipeline.outcome)}${failing.length > 0 ? ` (rolled back: ${failing.join(', ')}; ${env.cluster} runs ${status.lastDeployedVersion ? shortVersion(status.lastDeployedVersion) : 'the previous version'})` : ''}`;
}

async function retry(ctx: Context): Promise<number> {
  noPositionals(ctx);
  const env = single(ctx);
  const service = ctx.service(env);
  const executionId = ctx.values.execution as string | undefined;
  await confirmProduction(ctx, env, `retry the failed stage of ${executionId ?? 'the latest execution'}`);
  const retried = await service.retry(executionId);
  ctx.io.stderr(`Retrying ${retried.stage} of execution ${retried.executionId} on ${env.name}.`);
  const outcome = await followExecution(ctx, env, service, retried.executionId, false);
  printResult(
    ctx,
    () => ({ environment: env.name, executionId: retried.executionId, stage: retried.stage, status: outcome.status, summary: outcome.summary ?? null }),
    () => (outcome.status === 'Started' ? retried.executionId : `${retried.executionId} ${outcome.status}`),
  );
  return outcomeExit(outcome);
}

async function logs(ctx: Context): Promise<number> {
  noPositionals(ctx);
  const env = single(ctx);
  const log = await ctx.service(env).stageLog({
    ...(ctx.values.execution ? { executionId: ctx.values.execution as string } : {}),
    ...(ctx.values.stage ? { stage: ctx.values.stage as string } : {}),
  });
  ctx.io.stderr(`${log.stage} (${log.action}) of execution ${log.executionId}: ${log.logGroup ?? ''} ${log.logStream ?? ''}`.trim());
  printResult(
    ctx,
    () => ({ environment: env.name, executionId: log.executionId, stage: log.stage, action: log.action, buildId: log.buildId, logGroup: log.logGroup ?? null, logStream: log.logStream ?? null, lines: log.lines }),
    // Log lines come from the build: run() strips their terminal control characters, as for all human output.
    () => log.lines.join('\n'),
  );
  return EXIT.ok;
}

function outcomeExit(outcome: ExecutionOutcome): number {
  return ['Started', 'Succeeded', 'AwaitingApproval'].includes(outcome.status) ? EXIT.ok : EXIT.executionFailed;
}

/** The core's refusals say what to do in the extension's words; on the command line they name the option or command. */
function withCliNextStep(ctx: Context, env: EnvironmentConfig, e: unknown): unknown {
  if (!(e instanceof DeployError)) return e;
  if (e.kind === 'missing-images' && ctx.command === 'deploy') {
    return new DeployError(e.kind, `${e.message} Or deploy anyway with --allow-missing-images: the pipeline's Build_and_Prepare stage builds the images first, which takes longer.`, e.details);
  }
  if (e.kind === 'execution-active') {
    return new DeployError(
      e.kind,
      `${e.message} Nothing was written. Let it finish (spryker-deploy status --env ${env.name}); if it waits for approval: spryker-deploy approve --env ${env.name} or spryker-deploy reject --env ${env.name}; or add --supersede.`,
      e.details,
    );
  }
  return e;
}

async function deployVersion(ctx: Context, env: EnvironmentConfig, service: EnvironmentService, version: string, what: string, running?: string): Promise<number> {
  if (isVersion(version)) {
    // The deployed version costs one AWS read; worth it only when the local repository can compare at all.
    const local = await createCliGit(ctx.io.cwd).commit(version).catch(() => undefined);
    if (!local) ctx.io.stderr(`Risk: unknown (the repository in ${ctx.io.cwd} lacks ${shortVersion(version)}).`);
    else await printRisk(ctx, running ?? (await service.preflight(version)).lastDeployedVersion, version);
  }
  await confirmProduction(ctx, env, what);
  const start = () =>
    service
      .deploy(version, {
        supersede: Boolean(ctx.values.supersede),
        allowMissingImages: Boolean(ctx.values['allow-missing-images']),
        onProgress: progressPrinter(ctx, env),
        signal: ctx.signal,
      })
      .catch((e: unknown) => {
        throw withCliNextStep(ctx, env, e);
      });
  const follow = async (started: DeployStarted): Promise<ExecutionOutcome> => {
    // A Ctrl-C while the write and the start were in flight: both are done now; stop here and say where things stand.
    if (ctx.signal.aborted) {
      throw new DeployError(
        'cancelled',
        `Stopped after the writes: ${env.parameters.desiredVersion} = ${started.version} and execution ${started.executionId} started; the deploy goes on in AWS. Follow it with: spryker-deploy status --env ${env.name}`,
      );
    }
    const outcome = await followExecution(ctx, env, service, started.executionId, !ctx.values.wait && !ctx.values.maintenance);
    if (outcome.approvalVersion && outcome.approvalVersion !== started.version) {
      // Another deploy wrote desired_version after this one started: approving would deploy its version.
      throw new DeployError(
        'concurrent-deploy',
        `${env.parameters.desiredVersion} holds ${outcome.approvalVersion} now, not ${started.version}: another deploy wrote it. Execution ${outcome.executionId} waits for approval and approving it deploys ${outcome.approvalVersion}.`,
      );
    }
    return outcome;
  };
  let started: DeployStarted;
  let outcome: ExecutionOutcome;
  if (ctx.values.maintenance) {
    if (ctx.values['no-follow']) throw new DeployError('invalid-input', '--maintenance follows the deploy to its end to switch maintenance off: it cannot be combined with --no-follow.');
    // A deploy that would be refused is refused before maintenance mode is switched on for nothing.
    if (!ctx.values.supersede) {
      const active = (await service.preflight(version)).activeExecution;
      if (active) {
        throw new DeployError(
          'execution-active',
          `${env.pipelines.normal} already has execution ${active.executionId} in progress (running or waiting for approval): nothing was switched and nothing deployed. Add --supersede to deploy ${shortVersion(version)} anyway.`,
        );
      }
    }
    const done = await deployInMaintenance(service, { start, follow }, { onStep: maintenanceStepPrinter(ctx, env, version), pollMs: pollMs(ctx), signal: ctx.signal });
    started = done.started;
    // The CLI's follow ends only at the end of the execution (or throws): there is always an outcome.
    outcome = done.followed ?? { executionId: done.started.executionId, status: 'Started' };
    if (done.maintenance.kind === 'left-on') ctx.io.stderr(`Maintenance mode of ${env.name} stays ON: ${done.maintenance.reason} ${maintenanceOffHint(env)}`);
  } else {
    started = await start();
    outcome = await follow(started);
  }
  printResult(
    ctx,
    () => ({
      environment: env.name,
      version: started.version,
      previousDesiredVersion: started.previousDesiredVersion ?? null,
      executionId: outcome.executionId,
      status: outcome.status,
      summary: outcome.summary ?? null,
    }),
    () => (outcome.status === 'Started' ? outcome.executionId : `${outcome.executionId} ${outcome.status}`),
  );
  return outcomeExit(outcome);
}

async function deploy(ctx: Context): Promise<number> {
  if (ctx.positionals.length !== 1) throw new DeployError('invalid-input', 'Usage: spryker-deploy deploy <sha> — give exactly one full 40-character commit hash.');
  const input = ctx.positionals[0];
  // Bad input is refused before anything is read or written.
  if (input.trim().toLowerCase() !== 'latest') parseVersion(input);
  const env = single(ctx);
  const service = ctx.service(env);
  return deployVersion(ctx, env, service, input, `deploy ${shortVersion(input)}`);
}

/**
 * The approval to decide. When several approval actions wait in the stage (QA and product owner) and none was
 * named, a terminal asks which; without one the user must name it: deciding someone else's approval by default
 * would be wrong.
 */
async function pickApproval(ctx: Context, service: EnvironmentService, action: string | undefined): Promise<ApprovalDetails | undefined> {
  const details = await service.approvalDetails(action);
  const waiting = details?.waiting ?? [];
  if (!details || action !== undefined || waiting.length < 2) return details;
  const names = waiting.map((a) => a.actionName);
  if (!ctx.io.isTTY) {
    throw new DeployError('invalid-input', `${names.length} approvals wait in ${details.approval.stageName} (${names.join(', ')}): pass --action <name> to say which one you decide.`);
  }
  const answer = (await ctx.io.ask(`${names.length} approvals wait in ${details.approval.stageName}: ${names.map((n, i) => `${i + 1}) ${n}`).join('  ')}. Which one? `)).trim();
  const chosen = /^\d+$/.test(answer) ? names[Number(answer) - 1] : names.find((n) => n === answer);
  if (!chosen) throw new DeployError('cancelled', `"${answer}" is none of ${names.join(', ')}: nothing was decided.`);
  return chosen === details.approval.actionName ? details : service.approvalDetails(chosen);
}

async function decide(ctx: Context, decision: 'Approved' | 'Rejected'): Promise<number> {
  noPositionals(ctx);
  const env = single(ctx);
  const service = ctx.service(env);
  const details = await pickApproval(ctx, service, ctx.values.action as string | undefined);
  if (!details) throw new DeployError('no-pending-approval', `No approval is waiting in ${env.pipelines.normal}.`);
  const c = details.comparison;
  // The pipeline reads desired_version again after the approval: what it holds now is what will deploy, whatever
  // the comparison log printed before (another deploy may have written it since).
  const deploys = details.desiredVersion ?? details.approval.version ?? c?.deploymentVersion;
  const several = (details.waiting?.length ?? 1) > 1;
  ctx.io.stderr(`Execution ${details.approval.executionId} waits in ${details.approval.stageName}${several ? ` for ${details.approval.actionName}` : ''}.`);
  ctx.io.stderr(`  deploys         ${deploys ?? 'unknown'}${details.desiredVersion ? ` (${env.parameters.desiredVersion} now)` : ''}`);
  ctx.io.stderr(`  deployed now    ${c?.latestDeployedVersion ?? details.lastDeployedVersion ?? 'unknown'}`);
  if (c?.deploymentVersion && deploys && c.deploymentVersion !== deploys) {
    ctx.io.stderr(`  ! the comparison log shows ${c.deploymentVersion}, but ${env.parameters.desiredVersion} now holds ${deploys}: approving deploys ${deploys}`);
  }
  if (details.comparisonError) ctx.io.stderr(`  (version comparison: ${details.comparisonError})`);
  await printRisk(ctx, details.lastDeployedVersion ?? c?.latestDeployedVersion, deploys);
  const verb = decision === 'Approved' ? 'approve' : 'reject';
  await confirmProduction(ctx, env, `${verb} the deployment of ${shortVersion(deploys)}`);
  ctx.progress.deciding();
  const recorded = await service.decide(details.approval, decision, (ctx.values.comment as string | undefined) ?? '');
  if (recorded.note) ctx.io.stderr(recorded.note);
  ctx.io.stderr(`${decision} execution ${details.approval.executionId}${several ? ` (${details.approval.actionName})` : ''}.`);
  const deployed = details.lastDeployedVersion ?? c?.latestDeployedVersion;
  if (decision === 'Rejected' && details.desiredVersion && deployed && details.desiredVersion !== deployed) {
    // Nothing was deployed, but desired_version keeps the rejected version: the next pipeline run would deploy it.
    ctx.io.stderr(
      `${env.parameters.desiredVersion} still holds ${shortVersion(details.desiredVersion)}, the version just rejected; ${shortVersion(deployed)} is deployed, and the next run of ${env.pipelines.normal} deploys what ${env.parameters.desiredVersion} holds. Put it back with: ${restoreCommand(env)}`,
    );
  }
  const outcome: ExecutionOutcome = ctx.values.wait
    ? await followExecution(ctx, env, service, details.approval.executionId, false)
    : { executionId: details.approval.executionId, status: decision };
  printResult(
    ctx,
    () => ({
      environment: env.name,
      executionId: outcome.executionId,
      decision,
      action: details.approval.actionName,
      version: deploys ?? null,
      status: outcome.status,
      summary: outcome.summary ?? null,
    }),
    () => `${outcome.executionId} ${outcome.status}`,
  );
  return outcome.status === decision ? EXIT.ok : outcomeExit(outcome);
}

function restoreCommand(env: EnvironmentConfig): string {
  return `spryker-deploy restore --env ${env.name}`;
}

/**
 * Puts desired_version back to the deployed version after a deploy that did not happen (rejected, failed, expired,
 * stopped), as the extension's Restore does, so that the next pipeline run does not deploy it by surprise. It
 * writes nothing else, and nothing while an execution runs or waits: that one deploys what desired_version holds
 * when it builds, so writing it would change what it deploys.
 */
async function restore(ctx: Context): Promise<number> {
  noPositionals(ctx);
  const env = single(ctx);
  const service = ctx.service(env);
  const parameter = env.parameters.desiredVersion;
  const s = await service.status();
  const unread = s.errors.find((e) => e.part === 'parameters' || e.part === 'pipeline');
  if (unread && (s.lastDeployedVersion === undefined || s.pipeline === undefined)) {
    throw new DeployError(unread.code, `${env.name}: ${asSentence(unread.message)} Nothing was changed.`);
  }
  const deployed = s.lastDeployedVersion;
  if (!deployed) throw new DeployError('not-found', `${env.name} has no deployed version to put ${parameter} back to. Nothing was changed.`);
  const p = s.pipeline;
  const active = p?.pendingApproval?.executionId ?? (p?.status === 'InProgress' ? p.executionId : undefined) ?? p?.queued?.[0]?.executionId;
  if (p && active) {
    throw new DeployError(
      'execution-active',
      `Execution ${active} of ${p.name} ${p.pendingApproval ? 'waits for approval' : 'runs'} and deploys what ${parameter} holds when it builds: putting it back now would change what it deploys. Nothing was changed. ${p.pendingApproval ? `Reject it first (spryker-deploy reject --env ${env.name}) or let it end.` : 'Let it end first.'}`,
    );
  }
  const previous = s.desiredVersion;
  const result = (changed: boolean) => () => ({ environment: env.name, parameter, version: deployed, previous: previous ?? null, changed });
  if (previous === deployed) {
    printResult(ctx, result(false), () => `${parameter} of ${env.name} already holds the deployed version, ${deployed}. Nothing was changed.`);
    return EXIT.ok;
  }
  await confirmProduction(ctx, env, `put ${parameter} back to ${shortVersion(deployed)}`);
  ctx.progress.restoring(env, deployed, previous);
  await service.restoreDesiredVersion(deployed);
  printResult(ctx, result(true), () => `${parameter} = ${deployed} (was ${previous ? shortVersion(previous) : 'not set'}), the deployed version; nothing was deployed.`);
  return EXIT.ok;
}

async function rollback(ctx: Context): Promise<number> {
  noPositionals(ctx);
  const env = single(ctx);
  const service = ctx.service(env);
  const to = ctx.values.to as string | undefined;
  if (to !== undefined) parseVersion(to);
  const list = ctx.values.list === true;
  // The list names who deployed each version: the pipeline's history has the people, the parameter's only the
  // build role. A history that cannot be read leaves the names out, not the list.
  const [{ candidates, missing }, read] = await Promise.all([
    service.rollbackCandidates(),
    list ? service.history(20).then((entries) => ({ entries }), (e: unknown) => ({ entries: [], unread: toDeployError(e).message })) : { entries: [] },
  ]);
  const history: readonly HistoryEntry[] = read.entries;
  if (missing) ctx.io.stderr(`Warning: ${missing}`);
  if ('unread' in read) ctx.io.stderr(`Warning: who deployed each version is not shown: ${read.unread}`);
  if (list) {
    printResult(
      ctx,
      () => ({ environment: env.name, candidates: candidates.map((c) => candidateJson(c, deployedIn(history, c.version))), ...(missing ? { missing } : {}) }),
      () => candidates.map((c) => candidateText(c, deployedIn(history, c.version))).join('\n'),
    );
    return EXIT.ok;
  }
  const target = to !== undefined ? parseVersion(to) : candidates.find((c) => !c.current)?.version;
  if (!target) throw new DeployError('not-found', `No earlier deployed version of ${env.name} found to roll back to; pass --to <sha>.`);
  const known = candidates.find((c) => c.version === target);
  if (known?.current) ctx.io.stderr(`${shortVersion(target)} is the current version of ${env.name}.`);
  ctx.io.stderr(`Rolling ${env.name} back to ${target}${known?.deployedAt ? ` (deployed ${utcTimestamp(known.deployedAt)}${known.deployedBy ? ` by ${known.deployedBy}` : ''})` : ''}.`);
  return deployVersion(ctx, env, service, target, `roll back to ${shortVersion(target)}`, candidates.find((c) => c.current)?.version);
}

function riskRules(ctx: Context): RiskRules {
  const { rules, problems } = resolveRiskRules(loadConfig(ctx.values.config as string | undefined, ctx.io.cwd).risk);
  if (problems.length > 0) throw new DeployError('invalid-input', `Risk rules: ${problems.join(' ')}`);
  return rules;
}

async function diff(ctx: Context): Promise<number> {
  if (ctx.positionals.length !== 2) throw new DeployError('invalid-input', 'Usage: spryker-deploy diff <from-sha> <to-sha> — give two full 40-character commit hashes.');
  const [from, to] = ctx.positionals.map((p) => parseVersion(p));
  const rules = riskRules(ctx);
  const repo = resolvePath(ctx.io.cwd, (ctx.values.repo as string | undefined) ?? '.');
  const git = createCliGit(repo);
  const [fromCommit, toCommit] = await Promise.all([git.commit(from), git.commit(to)]);
  const missing = [fromCommit ? undefined : from, toCommit ? undefined : to].filter((v): v is string => v !== undefined);
  if (missing.length > 0) throw new DeployError('not-found', `${repo} does not have ${missing.map((v) => shortVersion(v)).join(' and ')}: fetch, or pass --repo <path>.`);
  const [assessment, commits, files] = await Promise.all([assessChange(git, from, to, rules), git.commitsBetween(from, to), git.changedFiles(from, to)]);
  if (!assessment || !commits || !files) throw new DeployError('not-found', `git could not compare ${shortVersion(from)} with ${shortVersion(to)} in ${repo}.`);
  const result: DiffResult = {
    from,
    to,
    ...(fromCommit ? { fromCommit } : {}),
    ...(toCommit ? { toCommit } : {}),
    commits,
    files,
    risk: assessment.summary,
    ...(assessment.rollbackWarning ? { rollbackWarning: assessment.rollbackWarning } : {}),
  };
  printResult(ctx, () => diffJson(result), () => diffText(result));
  return EXIT.ok;
}

/**
 * Before a deploy, rollback or approval: what kind of change it is, read from the repository in the current
 * directory. Never fails the command: a repository that lacks a version gets one line saying so.
 */
async function printRisk(ctx: Context, running: string | undefined, target: string | undefined): Promise<void> {
  if (!isVersion(running) || !isVersion(target) || running === target) return;
  let rules: RiskRules;
  try {
    rules = riskRules(ctx);
  } catch (e) {
    ctx.io.stderr(`Risk: not assessed (${oneLine((e as Error).message)})`);
    return;
  }
  const assessment = await assessChange(createCliGit(ctx.io.cwd), running, target, rules).catch(() => undefined);
  if (!assessment) {
    ctx.io.stderr(`Risk: unknown (the repository in ${ctx.io.cwd} lacks ${shortVersion(running)} or ${shortVersion(target)}).`);
    return;
  }
  ctx.io.stderr(riskLine(assessment.summary) ?? 'Risk: nothing risky changed (no schema, module, deploy or configuration change).');
  if (assessment.rollbackWarning) ctx.io.stderr(assessment.rollbackWarning);
}

/** A named environment: its configured entry, or the Spryker defaults for the name; the flags win as for --env. */
function named(ctx: Context, name: string): EnvironmentConfig {
  const config = loadConfig(ctx.values.config as string | undefined, ctx.io.cwd);
  return selectEnvironments(config, {
    env: name,
    ...(ctx.values.profile ? { profile: ctx.values.profile as string } : {}),
    ...(ctx.values.region ? { region: ctx.values.region as string } : {}),
    ...(ctx.values.endpoint ? { endpoint: ctx.values.endpoint as string } : {}),
  })[0];
}

function configuredEnvironments(ctx: Context): EnvironmentConfig[] {
  const config = loadConfig(ctx.values.config as string | undefined, ctx.io.cwd);
  return config.environments.length === 0 ? [] : selectEnvironments(config, {});
}

/** Where `source` promotes to: --to, else the setting or the staging → prod naming; with nothing configured, the name alone. */
function promotionTargetOf(ctx: Context, source: string): string {
  const explicit = ctx.values.to as string | undefined;
  if (explicit) return explicit;
  const configured = configuredEnvironments(ctx);
  const target = promotionTarget(configured.length > 0 ? configured : [named(ctx, source), named(ctx, source.replace(/(^|[-_.])(staging|stage|stg)(?=$|[-_.])/i, '$1prod'))], source);
  if (!target) throw new DeployError('invalid-input', `${source} promotes to no environment: pass --to <env> or set "promotesTo" for it.`);
  return target;
}

interface GitComparison {
  readonly sourceOnly: readonly CommitInfo[];
  readonly targetOnly: readonly CommitInfo[];
  readonly files: readonly ChangedFile[];
  readonly risk?: ChangeAssessment;
}

async function gitComparison(ctx: Context, targetVersion: string | undefined, sourceVersion: string | undefined): Promise<GitComparison | undefined> {
  if (!isVersion(targetVersion) || !isVersion(sourceVersion)) return undefined;
  const git = createCliGit(resolvePath(ctx.io.cwd, (ctx.values.repo as string | undefined) ?? '.'));
  const [sourceOnly, targetOnly, files] = await Promise.all([
    git.commitsBetween(targetVersion, sourceVersion).catch(() => undefined),
    git.commitsBetween(sourceVersion, targetVersion).catch(() => undefined),
    git.changedFiles(targetVersion, sourceVersion).catch(() => undefined),
  ]);
  if (!sourceOnly || !targetOnly || !files) return undefined;
  const risk = await assessChange(git, targetVersion, sourceVersion, riskRules(ctx)).catch(() => undefined);
  return { sourceOnly, targetOnly, files, ...(risk ? { risk } : {}) };
}

async function compare(ctx: Context): Promise<number> {
  if (ctx.positionals.length !== 0 && ctx.positionals.length !== 2) throw new DeployError('invalid-input', 'Usage: spryker-deploy compare [<source-env> <target-env>] — name both environments, or none.');
  let [sourceName, targetName] = ctx.positionals;
  if (!sourceName) {
    const configured = configuredEnvironments(ctx);
    const source = configured.find((e) => promotionTarget(configured, e.name) !== undefined);
    if (!source) throw new DeployError('invalid-input', 'No configured environment promotes to another: name the two environments to compare.');
    sourceName = source.name;
    targetName = promotionTarget(configured, source.name)!;
  }
  if (sourceName === targetName) throw new DeployError('invalid-input', `Compare two different environments (got ${sourceName} twice).`);
  const [source, target] = await Promise.all([ctx.service(named(ctx, sourceName)).status(), ctx.service(named(ctx, targetName!)).status()]);
  const comparison = compareEnvironments(source, target);
  const git = await gitComparison(ctx, comparison.targetVersion, comparison.sourceVersion);
  printResult(ctx, () => comparisonJson(comparison, git), () => comparisonText(comparison, git));
  return EXIT.ok;
}

function commitJson(c: CommitInfo) {
  return { sha: c.sha, subject: c.subject, author: c.author, date: c.date && !Number.isNaN(c.date.getTime()) ? c.date.toISOString() : null };
}

function comparisonJson(c: EnvironmentComparison, git: GitComparison | undefined) {
  return {
    source: c.source,
    target: c.target,
    sourceVersion: c.sourceVersion ?? null,
    targetVersion: c.targetVersion ?? null,
    sameVersion: c.sameVersion,
    services: c.services.map((s) => ({ role: s.role, source: s.source ?? null, target: s.target ?? null, same: s.same })),
    commits: git ? { sourceOnly: git.sourceOnly.map(commitJson), targetOnly: git.targetOnly.map(commitJson) } : null,
    files: git ? git.files.map((f) => ({ path: f.path, status: f.status, previousPath: f.previousPath ?? null })) : null,
    risk: git?.risk ? { line: riskLine(git.risk.summary) ?? null, rollbackWarning: git.risk.rollbackWarning ?? null, categories: git.risk.summary.categories } : null,
    unknown: c.unknown,
  };
}

function comparisonText(c: EnvironmentComparison, git: GitComparison | undefined): string {
  const width = Math.max(c.source.length, c.target.length);
  const lines = [`${c.source.padEnd(width)}  ${shortVersion(c.sourceVersion) || 'unknown'}`, `${c.target.padEnd(width)}  ${shortVersion(c.targetVersion) || 'unknown'}`];
  if (c.sameVersion) lines.push('Both run the same version.');
  else if (!git) lines.push('Commits and files: unknown (the local repository lacks a version; fetch, or pass --repo <path>).');
  else {
    lines.push(`${c.source} has ${git.sourceOnly.length} commit(s) ${c.target} lacks${git.sourceOnly.length ? ':' : '.'}`);
    for (const x of git.sourceOnly.slice(0, 20)) lines.push(`  ${shortVersion(x.sha)} ${x.subject}`);
    lines.push(`${c.target} has ${git.targetOnly.length} commit(s) ${c.source} lacks${git.targetOnly.length ? ':' : '.'}`);
    for (const x of git.targetOnly.slice(0, 20)) lines.push(`  ${shortVersion(x.sha)} ${x.subject}`);
    lines.push(`${git.files.length} file(s) differ.`);
    if (git.risk) {
      lines.push(`Promoting ${c.source} → ${c.target}: ${riskLine(git.risk.summary) ?? 'nothing risky changes.'}`);
      if (git.risk.rollbackWarning) lines.push(git.risk.rollbackWarning);
    }
  }
  lines.push('Services:');
  const roleWidth = Math.max(...c.services.map((s) => s.role.length), 4);
  const versions = (v: readonly string[] | undefined) => (v === undefined ? '—' : v.length === 0 ? 'nothing running' : v.map((x) => shortVersion(x)).join('+'));
  for (const s of c.services) lines.push(`  ${s.role.padEnd(roleWidth)}  ${versions(s.source).padEnd(12)}  ${versions(s.target)}${s.same ? '' : '  (differs)'}`);
  for (const u of c.unknown) lines.push(`! ${u}`);
  return lines.join('\n');
}

async function promote(ctx: Context): Promise<number> {
  noPositionals(ctx);
  const from = ctx.values.from as string | undefined;
  if (!from) throw new DeployError('invalid-input', 'Usage: spryker-deploy promote --from <env> [--to <env>] — name the environment whose version to promote.');
  const to = promotionTargetOf(ctx, from);
  if (to === from) throw new DeployError('invalid-input', `Promote between two different environments (got ${from} twice).`);
  const sourceEnv = named(ctx, from);
  const targetEnv = named(ctx, to);
  const targetService = ctx.service(targetEnv);
  const [source, target] = await Promise.all([ctx.service(sourceEnv).status(), targetService.status()]);
  const plan = planPromotion(source, target, { supersede: Boolean(ctx.values.supersede) });
  if (!plan.ok) throw new DeployError('promotion-refused', `Refused to promote ${from} → ${to}, nothing was changed: ${plan.reasons.join(' ')}`);
  const git = await gitComparison(ctx, plan.targetVersion, plan.version);
  ctx.io.stderr(`Promoting ${from} → ${to}: ${shortVersion(plan.targetVersion) || 'nothing deployed'} → ${plan.version}${git ? ` (${git.sourceOnly.length} commit(s) ${to} lacks, ${git.files.length} file(s) differ)` : ''}.`);
  return deployVersion(ctx, targetEnv, targetService, plan.version, `promote ${shortVersion(plan.version)} from ${from}`, plan.targetVersion);
}

async function switchMaintenance(ctx: Context, env: EnvironmentConfig, service: EnvironmentService, mode: MaintenanceMode): Promise<MaintenanceSwitch> {
  const pipeline = mode === 'on' ? env.pipelines.maintenanceEnable : env.pipelines.maintenanceDisable;
  const result = await service.setMaintenance(mode, {
    wait: !ctx.values['no-follow'],
    pollMs: pollMs(ctx),
    ...(ctx.io.signal ? { signal: ctx.io.signal } : {}),
    onProgress: (p) => {
      if (p.kind === 'started') ctx.io.stderr(`Switching maintenance mode of ${env.name} ${mode}: started ${pipeline}, execution ${p.executionId}`);
      if (p.kind === 'finished') ctx.io.stderr(`${pipeline}: ${p.status}${p.summary ? ` (${p.summary})` : ''}`);
    },
  });
  if (result.already) ctx.io.stderr(`Maintenance mode of ${env.name} is already ${mode}; nothing was started.`);
  return result;
}

function maintenanceOffHint(env: EnvironmentConfig): string {
  return `Switch it off with: spryker-deploy maintenance off --env ${env.name}`;
}

/** Says each step of a deploy in maintenance mode on stderr. */
function maintenanceStepPrinter(ctx: Context, env: EnvironmentConfig, version: string): (step: MaintenanceDeployStep) => void {
  return (step) => {
    switch (step.kind) {
      case 'enabling':
        return ctx.io.stderr(`Switching maintenance mode of ${env.name} on (${step.pipeline})…`);
      case 'enabled':
        return ctx.io.stderr(step.already ? `Maintenance mode of ${env.name} is already on; nothing was started.` : `Maintenance mode of ${env.name} is on (execution ${step.executionId ?? '?'}).`);
      case 'deploying':
        return ctx.io.stderr(`Deploying ${shortVersion(version)} to ${env.name} in maintenance mode.`);
      case 'disabling':
        return ctx.io.stderr(
          step.because === 'deployed'
            ? `Deployed: switching maintenance mode of ${env.name} off (${step.pipeline})…`
            : `The deploy did not start: switching maintenance mode of ${env.name} back off (${step.pipeline})…`,
        );
      case 'disabled':
        return ctx.io.stderr(`Maintenance mode of ${env.name} is off.`);
    }
  };
}

async function maintenanceCommand(ctx: Context): Promise<number> {
  const [what, ...rest] = ctx.positionals;
  if ((what !== 'on' && what !== 'off' && what !== 'status') || rest.length > 0) {
    throw new DeployError('invalid-input', 'Usage: spryker-deploy maintenance on|off|status [--env <name>]');
  }
  const env = single(ctx);
  const service = ctx.service(env);
  if (what === 'status') {
    const state = await service.maintenance();
    printResult(ctx, () => ({ environment: env.name, maintenance: state }), () => `${env.name}: maintenance ${describeMaintenance(state, utcTimestamp)}`);
    return state.kind === 'unknown' ? EXIT.failure : EXIT.ok;
  }
  await confirmProduction(ctx, env, `switch maintenance mode ${what}`);
  const result = await switchMaintenance(ctx, env, service, what);
  printResult(
    ctx,
    () => ({ environment: env.name, mode: result.mode, pipeline: result.pipeline, already: result.already, executionId: result.executionId ?? null, status: result.status ?? (result.already ? null : 'Started'), summary: result.summary ?? null }),
    () => (result.already ? `already ${result.mode}` : `${result.executionId} ${result.status ?? 'Started'}`),
  );
  return result.already || result.status === undefined || result.status === 'Succeeded' ? EXIT.ok : EXIT.executionFailed;
}

async function history(ctx: Context): Promise<number> {
  noPositionals(ctx);
  const env = single(ctx);
  const raw = ctx.values.max as string | undefined;
  const max = raw === undefined ? 20 : Number(raw);
  if (!Number.isInteger(max) || max < 1 || max > 100) throw new DeployError('invalid-input', `--max must be a whole number from 1 to 100 (got "${raw}").`);
  const entries = await ctx.service(env).history(max);
  // Commit subjects come from the local repository; a version it lacks is shown without one.
  const repo = resolvePath(ctx.io.cwd, (ctx.values.repo as string | undefined) ?? '.');
  const git = createCliGit(repo);
  const versions = [...new Set(entries.map((e) => e.version).filter((v): v is string => v !== undefined))];
  const subjects = new Map<string, string>();
  await Promise.all(
    versions.map(async (v) => {
      const c = await git.commit(v).catch(() => undefined);
      if (c) subjects.set(v, c.subject);
    }),
  );
  if (versions.length > 0 && subjects.size === 0 && !ctx.values.json) ctx.io.stderr(`Commit subjects not shown: ${repo} does not hold these versions (pass --repo <path>).`);
  const subjectOf = (e: (typeof entries)[number]) => (e.version ? subjects.get(e.version) : undefined);
  printResult(
    ctx,
    () => ({ environment: env.name, executions: entries.map((e) => historyJson(e, subjectOf(e))) }),
    () => (entries.length === 0 ? `${env.pipelines.normal} has never run.` : entries.map((e) => historyText(e, subjectOf(e))).join('\n')),
  );
  return EXIT.ok;
}

/**
 * The process around run(): stdout/stderr, the terminal's questions, Ctrl-C and the user's cache directory.
 * dist/cli.js (./bin) calls it once it knows a command is to run; from the sources, `tsx src/cli/main.ts`.
 */
export async function main(argv: readonly string[]): Promise<void> {
  // The SDK versions are pinned; its Node 22 notice would break the one-line-on-failure promise on stderr.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const listeners = new Set<(count: number) => 'exit' | 'continue'>();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts++;
    const answers = [...listeners].map((listener) => listener(interrupts));
    // Nothing in flight, or the second Ctrl-C: stop now. With no command listening, the standalone command (the
    // sandbox, which saves its state first) handles the signal itself.
    if (answers.includes('exit')) process.exit(EXIT.cancelled);
  });
  const code = await run(argv, {
    stdout: (t) => process.stdout.write(`${t}\n`),
    stderr: (t) => process.stderr.write(`${t}\n`),
    // Asked of the file descriptors: reading process.stdin.isTTY makes the stdin stream (a file or pipe reader
    // that loads Node's fs streams, ~5 ms of a status, #12), which only a question needs.
    isTTY: isatty(0) && isatty(2),
    ask: async (question) => {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        // A terminal in raw mode gives Ctrl-C to readline, not to the process: it answers the question as "no".
        return await new Promise<string>((resolve, reject) => {
          rl.once('SIGINT', () => {
            reject(new DeployError('cancelled', 'Not confirmed (Ctrl-C): nothing was done.'));
            process.kill(process.pid, 'SIGINT');
          });
          rl.question(question).then(resolve, reject);
        });
      } finally {
        rl.close();
      }
    },
    cwd: process.cwd(),
    interrupts: {
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    cacheDir: userCacheDir(),
  });
  process.exitCode = code;
}

if (require.main === module) void main(process.argv.slice(2));
