// The sandbox: one HTTP server on 127.0.0.1 that answers the AWS APIs of the deploy flow (awsJson1_1 on `POST /`)
// and a control API under /_sandbox/ for tests and the demo. Pure Node: it is bundled on its own (dist/sandbox.js)
// and loaded only when someone asks for a sandbox.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { codebuildService } from './codebuild';
import { createCodePipelineService } from './codepipeline';
import { commitsFromRepo, createWorld, DEFAULT_ACCOUNT_ID, DEFAULT_ENVIRONMENTS, DEFAULT_REGION, generatedCommits, APPROVAL_ACTION } from './defaultWorld';
import { ecrService } from './ecr';
import { ecsService } from './ecs';
import { checkFault, decideFaults, describeFault, type FaultRule } from './faults';
import { logsService } from './logs';
import { PipelineEngine } from './pipelineEngine';
import { AwsError, errorBody, parseBody, route, type Route, type ServiceDefinition } from './protocol';
import { verify, type Credentials } from './sigv4';
import { ssmService, parameterValue } from './ssm';
import { Ids, loadWorld, saveWorld, shiftPendingSteps, ShiftableClock, type Commit, type World } from './world';

export type { FaultRule } from './faults';
export { parseFault } from './faults';
export type { World } from './world';
export { APPROVAL_ACTION } from './defaultWorld';

export const CONTROL_PREFIX = '/_sandbox';

export interface SandboxOptions {
  /** 0 (default) = a free port. */
  readonly port?: number;
  /** Duration of one pipeline stage, seconds (default 2). */
  readonly stageSeconds?: number;
  /** A Git repository whose HEAD history becomes the commit history; generated commits otherwise. */
  readonly repo?: string;
  /** Saves the world to this file (debounced) and loads it on start when it exists. */
  readonly stateFile?: string;
  /** Appends one JSON line per AWS request to this file. */
  readonly logRequestsFile?: string;
  /** Faults active from the start: specs like `throttle:0.2` or rule objects. */
  readonly faults?: readonly (string | FaultRule)[];
  /** Environment names (default spryker-staging, spryker-prod). */
  readonly environments?: readonly string[];
  /** Makes ids and fault decisions repeat run after run. */
  readonly seed?: number;
  readonly credentials?: Credentials;
}

export interface RequestLogEntry {
  readonly time: string;
  readonly service: string;
  readonly operation: string;
  readonly status: number;
  readonly errorCode?: string;
  readonly ms: number;
}

export interface SandboxControl {
  faults(): readonly FaultRule[];
  /** Replaces all faults. */
  setFaults(faults: readonly (string | FaultRule)[]): void;
  addFault(fault: string | FaultRule): void;
  clearFaults(): void;
  stageSeconds(): number;
  setStageSeconds(seconds: number): void;
  /** Moves the sandbox clock forward; the pipelines do what they would have done meanwhile. */
  advance(ms: number): void;
  /** Back to a fresh default world (same commits, environments and options). */
  reset(): void;
}

export interface EnvironmentSummary {
  readonly name: string;
  readonly desiredVersion?: string;
  readonly lastDeployedVersion?: string;
  readonly pipelines: Record<string, { status?: string; executionId?: string; pendingApproval?: { stageName: string; actionName: string; token: string } }>;
  readonly services: Record<string, { images: string[]; deployments: { status: string; rolloutState: string; taskDefinition: string }[]; runningTasks: number }>;
}

export interface SandboxInspector {
  /** The live world (read it, don't change it: use the AWS APIs or the control handle). */
  world(): World;
  parameter(name: string): string | undefined;
  commits(): readonly Commit[];
  pendingApproval(pipelineName: string): { executionId: string; stageName: string; actionName: string; token: string } | undefined;
  summary(): EnvironmentSummary[];
}

export interface Sandbox {
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  readonly credentials: Credentials;
  readonly control: SandboxControl;
  readonly inspect: SandboxInspector;
  /** Requests since start (or the last clearRequests), oldest first; kept up to REQUEST_LOG_LIMIT. */
  requests(): readonly RequestLogEntry[];
  clearRequests(): void;
  stop(): Promise<void>;
}

export const REQUEST_LOG_LIMIT = 20_000;
const DEFAULT_CREDENTIALS: Credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const SAVE_DEBOUNCE_MS = 250;
const MAX_BODY_BYTES = 1024 * 1024;

