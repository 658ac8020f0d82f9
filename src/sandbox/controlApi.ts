// The control API: JSON over the sandbox's port under /_sandbox/, for the test harness, the demo and
// `npm run sandbox` users. Not an AWS operation: it never reaches the AWS router.
//
// Guarded against web pages: any page the user opens can send a "simple" cross-site request (a form or a
// text/plain fetch) to 127.0.0.1, and a DNS-rebinding page can even read answers. So every request must name the
// sandbox's own host (127.0.0.1 or localhost with its port), and every request that changes something must carry
// the CONTROL_HEADER and, with a body, a JSON content type: a browser sends neither cross-site without a CORS
// preflight, which the sandbox never grants.
import type * as http from 'node:http';
import { APPROVAL_ACTION } from './defaultWorld';
import { describeFault, type FaultRule } from './faults';
import type { WorldPersistence } from './persistence';
import type { RequestLog } from './requestLog';
import type { SandboxRuntime } from './runtime';
import { describeScenario } from './scenarios';
import { checkShapes } from './shapes';
import type { ScenarioRecord } from './world';
import type { SandboxControl, SandboxInspector } from './types';

export const CONTROL_PREFIX = '/_sandbox';
/** Required on every control request that changes something (any value). */
export const CONTROL_HEADER = 'x-sandbox-control';

class ControlError extends Error {}

export interface ControlApiDeps {
  readonly runtime: SandboxRuntime;
  readonly control: SandboxControl;
  readonly inspect: SandboxInspector;
  readonly requestLog: RequestLog;
  readonly persistence: WorldPersistence;
  readonly endpoint: () => string;
}

export function isControlPath(path: string): boolean {
  return path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
}

/** Why a control request is refused, or undefined when it may go ahead. */
export function controlRequestRefusal(req: http.IncomingMessage, endpoint: string, body: Buffer): string | undefined {
  const port = new URL(endpoint).port;
  const host = req.headers.host;
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return `The control API answers requests to 127.0.0.1:${port} or localhost:${port} only.`;
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return undefined;
  if (req.headers[CONTROL_HEADER] === undefined) return `${method} requests to the control API need the header '${CONTROL_HEADER}: 1' (a web page cannot send it).`;
  if (body.length > 0 && !/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return "A control API body must be sent with 'content-type: application/json'.";
  return undefined;
}

export function handleControlRequest(deps: ControlApiDeps, req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
  const { runtime, control, inspect, requestLog } = deps;
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const path = url.pathname.slice(CONTROL_PREFIX.length) || '/';
  const method = req.method ?? 'GET';
  const reply = (status: number, value: unknown): void => {
    if (status < 400) deps.persistence.flush();
    const text = JSON.stringify(value);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
  };
  const refusal = controlRequestRefusal(req, deps.endpoint(), body);
  if (refusal) return reply(403, { error: refusal });
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
        runtime.sync();
        return reply(200, { ok: true, endpoint: deps.endpoint(), region: runtime.world.region, accountId: runtime.world.accountId, stageSeconds: control.stageSeconds(), now: runtime.clock.now(), approvalAction: APPROVAL_ACTION, world: runtime.worldId });
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
      case 'GET /scenarios':
        return reply(200, { scenarios: control.scenarios().map((s) => ({ ...s, spec: describeScenario(s) })) });
      case 'PUT /scenarios': {
        const list = json().scenarios;
        if (!Array.isArray(list)) throw new ControlError('PUT /scenarios takes {"scenarios": ["stage-fails:Run_install:spryker-prod", ...]}.');
        control.setScenarios(list as (string | ScenarioRecord)[]);
        return reply(200, { scenarios: control.scenarios() });
      }
      case 'POST /scenarios': {
        const scenario = json().scenario;
        if (scenario === undefined) throw new ControlError('POST /scenarios takes {"scenario": "rollout-fails:spryker-prod-yves:spryker-prod"}.');
        control.addScenario(scenario as string | ScenarioRecord);
        return reply(200, { scenarios: control.scenarios() });
      }
      case 'DELETE /scenarios':
        control.setScenarios([]);
        return reply(200, { scenarios: [] });
      case 'GET /stage-seconds':
        return reply(200, { seconds: control.stageSeconds() });
      case 'PUT /stage-seconds':
        control.setStageSeconds(json().seconds as number);
        return reply(200, { seconds: control.stageSeconds() });
      case 'POST /advance': {
        const b = json();
        const ms = b.ms !== undefined ? b.ms : typeof b.seconds === 'number' ? b.seconds * 1000 : undefined;
        control.advance(ms as number);
        return reply(200, { now: runtime.clock.now() });
      }
      case 'GET /requests': {
        const since = Number(url.searchParams.get('since') ?? 0);
        const entries = requestLog.entries();
        return reply(200, { total: entries.length, requests: entries.slice(Number.isInteger(since) && since > 0 ? since : 0) });
      }
      case 'DELETE /requests':
        requestLog.clear();
        return reply(200, { total: 0 });
      case 'GET /state':
        return reply(200, { environments: inspect.summary() });
      case 'GET /world':
        runtime.sync();
        return reply(200, runtime.world);
      case 'POST /reset': {
        const body = json();
        const repo = body.repo;
        if (repo !== undefined && repo !== null && (typeof repo !== 'string' || repo.trim() === '')) throw new ControlError('POST /reset takes {} or {"repo": "<path of a Git repository>"} or {"repo": null}, and optionally {"shapes": [...]}.');
        const shapes = body.shapes;
        if (shapes !== undefined && !Array.isArray(shapes)) throw new ControlError('POST /reset takes "shapes" as a list of real-world shape names (src/sandbox/README.md).');
        const checked = shapes === undefined ? undefined : checkShapes(shapes as unknown[]);
        control.reset({ ...(repo !== undefined ? { repo: repo as string | null } : {}), ...(checked ? { shapes: checked } : {}) });
        return reply(200, { environments: inspect.summary() });
      }
      default:
        return reply(404, { error: `No control endpoint ${method} ${CONTROL_PREFIX}${path}. See src/sandbox/README.md.` });
    }
  } catch (e) {
    reply(400, { error: (e as Error).message });
  }
}
