// A shallow clone (`git clone --depth`) in the real workbench (#18): the Commits view's history stops at the
// clone's depth, so the deployed version is not in it. The view must end with a row that says why and names the
// deployed version it lacks, and clicking it must bring the full history (git fetch --unshallow).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeShopHistory } from '../../scripts/harness/sprykerShop';
import { openWorkbench, type Workbench } from './workbench';

describe('shallow clone (UI)', function () {
  this.timeout(240_000);
  let wb: Workbench | undefined;
  let scratch: string;

  before(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scd-ui-shallow-'));
    const shop = path.join(scratch, 'shop');
    writeShopHistory(shop);
    wb = await openWorkbench({
      sandbox: { repo: shop, stageSeconds: 0.3 },
      settings: (sb) => ({
        'sprykerDeploy.environments': [{ name: 'spryker-staging', endpoint: sb!.endpoint, region: sb!.region }],
        'sprykerDeploy.notifications.approval': false,
      }),
      // The workspace is what `git clone --depth 2` makes: the shop's two newest commits, the shop as origin.
      prepareWorkspace: (workspace) => {
        workspace.git('remote', 'add', 'origin', `file://${shop}`);
        workspace.git('fetch', '-q', '--depth', '2', 'origin', 'main');
        workspace.git('reset', '-q', '--hard', 'origin/main');
      },
    });
    assert.ok(fs.existsSync(path.join(wb.workspace.path, '.git', 'shallow')), 'the workspace is a shallow clone');
  });
  after(async () => {
    await wb?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('the Commits view ends with a row naming the deployed version the clone lacks; clicking it fetches the full history', async () => {
    await wb!.openSidebar();
    const end = wb!.treeRow(/History ends here: this is a shallow clone/);
    await end.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await end.innerText(), /not here: spryker-staging [0-9a-f]{7}/);
    await wb!.screenshot('shallow-clone-commits');

    await end.click();
    // The fetch runs in the extension host through the git extension; the repository stops being shallow.
    const shallowFile = path.join(wb!.workspace.path, '.git', 'shallow');
    const deadline = Date.now() + 60_000;
    while (fs.existsSync(shallowFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    assert.equal(fs.existsSync(shallowFile), false, 'still shallow 60 s after the click');
    await wb!.page.locator('.part.sidebar .monaco-list-row', { hasText: /History ends here/ }).waitFor({ state: 'detached', timeout: 30_000 });
    assert.deepEqual(wb!.pageErrors, []);
  });
});
