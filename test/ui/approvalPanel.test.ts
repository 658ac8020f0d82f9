// The approval panel end to end in the real workbench (code-server + Chromium) against the sandbox: a production
// deploy waits at Please_approve; the panel opens from the palette; the workspace lacks the versions, so the panel
// offers Fetch, and after it the commits (a merge and a revert among them) are listed; screenshots in the dark and
// light themes; a comment, Approve, the production confirmation, the outcome in the panel, and the sandbox's
// pipeline running on to Succeeded with the new version deployed.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { createAwsPortsFactory } from '../../src/aws/index';
import type { EnvironmentService } from '../../src/core/api';
import { createEnvironmentService } from '../../src/core/environmentService';
import { resolveEnvironment } from '../../src/core/environments';
import { openWorkbench, type Workbench } from './workbench';

const ENV = 'spryker-prod';
// Runs inside the webview (evaluate); declared so the Node-side type check needs no DOM library.
declare const getComputedStyle: (element: unknown) => { borderTopColor: string };
/** `name` is the settings id, `label` what the theme picker shows. */
const THEMES = {
  dark: { name: 'Default Dark Modern', label: 'Dark Modern', bodyClass: 'vs-dark' },
  light: { name: 'Default Light Modern', label: 'Light Modern', bodyClass: 'vs' },
  highContrast: { name: 'Default High Contrast', label: 'Dark High Contrast', bodyClass: 'hc-black' },
};

interface SourceRepo {
  readonly path: string;
  readonly deployed: string;
  readonly target: string;
  remove(): void;
}

/**
 * The project's "remote" history, with fixed dates so the order is stable: the sandbox takes its commits (and so
 * its image tags) from here; the workspace only gets them by fetching.
 */
function createSourceRepo(): SourceRepo {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'scd-source-'));
  const root = path.join(parent, 'shop-origin');
  fs.mkdirSync(root);
  let clock = Date.UTC(2026, 10, 20, 9, 0, 0) / 1000;
  const people = [
    ['Mia Schneider', 'mia@example.invalid'],
    ['Jonas Weber', 'jonas@example.invalid'],
    ['Lena Fischer', 'lena@example.invalid'],
  ];
  let person = 0;
  const git = (...args: string[]): string => {
    const [name, email] = people[person % people.length];
    const date = `${clock} +0000`;
    return execFileSync('git', ['-C', root, ...args], {
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    }).trim();
  };
  const commit = (subject: string, file: string, by = person): string => {
    person = by;
    clock += 3 * 3600;
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.appendFileSync(path.join(root, file), `${subject}\n`);
    git('add', '-A');
    git('commit', '-q', '-m', subject);
    return git('rev-parse', 'HEAD');
  };
  git('init', '-q', '-b', 'main');
  commit('Initial shop', 'README.md', 0);
  const deployed = commit('Add Glue endpoint for customer order history', 'src/Pyz/Glue/OrderHistory.php', 1);
  commit('Upgrade spryker/product-storage to 2.14.0', 'composer.json', 0);
  git('checkout', '-q', '-b', 'feature/checkout-address-validation');
  commit('Validate the shipping address before the summary step', 'src/Pyz/Yves/Checkout/AddressStep.php', 2);
  git('checkout', '-q', 'main');
  const cached = commit('Cache the product abstract storage for 24h', 'config/Shared/config_default.php', 1);
  person = 1;
  clock += 3600;
  git('revert', '--no-edit', cached);
  person = 2;
  clock += 3600;
  git('merge', '-q', '--no-ff', '-m', "Merge branch 'feature/checkout-address-validation'", 'feature/checkout-address-validation');
  const target = git('rev-parse', 'HEAD');
  // The sandbox builds images for all but the two newest commits.
  commit('Bump composer.lock', 'composer.lock', 0);
  commit('Search facets for the category page (WIP)', 'src/Pyz/Yves/Search/Facets.php', 2);
  return { path: root, deployed, target, remove: () => fs.rmSync(parent, { recursive: true, force: true }) };
}

