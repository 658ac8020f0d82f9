// One status pipeline: a deploy followed in the extension is the store's watch plus its transitions. Counted in the
// sandbox's request log: every GetPipelineState while following is one of the store's reads (the follow makes no
// call of its own), and the approval it reaches is told once.
import * as assert from 'node:assert/strict';
import type { ShownMessage } from '../../src/vscode/messages';
import type { TestApi } from '../../src/vscode/testApi';
import { activateExtension, deployableVersion, environmentSettings, sandbox, sandboxJson, sandboxService, waitFor, withSettings } from './helpers';

const ENV = 'spryker-staging';

describe('following a deploy (extension host + sandbox)', function () {
  this.timeout(90_000);
  const sb = sandbox();

  it('reads the pipeline once per tick, through the store only, and tells the waiting approval once', async () => {
    assert.ok(sb, 'the sandbox is not running: start these tests with `npm run test:vscode`');
    const api = await activateExtension<TestApi>();
    const service = sandboxService(sb, { name: ENV, production: false });
    const shown: ShownMessage[] = [];
    api.setConfirmer({ confirm: async () => true });
    api.answerMessages(async (m) => void shown.push(m));
    try {
      await withSettings(
        {
          'sprykerDeploy.environments': environmentSettings(sb, [{ name: ENV, production: false }]),
          'sprykerDeploy.notifications.approval': true,
          'sprykerDeploy.polling.activeSeconds': 1,
        },
        async () => {
          const env = await waitFor(() => api.store.environment(ENV)?.endpoint === sb.endpoint && api.store.environment(ENV), { message: 'settings applied' });
          const before = await service.status();
          const version = await deployableVersion(sb, before.lastDeployedVersion, before.desiredVersion);
          await api.store.refresh(ENV);
          shown.length = 0;

          const since = (await sandboxJson<{ total: number }>(sb.endpoint, '/requests')).total;
          const readsBefore = api.store.refreshCount;
          const result = await api.deploys.deploy(env, version, 'deploy');
          const requests = (await sandboxJson<{ requests: { operation: string }[] }>(sb.endpoint, `/requests?since=${since}`)).requests.map((r) => r.operation);
          const reads = api.store.refreshCount - readsBefore;

          assert.equal(result?.status, 'AwaitingApproval');
          const count = (operation: string) => requests.filter((o) => o === operation).length;
          assert.ok(reads >= 2, `the store read ${ENV} ${reads} times while following`);
          assert.equal(count('GetPipelineState'), reads, `GetPipelineState ${count('GetPipelineState')} times for ${reads} store reads: something besides the store polled (${requests.join(', ')})`);
          assert.ok(count('GetPipelineExecution') <= reads, `GetPipelineExecution ${count('GetPipelineExecution')} times for ${reads} store reads`);

          const told = await waitFor(() => shown.find((m) => /waiting for approval/.test(m.message)), { message: 'the approval notification' });
          assert.match(told.message, new RegExp(version.slice(0, 7)));
          // Later polls see the same approval: still one notification.
          const readsNow = api.store.refreshCount;
          const watching = api.store.watch(ENV);
          await waitFor(() => api.store.refreshCount >= readsNow + 2, { message: 'two more polls' }).finally(() => watching.dispose());
          assert.equal(shown.filter((m) => /waiting for approval/.test(m.message)).length, 1, `told more than once: ${JSON.stringify(shown)}`);

          const waiting = await service.approvalDetails();
          if (waiting) await service.decide(waiting.approval, 'Rejected', 'follow test cleanup');
        },
      );
    } finally {
      api.setConfirmer(undefined);
      api.answerMessages(undefined);
    }
  });
});
