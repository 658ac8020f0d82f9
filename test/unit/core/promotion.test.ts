import * as assert from 'node:assert/strict';
import { resolveEnvironment } from '../../../src/core/environments';
import type { EnvironmentStatus, ServiceStatus } from '../../../src/core/model';
import { compareEnvironments, planPromotion, promotionTarget } from '../../../src/core/promotion';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

function service(env: string, role: string, versions: string[], drift: ServiceStatus['drift'] = 'in-sync'): ServiceStatus {
  return {
    name: `${env}-${role}`,
    status: 'ACTIVE',
    desiredCount: 1,
    runningCount: 1,
    pendingCount: 0,
    deployments: [],
    images: versions.map((v) => ({ container: role, image: `repo:${v}`, tag: v })),
    tasks: [],
    runningVersions: versions,
    drift,
  };
}

function status(name: string, version: string | undefined, over: Partial<EnvironmentStatus> = {}): EnvironmentStatus {
  return {
    name,
    production: name.includes('prod'),
    region: 'eu-central-1',
    fetchedAt: new Date(0),
    ...(version ? { desiredVersion: version, lastDeployedVersion: version } : {}),
    pipeline: { name: `NORMAL_Deploy_Spryker_${name}`, status: 'Succeeded', executionId: 'e-1', stages: [] },
    services: version ? [service(name, 'zed', [version]), service(name, 'yves', [version])] : [],
    errors: [],
    ...over,
  };
}

describe('promotion', () => {
  it('promotes staging to prod by name, or where promotesTo says', () => {
    const envs = ['spryker-staging', 'spryker-prod', 'shop-stg', 'shop-production', 'qa'].map((name) => resolveEnvironment({ name }));
    assert.equal(promotionTarget(envs, 'spryker-staging'), 'spryker-prod');
    assert.equal(promotionTarget(envs, 'shop-stg'), 'shop-production');
    assert.equal(promotionTarget(envs, 'spryker-prod'), undefined);
    assert.equal(promotionTarget(envs, 'qa'), undefined);
    const custom = [resolveEnvironment({ name: 'qa', promotesTo: 'spryker-staging' }), ...envs.slice(0, 2)];
    assert.equal(promotionTarget(custom, 'qa'), 'spryker-staging');
  });

  it('refuses promotesTo naming the environment itself', () => {
    assert.throws(() => resolveEnvironment({ name: 'qa', promotesTo: 'qa' }), /promotesTo/);
  });

  it('plans exactly the version the source runs when everything agrees', () => {
    const plan = planPromotion(status('spryker-staging', A), status('spryker-prod', B));
    assert.deepEqual(plan, { ok: true, version: A, source: 'spryker-staging', target: 'spryker-prod', targetVersion: B });
  });

  it('refuses a source that is mid-deploy, with the reason', () => {
    const source = status('spryker-staging', A, { pipeline: { name: 'p', status: 'InProgress', executionId: 'e-9', currentStage: 'Deploy_Spryker_services', stages: [] } });
    const plan = planPromotion(source, status('spryker-prod', B));
    assert.equal(plan.ok, false);
    assert.match(!plan.ok ? plan.reasons.join(' ') : '', /spryker-staging is mid-deploy \(execution e-9 in Deploy_Spryker_services\)/);
  });

  it('refuses a source whose last deploy failed, and one whose desired_version was never deployed', () => {
    const failed = planPromotion(status('spryker-staging', A, { desiredVersion: B, pipeline: { name: 'p', status: 'Failed', executionId: 'e-3', stages: [] } }), status('spryker-prod', B));
    assert.equal(failed.ok, false);
    const reasons = !failed.ok ? failed.reasons : [];
    assert.ok(reasons.some((r) => /last deploy failed \(execution e-3\)/.test(r)), reasons.join('\n'));
    assert.ok(reasons.some((r) => /desired_version \(bbbbbbb\) is not its deployed version \(aaaaaaa\)/.test(r)), reasons.join('\n'));
  });

  it('does not call a rejected last execution a failed deploy; the unfinished desired_version is the reason', () => {
    const rejected = planPromotion(
      status('spryker-staging', A, { desiredVersion: B, pipeline: { name: 'p', status: 'Failed', executionId: 'e-4', stages: [], outcome: { kind: 'rejected', by: 'jane', comment: 'not today' } } }),
      status('spryker-prod', B),
    );
    assert.equal(rejected.ok, false);
    const reasons = rejected.ok ? [] : rejected.reasons;
    assert.ok(!reasons.some((r) => /failed/.test(r)), reasons.join('\n'));
    assert.ok(reasons.some((r) => /desired_version .* is not its deployed version/.test(r)), reasons.join('\n'));
  });

  it('refuses a drifted source naming the service, and says a rollout is a rollout, not drift', () => {
    const source = status('spryker-staging', A, { services: [service('spryker-staging', 'zed', [B], 'drifted'), service('spryker-staging', 'yves', [A, B], 'rolling')] });
    const plan = planPromotion(source, status('spryker-prod', B));
    const text = !plan.ok ? plan.reasons.join('\n') : '';
    assert.match(text, /spryker-staging-zed drifted \(runs bbbbbbb, deployed aaaaaaa\)/);
    assert.match(text, /spryker-staging-yves is rolling out/);
  });

  it('refuses when the target already runs it, or is busy unless superseding', () => {
    const same = planPromotion(status('spryker-staging', A), status('spryker-prod', A));
    assert.match(!same.ok ? same.reasons[0] : '', /spryker-prod already runs aaaaaaa/);
    const busyTarget = status('spryker-prod', B, { pipeline: { name: 'p', status: 'InProgress', executionId: 'e-7', stages: [] } });
    assert.equal(planPromotion(status('spryker-staging', A), busyTarget).ok, false);
    const superseding = planPromotion(status('spryker-staging', A), busyTarget, { supersede: true });
    assert.equal(superseding.ok && superseding.supersedes, 'e-7');
  });

  it('refuses when what the source runs cannot be read, never guessing', () => {
    const plan = planPromotion(status('spryker-staging', A, { services: [], errors: [{ part: 'services', code: 'access-denied', message: 'ecs:DescribeServices denied' }] }), status('spryker-prod', B));
    assert.match(!plan.ok ? plan.reasons.join(' ') : '', /could not be read \(ecs:DescribeServices denied\)/);
  });

  it('compares service by service across environment prefixes', () => {
    const c = compareEnvironments(status('spryker-staging', A), status('spryker-prod', B, { services: [service('spryker-prod', 'zed', [B]), service('spryker-prod', 'glue', [B])] }));
    assert.deepEqual(c.services, [
      { role: 'glue', target: [B], same: false },
      { role: 'yves', source: [A], same: false },
      { role: 'zed', source: [A], target: [B], same: false },
    ]);
    assert.equal(c.sameVersion, false);
  });
});
