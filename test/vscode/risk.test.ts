// The risk summary in the real extension host: the sandbox deploys from a Spryker-like history (a module upgrade,
// a schema change, a deploy.yml change) whose commits the workspace repository also holds, so the approval panel
// and the confirmations read them through the git extension's API. Needs `npm run test:vscode`.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SHOP_HISTORY } from '../../scripts/harness/sprykerShop';
import type { EnvironmentService } from '../../src/core/api';
import type { Confirmer } from '../../src/vscode/contracts';
import type { TestApi } from '../../src/vscode/testApi';
import { activateExtension, approvalTabs, loadShopHistory, sandbox, sandboxService, setSandboxStageSeconds, type ShopHistory, waitFor, withSettings } from './helpers';

const index = (subject: string) => SHOP_HISTORY.findIndex((c) => c.subject.startsWith(subject));
const SCHEMA = 'src/Pyz/Zed/Sales/Persistence/Propel/Schema/spy_sales.schema.xml';

describe('risk summary (extension host + sandbox over a Spryker history)', function () {
  this.timeout(120_000);
  const sb = sandbox();
  let api: TestApi;
  let history: ShopHistory | undefined;
  let shas: string[];

  before(async function () {
    assert.ok(sb, 'the sandbox is not running: start these tests with `npm run test:vscode`');
    history = await loadShopHistory(sb, 'shop-history');
    shas = history.shas;
    await setSandboxStageSeconds(sb, 0.3);
    api = (await activateExtension<TestApi | undefined>())!;
    assert.ok(api?.panels, 'activate() returned no test API');
  });

  after(async () => {
    api?.setConfirmer(undefined);
    for (const tab of approvalTabs()) await vscode.window.tabGroups.close(tab);
    await history?.remove();
  });

  const settings = (name: string, production: boolean) => ({
    'sprykerDeploy.environments': [{ name, endpoint: sb!.endpoint, region: sb!.region, production }],
    'sprykerDeploy.confirm.nonProduction': true,
    'sprykerDeploy.notifications.approval': false,
  });

  it('the approval panel shows the module upgrade with its versions and the schema change above the commits', async () => {
    const ENV = 'spryker-staging';
    const service: EnvironmentService = sandboxService(sb!, { name: ENV, production: false });
    // Staging back to before the upgrade, then a deploy over the upgrade and the schema change waits for approval.
    const back = await service.deploy(shas[index('Configure Redis')], { supersede: true });
    await service.follow(back.executionId, { stopAtApproval: true, pollMs: 200 });
    const waitingBack = await service.approvalDetails();
    await service.decide(waitingBack!.approval, 'Approved', 'test setup');
    assert.equal((await service.follow(back.executionId, { pollMs: 200 })).status, 'Succeeded');
    const target = shas[index('Raise Zed memory')];
    const started = await service.deploy(target);
    assert.equal((await service.follow(started.executionId, { stopAtApproval: true, pollMs: 200 })).status, 'AwaitingApproval');

    await withSettings(settings(ENV, false), async () => {
      await vscode.commands.executeCommand('sprykerDeploy.approval.openPanel', ENV);
      const handle = await waitFor(() => api.panels.inspect(ENV), { message: 'the panel' });
      const state = await waitFor(() => {
        const s = handle.state();
        return s?.approval?.executionId === started.executionId && s.risk ? s : undefined;
      }, { timeoutMs: 30_000, message: 'the waiting approval with its risk summary' });
      assert.equal(state.commits.kind, 'list');
      const risk = state.risk!;
      assert.deepEqual(risk.categories.map((c) => c.id), ['schema', 'modules', 'deploy', 'dependencies']);
      assert.deepEqual(risk.categories[0].files, [SCHEMA]);
      const cart = risk.categories[1].modules?.find((m) => m.name === 'spryker/cart');
      assert.deepEqual(cart, { name: 'spryker/cart', from: '7.12.0', to: '8.0.0', change: 'upgrade', major: true });
      assert.equal(risk.categories[1].phrase, '2 (1 major)');
      assert.equal(risk.rollbackWarning, undefined, 'a forward deploy is no rollback');
      await service.decide((await service.approvalDetails())!.approval, 'Rejected', 'test done');
    });
  });

  it('rolling production back across the schema change warns first in the confirmation, and declining writes nothing', async () => {
    const ENV = 'spryker-prod';
    const service = sandboxService(sb!, { name: ENV, production: true });
    const running = (await service.status()).lastDeployedVersion;
    assert.equal(running, shas[index('Add delivery date')], 'the sandbox runs production on the schema change');
    const asked: { title: string; detail: string }[] = [];
    const confirmer: Confirmer = { confirm: async (input) => (asked.push({ title: input.title, detail: input.detail }), false) };
    api.setConfirmer(confirmer);
    await withSettings(settings(ENV, true), async () => {
      await api.store.refresh(ENV);
      await vscode.commands.executeCommand('sprykerDeploy.rollback', { environment: ENV, version: shas[index('Configure Redis')] });
      assert.equal(asked.length, 1, 'the rollback was not confirmed exactly once');
      const lines = asked[0].detail.split('\n');
      assert.equal(lines[0], `Warning: this rollback crosses a database schema change (${SCHEMA}): the database stays migrated to the newer schema; the older code may not run against it.`);
      assert.ok(lines.includes('Risk: database schema (1 file), 2 Spryker modules (1 major), 1 other dependency.'), asked[0].detail);
      assert.equal((await service.status()).desiredVersion, running, 'a declined rollback changed desired_version');
    });
  });
});
