// The lean JSON-protocol client of `status` (src/aws/lean.ts) against the SDK's clients (src/aws/index.ts) on the
// same sandbox: every read answered alike, the same status, and every failure (throttling, expired credentials,
// access denied, not found, a proxy's HTML page, 5xx, a lost connection, no network) ending in the same error.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { createAwsPortsFactory } from '../../../src/aws';
import { createCaller } from '../../../src/aws/call';
import { createCredentialSource } from '../../../src/aws/credentials';
import { createJsonClient, ECS_JSON, PIPELINE_JSON, SSM_JSON, type JsonService } from '../../../src/aws/jsonProtocol';
import { createLeanPortsFactory } from '../../../src/aws/lean';
import type { OperationClient, Operations, SdkPortsFactory } from '../../../src/aws/operations';
import { ecsOperations, pipelineOperations, ssmOperations } from '../../../src/aws/sdkOperations';
import { createCoreCaches } from '../../../src/core/caches';
import { resolveEnvironment } from '../../../src/core/environments';
import { createEnvironmentService } from '../../../src/core/environmentService';
import { isDeployError } from '../../../src/core/errors';
import type { AwsPorts, AwsPortsFactory } from '../../../src/core/ports';
import { startSandbox, REAL_WORLD_SHAPES, type Sandbox } from '../../../src/sandbox';
import { roundTrips } from '../../../bench/roundTrips';
import type { CallInfo } from '../../../src/aws/call';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';

/** The operations the lean client sends: the reads of a status. */
const SERVICES_OPERATIONS = [SSM_JSON, PIPELINE_JSON, ECS_JSON].flatMap((s) => Object.keys(s.operations));

const noSdk: () => SdkPortsFactory = () => {
  throw new Error('the lean client asked for the SDK');
};

/** Both paths' ports for one environment of the sandbox (fresh caches each time, as a new process has). */
function bothPorts(sandbox: Sandbox, name: string, endpoint = sandbox.endpoint): { sdk: AwsPorts; lean: AwsPorts; config: ReturnType<typeof resolveEnvironment> } {
  const config = resolveEnvironment({ name, endpoint, region: sandbox.region });
  const options = { credentials: sandbox.credentials };
  return { sdk: createAwsPortsFactory(options)(config), lean: createLeanPortsFactory(noSdk, options)(config), config };
}

async function statusJson(config: ReturnType<typeof resolveEnvironment>, ports: AwsPorts): Promise<string> {
  const status = await createEnvironmentService(config, ports, { caches: createCoreCaches() }).status();
  return JSON.stringify({ ...status, fetchedAt: undefined });
}

/** What an adapter call ended in: its value, or the DeployError's kind, AWS code and message. */
async function outcome(p: Promise<unknown>): Promise<unknown> {
  try {
    return { ok: JSON.parse(JSON.stringify(await p)) as unknown };
  } catch (e) {
    assert.ok(isDeployError(e), String(e));
    return { kind: e.kind, awsCode: e.details.awsCode, message: e.message };
  }
}

const strip = (out: unknown): unknown => {
  const { $metadata, ...rest } = out as { $metadata: unknown };
  assert.ok($metadata);
  return JSON.parse(JSON.stringify(rest));
};

