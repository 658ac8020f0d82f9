import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { Readable } from 'node:stream';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index';
import { ShapeValidator } from './shapes';

export interface RecordedResponse {
  readonly target: string;
  readonly status: number;
  readonly body: string;
}

/** The SDK's own HTTP handler, keeping a copy of every raw response for the shape checks. */
export class RecordingHandler {
  readonly responses: RecordedResponse[] = [];
  private readonly inner = new NodeHttpHandler();
  readonly metadata = this.inner.metadata;

  async handle(request: Parameters<NodeHttpHandler['handle']>[0], options?: Parameters<NodeHttpHandler['handle']>[1]): ReturnType<NodeHttpHandler['handle']> {
    const { response } = await this.inner.handle(request, options);
    const chunks: Buffer[] = [];
    for await (const c of response.body as Readable) chunks.push(Buffer.from(c as Buffer));
    const body = Buffer.concat(chunks);
    this.responses.push({ target: String(request.headers['x-amz-target'] ?? request.headers['X-Amz-Target']), status: response.statusCode, body: body.toString('utf8') });
    response.body = Readable.from([body]);
    return { response };
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): ReturnType<NodeHttpHandler['httpHandlerConfigs']> {
    return this.inner.httpHandlerConfigs();
  }

  destroy(): void {
    this.inner.destroy();
  }
}

export function clients(sandbox: Sandbox, extra: { requestHandler?: RecordingHandler; maxAttempts?: number; credentials?: { accessKeyId: string; secretAccessKey: string } } = {}) {
  const config = {
    endpoint: sandbox.endpoint,
    region: sandbox.region,
    credentials: extra.credentials ?? sandbox.credentials,
    // The recorder is a NodeHttpHandler in all but name (it wraps one).
    ...(extra.requestHandler ? { requestHandler: extra.requestHandler as unknown as NodeHttpHandler } : {}),
    ...(extra.maxAttempts ? { maxAttempts: extra.maxAttempts } : {}),
  };
  return {
    ssm: new SSMClient(config),
    codepipeline: new CodePipelineClient(config),
    ecs: new ECSClient(config),
    ecr: new ECRClient(config),
    codebuild: new CodeBuildClient(config),
    logs: new CloudWatchLogsClient(config),
  };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000, intervalMs = 25): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** What the control API requires of every change (src/sandbox/controlApi.ts). */
export const CONTROL_HEADERS = { 'x-sandbox-control': '1', 'content-type': 'application/json' };

/** A request with headers fetch() will not let a caller set (Host). */
export function rawRequest(endpoint: string, request: { method: string; path: string; headers: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(endpoint);
    const req = http.request({ host: url.hostname, port: url.port, method: request.method, path: request.path, headers: request.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(request.body);
  });
}

/**
 * A sandbox with SDK clients for the describe block it is called in: started before its tests, stopped after them.
 * The clients keep every raw response, and after each test the responses that test received are checked against
 * botocore's shapes, so every test checks its own traffic and runs alone (`--grep`) as it runs in the suite.
 */
export function sdkSandboxSuite(stageSeconds: number): { readonly sandbox: Sandbox; readonly aws: ReturnType<typeof clients> } {
  const validator = new ShapeValidator();
  const recorder = new RecordingHandler();
  let started: { sandbox: Sandbox; aws: ReturnType<typeof clients> } | undefined;
  before(async () => {
    const sandbox = await startSandbox({ stageSeconds });
    started = { sandbox, aws: clients(sandbox, { requestHandler: recorder }) };
  });
  beforeEach(() => {
    recorder.responses.splice(0);
  });
  afterEach('every response the test received is in the shape of the official models', function () {
    const responses = recorder.responses.splice(0);
    if (this.currentTest?.state === 'failed') return;
    assert.deepEqual(responses.flatMap((r) => validator.check(r.target, r.status, r.body)), []);
  });
  after(async () => {
    await started?.sandbox.stop();
  });
  const get = () => {
    if (!started) throw new Error('the sandbox is started in the suite\'s before hook: use it inside a test');
    return started;
  };
  return {
    get sandbox() {
      return get().sandbox;
    },
    get aws() {
      return get().aws;
    },
  };
}
