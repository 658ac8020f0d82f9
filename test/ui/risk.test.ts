// The risk summary in the real workbench (code-server + Chromium) against the sandbox deploying from the demo's
// Spryker history: the approval panel of a deploy over a module upgrade and a schema change shows them above the
// commits; rolling production back across the schema change opens a confirmation that starts with the warning.
// Screenshots: test-results/screenshots/risk-approval.png, risk-rollback-warning.png.
import * as assert from 'node:assert/strict';
import type { Workbench } from './workbench';
import { deployApproved, openShopWorkbench, shopIndex as index, type ShopWorkbench } from './shopWorkbench';

describe('risk summary (code-server + sandbox)', function () {
  this.timeout(300_000);
  let shop: ShopWorkbench;
  let wb: Workbench;
  let shas: readonly string[];

  before(async function () {
    shop = await openShopWorkbench('scd-ui-risk-');
    ({ wb, shas } = shop);
    const staging = shop.service('spryker-staging');
    // Staging back to before the upgrade, then a deploy over the upgrade, the schema change and deploy.yml waits.
    await deployApproved(staging, shas[index('Configure Redis')]);
    const started = await staging.deploy(shas[index('Raise Zed memory')]);
    assert.equal((await staging.follow(started.executionId, { stopAtApproval: true, pollMs: 200 })).status, 'AwaitingApproval');
  });

  after(async () => shop?.close());

  it('the approval panel shows the schema change and the module upgrade above the commits', async () => {
    // The palette offers the command once the extension has read its environments.
    await wb.openSidebar();
    await wb.treeRow(/spryker-staging/).first().waitFor({ state: 'visible', timeout: 60_000 });
    await wb.runCommand('Spryker Deploy: Open Approval Panel');
    await wb.pickQuickItem(/spryker-staging/);
    await wb.page.locator('.tab', { hasText: 'Approve: spryker-staging' }).waitFor({ state: 'visible', timeout: 30_000 });
    const frame = wb.webviewFrame();
    const risk = frame.locator('section.risk');
    await risk.waitFor({ timeout: 30_000 });
    const summaries = await risk.locator('summary').allInnerTexts();
    assert.match(summaries[0], /Database schema: 1 file$/m);
    assert.match(summaries[1], /Spryker modules: 2 \(1 major\)$/m);
    assert.match(summaries[2], /Deploy configuration/);
    // Schema and major upgrades are open: their files and versions are visible without a click.
    assert.match(await risk.locator('.risk-schema .risk-files').innerText(), /spy_sales\.schema\.xml/);
    assert.match(await risk.locator('.risk-modules .module.major').innerText(), /spryker\/cart 7\.12\.0 → 8\.0\.0/);
    // Above the commits, which are listed.
    const order = await frame.locator('.column section').evaluateAll((sections) => sections.map((s) => s.className));
    assert.ok(order.indexOf('section risk') < order.indexOf('section commits'), `sections in order: ${order.join(', ')}`);
    await frame.locator('.commit-list li').first().waitFor();
    await wb.runCommand('View: Close Primary Side Bar');
    await wb.page.waitForTimeout(500);
    await wb.screenshot('risk-approval');
  });

  it('rolling production back across the schema change warns first in the confirmation; cancelling writes nothing', async () => {
    const prod = shop.service('spryker-prod');
    const before = await prod.status();
    assert.equal(before.lastDeployedVersion, shas[index('Add delivery date')]);
    await wb.runCommand('Spryker Deploy: Roll Back…');
    await wb.pickQuickItem(/spryker-prod/);
    await wb.pickQuickItem(/Configure Redis session TTL/);
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    const text = await dialog.innerText();
    assert.match(text, /Warning: this rollback crosses a database schema change \(src\/Pyz\/Zed\/Sales\/Persistence\/Propel\/Schema\/spy_sales\.schema\.xml\): the database stays migrated to the newer schema/);
    assert.match(text, /Risk: database schema \(1 file\), 2 Spryker modules \(1 major\)/);
    await wb.screenshot('risk-rollback-warning');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await prod.status()).desiredVersion, before.desiredVersion, 'a cancelled rollback changed desired_version');
  });
});
