import * as assert from 'node:assert/strict';
import { createCoreCaches } from '../../../src/core/caches';
import { resolveEnvironment } from '../../../src/core/environments';
import { createEnvironmentService } from '../../../src/core/environmentService';
import { DeployError } from '../../../src/core/errors';
import { computeDrift } from '../../../src/core/status';
import type { ContainerImage } from '../../../src/core/model';
import { restingWorld, SHA_A, SHA_B } from './fakePorts';

describe('status', () => {
  it('assembles versions, pipeline, services, primary images and task images', async () => {
    const aws = restingWorld();
    const status = await createEnvironmentService(resolveEnvironment({ name: 'spryker-prod' }), aws.ports).status();
    assert.equal(status.desiredVersion, SHA_A);
    assert.equal(status.lastDeployedVersion, SHA_A);
    assert.equal(status.lastDeployedParameter, '/spryker-prod/last_deployed_version');
    assert.equal(status.pipeline?.status, 'Succeeded');
    assert.equal(status.pipeline?.executionId, 'exec-old');
    assert.equal(status.pipeline?.pendingApproval, undefined);
    assert.equal(status.services.length, 5);
    const yves = status.services.find((s) => s.name === 'spryker-prod-yves')!;
    assert.deepEqual(yves.images.map((i) => i.tag), [SHA_A]);
    assert.equal(yves.tasks.length, 2);
    assert.deepEqual(yves.tasks[0].images.map((i) => i.container), ['yves', 'log-router']);
    assert.deepEqual(yves.runningVersions, [SHA_A]);
    assert.equal(yves.drift, 'in-sync');
    assert.deepEqual(status.errors, []);
  });

  it('finds the other spelling of the deployed-version parameter without configuration', async () => {
    const aws = restingWorld('spryker-staging');
    aws.parameters.set('/spryker-staging/lastdeployedversion', aws.parameters.get('/spryker-staging/last_deployed_version')!);
    aws.parameters.delete('/spryker-staging/last_deployed_version');
    const status = await createEnvironmentService(resolveEnvironment({ name: 'spryker-staging' }), aws.ports).status();
    assert.equal(status.lastDeployedParameter, '/spryker-staging/lastdeployedversion');
    assert.equal(status.lastDeployedVersion, SHA_A);
    assert.equal(aws.count('GetParameters'), 1);
  });

  it('steady state: at most 5 calls in at most 2 round trips, task definitions cached', async () => {
    const aws = restingWorld('spryker-prod', 10);
    const service = createEnvironmentService(resolveEnvironment({ name: 'spryker-prod' }), aws.ports);
    await service.status();
    const cold = aws.count();
    assert.ok(aws.count('ListServices') === 1 && aws.count('DescribeTaskDefinition') === 10, `cold: ${JSON.stringify(aws.calls)}`);
    aws.resetCalls();
    await service.status();
    assert.deepEqual(aws.calls.map((c) => c.operation).sort(), ['DescribeServices', 'DescribeTasks', 'GetParameters', 'GetPipelineState', 'ListTasks']);
    assert.ok(aws.count() <= 5 && aws.rounds() <= 2, `steady: ${aws.count()} calls in ${aws.rounds()} rounds (cold ${cold})`);
    assert.deepEqual(aws.calls.filter((c) => c.depth === 2).map((c) => c.operation), ['DescribeTasks']);
  });

  it('cold status in a new process with the persistent image cache: 6 calls in 2 round trips, the same result', async () => {
    const aws = restingWorld('spryker-prod', 7);
    const config = resolveEnvironment({ name: 'spryker-prod' });
    const stored = new Map<string, readonly ContainerImage[]>();
    const persistent = { get: (k: string) => stored.get(k), set: (k: string, v: readonly ContainerImage[]) => void stored.set(k, v) };
    // The first process ever asks for every revision and stores it.
    const first = await createEnvironmentService(config, aws.ports, { caches: createCoreCaches({ persistent }) }).status();
    assert.equal(aws.count('DescribeTaskDefinition'), 7);
    assert.equal(stored.size, 7);
    // The next process starts with empty memory caches and the stored images.
    aws.resetCalls();
    const second = await createEnvironmentService(config, aws.ports, { caches: createCoreCaches({ persistent }) }).status();
    assert.deepEqual(aws.calls.map((c) => c.operation).sort(), ['DescribeServices', 'DescribeTasks', 'GetParameters', 'GetPipelineState', 'ListServices', 'ListTasks']);
    assert.equal(aws.rounds(), 2);
    assert.deepEqual({ ...second, fetchedAt: undefined }, { ...first, fetchedAt: undefined });
  });

  it('DescribeTasks leaves as soon as ListTasks answers, not after the slowest call of the first round', async () => {
    const aws = restingWorld('spryker-prod', 3);
    const config = resolveEnvironment({ name: 'spryker-prod' });
    const slow = aws.ports.pipelines.getPipelineState.bind(aws.ports.pipelines);
    let describeTasksWhileStateRuns = false;
    let stateDone = false;
    const describe = aws.ports.containers.describeTasks.bind(aws.ports.containers);
    const ports = {
      ...aws.ports,
      pipelines: Object.assign(Object.create(aws.ports.pipelines) as typeof aws.ports.pipelines, {
        getPipelineState: async (name: string) => {
          const state = await slow(name);
          await new Promise((r) => setTimeout(r, 50));
          stateDone = true;
          return state;
        },
      }),
      containers: Object.assign(Object.create(aws.ports.containers) as typeof aws.ports.containers, {
        describeTasks: (cluster: string, arns: readonly string[]) => {
          describeTasksWhileStateRuns = !stateDone;
          return describe(cluster, arns);
        },
      }),
    };
    await createEnvironmentService(config, ports).status();
    assert.ok(describeTasksWhileStateRuns, 'DescribeTasks waited for GetPipelineState');
  });

  it('many environments refresh in parallel in the same 2 round trips, sharing the task definition cache', async () => {
    const aws = restingWorld('spryker-prod', 5);
    const caches = createCoreCaches();
    const services = ['a', 'b', 'c', 'd', 'e'].map((n) => createEnvironmentService(resolveEnvironment({ name: 'spryker-prod', cluster: 'spryker-prod', profile: n }), aws.ports, { caches }));
    await Promise.all(services.map((s) => s.status()));
    assert.equal(aws.count('DescribeTaskDefinition'), 5, 'one lookup per task definition across environments');
    aws.resetCalls();
    await Promise.all(services.map((s) => s.status()));
    assert.equal(aws.count(), 25);
    assert.equal(aws.rounds(), 2);
  });

  it('reports the other parts when ECS access is denied and the pipeline is missing', async () => {
    const aws = restingWorld();
    aws.failures.set('DescribeServices', new DeployError('access-denied', 'not allowed', { awsCode: 'AccessDeniedException' }));
    aws.pipelineExists = false;
    const status = await createEnvironmentService(resolveEnvironment({ name: 'spryker-prod' }), aws.ports).status();
    assert.equal(status.desiredVersion, SHA_A);
    assert.equal(status.pipeline, undefined);
    assert.deepEqual(status.services, []);
    assert.deepEqual(
      status.errors.map((e) => [e.part, e.code]),
      [
        ['pipeline', 'not-found'],
        ['services', 'access-denied'],
      ],
    );
    assert.equal(status.errors[1].awsCode, 'AccessDeniedException');
  });

  it('reports a missing desired_version parameter as an error of that part', async () => {
    const aws = restingWorld();
    aws.parameters.delete('/spryker-prod/desired_version');
    const status = await createEnvironmentService(resolveEnvironment({ name: 'spryker-prod' }), aws.ports).status();
    assert.equal(status.desiredVersion, undefined);
    assert.match(status.errors.find((e) => e.part === 'parameters')!.message, /desired_version does not exist/);
    assert.equal(status.services.length, 5);
  });

  it('throws when credentials have expired: the whole environment is unusable', async () => {
    const aws = restingWorld();
    aws.failures.set('ListTasks', new DeployError('credentials-expired', 'expired', { awsCode: 'ExpiredTokenException' }));
    await assert.rejects(createEnvironmentService(resolveEnvironment({ name: 'spryker-prod' }), aws.ports).status(), (e: unknown) => (e as DeployError).kind === 'credentials-expired');
  });

  it('shows a waiting approval with the desired version it will deploy', async () => {
    const aws = restingWorld();
    aws.setParameter('/spryker-prod/desired_version', SHA_B);
    aws.stages = aws.stages.map((s) =>
      s.name === 'Please_approve'
        ? { ...s, status: 'InProgress', executionId: 'exec-new', actions: [{ name: 'Approval', status: 'InProgress', token: 'tok-1', lastStatusChange: new Date(aws.clock) }] }
        : s.name === 'Source' || s.name.startsWith('Prepare')
          ? { ...s, executionId: 'exec-new' }
          : s,
    );
    const status = await createEnvironmentService(resolveEnvironment({ name: 'spryker-prod' }), aws.ports).status();
    assert.equal(status.pipeline?.status, 'InProgress');
    assert.equal(status.pipeline?.currentStage, 'Please_approve');
    assert.deepEqual(
      { ...status.pipeline?.pendingApproval, requestedAt: undefined },
      { pipelineName: 'NORMAL_Deploy_Spryker_spryker-prod', stageName: 'Please_approve', actionName: 'Approval', token: 'tok-1', executionId: 'exec-new', version: SHA_B, requestedAt: undefined },
    );
  });

  it('falls back to the only action with a token when the configured action name differs', async () => {
    const aws = restingWorld();
    aws.stages = aws.stages.map((s) => (s.name === 'Please_approve' ? { ...s, status: 'InProgress', executionId: 'x', actions: [{ name: 'ManualApproval', status: 'InProgress', token: 't' }] } : s));
    const status = await createEnvironmentService(resolveEnvironment({ name: 'spryker-prod' }), aws.ports).status();
    assert.equal(status.pipeline?.pendingApproval?.actionName, 'ManualApproval');
  });

  it('detects drift and mixed versions from the running tasks', async () => {
    const aws = restingWorld();
    const zedTasks = aws.tasks.filter((t) => t.group === 'service:spryker-prod-zed');
    Object.assign(zedTasks[0], { containers: [{ name: 'zed', image: `repo/spryker-prod-zed:${SHA_B}` }] });
    const yvesTasks = aws.tasks.filter((t) => t.group === 'service:spryker-prod-yves');
    for (const t of yvesTasks) Object.assign(t, { containers: [{ name: 'yves', image: `repo/spryker-prod-yves:${SHA_B}` }] });
    const status = await createEnvironmentService(resolveEnvironment({ name: 'spryker-prod' }), aws.ports).status();
    assert.equal(status.services.find((s) => s.name === 'spryker-prod-zed')!.drift, 'mixed');
    assert.equal(status.services.find((s) => s.name === 'spryker-prod-yves')!.drift, 'drifted');
    assert.equal(status.services.find((s) => s.name === 'spryker-prod-glue'), undefined);
  });

  it('computes drift', () => {
    const done = [{ status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 2 }];
    assert.equal(computeDrift({ deployedVersion: SHA_A, deployments: done, runningVersions: [SHA_A] }), 'in-sync');
    assert.equal(computeDrift({ deployedVersion: SHA_A, deployments: done, runningVersions: [SHA_B] }), 'drifted');
    assert.equal(computeDrift({ deployedVersion: SHA_A, deployments: done, runningVersions: [SHA_A, SHA_B] }), 'mixed');
    assert.equal(computeDrift({ deployedVersion: undefined, deployments: done, runningVersions: [SHA_A] }), 'unknown');
    assert.equal(computeDrift({ deployedVersion: SHA_A, deployments: done, runningVersions: [] }), 'unknown');
    assert.equal(
      computeDrift({ deployedVersion: SHA_A, deployments: [{ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', runningCount: 1 }, { status: 'ACTIVE', runningCount: 2 }], runningVersions: [SHA_A, SHA_B] }),
      'rolling',
    );
  });
});
