// A small client of the AWS JSON 1.1 protocol (SSM, CodePipeline and ECS: POST /, X-Amz-Target,
// application/x-amz-json-1.1) for the reads of `spryker-deploy status` (#12: a fresh status ≤ 2× `node -e 0`; the
// SDK's clients, their middleware and serde cost more CPU than all the rest of a status). It does what the SDK's
// client does for these operations and no more, with the SDK's own parts where they load cheaply:
// - signed by @smithy/signature-v4 (the SDK's signer) with a Node crypto hash (the SDK's Node `Hash`);
// - retried as the SDK's standard mode does (@smithy/core/retry: its StandardRetryStrategy and error classifiers,
//   3 attempts, throttling and transient errors, backoff with jitter, the retry quota), with the SDK's clock skew
//   correction from the `Date` header;
// - answers shaped as the SDK's: timestamps as Date (the members the SDK's schema types as timestamps, listed per
//   operation below; a unit test compares the lists with the SDK's schemas), `$metadata`; errors with the SDK's
//   name (from x-amzn-ErrorType or `__type`), `$fault`, `$metadata` and message, a body that is not JSON as the
//   SDK's SyntaxError with `$response`, socket errors as Node raises them. translateAwsError then words both alike.
// Only operations listed here are sent; credentials are static keys given to it (lean.ts decides when).

import { isServerError, isThrottlingError, isTransientError, StandardRetryStrategy } from '@smithy/core/retry';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest as SignableRequest, RetryErrorInfo, RetryErrorType, SdkError, SourceData } from '@smithy/types';
import * as http from 'node:http';
import type * as Https from 'node:https';
import { randomUUID } from 'node:crypto';
import type { StaticCredentials } from './credentials';
import type { OperationClient, Operations } from './operations';

export interface JsonService {
  /** The signing name and the endpoint's first label. */
  readonly name: 'ssm' | 'codepipeline' | 'ecs';
  /** X-Amz-Target is `<targetPrefix>.<Operation>`. */
  readonly targetPrefix: string;
  /** The operations this client sends, each with the paths of its output's timestamp members. */
  readonly operations: Readonly<Record<string, readonly string[]>>;
}

export const SSM_JSON: JsonService = {
  name: 'ssm',
  targetPrefix: 'AmazonSSM',
  operations: { GetParameters: ['Parameters[].LastModifiedDate'] },
};

export const PIPELINE_JSON: JsonService = {
  name: 'codepipeline',
  targetPrefix: 'CodePipeline_20150709',
  operations: {
    GetPipelineState: [
      'created',
      'updated',
      'stageStates[].inboundTransitionState.lastChangedAt',
      'stageStates[].actionStates[].currentRevision.created',
      'stageStates[].actionStates[].latestExecution.lastStatusChange',
      ...['beforeEntryConditionState', 'onSuccessConditionState', 'onFailureConditionState'].flatMap((c) => [
        `stageStates[].${c}.conditionStates[].latestExecution.lastStatusChange`,
        `stageStates[].${c}.conditionStates[].ruleStates[].currentRevision.created`,
        `stageStates[].${c}.conditionStates[].ruleStates[].latestExecution.lastStatusChange`,
      ]),
    ],
    GetPipelineExecution: ['pipelineExecution.artifactRevisions[].created'],
    ListPipelineExecutions: ['pipelineExecutionSummaries[].startTime', 'pipelineExecutionSummaries[].lastUpdateTime'],
  },
};

export const ECS_JSON: JsonService = {
  name: 'ecs',
  targetPrefix: 'AmazonEC2ContainerServiceV20141113',
  operations: {
    ListServices: [],
    DescribeServices: [
      'services[].createdAt',
      'services[].deployments[].createdAt',
      'services[].deployments[].updatedAt',
      'services[].events[].createdAt',
      'services[].taskSets[].createdAt',
      'services[].taskSets[].updatedAt',
      'services[].taskSets[].stabilityStatusAt',
    ],
    ListTasks: [],
    DescribeTasks: [
      'tasks[].connectivityAt',
      'tasks[].containers[].managedAgents[].lastStartedAt',
      'tasks[].createdAt',
      'tasks[].executionStoppedAt',
      'tasks[].pullStartedAt',
      'tasks[].pullStoppedAt',
      'tasks[].startedAt',
      'tasks[].stoppedAt',
      'tasks[].stoppingAt',
    ],
    DescribeTaskDefinition: ['taskDefinition.registeredAt', 'taskDefinition.deregisteredAt', 'taskDefinition.deleteRequestedAt'],
  },
};

