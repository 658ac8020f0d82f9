// Failure states as a user sees them in the real workbench (code-server + Chromium) against the sandbox's failure
// scenarios: a CodeBuild stage that failed (the tree names stage and reason; the approval panel starts with the
// failed stage and the end of its log) and an ECS rollout the circuit breaker rolled back (the service reads rolled
// back, the old version runs). Each test makes its own failure. Screenshots: test-results/screenshots/
// failure-stage-tree.png, failure-stage-panel.png, failure-stage-panel-show-log.png, failure-rollout-tree.png.
import * as assert from 'node:assert/strict';
import type { EnvironmentService } from '../../src/core/api';
import { shortVersion } from '../../src/core/version';
import { openShopWorkbench, type ShopWorkbench } from './shopWorkbench';

const ENV = 'spryker-staging';

describe('failure states (code-server + sandbox)', function () {
  this.timeout(300_000);
  let shop: ShopWorkbench;
  let staging: EnvironmentService;
  const scenarios = (list: string[]) => (shop.wb.sandbox!.control as { setScenarios(s: string[]): void }).setScenarios(list);

  before(async () => {
    shop = await openShopWorkbench('scd-ui-failures-');
    staging = shop.service(ENV);
  });
  after(async () => shop?.close());
  afterEach(() => scenarios([]));

  /** Deploys a version that is neither deployed nor desired, approves it and waits for the execution to fail. */
  async function failedDeploy(): Promise<{ version: string; deployed: string }> {
    const before = await staging.status();
    const deployed = before.lastDeployedVersion!;
    const version = [...shop.shas].reverse().slice(2).find((sha) => sha !== deployed && sha !== before.desiredVersion)!;
    const started = await staging.deploy(version, { supersede: true });
    const waiting = await staging.follow(started.executionId, { stopAtApproval: true, pollMs: 200 });
    await staging.decide(waiting.approval!, 'Approved', 'UI failure test');
    assert.equal((await staging.follow(started.executionId, { pollMs: 200 })).status, 'Failed');
    return { version, deployed };
  }

  async function showEnvironment(): Promise<void> {
    const { wb } = shop;
    await wb.openSidebar();
    await wb.runCommand('Spryker Deploy: Refresh');
    const row = wb.treeRow(new RegExp(`^${ENV}`));
    await row.waitFor({ state: 'visible', timeout: 60_000 });
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  }

  it('a failed stage: the tree names the stage and the reason, the approval panel shows it with the end of its log and its Show Log opens the whole log', async () => {
    const { wb } = shop;
    scenarios([`stage-fails:Run_install:${ENV}`]);
    await failedDeploy();
    await showEnvironment();
    const pipeline = wb.treeRow(/Failed at Run_install/);
    await pipeline.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await wb.treeRow(new RegExp(`^${ENV}`)).innerText(), /Failed at Run_install/);
    await wb.screenshot('failure-stage-tree');

    await wb.runCommand('Spryker Deploy: Open Approval Panel');
    await wb.pickQuickItem(new RegExp(ENV));
    const frame = wb.webviewFrame();
    const section = frame.locator('section.failure');
    await section.waitFor({ timeout: 30_000 });
    assert.match(await section.locator('h2').innerText(), /Failed at Run_install/i);
    assert.match(await section.locator('.failure-reason').innerText(), /Run_install/);
    await section.locator('pre.failure-log').waitFor({ timeout: 30_000 });
    assert.match(await section.locator('pre.failure-log').innerText(), /exception|error|exit/i, 'the log lines carry the error');
    await wb.runCommand('View: Close Primary Side Bar');
    await wb.screenshot('failure-stage-panel');
    // The section's Show Log opens the whole build log, read-only, at its end where the error is (Monaco renders
    // spaces as no-break spaces: \s matches both).
    await section.getByRole('button', { name: 'Show Log' }).click();
    const tab = wb.page.locator('.tabs-container .tab').filter({ hasText: /\.log$/ });
    await tab.first().waitFor({ state: 'visible', timeout: 30_000 });
    await wb.page.locator('.editor-instance .view-lines').filter({ hasText: /Phase\scomplete:\sBUILD\sState:\sFAILED/ }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await wb.screenshot('failure-stage-panel-show-log');
    await wb.runCommand('View: Close All Editors');
  });

  it('a failed ECS rollout: the service reads rolled back and runs the old version', async () => {
    const { wb } = shop;
    const service = (await staging.status()).services[0].name;
    scenarios([`rollout-fails:${service}:${ENV}`]);
    const { deployed } = await failedDeploy();
    await showEnvironment();
    await wb.treeRow(/Failed at Deploy_Spryker_services/).waitFor({ state: 'visible', timeout: 30_000 });
    const services = wb.treeRow(/^Services/);
    if ((await services.getAttribute('aria-expanded')) !== 'true') await services.click();
    // The tree labels a service without the environment's prefix.
    const row = wb.treeRow(new RegExp(`^${service.slice(ENV.length + 1)}`));
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    const text = await row.innerText();
    assert.match(text, /rollout failed, rolled back/);
    assert.match(text, new RegExp(shortVersion(deployed)), 'the service runs the old version');
    await row.hover();
    await wb.page.locator('.monaco-hover').filter({ hasText: /circuit breaker/ }).first().waitFor({ state: 'visible', timeout: 15_000 }).catch(() => undefined);
    await wb.screenshot('failure-rollout-tree');
  });
});
