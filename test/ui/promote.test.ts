// Compare and promote in the real workbench (code-server + Chromium) against the sandbox over the demo's Spryker
// history: the comparison opened from the palette renders as a Markdown preview; Promote from the palette reaches
// the production confirmation with the promotion, comparison and risk lines, and cancelling writes nothing.
// The promotion then shows in the approval panel, and its History entry opens read-only in the panel.
// Screenshots: test-results/screenshots/compare-environments.png, promote-confirmation.png, approval-promotion.png,
// history-execution-panel.png.
import * as assert from 'node:assert/strict';
import type { EnvironmentService } from '../../src/core/api';
import type { Workbench } from './workbench';
import { deployApproved, openShopWorkbench, shopIndex as index, type ShopWorkbench } from './shopWorkbench';

describe('compare and promote (code-server + sandbox)', function () {
  this.timeout(300_000);
  let shop: ShopWorkbench;
  let wb: Workbench;
  let shas: readonly string[];
  let service: (name: string) => EnvironmentService;

  let prodBefore: string;

  before(async function () {
    shop = await openShopWorkbench('scd-ui-promote-');
    ({ wb, shas } = shop);
    service = (name) => shop.service(name);
    prodBefore = (await service('spryker-prod').status()).lastDeployedVersion!;
    // Staging runs the commit after production's, tested and ready to promote.
    await deployApproved(service('spryker-staging'), shas[index('Raise Zed memory')]);
  });

  // Each test starts with production one commit behind staging, whichever ran before it (the promotion itself
  // leaves production on staging's version).
  beforeEach(async () => {
    const prod = service('spryker-prod');
    if ((await prod.status()).lastDeployedVersion !== prodBefore) await deployApproved(prod, prodBefore);
  });

  after(async () => shop?.close());

  it('Compare Environments from the palette shows staging against production in a Markdown preview', async () => {
    // The preview is found as the first webview: no other (a panel another test opened) may come before it.
    await wb.runCommand('View: Close All Editors');
    await wb.openSidebar();
    await wb.treeRow(/spryker-staging/).first().waitFor({ state: 'visible', timeout: 60_000 });
    await wb.runCommand('Spryker Deploy: Compare Environments…');
    await wb.pickQuickItem(/spryker-staging → spryker-prod/);
    const preview = wb.webviewFrame();
    const heading = preview.locator('h1');
    await heading.waitFor({ timeout: 60_000 });
    assert.match(await heading.innerText(), /spryker-staging ↔ spryker-prod/);
    const body = await preview.locator('body').innerText();
    assert.match(body, /1 commit\(s\) spryker-staging has that spryker-prod lacks/);
    assert.match(body, /Raise Zed memory limit in deploy\.yml/);
    assert.match(body, /1 file\(s\) differ/);
    assert.match(body, /zed\s+\S{7}\s+\S{7}\s+differs/);
    await wb.runCommand('View: Close Primary Side Bar');
    await wb.page.waitForTimeout(500);
    await wb.screenshot('compare-environments');
  });

  it('Promote from the palette reaches the typed production confirmation with the comparison; cancelling writes nothing', async () => {
    const prod = service('spryker-prod');
    const before = await prod.status();
    await wb.runCommand('Spryker Deploy: Promote…');
    await wb.pickQuickItem(/spryker-staging → spryker-prod/);
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    const text = await dialog.innerText();
    assert.match(text, /Promoting spryker-staging → spryker-prod: exactly what spryker-staging runs/);
    assert.match(text, /1 commit\(s\) spryker-prod lacks, 0 commit\(s\) spryker-prod has that spryker-staging lacks; 1 file\(s\) differ\./);
    assert.match(text, /Risk: /);
    await wb.screenshot('promote-confirmation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await prod.status()).desiredVersion, before.desiredVersion, 'a cancelled promotion changed desired_version');
  });

  it('Promote from the palette through the typed production confirmation and the approval: prod runs what staging runs; its History shows it', async () => {
    const prod = service('spryker-prod');
    const stagingVersion = (await service('spryker-staging').status()).lastDeployedVersion!;
    // The palette offers Promote once the extension read its environments.
    await wb.openSidebar();
    await wb.treeRow(/spryker-staging/).first().waitFor({ state: 'visible', timeout: 60_000 });
    await wb.runCommand('Spryker Deploy: Promote…');
    await wb.pickQuickItem(/spryker-staging → spryker-prod/);
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
    // Production: the environment name, typed.
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await wb.page.locator('.quick-input-widget').innerText(), /spryker-prod is production\. Type its name to deploy\./);
    await input.fill('spryker-prod');
    await wb.screenshot('promote-typed-confirmation');
    await wb.page.keyboard.press('Enter');
    // The deploy waits at its approval; a colleague approves it.
    let waiting;
    for (let i = 0; i < 600 && !(waiting = await prod.approvalDetails()); i++) await wb.page.waitForTimeout(200);
    assert.ok(waiting, 'the promotion reached its approval');
    assert.equal(waiting.approval.version, stagingVersion);
    // The approval panel shows the promotion: what staging runs since when, service by service against prod.
    await wb.runCommand('Spryker Deploy: Open Approval Panel');
    const picker = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'spryker-prod' });
    // The environment picker asks (production is never picked silently) or the panel opens: wait for either.
    await picker.first().or(wb.page.locator('.tab', { hasText: /Approve: / })).first().waitFor({ state: 'visible', timeout: 30_000 });
    if (await picker.first().isVisible()) await picker.first().click();
    const panel = wb.webviewFrame();
    const promotion = panel.locator('section.promotion');
    await promotion.waitFor({ timeout: 60_000 });
    const promotionText = await promotion.innerText();
    assert.match(promotionText, /Promotion: spryker-staging → spryker-prod/i);
    assert.match(promotionText, new RegExp(`spryker-staging runs ${stagingVersion.slice(0, 7)} since .*This approval deploys exactly that version to spryker-prod`));
    assert.match(promotionText, /zed\s+\S{7}\s+\S{7}\s+differs/);
    assert.match(await panel.locator('section.commits').innerText(), /Raise Zed memory limit in deploy\.yml/);
    await wb.runCommand('View: Close Primary Side Bar');
    await wb.page.waitForTimeout(500);
    await wb.screenshot('approval-promotion');
    await wb.runCommand('View: Close All Editors');
    await prod.decide(waiting.approval, 'Approved', 'promoted from staging');
    for (let i = 0; i < 600 && (await prod.status()).lastDeployedVersion !== stagingVersion; i++) await wb.page.waitForTimeout(200);
    assert.equal((await prod.status()).lastDeployedVersion, stagingVersion, 'prod runs what staging runs');

    // Its History lists the promotion, approved, and Maintenance reads off.
    await wb.openSidebar();
    await wb.runCommand('Spryker Deploy: Refresh');
    // Only production's rows: staging collapsed, so the one History row is production's.
    await wb.treeRow(/^spryker-staging/).first().click();
    await wb.treeRow(/^Maintenance/).nth(1).waitFor({ state: 'hidden', timeout: 30_000 });
    const history = wb.treeRow(/^History/);
    await history.waitFor({ state: 'visible', timeout: 60_000 });
    await history.click();
    const entry = wb.treeRow(new RegExp(`${stagingVersion.slice(0, 7)}.*deployed · .* · test`)).first();
    await entry.waitFor({ state: 'visible', timeout: 60_000 });
    await wb.treeRow(/Maintenance\s*off/).waitFor({ state: 'visible', timeout: 30_000 });
    await wb.screenshot('history-node');

    // Opening the entry shows the execution in the approval panel, read-only: versions, commits, stages with
    // durations, the decision and who decided; no Approve or Reject.
    await entry.click();
    const past = wb.webviewFrame();
    await past.locator('.subtitle', { hasText: 'Past execution, read-only: deployed' }).waitFor({ timeout: 60_000 });
    const decision = await past.locator('section.past').innerText();
    assert.match(decision, /Approved by test/);
    assert.match(decision, /“promoted from staging”/);
    assert.match(decision, /Started\s+.*by test/);
    assert.match(await past.locator('section.commits').innerText(), /Raise Zed memory limit in deploy\.yml/);
    assert.ok((await past.locator('.stage .duration').count()) > 3, 'the stages show no durations');
    assert.equal(await past.locator('form.decision').isVisible(), false, 'a past execution offers Approve/Reject');
    assert.equal(await past.getByRole('button', { name: /Approve|Reject/ }).count(), 0);
    await wb.runCommand('View: Close Primary Side Bar');
    await wb.page.waitForTimeout(500);
    await wb.screenshot('history-execution-panel');
  });
});
