// AWS requests (awsJson1_1 on POST /): faults, signature, routing by X-Amz-Target, the operation, the answer, the log.
// STS speaks awsQuery (form-encoded, XML) on the same POST / and is told apart by its content type.
import type * as http from 'node:http';
import type { FaultSet } from './control';
import { decideFaults } from './faults';
import { AwsError, errorBody, parseBody, route, type Route } from './protocol';
import type { WorldPersistence } from './persistence';
import type { RequestLog } from './requestLog';
import type { SandboxRuntime } from './runtime';
import { verify, type Credentials, type SessionLookup } from './sigv4';
import { assumeRoleWithWebIdentity, getCallerIdentity, isStsRequest, stsAction, stsErrorXml, StsSessions } from './sts';
import type { Ids } from './world';

export interface AwsDispatchDeps {
  readonly runtime: SandboxRuntime;
  readonly faults: FaultSet;
  readonly faultRandom: Ids;
  readonly credentials: Credentials;
  readonly requestLog: RequestLog;
  /** Temporary credentials from AssumeRoleWithWebIdentity; accepted by every service until they expire. */
  readonly sessions: StsSessions;
  readonly persistence: WorldPersistence;
}

function sessionLookup(deps: AwsDispatchDeps): SessionLookup {
  return (accessKeyId) => {
    const s = deps.sessions.get(accessKeyId);
    return s && { ...s, expired: deps.runtime.clock.now() >= s.expiration };
  };
}

export function sendAwsJson(res: http.ServerResponse, ids: Ids, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': String(Buffer.byteLength(body)),
    'x-amzn-requestid': ids.uuid(),
    ...headers,
  });
  res.end(body);
}

export function sendAwsError(res: http.ServerResponse, ids: Ids, error: AwsError): void {
  sendAwsJson(res, ids, error.status, errorBody(error), { 'x-amzn-errortype': error.code });
}

export async function handleAwsRequest(deps: AwsDispatchDeps, req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
  if (isStsRequest(req)) return handleStsRequest(deps, req, res, body);
  const { runtime, requestLog } = deps;
  const started = performance.now();
  const target = req.headers['x-amz-target'];
  let routed: Route | undefined;
  let serviceName = 'unknown';
  let operation = typeof target === 'string' ? target.slice(target.lastIndexOf('.') + 1) : 'unknown';
  const finish = (status: number, errorCode?: string): void => {
    requestLog.record({ time: new Date(runtime.clock.now()).toISOString(), service: serviceName, operation, status, ...(errorCode ? { errorCode } : {}), ms: Math.round((performance.now() - started) * 100) / 100 });
  };
  try {
    const prefix = typeof target === 'string' ? target.slice(0, target.lastIndexOf('.')) : '';
    const service = runtime.services.find((s) => s.targetPrefix === prefix);
    if (service) serviceName = service.signingName;
    const decision = decideFaults(deps.faults.current, operation, () => deps.faultRandom.random());
    if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
    if (decision.drop) {
      finish(0, 'ConnectionDropped');
      req.socket.destroy();
      return;
    }
    if (decision.htmlStatus !== undefined) {
      // What a corporate proxy or a load balancer in front of the endpoint answers: its own page, not AWS JSON.
      const page = `<html>\r\n<head><title>${decision.htmlStatus} Bad Gateway</title></head>\r\n<body>\r\n<center><h1>${decision.htmlStatus} Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n`;
      res.writeHead(decision.htmlStatus, { 'content-type': 'text/html', 'content-length': String(Buffer.byteLength(page)), server: 'awselb/2.0' });
      res.end(page);
      finish(decision.htmlStatus, 'HtmlErrorPage');
      return;
    }
    const world = runtime.world;
    const caller = verify(
      { method: req.method ?? 'POST', url: req.url ?? '/', rawHeaders: req.rawHeaders, body },
      deps.credentials,
      world.region,
      service?.signingName ?? signingScopeService(req.headers.authorization),
      sessionLookup(deps),
    );
    if (decision.expiredCredentials) throw new AwsError('ExpiredTokenException', 'The security token included in the request is expired');
    routed = route(runtime.services, typeof target === 'string' ? target : undefined);
    operation = routed.operation;
    if (decision.error) throw decision.error;
    const input = parseBody(body);
    runtime.sync();
    const output = routed.handler(input, {
      world: runtime.world,
      now: runtime.clock.now(),
      ids: runtime.ids,
      callerArn: deps.sessions.get(caller.accessKeyId)?.arn ?? `arn:aws:iam::${world.accountId}:user/${caller.accessKeyId}`,
      changed: runtime.changed,
    });
    runtime.scheduleWake();
    // Saved before the answer: what the caller was told happened survives a kill right after.
    deps.persistence.flush();
    if (decision.dropReply) {
      // The operation acted (and was saved); its answer is lost on the way back.
      finish(0, 'ReplyDropped');
      req.socket.destroy();
      return;
    }
    sendAwsJson(res, runtime.ids, 200, JSON.stringify(output));
    finish(200);
  } catch (e) {
    const error = e instanceof AwsError ? e : new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
    if (!(e instanceof AwsError)) console.error(`[sandbox] ${operation} failed:`, e);
    sendAwsError(res, runtime.ids, error);
    finish(error.status, error.code);
  }
}

