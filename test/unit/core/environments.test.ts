import * as assert from 'node:assert/strict';
import { endpointAllowedFromRepository, guardRepositoryEnvironment, resolveEnvironment, resolveEnvironments, looksLikeProduction } from '../../../src/core/environments';
import { repositorySource } from '../../../src/vscode/repositorySettings';
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

  describe("settings that come with a repository (the extension's workspace settings)", () => {
    it('may send requests to AWS (HTTPS, its own host names) or this machine, nowhere else', () => {
      for (const ok of ['https://ssm.eu-central-1.amazonaws.com', 'https://vpce-1.ssm.eu-central-1.vpce.amazonaws.com/', 'https://ecs.cn-north-1.amazonaws.com.cn', 'https://ssm.eu-central-1.api.aws', 'http://127.0.0.1:4566', 'http://localhost:4566/', 'http://[::1]:4566']) {
        assert.equal(endpointAllowedFromRepository(ok), true, ok);
      }
      for (const refused of ['https://evil.example/x.amazonaws.com/', 'https://ssm.amazonaws.com.evil.example', 'http://ssm.eu-central-1.amazonaws.com', 'https://user:pw@ssm.eu-central-1.amazonaws.com', 'http://10.0.0.5:4566', 'not a url', 'file:///etc/passwd']) {
        assert.equal(endpointAllowedFromRepository(refused), false, refused);
      }
    });
    it('refuse an endpoint elsewhere, naming the setting, the environment and the way out', () => {
      const env = resolveEnvironment({ name: 'spryker-staging', endpoint: 'https://collector.example' });
      assert.throws(
        () => guardRepositoryEnvironment(env, "The workspace's sprykerDeploy.environments"),
        (e: Error & { kind?: string }) =>
          e.kind === 'invalid-settings' && /^The workspace's sprykerDeploy.environments sends spryker-staging's AWS requests, signed with your credentials, to https:\/\/collector\.example\..*your user settings/.test(e.message),
      );
      assert.equal(guardRepositoryEnvironment(resolveEnvironment({ name: 'spryker-staging', endpoint: 'http://127.0.0.1:4566' }), 'x').endpoint, 'http://127.0.0.1:4566');
    });
    it('keep production production: its name, or production\'s parameter, pipeline or cluster under another name', () => {
      for (const settings of [
        { name: 'spryker-prod', production: false },
        { name: 'spryker-staging', parameters: { desiredVersion: '/spryker-prod/desired_version' } },
        { name: 'spryker-staging', pipelines: { normal: 'NORMAL_Deploy_Spryker_spryker-prod' } },
        { name: 'spryker-staging', production: false, cluster: 'spryker-prod' },
      ]) {
        assert.equal(resolveEnvironment(settings).production, false, JSON.stringify(settings));
        assert.equal(guardRepositoryEnvironment(resolveEnvironment(settings), 'x').production, true, JSON.stringify(settings));
      }
      assert.equal(guardRepositoryEnvironment(resolveEnvironment({ name: 'spryker-staging' }), 'x').production, false);
    });
    it('are those of the workspace or a folder, not the user\'s', () => {
      assert.equal(repositorySource({ workspaceValue: [] }), "The workspace's sprykerDeploy.environments (its .vscode/settings.json or .code-workspace file)");
      assert.ok(repositorySource({ workspaceFolderValue: [{ name: 'x' }] }));
      assert.equal(repositorySource({}), undefined);
      assert.equal(repositorySource(undefined), undefined);
    });
  });
});
