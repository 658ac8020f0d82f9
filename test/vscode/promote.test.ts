// Compare Environments, Compare HEAD with Environment and Promote in the real extension host against the
// sandbox, over a Spryker-like history the workspace repository also holds (so git facts are real). Needs
// `npm run test:vscode`.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import { SHOP_HISTORY } from '../../scripts/harness/sprykerShop';
import type { EnvironmentService } from '../../src/core/api';
import { DeployError } from '../../src/core/errors';
import type { ConfirmInput } from '../../src/vscode/contracts';
import type { TestApi } from '../../src/vscode/testApi';
import { activateExtension, loadShopHistory, sandbox, sandboxService, setSandboxStageSeconds, type ShopHistory, stagingAndProdSettings, waitFor, withSettings, workspaceFolder } from './helpers';

const index = (subject: string) => SHOP_HISTORY.findIndex((c) => c.subject.startsWith(subject));
const STAGING = 'spryker-staging';
const PROD = 'spryker-prod';

describe('compare and promote (extension host + sandbox over a Spryker history)', function () {
  this.timeout(180_000);
  const sb = sandbox();
  let api: TestApi;
  let history: ShopHistory | undefined;
  let shas: string[];
  let staging: EnvironmentService;
  let prod: EnvironmentService;

  const settings = () => stagingAndProdSettings(sb!);

  async function deployAndApprove(service: EnvironmentService, version: string): Promise<void> {
    const started = await service.deploy(version, { supersede: true });
    await service.follow(started.executionId, { stopAtApproval: true, pollMs: 200 });
    const waiting = await service.approvalDetails();
    await service.decide(waiting!.approval, 'Approved', 'test setup');
    assert.equal((await service.follow(started.executionId, { pollMs: 200 })).status, 'Succeeded');
  }

  before(async function () {
    assert.ok(sb, 'the sandbox is not running: start these tests with `npm run test:vscode`');
    history = await loadShopHistory(sb, 'promote-history');
    shas = history.shas;
    await setSandboxStageSeconds(sb, 0.3);
    api = (await activateExtension<TestApi | undefined>())!;
    assert.ok(api?.promotions, 'activate() returned no test API');
    staging = sandboxService(sb, { name: STAGING, production: false });
    prod = sandboxService(sb, { name: PROD, production: true });
    // Production runs "Add delivery date"; staging runs the next commit, tested and ready to promote.
    assert.equal((await prod.status()).lastDeployedVersion, shas[index('Add delivery date')]);
    await deployAndApprove(staging, shas[index('Raise Zed memory')]);
  });

  after(async () => {
    api?.setConfirmer(undefined);
    for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) await vscode.window.tabGroups.close(tab);
    await history?.remove();
  });

  it('Compare Environments from a script shows both versions, the commits each lacks, the files and each service, read-only', async () => {
    await withSettings(settings(), async () => {
      await vscode.commands.executeCommand('sprykerDeploy.environments.compare', { environment: STAGING });
      const shown = api.promotions.lastComparison();
      assert.ok(shown, 'no comparison was shown');
      assert.equal(shown.comparison.source, STAGING);
      assert.equal(shown.comparison.target, PROD, 'staging is compared with what it promotes to');
      const text = shown.text;
      assert.ok(text.includes(`| spryker\\-staging | \`${shas[index('Raise Zed memory')].slice(0, 7)}\` Raise Zed memory limit in deploy\\.yml |`), text);
      assert.ok(text.includes(`| spryker\\-prod | \`${shas[index('Add delivery date')].slice(0, 7)}\` Add delivery date to orders |`), text);
      assert.ok(text.includes('## 1 commit(s) spryker\\-staging has that spryker\\-prod lacks'), text);
      assert.ok(text.includes('## 0 commit(s) spryker\\-prod has that spryker\\-staging lacks'), text);
      assert.ok(text.includes('## 1 file(s) differ\n\n- modified: `deploy.yml`'), text);
      const zed = shown.comparison.services.find((s) => s.role === 'zed');
      assert.deepEqual(zed, { role: 'zed', source: [shas[index('Raise Zed memory')]], target: [shas[index('Add delivery date')]], same: false });
      assert.ok(text.includes(`| zed | \`${shas[index('Raise Zed memory')].slice(0, 7)}\` | \`${shas[index('Add delivery date')].slice(0, 7)}\` | **differs** |`), text);
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === shown.uri.toString());
      assert.ok(document, 'the comparison document is not open');
      assert.equal(document.getText(), text);
      assert.equal(document.languageId, 'markdown');
    });
  });

  it('Compare Environments from the tree context menu on production compares it with the other environment', async () => {
    await withSettings(settings(), async () => {
      await api.store.refresh();
      const roots = await waitFor(async () => {
        const nodes = await api.trees.environments.getChildren();
        return nodes?.find((n) => n.kind === 'environment' && n.env.name === PROD) ?? false;
      }, { message: 'the production node' });
      await vscode.commands.executeCommand('sprykerDeploy.environments.compare', roots, [roots]);
      const shown = api.promotions.lastComparison();
      assert.equal(shown?.comparison.source, PROD);
      assert.equal(shown?.comparison.target, STAGING);
      assert.ok(shown?.text.includes('## 0 commit(s) spryker\\-prod has that spryker\\-staging lacks'), shown?.text);
    });
  });

  it('Promote staging → production confirms with the comparison and risk, then deploys exactly what staging runs up to its approval', async () => {
    await withSettings(settings(), async () => {
      const asked: ConfirmInput[] = [];
      api.setConfirmer({ confirm: async (input) => (asked.push(input), true) });
      const version = shas[index('Raise Zed memory')];
      await vscode.commands.executeCommand('sprykerDeploy.environments.promote', { environment: STAGING });
      assert.equal(asked.length, 1, 'the promotion was not confirmed exactly once');
      assert.equal(asked[0].env.name, PROD);
      assert.equal(asked[0].env.production, true, 'production is confirmed as production (typed by the real confirmer)');
      const lines = asked[0].detail.split('\n');
      assert.equal(lines[0], `Promoting spryker-staging → spryker-prod: exactly what spryker-staging runs (${version.slice(0, 7)}, deployed and running on every service).`);
      assert.equal(lines[1], '1 commit(s) spryker-prod lacks, 0 commit(s) spryker-prod has that spryker-staging lacks; 1 file(s) differ.');
      assert.ok(lines.some((l) => l.startsWith('Risk: ') && l.includes('deploy')), asked[0].detail);
      const status = await prod.status();
      assert.equal(status.desiredVersion, version, 'production was not set to what staging runs');
      const details = await waitFor(() => prod.approvalDetails(), { timeoutMs: 30_000, message: 'the promotion waiting for approval' });
      assert.equal(details.approval.version, version);
      await prod.decide(details.approval, 'Rejected', 'test done');
    });
  });

  it('Promote is refused with its reasons while staging waits for approval, and nothing changes on production', async () => {
    await withSettings(settings(), async () => {
      // Staging waits for approval: what it runs is not settled, so nothing may be promoted from it.
      const waiting = await staging.deploy(shas[index('Add CMS block')]);
      await staging.follow(waiting.executionId, { stopAtApproval: true, pollMs: 200 });
      const before = (await prod.status()).desiredVersion;
      const asked: ConfirmInput[] = [];
      api.setConfirmer({ confirm: async (input) => (asked.push(input), true) });
      await assert.rejects(api.promotions.promote({ caller: 'script', environment: STAGING }), (e: unknown) => {
        assert.ok(e instanceof DeployError && e.kind === 'promotion-refused', String(e));
        assert.match(e.message, /^Refused to promote spryker-staging → spryker-prod, nothing was changed: .*spryker-staging is mid-deploy \(execution [0-9a-f-]+, waiting for approval\)/);
        return true;
      });
      assert.equal(asked.length, 0, 'a refused promotion asked for confirmation');
      assert.equal((await prod.status()).desiredVersion, before, 'a refused promotion changed desired_version');
      await staging.decide((await staging.approvalDetails())!.approval, 'Rejected', 'test done');
      // The rejection leaves desired_version on the rejected version: put it back, so staging is settled again for
      // the tests after this one (Promote needs it so).
      await staging.restoreDesiredVersion((await staging.status()).lastDeployedVersion!);
    });
  });

  it('Compare HEAD with Environment opens the changes since what production runs in the multi-file diff editor', async () => {
    const root = workspaceFolder().uri.fsPath;
    const original = execFileSync('git', ['-C', root, 'rev-parse', '--abbrev-ref', 'HEAD']).toString().trim();
    execFileSync('git', ['-C', root, 'checkout', '-q', 'promote-history']);
    try {
      await withSettings(settings(), async () => {
        const tip = shas[shas.length - 1];
        await waitFor(async () => (await api.git.current()?.head())?.sha === tip, { timeoutMs: 20_000, message: 'the git extension to see the new HEAD' });
        const deployed = (await prod.status()).lastDeployedVersion!;
        await vscode.commands.executeCommand('sprykerDeploy.environments.compareHead', { environment: PROD });
        // VS Code appends the number of files to the title: the four commits after production's version touch one file each.
        const title = `${PROD} ${deployed.slice(0, 7)} ↔ HEAD ${tip.slice(0, 7)} (promote-history) (4 files)`;
        const labels = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
        await waitFor(() => labels().includes(title), { message: `a tab "${title}" (tabs: ${JSON.stringify(labels())})` });
      });
    } finally {
      execFileSync('git', ['-C', root, 'checkout', '-q', original]);
    }
  });
});