/** For a request whose target names no known service: the service its signature is scoped to. */
function signingScopeService(authorization: string | undefined): string {
  const match = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(authorization ?? '');
  return match?.[1] ?? '';
}

/** STS (awsQuery): form-encoded in, XML out; faults and the request log apply as to every other service. */
async function handleStsRequest(deps: AwsDispatchDeps, req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
  const { runtime, requestLog } = deps;
  const started = performance.now();
  let operation = 'unknown';
  const send = (status: number, text: string, errorCode?: string): void => {
    res.writeHead(status, { 'content-type': 'text/xml', 'content-length': String(Buffer.byteLength(text)), 'x-amzn-requestid': runtime.ids.uuid() });
    res.end(text);
    requestLog.record({ time: new Date(runtime.clock.now()).toISOString(), service: 'sts', operation, status, ...(errorCode ? { errorCode } : {}), ms: Math.round((performance.now() - started) * 100) / 100 });
  };
  try {
    const { action, params } = stsAction(body);
    operation = action;
    const decision = decideFaults(deps.faults.current, operation, () => deps.faultRandom.random());
    if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
    if (decision.error) throw decision.error;
    const world = runtime.world;
    if (action === 'AssumeRoleWithWebIdentity') {
      send(200, assumeRoleWithWebIdentity(params, { now: runtime.clock.now(), ids: runtime.ids, accountId: world.accountId }, deps.sessions));
    } else if (action === 'GetCallerIdentity') {
      const caller = verify({ method: req.method ?? 'POST', url: req.url ?? '/', rawHeaders: req.rawHeaders, body }, deps.credentials, world.region, 'sts', sessionLookup(deps));
      if (decision.expiredCredentials) throw new AwsError('ExpiredTokenException', 'The security token included in the request is expired');
      const session = deps.sessions.get(caller.accessKeyId);
      send(
        200,
        getCallerIdentity(
          session
            ? { arn: session.arn, userId: session.assumedRoleId, account: session.arn.split(':')[4] }
            : { arn: `arn:aws:iam::${world.accountId}:user/${caller.accessKeyId}`, userId: caller.accessKeyId, account: world.accountId },
          runtime.ids,
        ),
      );
    } else {
      throw new AwsError('InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
    }
  } catch (e) {
    const error = e instanceof AwsError ? e : new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
    if (!(e instanceof AwsError)) console.error(`[sandbox] sts ${operation} failed:`, e);
    send(error.status, stsErrorXml(error, runtime.ids), error.code);
  }
}