describe('lean JSON-protocol client of status against the SDK, same sandbox', function () {
  this.timeout(120_000);

  for (const [label, shapes] of [
    ['the default world', []],
    ['every real-world shape', REAL_WORLD_SHAPES],
  ] as const) {
    it(`answers every read of status as the SDK does, and the status is the same (${label})`, async () => {
      const sandbox = await startSandbox({ stageSeconds: 3600, seed: 5, shapes });
      try {
        const config = { region: sandbox.region, endpoint: sandbox.endpoint, credentials: sandbox.credentials };
        const lean = <O extends Operations>(service: JsonService) =>
          createJsonClient<O>(service, { region: sandbox.region, endpoint: sandbox.endpoint, credentials: async () => sandbox.credentials });
        const ssm = [ssmOperations(new SSMClient(config)), lean(SSM_JSON)] as const;
        const pipeline = [pipelineOperations(new CodePipelineClient(config)), lean(PIPELINE_JSON)] as const;
        const ecs = [ecsOperations(new ECSClient(config)), lean(ECS_JSON)] as const;
        const same = async <O extends Operations>(pair: readonly [OperationClient<O>, OperationClient<O>], operation: keyof O & string, input: object) => {
          const [a, b] = await Promise.all(pair.map((c) => c.send(operation, input)));
          assert.deepEqual(strip(b), strip(a), operation);
          return a;
        };
        for (const env of ['spryker-prod', 'spryker-staging']) {
          await same(ssm, 'GetParameters', { Names: [`/${env}/desired_version`, `/${env}/lastdeployedversion`, `/${env}/nope`], WithDecryption: true });
          const state = await same(pipeline, 'GetPipelineState', { name: `NORMAL_Deploy_Spryker_${env}` });
          const id = state.stageStates?.[0]?.latestExecution?.pipelineExecutionId;
          if (id) await same(pipeline, 'GetPipelineExecution', { pipelineName: `NORMAL_Deploy_Spryker_${env}`, pipelineExecutionId: id });
          // The tree's Maintenance row.
          for (const name of [`NORMAL_Deploy_Spryker_${env}`, `Maintenance_Enable_${env}`, `Maintenance_Disable_${env}`]) await same(pipeline, 'ListPipelineExecutions', { pipelineName: name, maxResults: 10 });
          const services = await same(ecs, 'ListServices', { cluster: env, maxResults: 100 });
          const described = await same(ecs, 'DescribeServices', { cluster: env, services: services.serviceArns });
          const tasks = await same(ecs, 'ListTasks', { cluster: env, desiredStatus: 'RUNNING', maxResults: 100 });
          await same(ecs, 'DescribeTasks', { cluster: env, tasks: tasks.taskArns });
          for (const s of described.services ?? []) if (s.taskDefinition) await same(ecs, 'DescribeTaskDefinition', { taskDefinition: s.taskDefinition });
          const { sdk, lean: leanPorts, config: envConfig } = bothPorts(sandbox, env);
          assert.equal(await statusJson(envConfig, leanPorts), await statusJson(envConfig, sdk));
          const maintenance = (ports: AwsPorts) => createEnvironmentService(envConfig, ports, { caches: createCoreCaches() }).maintenance();
          assert.deepEqual(await maintenance(leanPorts), await maintenance(sdk));
        }
      } finally {
        await sandbox.stop();
      }
    });
  }

  it('a status makes the same calls in the same round trips: ≤ 7 calls in 2 round trips once the task definitions are known', async () => {
    const sandbox = await startSandbox({ stageSeconds: 3600, seed: 5 });
    try {
      const config = resolveEnvironment({ name: 'spryker-prod', endpoint: sandbox.endpoint, region: sandbox.region });
      // With latency the chains of calls, not the machine's scheduling, decide what overlaps; a call's `ms` is
      // rounded, and the lean client starts the next call of a chain well within that half millisecond.
      sandbox.control.addFault('latency:40');
      const figures = async (factory: (onCall: (i: CallInfo) => void) => AwsPortsFactory) => {
        const calls: CallInfo[] = [];
        const service = createEnvironmentService(config, factory((i) => calls.push(i))(config), { caches: createCoreCaches() });
        const count = async () => {
          calls.length = 0;
          await service.status();
          return { calls: calls.map((c) => `${c.service} ${c.operation}`).sort(), roundTrips: roundTrips(calls.map((c) => ({ start: c.startedAt, end: c.startedAt + c.ms - 1 }))) };
        };
        return { cold: await count(), known: await count() };
      };
      const sdk = await figures((onCall) => createAwsPortsFactory({ credentials: sandbox.credentials, onCall }));
      const lean = await figures((onCall) => createLeanPortsFactory(noSdk, { credentials: sandbox.credentials, onCall }));
      assert.deepEqual(lean.cold.calls, sdk.cold.calls);
      assert.deepEqual(lean.known.calls, sdk.known.calls);
      assert.equal(lean.cold.roundTrips, sdk.cold.roundTrips, JSON.stringify({ sdk, lean }));
      assert.ok(lean.known.calls.length <= 7, lean.known.calls.join(', '));
      assert.equal(lean.known.roundTrips, 2);
      assert.equal(sdk.known.roundTrips, 2);
    } finally {
      await sandbox.stop();
    }
  });

  describe('failures end in the same error on both paths', () => {
    let sandbox: Sandbox;
    before(async () => {
      sandbox = await startSandbox({ stageSeconds: 3600, seed: 5 });
    });
    after(() => sandbox.stop());
    afterEach(() => sandbox.control.clearFaults());

    const both = async (fault: string | undefined, call: (ports: AwsPorts) => Promise<unknown>) => {
      if (fault) sandbox.control.addFault(fault);
      const { sdk, lean } = bothPorts(sandbox, 'spryker-prod');
      const [a, b] = [await outcome(call(sdk)), await outcome(call(lean))];
      assert.deepEqual(b, a);
      return a as { kind?: string; awsCode?: string };
    };

    it('throttling (after the retries)', async () => {
      const r = await both('throttle:GetPipelineState', (p) => p.pipelines.getPipelineState('NORMAL_Deploy_Spryker_spryker-prod'));
      assert.deepEqual([r.kind, r.awsCode], ['throttled', 'ThrottlingException']);
    });

    it('expired credentials', async () => {
      const r = await both('expired-credentials', (p) => p.parameters.getParameters(['/spryker-prod/desired_version']));
      assert.deepEqual([r.kind, r.awsCode], ['credentials-expired', 'ExpiredTokenException']);
    });

    it('keys AWS does not know, or a wrong secret', async () => {
      for (const credentials of [{ accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' }, { ...sandbox.credentials, secretAccessKey: 'wrong' }]) {
        const config = resolveEnvironment({ name: 'spryker-prod', endpoint: sandbox.endpoint, region: sandbox.region });
        const call = (ports: AwsPorts) => outcome(ports.containers.listTasks('spryker-prod'));
        const sdk = await call(createAwsPortsFactory({ credentials })(config));
        const lean = await call(createLeanPortsFactory(noSdk, { credentials })(config));
        assert.deepEqual(lean, sdk);
        assert.equal((sdk as { kind: string }).kind, 'credentials-expired');
      }
    });

    it('access denied', async () => {
      const r = await both('access-denied:DescribeServices', (p) => p.containers.describeServices('spryker-prod', ['spryker-prod-yves']));
      assert.deepEqual([r.kind, r.awsCode], ['access-denied', 'AccessDeniedException']);
    });

    it('a pipeline that does not exist', async () => {
      const r = await both(undefined, (p) => p.pipelines.getPipelineState('NORMAL_Deploy_Spryker_nowhere'));
      assert.deepEqual([r.kind, r.awsCode], ['not-found', 'PipelineNotFoundException']);
      const listed = await both(undefined, (p) => p.pipelines.listPipelineExecutions('Maintenance_Enable_nowhere', 10));
      assert.deepEqual([listed.kind, listed.awsCode], ['not-found', 'PipelineNotFoundException']);
    });

    it('a parameter that does not exist is left out, as AWS answers it', async () => {
      const r = (await both(undefined, (p) => p.parameters.getParameters(['/spryker-prod/nope']).then((m) => [...m.entries()]))) as { ok: unknown };
      assert.deepEqual(r.ok, []);
    });

    it("a proxy's HTML error page", async () => {
      const r = await both('html502:GetPipelineState', (p) => p.pipelines.getPipelineState('NORMAL_Deploy_Spryker_spryker-prod'));
      assert.deepEqual([r.kind, r.awsCode], ['network', 'NonAwsResponse']);
    });

    it('server errors: retried, then reported alike', async () => {
      const r = await both('error500:ListTasks', (p) => p.containers.listTasks('spryker-prod'));
      assert.equal(r.kind, 'aws');
      const before = sandbox.requests().filter((q) => q.operation === 'ListTasks').length;
      await both('error503:ListTasks', (p) => p.containers.listTasks('spryker-prod'));
      // 3 attempts on each path, as the SDK's standard retry mode makes.
      assert.equal(sandbox.requests().filter((q) => q.operation === 'ListTasks').length - before, 6);
    });

    it('a connection closed without an answer: retried, then reported alike', async () => {
      const before = sandbox.requests().filter((q) => q.operation === 'ListTasks').length;
      const r = await both('drop:ListTasks', (p) => p.containers.listTasks('spryker-prod'));
      assert.deepEqual([r.kind, r.awsCode], ['network', 'ECONNRESET']);
      assert.equal(sandbox.requests().filter((q) => q.operation === 'ListTasks').length - before, 6);
    });

    it('no network (nothing listens at the endpoint)', async () => {
      const port = await new Promise<number>((resolve) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
          const { port: p } = server.address() as { port: number };
          server.close(() => resolve(p));
        });
      });
      const { sdk, lean } = bothPorts(sandbox, 'spryker-prod', `http://127.0.0.1:${port}`);
      const [a, b] = [await outcome(sdk.containers.listTasks('spryker-prod')), await outcome(lean.containers.listTasks('spryker-prod'))];
      assert.deepEqual(b, a);
      assert.deepEqual([(a as { kind: string }).kind, (a as { awsCode: string }).awsCode], ['network', 'ECONNREFUSED']);
    });
  });

  it("corrects a skewed clock from AWS's Date header and signs the retry with AWS's time, as the SDK does", async () => {
    const hour = 3_600_000;
    const signedAt: number[] = [];
    const server = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const amzDate = String(req.headers['x-amz-date']);
        signedAt.push(Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z')));
        // AWS's clock is an hour ahead of this machine's.
        const date = new Date(Date.now() + hour).toUTCString();
        if (signedAt.length === 1) {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', date });
          res.end(JSON.stringify({ __type: 'InvalidSignatureException', message: 'Signature expired: the request time is too far from the current time.' }));
        } else {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', date });
          res.end(JSON.stringify({ taskArns: [] }));
        }
      });
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    try {
      const { port } = server.address() as { port: number };
      const client = createJsonClient(ECS_JSON, { region: 'eu-central-1', endpoint: `http://127.0.0.1:${port}`, credentials: async () => ({ accessKeyId: 'AKIA', secretAccessKey: 's' }) });
      const out = await client.send('ListTasks', { cluster: 'c' });
      assert.deepEqual((out as { taskArns: unknown[] }).taskArns, []);
      assert.equal((out as { $metadata: { attempts: number } }).$metadata.attempts, 2);
      assert.equal(signedAt.length, 2);
      assert.ok(Math.abs(signedAt[0] - Date.now()) < 60_000, 'first signed with the machine clock');
      assert.ok(Math.abs(signedAt[1] - (Date.now() + hour)) < 60_000, "the retry signed with AWS's clock");
    } finally {
      server.close();
    }
  });

  it('the caller around it is the same: a refused call is retried once with credentials read again', async () => {
    const sandbox = await startSandbox({ stageSeconds: 3600, seed: 5 });
    try {
      let loads = 0;
      const source = createCredentialSource({ credentials: sandbox.credentials });
      const reloading = { ...source, reloadable: true, invalidate: () => void loads++ };
      const client = createJsonClient(ECS_JSON, { region: sandbox.region, endpoint: sandbox.endpoint, credentials: async () => sandbox.credentials });
      sandbox.control.addFault('expired-credentials');
      const call = createCaller('ecs', reloading, undefined, {});
      await assert.rejects(call('ListTasks', () => client.send('ListTasks', { cluster: 'spryker-prod' })), (e: unknown) => isDeployError(e, 'credentials-expired'));
      assert.equal(loads, 1);
    } finally {
      await sandbox.stop();
    }
  });

  describe("the extension's ports: a status's reads over the lean client, every other call over the SDK", () => {
    /** The SDK's factory, made when the lean ports first need it; every operation sent over its clients noted. */
    function spiedSdk(sandbox: Sandbox) {
      const spy = { made: 0, sent: [] as string[], invalidated: 0 };
      let made: SdkPortsFactory | undefined;
      const sdk = (): SdkPortsFactory => {
        if (made) return made;
        spy.made++;
        const real = createAwsPortsFactory({ credentials: sandbox.credentials });
        const noted = <O extends Operations>(client: OperationClient<O>): OperationClient<O> => ({
          send: (operation, input) => {
            spy.sent.push(operation);
            return client.send(operation, input);
          },
        });
        made = Object.assign((env: Parameters<AwsPortsFactory>[0]) => real(env), {
          operations: (env: Parameters<AwsPortsFactory>[0]) => {
            const clients = real.operations(env);
            return {
              ssm: noted(clients.ssm),
              pipelines: noted(clients.pipelines),
              ecs: noted(clients.ecs),
              invalidateCredentials: () => {
                spy.invalidated++;
                clients.invalidateCredentials();
              },
            };
          },
        });
        return made;
      };
      return { sdk, spy };
    }

    it('a status never loads the SDK; the deploy, the approval and the history go over its clients, and nothing but the reads of status over the lean one', async () => {
      const sandbox = await startSandbox({ stageSeconds: 0.1, seed: 3 });
      try {
        const config = resolveEnvironment({ name: 'spryker-prod', endpoint: sandbox.endpoint, region: sandbox.region });
        const { sdk, spy } = spiedSdk(sandbox);
        const calls: string[] = [];
        const ports = createLeanPortsFactory(sdk, { credentials: sandbox.credentials, onCall: (i) => calls.push(i.operation) })(config);
        const prod = createEnvironmentService(config, ports, { caches: createCoreCaches(), pollMs: 50 });
        const before = await prod.status();
        assert.equal(spy.made, 0, 'a status loaded the SDK');
        assert.ok(calls.length >= 6, calls.join(', '));

        const version = sandbox.inspect.commits().find((c, i) => i >= 3 && c.sha !== before.lastDeployedVersion)!.sha;
        const started = await prod.deploy(version, { allowMissingImages: true });
        const waiting = await prod.follow(started.executionId, { stopAtApproval: true, pollMs: 50 });
        assert.equal(waiting.status, 'AwaitingApproval');
        await prod.decide(waiting.approval!, 'Approved', 'routed');
        assert.equal((await prod.follow(started.executionId, { pollMs: 50 })).status, 'Succeeded');
        const after = await prod.status();
        assert.equal(after.lastDeployedVersion, version);
        assert.equal(after.desiredVersion, version);
        const history = await prod.history(5);
        assert.ok(history.length > 0);

        assert.equal(spy.made, 1);
        for (const write of ['PutParameter', 'StartPipelineExecution', 'PutApprovalResult', 'GetParameterHistory', 'ListActionExecutions']) {
          assert.ok(spy.sent.includes(write), `${write} over the SDK: ${spy.sent.join(', ')}`);
        }
        const reads = new Set(SERVICES_OPERATIONS);
        assert.deepEqual(spy.sent.filter((o) => reads.has(o)), [], 'a read of status went over the SDK');
        const overLean = calls.filter((o) => !spy.sent.includes(o));
        assert.deepEqual([...new Set(overLean)].filter((o) => !reads.has(o)), [], 'an operation the lean client does not send was reported without the SDK');
      } finally {
        await sandbox.stop();
      }
    });

    it('a call refused for expired credentials loads both clients\' credentials again before its one retry', async () => {
      const sandbox = await startSandbox({ stageSeconds: 3600, seed: 5 });
      const dir = mkdtempSync(join(tmpdir(), 'lean-routed-'));
      const saved = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };
      try {
        // A profile with static keys: the lean client's credentials are reloadable (read from the files again).
        writeFileSync(join(dir, 'config'), '');
        writeFileSync(join(dir, 'credentials'), `[sandbox]\naws_access_key_id = ${sandbox.credentials.accessKeyId}\naws_secret_access_key = ${sandbox.credentials.secretAccessKey}\n`);
        process.env.AWS_CONFIG_FILE = join(dir, 'config');
        process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
        const config = resolveEnvironment({ name: 'spryker-prod', endpoint: sandbox.endpoint, region: sandbox.region, profile: 'sandbox' });
        const { sdk, spy } = spiedSdk(sandbox);
        const ports = createLeanPortsFactory(sdk, {}, { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') })(config);
        const desired = (await ports.parameters.getParameters(['/spryker-prod/desired_version'])).get('/spryker-prod/desired_version')!.value;
        await ports.parameters.putParameter('/spryker-prod/desired_version', desired);
        assert.equal(spy.made, 1);
        spy.sent.length = 0;
        sandbox.control.addFault('expired-credentials');
        await assert.rejects(ports.parameters.putParameter('/spryker-prod/desired_version', desired), (e: unknown) => isDeployError(e, 'credentials-expired'));
        assert.equal(spy.invalidated, 1);
        assert.deepEqual(spy.sent, ['PutParameter', 'PutParameter'], 'the refused write and its one retry');
      } finally {
        process.env.AWS_CONFIG_FILE = saved.config;
        process.env.AWS_SHARED_CREDENTIALS_FILE = saved.credentials;
        if (saved.config === undefined) delete process.env.AWS_CONFIG_FILE;
        if (saved.credentials === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
        rmSync(dir, { recursive: true, force: true });
        await sandbox.stop();
      }
    });
  });
});
