// Cancelling the progress notification of a followed deploy stops following, not the deploy: the command ends
// at once, the pipeline keeps running on to its approval, desired_version stays the deployed version. The
// Cancel button is stood in for by the test API's cancellation token (notifications cannot be clicked here).
import * as assert from 'node:assert/strict';
import type { TestApi } from '../../src/vscode/testApi';
import { activateExtension, deployableVersion, environmentSettings, sandbox, sandboxService, setSandboxStageSeconds, waitFor, withSettings } from './helpers';

const ENV = 'spryker-staging';

describe('cancelling a followed deploy (extension host + sandbox)', function () {
  this.timeout(90_000);
  const sb = sandbox();

  it('stops following at once while the pipeline keeps running and desired_version stays as deployed', async () => {
    assert.ok(sb, 'the sandbox is not running: start these tests with `npm run test:vscode`');
    const api = await activateExtension<TestApi | undefined>();
    assert.ok(api?.deploys, 'activate() returned no test API');
    // Slow stages: the cancel must land while the execution still runs.
    await setSandboxStageSeconds(sb, 2);
    const service = sandboxService(sb, { name: ENV, production: false });
    api.setConfirmer({ confirm: async () => true });
    try {
      await withSettings({ 'sprykerDeploy.environments': environmentSettings(sb, [{ name: ENV, production: false }]), 'sprykerDeploy.notifications.approval': false }, async () => {
        const env = await waitFor(() => api.store.environment(ENV)?.endpoint === sb.endpoint && api.store.environment(ENV), { message: 'settings applied' });
        const before = await service.status();
        const version = await deployableVersion(sb, before.lastDeployedVersion, before.desiredVersion);

        const deploying = api.deploys.deploy(env, version, 'deploy');
        const started = await waitFor(
          async () => {
            const p = (await service.status()).pipeline;
            return p?.executionId && p.executionId !== before.pipeline?.executionId && p.status === 'InProgress' ? p.executionId : undefined;
          },
          { timeoutMs: 20_000, intervalMs: 100, message: 'the deploy to start its execution' },
        );
        // The command is following now (it polls the execution right after starting it).
        await new Promise((r) => setTimeout(r, 300));
        const cancelledAt = Date.now();
        api.cancelFollowing();
        const result = await deploying;
        const tookMs = Date.now() - cancelledAt;
        assert.equal(result, undefined, `the follow ran to ${JSON.stringify(result?.status)} instead of stopping`);
        assert.ok(tookMs < 2000, `stopping took ${tookMs} ms`);

        const after = await service.status();
        assert.equal(after.pipeline?.executionId, started, 'another execution replaced the followed one');
        assert.equal(after.pipeline?.status, 'InProgress', 'the execution did not keep running');
        assert.equal(after.desiredVersion, version, 'desired_version changed back');
        const continued = await service.follow(started, { stopAtApproval: true, pollMs: 200 });
        assert.equal(continued.status, 'AwaitingApproval', 'the execution went on to its approval');
        assert.equal((await service.status()).desiredVersion, version);
        const waiting = await service.approvalDetails();
        if (waiting) await service.decide(waiting.approval, 'Rejected', 'follow-cancel test cleanup');
      });
    } finally {
      api.setConfirmer(undefined);
      await setSandboxStageSeconds(sb, 0.5);
    }
  });
});