async function waitUntil<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('approval panel (code-server + sandbox)', function () {
  this.timeout(240_000);
  let source: SourceRepo;
  let wb: Workbench;
  let service: EnvironmentService;
  let frame: FrameLocator;

  /** Switches the theme through the theme picker, as a user would (the picker writes workbench.colorTheme). */
  async function useTheme(kind: keyof typeof THEMES): Promise<void> {
    const theme = THEMES[kind];
    await wb.runCommand('Preferences: Color Theme');
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(theme.label);
    await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused', { hasText: theme.label }).waitFor({ state: 'visible' });
    await wb.page.keyboard.press('Enter');
    await wb.page.locator(`.monaco-workbench.${theme.bodyClass}`).waitFor({ state: 'attached', timeout: 20_000 });
    await input.waitFor({ state: 'hidden' });
    // The webview receives the new theme's variables a moment after the workbench repaints.
    await wb.page.waitForTimeout(800);
  }

  before(async function () {
    source = createSourceRepo();
    wb = await openWorkbench({
      sandbox: { repo: source.path, stageSeconds: 0.3 },
      theme: 'dark',
      settings: (sb) => ({
        'workbench.colorTheme': THEMES.dark.name,
        'sprykerDeploy.environments': [{ name: ENV, endpoint: sb!.endpoint, region: sb!.region }],
        'sprykerDeploy.notifications.approval': false,
        'sprykerDeploy.confirm.production': 'typeName',
      }),
    });
    const sb = wb.sandbox!;
    const config = resolveEnvironment({ name: ENV, endpoint: sb.endpoint, region: sb.region });
    service = createEnvironmentService(config, createAwsPortsFactory({ credentials: sb.credentials })(config));
    await awaitingApproval();
    wb.workspace.git('remote', 'add', 'origin', source.path);
  });

  /**
   * The Glue commit runs and the target waits for approval (deployed and approved outside the UI). Each test
   * starts so: the approve test decides the one that waits.
   */
  async function awaitingApproval(): Promise<void> {
    if ((await service.approvalDetails())?.approval.version === source.target) return;
    const sb = wb.sandbox!;
    (sb.control as { setStageSeconds(s: number): void }).setStageSeconds(0.3);
    if ((await service.status()).lastDeployedVersion !== source.deployed) {
      const first = await service.deploy(source.deployed, { supersede: true });
      const waiting = await service.follow(first.executionId, { stopAtApproval: true, pollMs: 200 });
      await service.decide(waiting.approval!, 'Approved', 'setting up the test');
      assert.equal((await service.follow(first.executionId, { pollMs: 200 })).status, 'Succeeded');
    }
    // Slow enough after the approval that the timeline can be seen moving.
    (sb.control as { setStageSeconds(s: number): void }).setStageSeconds(1);
    const started = await service.deploy(source.target, { supersede: true });
    assert.equal((await service.follow(started.executionId, { stopAtApproval: true, pollMs: 200 })).status, 'AwaitingApproval');
  }

  after(async () => {
    await wb?.close();
    source?.remove();
  });

  /** Opens the panel from the palette (unless its tab is open) and shows it; sets `frame`. */
  async function openPanel(): Promise<void> {
    const tab = wb.page.locator('.tab', { hasText: `Approve: ${ENV}` });
    if (!(await tab.isVisible())) {
      await wb.runCommand('Spryker Deploy: Open Approval Panel');
      // Production is never picked silently: the environment picker asks. The first time, it shows once the
      // extension has answered the command (seconds under load): wait for the picker or the tab, not a moment.
      const picker = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: ENV }).first();
      try {
        await tab.or(picker).first().waitFor({ state: 'visible', timeout: 30_000 });
        if (await picker.isVisible()) await picker.click();
        await tab.waitFor({ state: 'visible', timeout: 30_000 });
      } catch (e) {
        await wb.screenshot('approval-panel-not-opened');
        const quickInput = await wb.page.locator('.quick-input-widget').allInnerTexts();
        const toasts = await wb.page.locator('.notification-toast, .notifications-center .notification-list-item').allInnerTexts();
        const log = wb.logs().extension.trim().split('\n').slice(-15).join('\n');
        throw new Error(`${String(e)}\nquick input: ${JSON.stringify(quickInput)}\nnotifications: ${JSON.stringify(toasts)}\nextension log (end):\n${log}`, { cause: e });
      }
    } else await tab.click();
    frame = wb.webviewFrame();
    await frame.getByRole('heading', { name: ENV }).waitFor({ timeout: 30_000 });
  }

  /** What every test after the first needs, so that each runs alone: the panel open with the commits fetched. */
  async function panelWithCommits(): Promise<void> {
    await openPanel();
    const fetch = frame.locator('section.commits').getByRole('button', { name: 'Fetch' });
    const listed = frame.locator('.commit-list li').first();
    // Either the commits are here already or the panel offers Fetch (isVisible does not wait: wait for one).
    await fetch.or(listed).first().waitFor({ timeout: 30_000 });
    if (await fetch.isVisible()) await fetch.click();
    await listed.waitFor({ timeout: 30_000 });
  }

  beforeEach(() => awaitingApproval());

  it('opens from the palette and offers Fetch when the local repository lacks the versions', async () => {
    // The workspace lacks the versions, whichever test fetched them before: forget the fetched refs and objects.
    const fetched = wb.workspace.git('for-each-ref', '--format=%(refname)', 'refs/remotes/').split('\n').filter(Boolean);
    if (fetched.length > 0) {
      await wb.runCommand('View: Close All Editors');
      await wb.page.locator('.tab', { hasText: `Approve: ${ENV}` }).waitFor({ state: 'hidden', timeout: 10_000 });
      for (const ref of fetched) wb.workspace.git('update-ref', '-d', ref);
      wb.workspace.git('reflog', 'expire', '--expire=now', '--all');
      wb.workspace.git('gc', '-q', '--prune=now');
    }
    await openPanel();
    await frame.locator('.subtitle', { hasText: 'Waiting for approval since' }).waitFor();
    assert.equal(await frame.locator('.badge.production').count(), 1);
    const commits = frame.locator('section.commits');
    await commits.getByText(/lacks/).waitFor();
    await commits.getByRole('button', { name: 'Fetch' }).click();
    await frame.locator('.commit-list li').first().waitFor({ timeout: 30_000 });
  });

  it('lists the commits between the versions with merges and reverts, and the services that change', async () => {
    await panelWithCommits();
    assert.equal(await frame.locator('.commit-list li').count(), 5);
    assert.equal(await frame.locator('.commit.merge').count(), 1);
    assert.equal(await frame.locator('.commit.revert').count(), 1);
    assert.match(await frame.locator('.card.running').innerText(), /Add Glue endpoint for customer order history/);
    assert.match(await frame.locator('.card.target').innerText(), /Merge branch 'feature\/checkout-address-validation'/);
    assert.match(await frame.locator('.files').innerText(), /\d+ files? changed/);
    assert.ok((await frame.locator('.service-names li').count()) > 0, 'no service whose image changes');
    assert.match(await frame.locator('pre.log').innerText(), /version/i);
    assert.equal(await frame.locator('.notice.warning').count(), 0, 'the sandbox log agrees with the parameters');
    await frame.locator('.stage.waiting', { hasText: 'Please approve' }).waitFor();
  });

  it('opens a commit\'s changes from the list, and the panel comes back intact when shown again', async () => {
    await panelWithCommits();
    await frame.getByLabel(/Comment/).fill('Looking at the address step first');
    await frame.locator('.commit', { hasText: 'Validate the shipping address' }).click();
    // The diff opens in the panel's group and hides the webview (no retainContextWhenHidden: it is rebuilt).
    await wb.page.locator('.tab', { hasText: 'Validate the shipping address' }).waitFor({ state: 'visible', timeout: 20_000 });
    await wb.page.locator('.tab', { hasText: `Approve: ${ENV}` }).click();
    frame = wb.webviewFrame();
    await frame.locator('.commit-list li').first().waitFor({ timeout: 20_000 });
    assert.equal(await frame.getByLabel(/Comment/).inputValue(), 'Looking at the address step first');
    await frame.getByLabel(/Comment/).fill('');
    await wb.page.locator('.tab', { hasText: 'Validate the shipping address' }).click();
    await wb.runCommand('View: Close Editor');
    await wb.page.locator('.tab', { hasText: 'Validate the shipping address' }).waitFor({ state: 'detached' });
    await wb.page.locator('.tab', { hasText: `Approve: ${ENV}` }).click();
    frame = wb.webviewFrame();
    await frame.locator('.commit-list li').first().waitFor({ timeout: 20_000 });
  });

  it('is readable in the dark, light and high contrast themes (screenshots)', async () => {
    await panelWithCommits();
    // The panel alone, as wide as the window allows: what the README shows.
    await wb.runCommand('View: Close Primary Side Bar');
    await wb.page.waitForTimeout(500);
    await wb.screenshot('approval-dark');
    await useTheme('light');
    await frame.locator('.commit-list li').first().waitFor();
    await wb.screenshot('approval-light');
    await useTheme('highContrast');
    await wb.screenshot('approval-high-contrast');
    // High contrast themes draw borders in --vscode-contrastBorder: the cards must have one.
    const border = await frame.locator('.card.running').evaluate((el) => getComputedStyle(el).borderTopColor);
    assert.notEqual(border, 'rgba(0, 0, 0, 0)', 'the cards have no visible border in high contrast');
    await useTheme('dark');
  });

  it('comes back after a window reload with the comment being typed (serializer + webview state)', async () => {
    await panelWithCommits();
    await frame.getByLabel(/Comment/).fill('Half-written comment');
    await wb.page.waitForTimeout(500);
    // As a user reloads: the workbench saves the webview's state (setState) while shutting the window down.
    await Promise.all([wb.page.waitForEvent('framenavigated', { timeout: 30_000 }), wb.runCommand('Developer: Reload Window')]);
    await wb.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await wb.page.locator('.tab', { hasText: `Approve: ${ENV}` }).waitFor({ state: 'visible', timeout: 30_000 });
    frame = wb.webviewFrame();
    await frame.getByRole('heading', { name: ENV }).waitFor({ timeout: 30_000 });
    assert.equal(await frame.getByLabel(/Comment/).inputValue(), 'Half-written comment');
    await frame.locator('.commit-list li').first().waitFor({ timeout: 30_000 });
  });

  it('approves with a comment after the production confirmation, shows the outcome, and the pipeline succeeds', async () => {
    await panelWithCommits();
    const comment = 'Checked the diff and the services: go.';
    await frame.getByLabel(/Comment/).fill(comment);
    await frame.getByRole('button', { name: /Approve production deploy/ }).click();
    // The production confirmation is up: the panel already refuses a second click.
    assert.equal(await frame.getByRole('button', { name: /Approv/ }).isDisabled(), true);
    // The modal (custom dialog style), then typing the environment name.
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await dialog.innerText(), /production/i);
    await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(ENV);
    await wb.page.keyboard.press('Enter');

    await frame.getByRole('status').getByText(/Approved: the pipeline continues/).waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('form.decision').isVisible(), false, 'the decision form stays after the decision');
    await wb.screenshot('approval-approved-dark');

    const finished = await waitUntil(async () => {
      const s = await service.status();
      return s.pipeline?.status === 'Succeeded' ? s : undefined;
    }, 'the pipeline to succeed');
    assert.equal(finished.lastDeployedVersion, source.target);
    // The panel follows the store's polling: every stage of this run ends as succeeded.
    await waitUntil(async () => (await frame.locator('.stage.pending, .stage.running, .stage.waiting').count()) === 0, 'the timeline to finish', 60_000);
    await useTheme('light');
    await wb.screenshot('approval-succeeded-light');
    assert.deepEqual(wb.pageErrors, []);
  });
});
