import * as assert from 'node:assert/strict';
import { resolveEnvironment } from '../../../src/core/environments';
import { createEnvironmentService } from '../../../src/core/environmentService';
import { DeployError, isDeployError } from '../../../src/core/errors';
import type { DeployProgress } from '../../../src/core/model';
import { restingWorld, SHA_A, SHA_B, SHA_C } from './fakePorts';

const prod = resolveEnvironment({ name: 'spryker-prod' });
const staging = resolveEnvironment({ name: 'spryker-staging' });
const desired = (aws: ReturnType<typeof restingWorld>, env = 'spryker-prod') => aws.parameters.get(`/${env}/desired_version`)!.at(-1)!.value;

describe('deploy', () => {
  it('refuses a malformed version before any AWS call', async () => {
    const aws = restingWorld();
    await assert.rejects(createEnvironmentService(prod, aws.ports).deploy('abc1234'), (e: unknown) => isDeployError(e, 'invalid-input'));
    assert.equal(aws.count(), 0);
  });

  it('checks, writes desired_version, starts the normal pipeline and reports each step', async () => {
    const aws = restingWorld();
    const events: DeployProgress[] = [];
    const started = await createEnvironmentService(prod, aws.ports).deploy(SHA_B.toUpperCase(), { onProgress: (p) => events.push(p) });
    assert.deepEqual(started, { executionId: 'exec-1', version: SHA_B, previousDesiredVersion: SHA_A });
    assert.equal(desired(aws), SHA_B);
    assert.equal(aws.count('DescribeImages'), 5);
    assert.deepEqual(events.map((e) => e.kind), ['checking', 'writing', 'parameter-written', 'started']);
  });

  it('refuses when images are missing unless allowed, writing nothing', async () => {
    const aws = restingWorld();
    aws.repositories.get('spryker-prod-b2c-glue')!.delete(SHA_B);
    const service = createEnvironmentService(prod, aws.ports);
    await assert.rejects(service.deploy(SHA_B), (e: unknown) => isDeployError(e, 'missing-images') && /spryker-prod-b2c-glue/.test(e.message));
    assert.equal(desired(aws), SHA_A);
    assert.equal(aws.count('PutParameter'), 0);
    await service.deploy(SHA_B, { allowMissingImages: true });
    assert.equal(desired(aws), SHA_B);
  });

  it('refuses while another execution runs or waits, unless superseding', async () => {
    const aws = restingWorld();
    aws.executions.unshift({ executionId: 'running', status: 'InProgress' });
    const service = createEnvironmentService(prod, aws.ports);
    const pre = await service.preflight(SHA_B);
    assert.equal(pre.activeExecution?.executionId, 'running');
    await assert.rejects(service.deploy(SHA_B), (e: unknown) => isDeployError(e, 'execution-active'));
    assert.equal(aws.count('PutParameter'), 0);
    assert.equal((await service.deploy(SHA_B, { supersede: true })).executionId, 'exec-1');
  });

  it('warns when the version is already deployed', async () => {
    const aws = restingWorld();
    const service = createEnvironmentService(prod, aws.ports);
    assert.equal((await service.preflight(SHA_A)).alreadyDeployed, true);
    const messages: string[] = [];
    await service.deploy(SHA_A, { onProgress: (p) => p.kind === 'checking' && messages.push(p.message) });
    assert.ok(messages.some((m) => /already the deployed version/.test(m)));
  });

  it('restores the previous desired_version when the start fails, and says so', async () => {
    const aws = restingWorld();
    aws.failures.set('StartPipelineExecution', new DeployError('access-denied', 'no start', { awsCode: 'AccessDeniedException' }));
    await assert.rejects(
      createEnvironmentService(prod, aws.ports).deploy(SHA_B),
      (e: unknown) => isDeployError(e, 'start-failed') && e.details.restored?.ok === true && e.details.restored.value === SHA_A && /restored/.test(e.message),
    );
    assert.equal(desired(aws), SHA_A);
    assert.deepEqual(aws.parameters.get('/spryker-prod/desired_version')!.slice(-2).map((h) => h.value), [SHA_B, SHA_A]);
  });

  /** The start fails (throttled) and so does the write that would restore desired_version (connection reset). */
  function startAndRestoreFail() {
    const aws = restingWorld();
    aws.failures.set('StartPipelineExecution', new DeployError('throttled', 'slow down'));
    const put = aws.ports.parameters.putParameter;
    let puts = 0;
    Object.assign(aws.ports.parameters, {
      putParameter: (n: string, v: string) => (++puts === 2 ? Promise.reject(new DeployError('network', 'connection reset')) : put(n, v)),
    });
    return createEnvironmentService(prod, aws.ports);
  }

  it('says when the restore failed too', async () => {
    const service = startAndRestoreFail();
    await assert.rejects(service.deploy(SHA_B), (e: unknown) => isDeployError(e, 'start-failed') && e.details.restored?.ok === false && /could not be restored/.test(e.message));
  });

  it('prints the full old value and a pasteable restore command when the restore failed', async () => {
    const service = startAndRestoreFail();
    await assert.rejects(service.deploy(SHA_B), (e: unknown) => {
      assert.ok(isDeployError(e, 'start-failed'));
      assert.ok(e.message.includes(`still holds ${SHA_B}`), e.message);
      assert.ok(e.message.includes(`aws ssm put-parameter --name /spryker-prod/desired_version --value ${SHA_A} --overwrite --region ${prod.region}`), e.message);
      return true;
    });
  });

  it('never starts the destructive pipeline', async () => {
    const aws = restingWorld();
    const names: string[] = [];
    const start = aws.ports.pipelines.startPipelineExecution;
    Object.assign(aws.ports.pipelines, { startPipelineExecution: (n: string) => (names.push(n), start(n)) });
    await createEnvironmentService(prod, aws.ports).deploy(SHA_B);
    assert.deepEqual(names, ['NORMAL_Deploy_Spryker_spryker-prod']);
  });

  it('resolves "latest" to lastbuildversion on staging, refuses it on production', async () => {
    const aws = restingWorld('spryker-staging');
    aws.repositories.get('spryker-staging-b2c-yves')!.add(SHA_C);
    for (const tags of aws.repositories.values()) tags.add(SHA_C);
    const started = await createEnvironmentService(staging, aws.ports).deploy('latest');
    assert.equal(started.version, SHA_C);
    assert.equal(desired(aws, 'spryker-staging'), SHA_C);
    await assert.rejects(createEnvironmentService(prod, restingWorld().ports).deploy('latest'), (e: unknown) => isDeployError(e, 'invalid-input') && /production/.test(e.message));
  });

  it('follows an execution to its end, reporting stages, and stops following on abort', async () => {
    const aws = restingWorld();
    const service = createEnvironmentService(prod, aws.ports, { pollMs: 5 });
    const { executionId } = await service.deploy(SHA_B);
    aws.stages = aws.stages.map((s, i) => (i === 0 ? { ...s, executionId, status: 'InProgress' } : s));
    const events: DeployProgress[] = [];
    const done = service.follow(executionId, { onProgress: (p) => events.push(p) });
    setTimeout(() => {
      aws.stages = aws.stages.map((s) => ({ ...s, executionId, status: 'Succeeded' }));
      aws.executions[0] = { ...aws.executions[0], status: 'Succeeded' };
    }, 30);
    const result = await done;
    assert.equal(result.status, 'Succeeded');
    assert.ok(events.some((e) => e.kind === 'stage' && e.stage === 'Source' && e.status === 'InProgress'));
    assert.equal(events.at(-1)?.kind, 'finished');

    const { executionId: second } = await service.deploy(SHA_A, { supersede: true });
    const controller = new AbortController();
    const following = service.follow(second, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(following, (e: unknown) => isDeployError(e, 'cancelled'));
    assert.equal(aws.executions[0].status, 'InProgress', 'the deploy itself goes on');
  });

  it('stops at the approval when asked, with the version it will deploy', async () => {
    const aws = restingWorld();
    const service = createEnvironmentService(prod, aws.ports, { pollMs: 5 });
    const { executionId } = await service.deploy(SHA_B);
    aws.stages = aws.stages.map((s) =>
      s.name === 'Please_approve' ? { ...s, executionId, status: 'InProgress', actions: [{ name: 'Approval', status: 'InProgress', token: 'tok' }] } : s,
    );
    const result = await service.follow(executionId, { stopAtApproval: true });
    assert.equal(result.status, 'AwaitingApproval');
    assert.equal(result.approval?.version, SHA_B);
  });
});
