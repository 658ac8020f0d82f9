import * as assert from 'node:assert/strict';
import { resolveEnvironment, resolveEnvironments, looksLikeProduction } from '../../../src/core/environments';
import { isDeployError } from '../../../src/core/errors';

describe('environments', () => {
  it('derives every AWS name from the environment name', () => {
    const env = resolveEnvironment({ name: 'spryker-prod' });
    assert.deepEqual(env, {
      name: 'spryker-prod',
      production: true,
      region: 'eu-central-1',
      parameters: {
        desiredVersion: '/spryker-prod/desired_version',
        lastDeployedVersion: ['/spryker-prod/last_deployed_version', '/spryker-prod/lastdeployedversion'],
        lastBuildVersion: '/spryker-prod/lastbuildversion',
      },
      pipelines: {
        normal: 'NORMAL_Deploy_Spryker_spryker-prod',
        destructive: 'DESTRUCTIVE_Deploy_Spryker_spryker-prod',
        rolloutScheduler: 'Rollout_Scheduler_spryker-prod',
        maintenanceEnable: 'Maintenance_Enable_spryker-prod',
        maintenanceDisable: 'Maintenance_Disable_spryker-prod',
      },
      cluster: 'spryker-prod',
      services: 'all',
      repositories: 'auto',
      stages: {
        comparison: 'Prepare_versions_information_for_Approval_stage',
        approval: 'Please_approve',
        approvalAction: 'Approval',
        updateDeployedVersion: 'UpdateDeployedVersion',
      },
      logGroups: { codebuild: '/aws/codebuild/spryker-prod', codebuildDestructive: '/aws/codebuild/danger/spryker-prod' },
    });
  });

  it('tells production from the name by a whole segment', () => {
    assert.equal(looksLikeProduction('spryker-prod'), true);
    assert.equal(looksLikeProduction('acme_production'), true);
    assert.equal(looksLikeProduction('spryker-preprod'), false);
    assert.equal(looksLikeProduction('spryker-staging'), false);
    assert.equal(looksLikeProduction('product-catalog-dev'), false);
    assert.equal(resolveEnvironment({ name: 'spryker-prod', production: false }).production, false);
    assert.equal(resolveEnvironment({ name: 'spryker-staging', production: true }).production, true);
  });

  it('applies overrides, a single deployed-version name and the defaults for profile/region/endpoint', () => {
    const env = resolveEnvironment(
      {
        name: 'acme-stage',
        region: 'eu-west-1',
        parameters: { lastDeployedVersion: '/acme/deployed' },
        services: ['acme-stage-yves', 'acme-stage-yves', 'acme-stage-zed'],
        stages: { approvalAction: 'ManualApproval' },
      },
      { profile: 'acme-sso', region: 'us-east-1', endpoint: 'http://127.0.0.1:4566' },
    );
    assert.equal(env.region, 'eu-west-1');
    assert.equal(env.profile, 'acme-sso');
    assert.equal(env.endpoint, 'http://127.0.0.1:4566');
    assert.deepEqual(env.parameters.lastDeployedVersion, ['/acme/deployed']);
    assert.deepEqual(env.services, ['acme-stage-yves', 'acme-stage-zed']);
    assert.equal(env.stages.approvalAction, 'ManualApproval');
    assert.equal(env.stages.approval, 'Please_approve');
    assert.equal(resolveEnvironment({ name: 'x' }, { region: 'us-east-1' }).region, 'us-east-1');
  });

  const bad: [string, unknown, RegExp][] = [
    ['name', { name: 'has space' }, /"name"/],
    ['missing name', {}, /"name"/],
    ['region', { name: 'e', region: 'Frankfurt' }, /"region"/],
    ['endpoint', { name: 'e', endpoint: 'localhost:4566' }, /"endpoint"/],
    ['parameters.desiredVersion', { name: 'e', parameters: { desiredVersion: 'has space' } }, /"parameters\.desiredVersion"/],
    ['parameters.lastDeployedVersion', { name: 'e', parameters: { lastDeployedVersion: [] } }, /"parameters\.lastDeployedVersion"/],
    ['services', { name: 'e', services: 'some' }, /"services"/],
    ['repositories', { name: 'e', repositories: [] }, /"repositories"/],
    ['production', { name: 'e', production: 'yes' }, /"production"/],
    ['unknown key', { name: 'e', pipeline: {} }, /unknown setting "pipeline"/],
    ['unknown sub-key', { name: 'e', stages: { approve: 'x' } }, /unknown setting "stages\.approve"/],
  ];
  for (const [what, settings, message] of bad) {
    it(`refuses a bad ${what} naming the key`, () => {
      assert.throws(
        () => resolveEnvironment(settings as never),
        (e: unknown) => isDeployError(e, 'invalid-settings') && message.test(e.message),
      );
    });
  }

  it('refuses the same environment twice in a list', () => {
    assert.throws(() => resolveEnvironments([{ name: 'a' }, { name: 'a' }]), /configured twice/);
    assert.equal(resolveEnvironments([{ name: 'a' }, { name: 'b' }]).length, 2);
  });
});