export interface JsonClientOptions {
  readonly region: string;
  /** The endpoint URL (scheme, host, optional port; path `/`). */
  readonly endpoint: string;
  readonly credentials: () => Promise<StaticCredentials>;
  /** Keep-alive agent for an http: endpoint; an https: one gets its own on first use. */
  readonly agent?: http.Agent | Https.Agent;
  /** Attempts per call (default 3, as the SDK's standard mode). */
  readonly maxAttempts?: number;
  /** Shared between the clients of one process, as the SDK shares `systemClockOffset` per client. */
  readonly clock?: { offset: number };
}

const USER_AGENT = 'spryker-cloud-deploy lean-json/1.1';

/** Signs with Node's crypto through the SDK's own Node hash (`new Hash('sha256', secret?)`). */
class Sha256 extends Hash {
  constructor(secret?: SourceData) {
    super('sha256', secret);
  }
}

export function createJsonClient<O extends Operations>(service: JsonService, options: JsonClientOptions): OperationClient<O> {
  const url = new URL(options.endpoint);
  const https = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : undefined;
  const host = url.host;
  const maxAttempts = options.maxAttempts ?? 3;
  const retry = new StandardRetryStrategy(maxAttempts);
  const clock = options.clock ?? { offset: 0 };
  let signer: SignatureV4 | undefined;
  let agent = options.agent;

  const request = (headers: Record<string, string>, body: string): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const transport: typeof http = https ? (require('node:https') as typeof http) : http;
      agent ??= new transport.Agent({ keepAlive: true });
      const req = transport.request(
        { agent, method: 'POST', protocol: url.protocol, hostname: url.hostname, ...(port ? { port } : {}), path: '/', headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const attempt = async (operation: string, body: string, invocationId: string, attemptNo: number): Promise<Record<string, unknown>> => {
    signer ??= new SignatureV4({ service: service.name, region: options.region, credentials: options.credentials, sha256: Sha256 });
    const unsigned: SignableRequest = {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(port ? { port } : {}),
      path: '/',
      query: {},
      headers: {
        host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `${service.targetPrefix}.${operation}`,
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': USER_AGENT,
        'amz-sdk-invocation-id': invocationId,
        'amz-sdk-request': `attempt=${attemptNo}; max=${maxAttempts}`,
      },
      body,
    };
    const preOffset = clock.offset;
    const sentAt = Date.now();
    const signed = await signer.sign(unsigned, { signingDate: new Date(sentAt + clock.offset) });
    const response = await request(signed.headers, body);
    const metadata = {
      httpStatusCode: response.statusCode,
      ...(response.headers['x-amzn-requestid'] ? { requestId: response.headers['x-amzn-requestid'] } : {}),
      ...(response.headers['x-amz-id-2'] ? { extendedRequestId: response.headers['x-amz-id-2'] } : {}),
      ...(response.headers['x-amz-cf-id'] ? { cfId: response.headers['x-amz-cf-id'] } : {}),
    };
    const serverTime = response.headers.date;
    if (response.statusCode >= 200 && response.statusCode < 300) {
      if (serverTime) clock.offset = updatedClockOffset(serverTime, clock.offset, sentAt, response.headers.age);
      const output = parseBody(response, response.body === '' ? '{}' : response.body) as Record<string, unknown>;
      for (const path of service.operations[operation] ?? []) toDates(output, path.split('.'));
      return { ...output, $metadata: metadata };
    }
    const error = serviceError(response, metadata);
    if (serverTime) {
      clock.offset = updatedClockOffset(serverTime, clock.offset, sentAt, response.headers.age);
      if (Math.abs(clock.offset) >= 240_000 && clock.offset !== preOffset && error.$metadata) error.$metadata.clockSkewCorrected = true;
    }
    throw error;
  };

  const send = async (operation: string, input: object): Promise<unknown> => {
    if (!(operation in service.operations)) throw new Error(`${service.name} ${operation} is not one of the reads of the lean client.`);
    const body = JSON.stringify(input);
    const invocationId = randomUUID();
    let token = await retry.acquireInitialRetryToken('');
    let attempts = 0;
    let totalRetryDelay = 0;
    for (;;) {
      try {
        const output = await attempt(operation, body, invocationId, attempts + 1);
        retry.recordSuccess(token);
        (output.$metadata as Record<string, unknown>).attempts = attempts + 1;
        (output.$metadata as Record<string, unknown>).totalRetryDelay = totalRetryDelay;
        return output;
      } catch (e) {
        const error = (e instanceof Error ? e : new Error(String(e))) as SdkError & { $metadata: Record<string, unknown> };
        try {
          token = await retry.refreshRetryTokenForRetry(token, retryInfo(error));
        } catch {
          error.$metadata ??= {};
          error.$metadata.attempts = attempts + 1;
          error.$metadata.totalRetryDelay = totalRetryDelay;
          throw error;
        }
        attempts = token.getRetryCount();
        const delay = token.getRetryDelay();
        totalRetryDelay += ((token as { $retryLog?: { acquisitionDelay?: number } }).$retryLog?.acquisitionDelay ?? 0) + delay;
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      }
    }
  };
  return { send: send as OperationClient<O>['send'] };
}

interface RawResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The SDK's getRetryErrorType and Retry-After hint (its retry middleware). */
function retryInfo(error: SdkError): RetryErrorInfo {
  const errorType: RetryErrorType = isThrottlingError(error) ? 'THROTTLING' : isTransientError(error) ? 'TRANSIENT' : isServerError(error) ? 'SERVER_ERROR' : 'CLIENT_ERROR';
  const retryAfter = (error as { $response?: RawResponse }).$response?.headers['retry-after'];
  const hint = retryAfter === undefined ? undefined : /^\d+$/.test(retryAfter) ? new Date(Date.now() + Number(retryAfter) * 1000) : new Date(retryAfter);
  return { error, errorType, ...(hint && !Number.isNaN(hint.getTime()) ? { retryAfterHint: hint } : {}) };
}

/** The SDK's getUpdatedSystemClockOffset: the server's clock from `Date`, unless a cache answered or it took long. */
function updatedClockOffset(date: string, current: number, sentAt: number, age: string | undefined): number {
  if (age !== undefined) return current;
  const serverTime = Date.parse(date);
  if (Number.isNaN(serverTime)) return current;
  const received = Date.now();
  return received - sentAt > 900_000 ? current : serverTime - received;
}

/** JSON.parse, or the SDK's deserialization error: a SyntaxError with the raw response in a hidden `$response`. */
function parseBody(response: RawResponse, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const error = e as Error;
    Object.defineProperty(error, '$response', { value: { ...response }, enumerable: false });
    error.message += '\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.';
    throw error;
  }
}

/** The code of an AWS JSON error as the SDK reads it: x-amzn-ErrorType, else `code`/`__type`, without namespace or URI. */
function sanitizeCode(raw: unknown): string | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  let code = String(raw);
  if (code.includes(',')) code = code.split(',')[0];
  if (code.includes(':')) code = code.split(':')[0];
  if (code.includes('#')) code = code.split('#')[1];
  return code;
}

