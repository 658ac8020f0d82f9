// The core over the real SDK v3 against the sandbox over HTTP: the whole flow and the bad inputs.

import * as assert from 'node:assert/strict';
import { createAwsPortsFactory } from '../../../src/aws';
import { createCoreCaches } from '../../../src/core/caches';
import { resolveEnvironment, type EnvironmentSettings } from '../../../src/core/environments';
import { createEnvironmentService } from '../../../src/core/environmentService';
import { isDeployError } from '../../../src/core/errors';
import type { EnvironmentService } from '../../../src/core/api';
import { startSandbox, type Sandbox } from '../../../src/sandbox';

describe('core against the sandbox', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let make: (settings: EnvironmentSettings, maxAttempts?: number) => EnvironmentService;
  let prod: EnvironmentService;
  let staging: EnvironmentService;
  const poll = { pollMs: 50 };

  before(async () => {
    sandbox = await startSandbox({ stageSeconds: 0.1, seed: 7 });
    const caches = createCoreCaches();
    const factories = new Map<number, ReturnType<typeof createAwsPortsFactory>>();
    make = (settings, maxAttempts = 3) => {
      if (!factories.has(maxAttempts)) factories.set(maxAttempts, createAwsPortsFactory({ credentials: sandbox.credentials, maxAttempts }));
      const config = resolveEnvironment({ ...settings, endpoint: sandbox.endpoint, region: sandbox.region });
      return createEnvironmentService(config, factories.get(maxAttempts)!(config), { caches, pollMs: 50 });
    };
    prod = make({ name: 'spryker-prod' });
    staging = make({ name: 'spryker-staging' });
  });
  after(() => sandbox.stop());
  afterEach(() => sandbox.control.clearFaults());

  /** Built commits not deployed to the environment yet, newest first. */
  async function deployable(service: EnvironmentService): Promise<string[]> {
    const status = await service.status();
    const out: string[] = [];
    for (const c of sandbox.inspect.commits()) {
      if (c.sha === status.lastDeployedVersion || c.sha === status.desiredVersion) continue;
      const pre = await service.preflight(c.sha);
      if (pre.missingImages.length === 0) out.push(c.sha);
    }
    return out;
  }

  async function untilIdle(service: EnvironmentService): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const pre = await service.preflight(sandbox.inspect.commits()[0].sha).catch(() => undefined);
      if (pre && !pre.activeExecution) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('pipeline never became idle');
  }

  it('reads the status of both environments, with both deployed-version spellings', async () => {
    const [p, s] = await Promise.all([prod.status(), staging.status()]);
    assert.deepEqual(p.errors, []);
    assert.deepEqual(s.errors, []);
    assert.equal(p.desiredVersion, sandbox.inspect.parameter('/spryker-prod/desired_version'));
    assert.equal(p.lastDeployedParameter, '/spryker-prod/last_deployed_version');
    assert.equal(s.lastDeployedParameter, '/spryker-staging/lastdeployedversion');
    assert.equal(p.pipeline?.name, 'NORMAL_Deploy_Spryker_spryker-prod');
    assert.ok(p.services.length >= 5);
    for (const svc of p.services) {
      assert.ok(svc.images.length > 0, `${svc.name} has images`);
      assert.ok(svc.tasks.length > 0, `${svc.name} has tasks`);
      assert.equal(svc.drift, 'in-sync', `${svc.name} in sync`);
      assert.deepEqual(svc.runningVersions, [p.lastDeployedVersion]);
    }
  });

  it('steady-state refresh over HTTP: ≤ 5 requests, none of them ListServices or DescribeTaskDefinition', async () => {
    await prod.status();
    sandbox.clearRequests();
    await prod.status();
    const ops = sandbox.requests().map((r) => r.operation).sort();
    assert.deepEqual(ops, ['DescribeServices', 'DescribeTasks', 'GetParameters', 'GetPipelineState', 'ListTasks']);
  });

  it('deploys, follows to the approval, shows the logged comparison, approves and follows to the end', async () => {
    const before = await prod.status();
    const [version] = await deployable(prod);
    const events: string[] = [];
    const started = await prod.deploy(version, { onProgress: (p) => events.push(p.kind) });
    assert.equal(sandbox.inspect.parameter('/spryker-prod/desired_version'), version);
    assert.equal(started.previousDesiredVersion, before.desiredVersion);
    const waiting = await prod.follow(started.executionId, { ...poll, stopAtApproval: true, onProgress: (p) => events.push(p.kind) });
    assert.equal(waiting.status, 'AwaitingApproval');
    assert.equal(waiting.approval?.version, version);
    const details = await prod.approvalDetails();
    assert.equal(details?.approval.executionId, started.executionId);
    assert.equal(details?.comparison?.deploymentVersion, version);
    assert.equal(details?.comparison?.latestDeployedVersion, before.lastDeployedVersion);
    assert.match(details!.comparison!.logGroup!, /\/aws\/codebuild\/spryker-prod/);
    await prod.decide(details!.approval, 'Approved', 'integration test');
    await assert.rejects(prod.decide(details!.approval, 'Approved', 'again'), (e: unknown) => isDeployError(e, 'stale-approval'));
    const end = await prod.follow(started.executionId, poll);
    assert.equal(end.status, 'Succeeded');
    assert.deepEqual([...new Set(events)], ['checking', 'writing', 'parameter-written', 'started', 'stage', 'awaiting-approval']);
    const after = await prod.status();
    assert.equal(after.lastDeployedVersion, version);
    for (const svc of after.services) assert.ok(svc.images.every((i) => i.tag === version), `${svc.name} runs the new task definition`);
  });

  it('rejects: the execution fails and nothing is deployed', async () => {
    await untilIdle(staging);
    const before = await staging.status();
    const [version] = await deployable(staging);
    const { executionId } = await staging.deploy(version);
    const waiting = await staging.follow(executionId, { ...poll, stopAtApproval: true });
    await staging.decide(waiting.approval!, 'Rejected', 'not today');
    const end = await staging.follow(executionId, poll);
    assert.equal(end.status, 'Failed');
    assert.equal((await staging.status()).lastDeployedVersion, before.lastDeployedVersion);
  });

  it('refuses a deploy while another execution waits, supersedes on request, and the old token becomes stale', async () => {
    await untilIdle(staging);
    const [first, second] = await deployable(staging);
    const a = await staging.deploy(first);
    const waitingA = await staging.follow(a.executionId, { ...poll, stopAtApproval: true });
    const writes = sandbox.inspect.parameter('/spryker-staging/desired_version');
    await assert.rejects(staging.deploy(second), (e: unknown) => isDeployError(e, 'execution-active'));
    assert.equal(sandbox.inspect.parameter('/spryker-staging/desired_version'), writes, 'nothing written');
    const b = await staging.deploy(second, { supersede: true });
    const waitingB = await staging.follow(b.executionId, { ...poll, stopAtApproval: true });
    assert.notEqual(waitingB.approval?.token, waitingA.approval?.token);
    await assert.rejects(staging.decide(waitingA.approval!, 'Approved', 'old'), (e: unknown) => isDeployError(e, 'stale-approval'));
    const history = await staging.history(5);
    assert.equal(history.find((h) => h.executionId === a.executionId)?.status, 'Superseded');
    // Sending the stale token straight to AWS is refused by AWS too.
    await assert.rejects(
      createAwsPortsFactory({ credentials: sandbox.credentials })({ region: sandbox.region, endpoint: sandbox.endpoint }).pipelines.putApprovalResult({
        pipelineName: 'NORMAL_Deploy_Spryker_spryker-staging',
        stageName: 'Please_approve',
        actionName: 'Approval',
        token: waitingA.approval!.token,
        status: 'Approved',
        summary: 'x',
      }),
      (e: unknown) => isDeployError(e, 'stale-approval') || isDeployError(e, 'approval-already-decided'),
    );
    await staging.decide(waitingB.approval!, 'Approved', 'new');
    assert.equal((await staging.follow(b.executionId, poll)).status, 'Succeeded');
    assert.equal((await staging.status()).lastDeployedVersion, second);
  });

  it('rolls back to an earlier version from the candidates', async () => {
    await untilIdle(prod);
    const { candidates, missing } = await prod.rollbackCandidates();
    assert.equal(missing, undefined);
    assert.ok(candidates.length >= 2);
    assert.equal(candidates.filter((c) => c.current).length, 1);
    const times = candidates.map((c) => c.deployedAt?.getTime() ?? 0);
    assert.deepEqual(times, [...times].sort((x, y) => y - x), 'newest first');
    assert.equal(new Set(candidates.map((c) => c.version)).size, candidates.length, 'no duplicates');
    assert.ok(candidates.some((c) => c.deployedBy), 'who deployed, from the parameter history');
    const target = candidates.find((c) => !c.current)!;
    const { executionId } = await prod.deploy(target.version);
    const waiting = await prod.follow(executionId, { ...poll, stopAtApproval: true });
    await prod.decide(waiting.approval!, 'Approved', 'rollback');
    assert.equal((await prod.follow(executionId, poll)).status, 'Succeeded');
    assert.equal((await prod.status()).lastDeployedVersion, target.version);
  });

  it('refuses a malformed version without any request', async () => {
    sandbox.clearRequests();
    for (const bad of ['abc1234', 'main', `${'a'.repeat(39)}g`]) {
      await assert.rejects(prod.deploy(bad), (e: unknown) => isDeployError(e, 'invalid-input'));
    }
    assert.equal(sandbox.requests().length, 0);
  });

  it('reports a missing parameter and a missing pipeline on their part, and refuses to deploy to a missing pipeline', async () => {
    const ghost = make({ name: 'spryker-prod', parameters: { desiredVersion: '/spryker-prod/nope' }, pipelines: { normal: 'NORMAL_Deploy_Spryker_ghost' } });
    const status = await ghost.status();
    assert.deepEqual(status.errors.map((e) => [e.part, e.code]).sort(), [
      ['parameters', 'not-found'],
      ['pipeline', 'not-found'],
    ]);
    assert.ok(status.services.length > 0, 'services still reported');
    const version = sandbox.inspect.commits()[3].sha;
    await assert.rejects(ghost.deploy(version), (e: unknown) => isDeployError(e, 'not-found'));
    assert.equal(sandbox.inspect.parameter('/spryker-prod/nope'), undefined, 'nothing written');
  });

  it('refuses missing images unless allowed', async () => {
    await untilIdle(prod);
    const unbuilt = sandbox.inspect.commits()[0].sha;
    const pre = await prod.preflight(unbuilt);
    assert.ok(pre.missingImages.length > 0);
    const desired = sandbox.inspect.parameter('/spryker-prod/desired_version');
    await assert.rejects(prod.deploy(unbuilt), (e: unknown) => isDeployError(e, 'missing-images'));
    assert.equal(sandbox.inspect.parameter('/spryker-prod/desired_version'), desired);
  });

  it('restores desired_version when the pipeline cannot be started', async () => {
    await untilIdle(prod);
    const desired = sandbox.inspect.parameter('/spryker-prod/desired_version');
    const [version] = await deployable(prod);
    sandbox.control.addFault('error500:StartPipelineExecution');
    await assert.rejects(make({ name: 'spryker-prod' }, 1).deploy(version), (e: unknown) => isDeployError(e, 'start-failed') && e.details.restored?.ok === true);
    assert.equal(sandbox.inspect.parameter('/spryker-prod/desired_version'), desired);
  });

  it('expired credentials: a distinct error saying how to sign in; works again once renewed', async () => {
    sandbox.control.addFault('expired-credentials');
    await assert.rejects(prod.status(), (e: unknown) => isDeployError(e, 'credentials-expired') && /Sign in/.test(e.message));
    sandbox.control.clearFaults();
    assert.deepEqual((await prod.status()).errors, []);
  });

  it('throttling of one API is reported on its part only', async () => {
    sandbox.control.addFault('throttle:GetPipelineState');
    const status = await make({ name: 'spryker-prod' }, 1).status();
    assert.deepEqual(status.errors.map((e) => [e.part, e.code]), [['pipeline', 'throttled']]);
    assert.ok(status.desiredVersion);
    assert.ok(status.services.length > 0);
  });

  it('access denied to ECS is reported on the services part; parameters and pipeline still come through', async () => {
    sandbox.control.addFault('access-denied:DescribeServices');
    const status = await prod.status();
    assert.deepEqual(status.errors.map((e) => [e.part, e.code, e.awsCode]), [['services', 'access-denied', 'AccessDeniedException']]);
    assert.match(status.errors[0].message, /DescribeServices/);
    assert.ok(status.desiredVersion);
    assert.equal(status.pipeline?.name, 'NORMAL_Deploy_Spryker_spryker-prod');
  });

  it('a stale approval is refused after the execution was stopped', async () => {
    await untilIdle(staging);
    const [version] = await deployable(staging);
    const { executionId } = await staging.deploy(version);
    const waiting = await staging.follow(executionId, { ...poll, stopAtApproval: true });
    await staging.stop(executionId, 'integration test');
    await assert.rejects(staging.decide(waiting.approval!, 'Approved', ''), (e: unknown) => isDeployError(e, 'stale-approval'));
    await untilIdle(staging);
  });
});
