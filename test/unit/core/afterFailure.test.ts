// After a deploy that failed part-way (ECS's circuit breaker rolled one service back, the others moved on): the
// environment says what runs where, how desired_version and last_deployed_version disagree with it and what to do,
// and never calls the services the failed deploy moved "drifted".
import * as assert from 'node:assert/strict';
import { describeLeftovers, failedDeployLeftovers, troubledRollout } from '../../../src/core/afterFailure';
import type { EnvironmentStatus, ServiceStatus } from '../../../src/core/model';
import { computeDrift } from '../../../src/core/status';
import { statusText } from '../../../src/cli/render';
import { SHA_A, SHA_B, SHA_C } from './fakePorts';

const OLD = SHA_A;
const NEW = SHA_B;
const done = [{ status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 2 }];

function service(name: string, runs: readonly string[], over: Partial<ServiceStatus> = {}): ServiceStatus {
  return {
    name,
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    rolloutState: 'COMPLETED',
    deployments: [{ id: `ecs-svc/${name}`, status: 'PRIMARY', taskDefinition: `${name}:2`, rolloutState: 'COMPLETED', desiredCount: 2, runningCount: 2, pendingCount: 0, images: [] }],
    images: runs.map((tag) => ({ container: 'app', image: `repo:${tag}`, tag })),
    tasks: [],
    runningVersions: runs,
    drift: computeDrift({ deployedVersion: OLD, failedVersion: NEW, deployments: done, runningVersions: runs }),
    ...over,
  };
}