function serviceError(response: RawResponse, metadata: Record<string, unknown>): Error & { $metadata: Record<string, unknown> } {
  const body = parseBody(response, response.body === '' ? '{}' : response.body) as Record<string, unknown>;
  const data = typeof body === 'object' && body !== null ? body : {};
  const header = Object.keys(response.headers).find((k) => k.toLowerCase() === 'x-amzn-errortype');
  const code = sanitizeCode(header ? response.headers[header] : undefined) ?? sanitizeCode(data.code) ?? sanitizeCode(data.Code) ?? sanitizeCode(data.__type) ?? 'UnknownError';
  const message = typeof data.message === 'string' ? data.message : typeof data.Message === 'string' ? data.Message : 'UnknownError';
  const error = Object.assign(new Error(message), data, { name: code, message, $fault: response.statusCode >= 500 ? 'server' : 'client', $metadata: metadata });
  Object.defineProperty(error, '$response', { value: response, enumerable: false });
  return error;
}

/** Turns the epoch-seconds numbers at `path` (`a[].b.c`) into Dates, as the SDK's deserializer does. */
function toDates(value: unknown, path: readonly string[]): void {
  if (value === null || typeof value !== 'object' || path.length === 0) return;
  const [head, ...rest] = path;
  const list = head.endsWith('[]');
  const key = list ? head.slice(0, -2) : head;
  const record = value as Record<string, unknown>;
  const member = record[key];
  if (member === undefined || member === null) return;
  if (list) {
    if (!Array.isArray(member)) return;
    if (rest.length === 0) record[key] = member.map(asDate);
    else for (const item of member) toDates(item, rest);
    return;
  }
  if (rest.length === 0) record[key] = asDate(member);
  else toDates(member, rest);
}

/** The SDK's parseEpochTimestamp for a JSON timestamp: seconds (a number or a numeric string) to a Date. */
function asDate(value: unknown): unknown {
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : undefined;
  return seconds === undefined ? value : new Date(Math.round(seconds * 1000));
}
