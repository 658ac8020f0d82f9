// A multi-root workspace in the real workbench (#18): a docs repository comes first, the shop second. The
// Commits view must use the shop (it has the deployed versions), say on its title which repository it uses and
// why, and list the shop's commits, not the docs'.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SHOP_HISTORY, writeShopHistory } from '../../scripts/harness/sprykerShop';
import { createGitWorkspace, type GitWorkspace } from '../../scripts/harness/workspace';
import { openWorkbench, type Workbench } from './workbench';

describe('multi-root workspace (UI)', function () {
  this.timeout(240_000);
  let wb: Workbench | undefined;
  let docs: GitWorkspace | undefined;
  let scratch: string;

  before(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scd-ui-multiroot-'));
    const shop = path.join(scratch, 'shop-history');
    writeShopHistory(shop);
    docs = createGitWorkspace({ name: 'docs' });
    docs.commit('Docs: how we deploy', { 'deploying.md': '# Deploying\n' });
    wb = await openWorkbench({
      leadingFolders: [docs.path],
      // The second folder is the shop: its history is the one the sandbox's images are tagged with.
      prepareWorkspace: (workspace) => {
        workspace.git('fetch', '-q', shop, 'main');
        workspace.git('reset', '-q', '--hard', 'FETCH_HEAD');
      },
      sandbox: { repo: shop, stageSeconds: 0.3 },
      settings: (sb) => ({
        'sprykerDeploy.environments': [{ name: 'spryker-staging', endpoint: sb!.endpoint, region: sb!.region }],
        'sprykerDeploy.notifications.approval': false,
      }),
    });
  });
  after(async () => {
    await wb?.close();
    docs?.remove();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('the Commits view uses the repository with the deployed versions (not the first folder) and says which on its title', async () => {
    const sidebar = await wb!.openSidebar();
    const newest = SHOP_HISTORY.at(-1)!.subject;
    await wb!.treeRow(newest).waitFor({ state: 'visible', timeout: 60_000 });
    const header = sidebar.locator('.pane-header', { hasText: /Commits/ });
    await header.locator('.description', { hasText: /has the deployed versions/ }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await header.innerText(), /shop \(has the deployed versions\)/);
    assert.equal(await sidebar.locator('.monaco-list-row', { hasText: 'Docs: how we deploy' }).count(), 0, "the docs repository's commit is listed");
    await wb!.screenshot('multi-root-commits');
    assert.deepEqual(wb!.pageErrors, []);
  });
});