const rolledBackYves = service('spryker-staging-yves', [OLD], {
  failedDeployment: { id: 'ecs-svc/9', status: 'INACTIVE', taskDefinition: 'spryker-staging-yves:3', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.', failedTasks: 3, desiredCount: 0, runningCount: 0, pendingCount: 0, images: [] },
});

function afterRollback(over: Partial<EnvironmentStatus> = {}): EnvironmentStatus {
  return {
    name: 'spryker-staging',
    production: false,
    region: 'eu-central-1',
    fetchedAt: new Date('2026-11-30T10:00:00Z'),
    desiredVersion: NEW,
    lastDeployedVersion: OLD,
    lastDeployedParameter: '/spryker-staging/last_deployed_version',
    pipeline: {
      name: 'NORMAL_Deploy_Spryker_spryker-staging',
      status: 'Failed',
      executionId: 'e1',
      stages: [],
      outcome: { kind: 'failed', stage: 'Deploy_Spryker_services', action: 'Deploy_Spryker_services', message: 'ECS deployment circuit breaker: tasks failed to start.' },
    },
    services: [rolledBackYves, service('spryker-staging-zed', [NEW]), service('spryker-staging-glue', [NEW])],
    errors: [],
    ...over,
  };
}

const names = { envName: 'spryker-staging', desiredParameter: '/spryker-staging/desired_version', deployedParameter: '/spryker-staging/last_deployed_version' };

describe('after a deploy that failed part-way', () => {
  it('services on the failed execution\'s version are explained by it, not drifted; a version nothing explains still is', () => {
    assert.equal(computeDrift({ deployedVersion: OLD, failedVersion: NEW, deployments: done, runningVersions: [NEW] }), 'failed-deploy');
    assert.equal(computeDrift({ deployedVersion: OLD, failedVersion: NEW, deployments: done, runningVersions: [OLD, NEW] }), 'failed-deploy');
    assert.equal(computeDrift({ deployedVersion: OLD, failedVersion: NEW, deployments: done, runningVersions: [OLD] }), 'in-sync');
    assert.equal(computeDrift({ deployedVersion: OLD, failedVersion: NEW, deployments: done, runningVersions: [SHA_C] }), 'drifted');
    assert.equal(computeDrift({ deployedVersion: OLD, deployments: done, runningVersions: [NEW] }), 'drifted', 'without a failed execution it is drift');
  });

  it('groups what runs by version, the failed version first, and names the services ECS rolled back', () => {
    const left = failedDeployLeftovers(afterRollback());
    assert.deepEqual(left, {
      ended: 'failed',
      stage: 'Deploy_Spryker_services',
      failedVersion: NEW,
      deployedVersion: OLD,
      runs: [
        { version: NEW, services: ['spryker-staging-glue', 'spryker-staging-zed'] },
        { version: OLD, services: ['spryker-staging-yves'] },
      ],
      mixed: [],
      rolledBack: ['spryker-staging-yves'],
    });
  });

  it('says plainly what runs, that both parameters disagree with it, and what to do', () => {
    const text = describeLeftovers(failedDeployLeftovers(afterRollback())!, names);
    assert.equal(text.short, 'services: 2 on bbbbbbb, 1 rolled back to aaaaaaa');
    assert.equal(
      text.runsNow,
      'Runs now: bbbbbbb (the version of the failed deploy) on 2 services: glue, zed; aaaaaaa (the last good version) on 1 service: yves (ECS rolled it back).',
    );
    assert.equal(
      text.parameters,
      '/spryker-staging/desired_version holds bbbbbbb (the failed deploy wrote it), which runs on 2 services only; /spryker-staging/last_deployed_version holds aaaaaaa, which runs on 1 service only.',
    );
    assert.equal(text.advice, 'Roll Back to aaaaaaa (the last good version) to run it everywhere, or Retry Deploy_Spryker_services to finish bbbbbbb once its cause is fixed.');
  });

  it('has nothing to sum up when the deployed version still runs everywhere (a build stage failed before any service moved)', () => {
    const early = afterRollback({
      pipeline: { ...afterRollback().pipeline!, outcome: { kind: 'failed', stage: 'Run_install' } },
      services: [service('spryker-staging-yves', [OLD]), service('spryker-staging-zed', [OLD])],
    });
    assert.equal(failedDeployLeftovers(early), undefined);
    assert.equal(failedDeployLeftovers(afterRollback({ pipeline: { ...afterRollback().pipeline!, status: 'Succeeded', outcome: { kind: 'deployed' } } })), undefined, 'a success is not a failure');
  });

  it('a stopped deploy that left services on its version is summed up too, without Retry', () => {
    const stopped = afterRollback({ pipeline: { ...afterRollback().pipeline!, status: 'Stopped', outcome: { kind: 'stopped', stage: 'Deploy_Spryker_services' } }, services: [service('spryker-staging-zed', [NEW]), service('spryker-staging-yves', [OLD])] });
    const text = describeLeftovers(failedDeployLeftovers(stopped)!, names);
    assert.match(text.runsNow, /bbbbbbb \(the version of the stopped deploy\) on 1 service: zed; aaaaaaa \(the last good version\) on 1 service: yves\.$/);
    assert.equal(text.advice, 'Roll Back to aaaaaaa (the last good version) to run it everywhere.');
  });

  it('only a failed or failing rollout has stopped tasks worth reading', () => {
    assert.equal(troubledRollout(rolledBackYves)?.id, 'ecs-svc/9');
    assert.equal(troubledRollout(service('spryker-staging-zed', [NEW])), undefined);
    const failing = service('spryker-staging-zed', [OLD], {
      deployments: [{ id: 'ecs-svc/10', status: 'PRIMARY', taskDefinition: 'zed:4', rolloutState: 'IN_PROGRESS', failedTasks: 2, desiredCount: 2, runningCount: 0, pendingCount: 1, images: [] }],
    });
    assert.equal(troubledRollout(failing)?.id, 'ecs-svc/10');
  });

  it('spryker-deploy status prints what runs now, the parameters and what to do, and no service as drifted', () => {
    const text = statusText(afterRollback());
    assert.match(text, /runs now {2}bbbbbbb \(the version of the failed deploy\) on 2 services: glue, zed; aaaaaaa \(the last good version\) on 1 service: yves \(ECS rolled it back\)\./);
    assert.match(text, /desired_version holds bbbbbbb \(the failed deploy wrote it\)/);
    assert.match(text, /next {6}Roll Back to aaaaaaa \(the last good version\)/);
    assert.doesNotMatch(text, /\bdrifted\b/);
    assert.match(text, /spryker-staging-zed +2\/2 +bbbbbbb +failed-deploy/);
  });
});
