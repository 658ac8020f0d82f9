// Failure states as a user sees them in the real workbench (code-server + Chromium) against the sandbox's failure
// scenarios: a CodeBuild stage that failed (the tree names stage and reason; the approval panel starts with the
// failed stage and the end of its log) and an ECS rollout the circuit breaker rolled back (the service reads rolled
// back, the old version runs, a "Runs now" row says what runs where, the stopped tasks show their exit codes), an
// approval that expires, an execution someone else stops and one a colleague's deploy supersedes. Each test makes its
// own failure. Screenshots: test-results/screenshots/ failure-stage-tree.png, failure-stage-panel.png,
// failure-stage-panel-show-log.png, failure-rollout-tree.png, failure-rollout-runs-now.png,
// expired-approval-notification.png, expired-approval-tree.png, expired-approval-panel.png,
// stopped-execution-notification.png, stopped-execution-tree.png, superseded-execution.png. Notifications are looked
// for as toasts or in the notification center (headless code-server often keeps toasts hidden).
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
    // A window's first row is expanded by the extension a moment after it is drawn: a click meanwhile would
    // collapse it again.
    await wb.page.locator('.part.sidebar .monaco-list-row[aria-expanded="true"]', { hasText: new RegExp(`^${ENV}`) }).first().waitFor({ timeout: 3_000 }).catch(() => undefined);
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  }

  it('a failed stage: the tree names the stage and the reason, the approval panel shows it with the end of its log and its Show Log opens the whole log', async () => {
    const { wb } = shop;
    scenarios([`stage-fails:Run_install:${ENV}`]);
    await failedDeploy();
    await showEnvironment();
    // The environment's own row (not a Commits row with the same words) once its first read has answered.
    const environment = wb.treeRow(new RegExp(`^${ENV}[\\s\\S]*Failed at Run_install`));
    await environment.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await environment.innerText(), /Failed at Run_install/);
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

  it('a failed ECS rollout: the service reads rolled back and runs the old version; "Runs now" says what runs where; its stopped tasks show their exit codes', async () => {
    const { wb } = shop;
    const service = (await staging.status()).services[0].name;
    scenarios([`rollout-fails:${service}:${ENV}`]);
    const { deployed, version } = await failedDeploy();
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

    // What runs now, in one row at the top of the environment; not "drifted".
    const runsNow = wb.treeRow(/^Runs now/);
    await runsNow.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await runsNow.innerText(), new RegExp(`on ${shortVersion(version)}, 1 rolled back to ${shortVersion(deployed)}`));
    assert.match(await wb.treeRow(new RegExp(`^${ENV}`)).innerText(), new RegExp(`services: \\d+ on ${shortVersion(version)}, 1 rolled back to ${shortVersion(deployed)}`));
    assert.equal(await wb.treeRow(/drifted/).count(), 0, 'a service the failed deploy moved reads drifted');
    // The rolled-back service's stopped tasks, why and with which exit code, as rows under it.
    // (a click on the row opens its Show Log: the twistie expands it)
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
    const stopped = wb.treeRow(/^Essential container in task exited/).first();
    await stopped.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await stopped.innerText(), /exit 1\b/);
    await wb.page.mouse.move(0, 0);
    await runsNow.hover();
    await wb.page.locator('.monaco-hover').filter({ hasText: /What to do/ }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await wb.screenshot('failure-rollout-runs-now');
  });

  /** Deploys a version that is neither deployed nor desired up to its approval, with the environment shown. */
  async function toApproval(): Promise<{ executionId: string; version: string; deployed: string }> {
    const before = await staging.status();
    const deployed = before.lastDeployedVersion!;
    const version = [...shop.shas].reverse().slice(2).find((sha) => sha !== deployed && sha !== before.desiredVersion)!;
    const started = await staging.deploy(version, { supersede: true });
    await staging.follow(started.executionId, { stopAtApproval: true, pollMs: 200 });
    await showEnvironment();
    await shop.wb.treeRow(/Waiting for approval/).first().waitFor({ state: 'visible', timeout: 60_000 });
    return { executionId: started.executionId, version, deployed };
  }

  /** The approval panel's header line about the last execution. */
  async function panelEnded(): Promise<string> {
    const { wb } = shop;
    await wb.runCommand('Spryker Deploy: Open Approval Panel');
    await wb.pickQuickItem(new RegExp(ENV));
    const ended = wb.webviewFrame().locator('.last-ended');
    await ended.waitFor({ timeout: 30_000 });
    return ended.innerText();
  }

  it('an expired approval: the notification, the tree and the panel say it expired, neither failed nor rejected', async () => {
    const { wb } = shop;
    const { version, deployed } = await toApproval();
    // CodePipeline fails an approval nobody decided after seven days: the sandbox's clock gets there.
    (wb.sandbox!.control as { advance(ms: number): void }).advance((7 * 24 * 3600 + 60) * 1000);
    const toast = await wb.findNotification(/expired; nothing was deployed/, 90_000);
    assert.match(await toast.innerText(), new RegExp(`the approval of ${shortVersion(version)}`));
    assert.doesNotMatch(await toast.innerText(), /fail|reject/i);
    await wb.screenshot('expired-approval-notification');
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.treeRow(/^Pipeline.*Approval expired/).waitFor({ state: 'visible', timeout: 30_000 });
    assert.doesNotMatch(await wb.treeRow(new RegExp(`^${ENV}`)).innerText(), /fail|reject/i);
    await wb.screenshot('expired-approval-tree');
    assert.match(await panelEnded(), /last execution: Approval expired/);
    // Its stages say so too: CodePipeline reports the approval stage and the execution as Failed.
    const stages = wb.webviewFrame().locator('section.timeline');
    assert.match((await stages.locator('.section-head').textContent()) ?? '', /^\s*Stages\s*Expired\s*$/);
    assert.equal(await stages.locator('.approval-stage .stage-row .status-icon').getAttribute('aria-label'), 'Expired');
    assert.doesNotMatch((await stages.textContent()) ?? '', /Failed/, 'a stage of the expired execution reads Failed');
    await wb.runCommand('View: Close Primary Side Bar');
    await wb.screenshot('expired-approval-panel');
    await wb.runCommand('View: Close All Editors');
    await staging.restoreDesiredVersion(deployed);
  });

  it('an execution someone else stops: the notification gives the reason, the tree and the panel say stopped', async () => {
    const { wb } = shop;
    const { executionId, deployed } = await toApproval();
    await staging.stop(executionId, 'Hotfix 4711 goes out first');
    const toast = await wb.findNotification(/was stopped/, 90_000);
    assert.match(await toast.innerText(), /was stopped( at \S+)?: Hotfix 4711 goes out first\./);
    await wb.screenshot('stopped-execution-notification');
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.treeRow(/^Pipeline.*Stopped/).waitFor({ state: 'visible', timeout: 30_000 });
    await wb.screenshot('stopped-execution-tree');
    assert.match(await panelEnded(), /last execution: Stopped/);
    await wb.runCommand('View: Close All Editors');
    await staging.restoreDesiredVersion(deployed);
  });

  it('a rollback started in VS Code and superseded by a colleague\'s deploy: the notification names the newer execution and who started it', async () => {
    const { wb } = shop;
    await showEnvironment();
    const before = await staging.status();
    await wb.runCommand('Spryker Deploy: Roll Back…');
    await wb.pickQuickItem(new RegExp(ENV));
    // The first earlier deployed version.
    await wb.page.locator('.quick-input-widget').filter({ hasText: new RegExp(`Roll back ${ENV} to`) }).waitFor({ state: 'visible', timeout: 60_000 });
    await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 30_000 });
    await wb.page.keyboard.press('Enter');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    await dialog.getByRole('button', { name: 'Roll Back', exact: true }).click();
    let waiting;
    for (let i = 0; i < 600 && !(waiting = await staging.approvalDetails()); i++) await wb.page.waitForTimeout(200);
    assert.ok(waiting, 'the rollback did not reach its approval');
    const other = [...shop.shas].reverse().slice(2).find((sha) => sha !== waiting.approval.version && sha !== before.lastDeployedVersion)!;
    const newer = await staging.deploy(other, { supersede: true });
    const toast = await wb.findNotification(/was superseded by execution/, 90_000);
    assert.match(await toast.innerText(), new RegExp(`was superseded by execution ${newer.executionId} \\(started by [^)]+\\)\\.`));
    await wb.screenshot('superseded-execution');
    await wb.runCommand('Notifications: Clear All Notifications');
    const next = await staging.follow(newer.executionId, { stopAtApproval: true, pollMs: 200 });
    await staging.stop(newer.executionId, 'test cleanup');
    assert.ok(next.approval);
    await staging.restoreDesiredVersion(before.lastDeployedVersion!);
  });
});
