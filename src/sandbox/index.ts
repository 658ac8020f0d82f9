// The sandbox: one HTTP server on 127.0.0.1 that answers the AWS APIs of the deploy flow (awsJson1_1 on `POST /`)
// and a control API under /_sandbox/ for tests and the demo. Pure Node: it is bundled on its own (dist/sandbox.js)
// and loaded only when someone asks for a sandbox.
//
// This file only composes the parts: the runtime (world, engine, wake-up timer), persistence (--state), the request
// log, the control handle and its HTTP API, the inspector, and the HTTP dispatch to the AWS services.
import { handleAwsRequest } from './awsDispatch';
import { createControl, FaultSet } from './control';
import { handleControlRequest } from './controlApi';
import { commitsFromRepo, createWorld, DEFAULT_ACCOUNT_ID, DEFAULT_ENVIRONMENTS, DEFAULT_REGION, generatedCommits } from './defaultWorld';
import { closeServer, createHttpServer, listen } from './httpServer';
import { createInspector } from './inspector';
import { WorldPersistence } from './persistence';
import { RequestLog } from './requestLog';
import { SandboxRuntime } from './runtime';
import { checkShapes } from './shapes';
import { checkScenario } from './scenarios';
import type { Credentials } from './sigv4';
import { StsSessions } from './sts';
import type { Sandbox, SandboxOptions } from './types';
import { Ids, loadWorld, shiftPendingSteps, ShiftableClock, type World } from './world';

export type { FaultRule } from './faults';
export { parseFault } from './faults';
export type { ScenarioRecord, World } from './world';
export { checkShapes, REAL_WORLD_SHAPES, type RealWorldShape } from './shapes';
export { APPROVAL_ACTION } from './defaultWorld';
export { CONTROL_PREFIX } from './controlApi';
export { REQUEST_LOG_LIMIT } from './requestLog';
export type { EnvironmentSummary, RequestLogEntry, Sandbox, SandboxControl, SandboxInspector, SandboxOptions } from './types';

const DEFAULT_CREDENTIALS: Credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const stageSeconds = options.stageSeconds ?? 2;
  if (!(stageSeconds > 0)) throw new Error('stageSeconds must be a positive number.');
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port ${options.port}.`);
  const credentials = options.credentials ?? DEFAULT_CREDENTIALS;
  const clock = new ShiftableClock();
  const ids = new Ids(options.seed);
  const faultRandom = new Ids(options.seed === undefined ? undefined : options.seed + 1);
  const faults = new FaultSet(options.faults ?? []);

  let commits = options.repo ? commitsFromRepo(options.repo) : generatedCommits(clock.now());
  const setCommitSource = (repo: string | null): void => {
    commits = repo === null ? generatedCommits(clock.now()) : commitsFromRepo(repo);
  };
  const startShapes = checkShapes(options.shapes ?? []);
  let shapes = startShapes;
  // A reset's shapes hold for the world it builds; a reset without them goes back to the shapes of the start.
  const setShapes = (list: readonly unknown[] | undefined): void => {
    shapes = list === undefined ? startShapes : checkShapes(list);
  };
  const freshWorld = (): World => createWorld({ environments: options.environments ?? DEFAULT_ENVIRONMENTS, commits, now: clock.now(), ids, shapes });
  const initialWorld = (options.stateFile ? loadWorld(options.stateFile) : undefined) ?? freshWorld();
  shiftPendingSteps(initialWorld, clock.now());
  if (options.scenarios) initialWorld.scenarios = options.scenarios.map((s) => checkScenario(initialWorld, s));

  // The runtime's world replaces itself on reset; persistence reads whichever is current when it saves.
  const persistence: WorldPersistence = new WorldPersistence(options.stateFile, () => ({ world: rt.world, now: clock.now() }));
  const rt: SandboxRuntime = new SandboxRuntime(clock, ids, initialWorld, stageSeconds * 1000, freshWorld, persistence.changed);
  rt.sync();
  rt.scheduleWake();

  const requestLog = new RequestLog(options.logRequestsFile, options.logRequestsMaxBytes);
  const sessions = new StsSessions();
  const control = createControl(rt, faults, setCommitSource, setShapes);
  const inspect = createInspector(rt);
  let endpoint = '';
  const server = createHttpServer({
    ids,
    control: (req, res, body) => handleControlRequest({ runtime: rt, control, inspect, requestLog, persistence, endpoint: () => endpoint }, req, res, body),
    aws: (req, res, body) => handleAwsRequest({ runtime: rt, faults, faultRandom, credentials, requestLog, sessions, persistence }, req, res, body),
  });
  // Written before listening: an unwritable --state path is an error at start, not a silent loss later.
  persistence.saveNow();
  const actualPort = await listen(server, port);
  endpoint = `http://127.0.0.1:${actualPort}`;

  return {
    endpoint,
    port: actualPort,
    region: rt.world.region ?? DEFAULT_REGION,
    accountId: rt.world.accountId ?? DEFAULT_ACCOUNT_ID,
    credentials,
    control,
    inspect,
    requests: () => requestLog.entries(),
    clearRequests: () => requestLog.clear(),
    stop: async () => {
      rt.cancelWake();
      try {
        rt.sync();
        persistence.saveNow();
      } finally {
        await closeServer(server);
        await requestLog.close();
      }
    },
  };
}