class ControlError extends Error {}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const stageSeconds = options.stageSeconds ?? 2;
  if (!(stageSeconds > 0)) throw new Error('stageSeconds must be a positive number.');
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port ${options.port}.`);
  const credentials = options.credentials ?? DEFAULT_CREDENTIALS;
  const clock = new ShiftableClock();
  const ids = new Ids(options.seed);
  const faultRandom = new Ids(options.seed === undefined ? undefined : options.seed + 1);
  let faults: FaultRule[] = (options.faults ?? []).map(checkFault);

  const commits = options.repo ? commitsFromRepo(options.repo) : generatedCommits(clock.now());
  const freshWorld = (): World => createWorld({ environments: options.environments ?? DEFAULT_ENVIRONMENTS, commits, now: clock.now(), ids });
  let world = (options.stateFile ? loadWorld(options.stateFile) : undefined) ?? freshWorld();
  shiftPendingSteps(world, clock.now());

  // --- persistence and the engine's wake-up timer ---
  let saveTimer: NodeJS.Timeout | undefined;
  let wakeTimer: NodeJS.Timeout | undefined;
  const save = (): void => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    if (options.stateFile) saveWorld(options.stateFile, world, clock.now());
  };
  const changed = (): void => {
    if (!options.stateFile || saveTimer) return;
    saveTimer = setTimeout(save, SAVE_DEBOUNCE_MS);
    saveTimer.unref();
  };
  let engine = new PipelineEngine(world, clock, ids, { stageMs: stageSeconds * 1000, onChange: changed });
  let services: ServiceDefinition[] = [];
  const wire = (): void => {
    services = [ssmService, createCodePipelineService(engine), ecsService, ecrService, codebuildService, logsService];
  };
  wire();
  const scheduleWake = (): void => {
    if (wakeTimer) clearTimeout(wakeTimer);
    wakeTimer = undefined;
    const due = engine.nextDue();
    if (due === undefined) return;
    wakeTimer = setTimeout(
      () => {
        engine.sync();
        scheduleWake();
      },
      Math.min(Math.max(0, due - clock.now()), 2 ** 31 - 1),
    );
    wakeTimer.unref();
  };
  engine.sync();
  scheduleWake();

  // --- request log ---
  let requestLog: RequestLogEntry[] = [];
  const logStream = options.logRequestsFile ? fs.createWriteStream(options.logRequestsFile, { flags: 'a' }) : undefined;
  const record = (entry: RequestLogEntry): void => {
    requestLog.push(entry);
    if (requestLog.length > REQUEST_LOG_LIMIT) requestLog = requestLog.slice(-REQUEST_LOG_LIMIT / 2);
    logStream?.write(`${JSON.stringify(entry)}\n`);
  };

  const control: SandboxControl = {
    faults: () => [...faults],
    setFaults: (list) => {
      faults = list.map(checkFault);
    },
    addFault: (fault) => {
      faults = [...faults, checkFault(fault)];
    },
    clearFaults: () => {
      faults = [];
    },
    stageSeconds: () => engine.stageMs / 1000,
    setStageSeconds: (seconds) => {
      if (typeof seconds !== 'number' || !(seconds > 0) || seconds > 3600) throw new Error('Stage seconds must be a number above 0 and at most 3600.');
      engine.setStageMs(seconds * 1000);
      scheduleWake();
    },
    advance: (ms) => {
      if (typeof ms !== 'number' || !(ms >= 0) || ms > 365 * 24 * 3600_000) throw new Error('Advance takes a number of ms between 0 and a year.');
      clock.advance(ms);
      engine.sync();
      scheduleWake();
    },
    reset: () => {
      const stageMs = engine.stageMs;
      world = freshWorld();
      engine = new PipelineEngine(world, clock, ids, { stageMs, onChange: changed });
      wire();
      changed();
      scheduleWake();
    },
  };

  const inspect: SandboxInspector = {
    world: () => world,
    parameter: (name) => parameterValue(world, name),
    commits: () => world.commits,
    pendingApproval: (pipelineName) => {
      engine.sync();
      for (const e of world.executions[pipelineName] ?? []) {
        if (e.status !== 'InProgress' || e.phase !== 'approval') continue;
        const run = e.actions.find((a) => a.token && a.status === 'InProgress');
        if (run?.token) return { executionId: e.id, stageName: run.stageName, actionName: run.actionName, token: run.token };
      }
      return undefined;
    },
    summary: () => {
      engine.sync();
      return world.environments.map((env) => {
        const pipelines: EnvironmentSummary['pipelines'] = {};
        for (const name of Object.values(env.pipelines)) {
          const latest = world.executions[name]?.at(-1);
          const pending = inspect.pendingApproval(name);
          pipelines[name] = {
            status: latest?.status,
            executionId: latest?.id,
            pendingApproval: pending ? { stageName: pending.stageName, actionName: pending.actionName, token: pending.token } : undefined,
          };
        }
        const cluster = world.clusters[env.cluster];
        const servicesSummary: EnvironmentSummary['services'] = {};
        for (const s of cluster?.services ?? []) {
          const td = Object.values(world.taskDefinitions).flat().find((t) => t.arn === s.taskDefinition);
          servicesSummary[s.name] = {
            images: td?.containers.map((c) => c.image) ?? [],
            deployments: s.deployments.map((d) => ({ status: d.status, rolloutState: d.rolloutState, taskDefinition: d.taskDefinition })),
            runningTasks: cluster.tasks.filter((t) => t.service === s.name && t.lastStatus === 'RUNNING').length,
          };
        }
        return {
          name: env.name,
          desiredVersion: parameterValue(world, env.parameters.desiredVersion),
          lastDeployedVersion: parameterValue(world, env.parameters.lastDeployedVersion),
          pipelines,
          services: servicesSummary,
        };
      });
    },
  };

  // --- HTTP ---
  const readBody = (req: http.IncomingMessage): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY_BYTES) {
          reject(new AwsError('SerializationException', 'Request body too large.'));
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  const sendJson = (res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void => {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': String(Buffer.byteLength(body)),
      'x-amzn-requestid': ids.uuid(),
      ...headers,
    });
    res.end(body);
  };

  const handleAws = async (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> => {
    const started = performance.now();
    const target = req.headers['x-amz-target'];
    let routed: Route | undefined;
    let serviceName = 'unknown';
    let operation = typeof target === 'string' ? target.slice(target.lastIndexOf('.') + 1) : 'unknown';
    const finish = (status: number, errorCode?: string): void => {
      record({ time: new Date(clock.now()).toISOString(), service: serviceName, operation, status, ...(errorCode ? { errorCode } : {}), ms: Math.round((performance.now() - started) * 100) / 100 });
    };
    try {
      const prefix = typeof target === 'string' ? target.slice(0, target.lastIndexOf('.')) : '';
      const service = services.find((s) => s.targetPrefix === prefix);
      if (service) serviceName = service.signingName;
      const decision = decideFaults(faults, operation, () => faultRandom.random());
      if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
      if (decision.drop) {
        finish(0, 'ConnectionDropped');
        req.socket.destroy();
        return;
      }
      const caller = verify({ method: req.method ?? 'POST', url: req.url ?? '/', rawHeaders: req.rawHeaders, body }, credentials, world.region, service?.signingName ?? signingScopeService(req.headers.authorization));
      if (decision.expiredCredentials) throw new AwsError('ExpiredTokenException', 'The security token included in the request is expired');
      routed = route(services, typeof target === 'string' ? target : undefined);
      operation = routed.operation;
      if (decision.error) throw decision.error;
      const input = parseBody(body);
      engine.sync();
      const output = routed.handler(input, {
        world,
        now: clock.now(),
        ids,
        callerArn: `arn:aws:iam::${world.accountId}:user/${caller.accessKeyId}`,
        changed,
      });
      scheduleWake();
      sendJson(res, 200, JSON.stringify(output));
      finish(200);
    } catch (e) {
      const error = e instanceof AwsError ? e : new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
      if (!(e instanceof AwsError)) console.error(`[sandbox] ${operation} failed:`, e);
      sendJson(res, error.status, errorBody(error), { 'x-amzn-errortype': error.code });
      finish(error.status, error.code);
    }
  };

  const handleControl = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname.slice(CONTROL_PREFIX.length) || '/';
    const method = req.method ?? 'GET';
    const reply = (status: number, value: unknown): void => {
      const text = JSON.stringify(value);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
    };
    const json = (): Record<string, unknown> => {
      if (body.length === 0) return {};
      try {
        const v = JSON.parse(body.toString('utf8')) as unknown;
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
      } catch {
        // reported below
      }
      throw new ControlError('The body must be a JSON object.');
    };
    try {
      const key = `${method} ${path.replace(/\/$/, '') || '/'}`;
      switch (key) {
        case 'GET /':
        case 'GET /health':
          engine.sync();
          return reply(200, { ok: true, endpoint, region: world.region, accountId: world.accountId, stageSeconds: control.stageSeconds(), now: clock.now(), approvalAction: APPROVAL_ACTION });
        case 'GET /faults':
          return reply(200, { faults: control.faults().map((f) => ({ ...f, spec: describeFault(f) })) });
        case 'PUT /faults': {
          const list = json().faults;
          if (!Array.isArray(list)) throw new ControlError('PUT /faults takes {"faults": ["throttle:0.2", ...]}.');
          control.setFaults(list as (string | FaultRule)[]);
          return reply(200, { faults: control.faults() });
        }
        case 'POST /faults': {
          const fault = json().fault;
          if (fault === undefined) throw new ControlError('POST /faults takes {"fault": "throttle:0.2"}.');
          control.addFault(fault as string | FaultRule);
          return reply(200, { faults: control.faults() });
        }
        case 'DELETE /faults':
          control.clearFaults();
          return reply(200, { faults: [] });
        case 'GET /stage-seconds':
          return reply(200, { seconds: control.stageSeconds() });
        case 'PUT /stage-seconds':
          control.setStageSeconds(json().seconds as number);
          return reply(200, { seconds: control.stageSeconds() });
        case 'POST /advance': {
          const b = json();
          const ms = b.ms !== undefined ? b.ms : typeof b.seconds === 'number' ? b.seconds * 1000 : undefined;
          control.advance(ms as number);
          return reply(200, { now: clock.now() });
        }
        case 'GET /requests': {
          const since = Number(url.searchParams.get('since') ?? 0);
          return reply(200, { total: requestLog.length, requests: requestLog.slice(Number.isInteger(since) && since > 0 ? since : 0) });
        }
        case 'DELETE /requests':
          requestLog = [];
          return reply(200, { total: 0 });
        case 'GET /state':
          return reply(200, { environments: inspect.summary() });
        case 'GET /world':
          engine.sync();
          return reply(200, world);
        case 'POST /reset':
          control.reset();
          return reply(200, { environments: inspect.summary() });
        default:
          return reply(404, { error: `No control endpoint ${method} ${CONTROL_PREFIX}${path}. See src/sandbox/README.md.` });
      }
    } catch (e) {
      reply(400, { error: (e as Error).message });
    }
  };

  const server = http.createServer((req, res) => {
    readBody(req).then(
      (body) => {
        const path = (req.url ?? '/').split('?')[0];
        if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) return handleControl(req, res, body);
        if (req.method === 'POST' && path === '/') return handleAws(req, res, body);
        sendJson(res, 404, errorBody(new AwsError('UnknownOperationException', 'The sandbox answers awsJson1_1 requests on POST / only.')), { 'x-amzn-errortype': 'UnknownOperationException' });
      },
      (e: unknown) => {
        const error = e instanceof AwsError ? e : new AwsError('SerializationException', 'Could not read the request body.');
        if (!res.headersSent && !res.destroyed) sendJson(res, 400, errorBody(error), { 'x-amzn-errortype': error.code });
      },
    );
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${actualPort}`;
  if (options.stateFile) save();

  return {
    endpoint,
    port: actualPort,
    region: world.region ?? DEFAULT_REGION,
    accountId: world.accountId ?? DEFAULT_ACCOUNT_ID,
    credentials,
    control,
    inspect,
    requests: () => requestLog,
    clearRequests: () => {
      requestLog = [];
    },
    stop: async () => {
      if (wakeTimer) clearTimeout(wakeTimer);
      engine.sync();
      if (options.stateFile) save();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (logStream) await new Promise<void>((resolve) => logStream.end(resolve));
    },
  };
}

/** For a request whose target names no known service: the service its signature is scoped to. */
function signingScopeService(authorization: string | undefined): string {
  const match = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(authorization ?? '');
  return match?.[1] ?? '';
}
