// The approval webview's bundle in plain Chromium, with a stub of the VS Code webview API: rendering, keyboard
// navigation, the messages it sends (and does not send twice), state persistence. Fast and without code-server;
// the end-to-end test in the real workbench is approvalPanel.test.ts.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { RUNNING, TARGET, TOKEN, sampleDomain, sampleViewModel } from './approvalFixtures';
import { buildApprovalViewModel } from '../../src/vscode/approval/viewModel';
import { buildPastExecutionViewModel } from '../../src/vscode/approval/pastExecution';

// These run inside the page (page.evaluate); declared here so the Node-side type check needs no DOM library.
declare const window: { postMessage(message: unknown, origin: string): void; __sent: unknown[]; __state: unknown };
declare const document: { activeElement: { getAttribute(name: string): string | null } | null };

const root = path.resolve(__dirname, '../..');
const dist = path.join(root, 'dist');
const outDir = path.join(root, 'test-results', 'webview');
const shots = path.join(root, 'test-results', 'screenshots');

/** A few of the variables VS Code's Dark Modern / Light Modern themes inject, enough to see contrast. */
const THEMES: Record<string, Record<string, string>> = {
  dark: {
    'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', foreground: '#cccccc',
    'editor-background': '#1f1f1f', 'editorWidget-background': '#202020', 'widget-border': '#313131', descriptionForeground: '#9d9d9d',
    focusBorder: '#0078d4', 'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-secondaryBackground': '#313131',
    'button-secondaryForeground': '#cccccc', 'badge-background': '#616161', 'badge-foreground': '#f8f8f8', 'textLink-foreground': '#4daafc',
    'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c', 'textCodeBlock-background': '#2b2b2b',
    'inputValidation-warningBackground': '#352a05', 'inputValidation-warningBorder': '#b89500', 'inputValidation-errorBackground': '#5a1d1d',
    'inputValidation-errorBorder': '#be1100', 'inputValidation-infoBackground': '#063b49', 'inputValidation-infoBorder': '#1b80b2',
    'testing-iconPassed': '#73c991', 'testing-iconFailed': '#f14c4c', 'editorWarning-foreground': '#cca700', 'statusBarItem-errorBackground': '#c72e0f',
    'statusBarItem-errorForeground': '#ffffff', 'list-hoverBackground': '#2a2d2e', 'progressBar-background': '#0078d4',
  },
};

async function open(browser: Browser, theme = 'dark'): Promise<Page> {
  fs.mkdirSync(outDir, { recursive: true });
  const vars = Object.entries(THEMES[theme] ?? {}).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ');
  const rel = (p: string) => path.relative(outDir, p).split(path.sep).join('/');
  const file = path.join(outDir, `approval-${theme}.html`);
  fs.writeFileSync(
    file,
    `<!DOCTYPE html><html style="${vars}"><head><meta charset="utf-8">
<link rel="stylesheet" href="${rel(path.join(dist, 'codicons', 'codicon.css'))}">
<link rel="stylesheet" href="${rel(path.join(dist, 'webview', 'main.css'))}">
<script>
  window.__sent = []; window.__state = { env: 'spryker-prod', comment: 'restored text' };
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__sent.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });
</script></head>
<body data-env="spryker-prod"><main id="app"></main><script src="${rel(path.join(dist, 'webview', 'main.js'))}"></script></body></html>`,
  );
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${file}`);
  assert.deepEqual(errors, []);
  return page;
}

async function sendState(page: Page, state: unknown): Promise<void> {
  await page.evaluate((s) => window.postMessage({ type: 'state', state: s }, '*'), state);
}

async function sent(page: Page): Promise<unknown[]> {
  return page.evaluate(() => window.__sent);
}

describe('approval webview (bundle in Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;

  before(async function () {
    if (!fs.existsSync(path.join(dist, 'webview', 'main.js'))) throw new Error('dist/webview/main.js is missing: run `node esbuild.js` first.');
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  });
  after(async () => browser?.close());

  it('says ready, restores the saved comment and renders the state', async () => {
    const page = await open(browser);
    assert.deepEqual(await sent(page), [{ type: 'ready' }]);
    assert.equal(await page.locator('#decision-comment').inputValue(), 'restored text');
    // Live regions exist before anything is said in them, or screen readers miss the first announcement.
    assert.equal(await page.locator('[role="status"][aria-live="polite"]:not([hidden])').count(), 1);
    assert.equal(await page.locator('[role="alert"][aria-live="assertive"]:not([hidden])').count(), 1);
    await sendState(page, sampleViewModel());
    await page.getByRole('heading', { name: 'spryker-prod' }).waitFor();
    assert.equal(await page.locator('.badge.production').count(), 1);
    assert.match(await page.locator('.subtitle').innerText(), /Waiting for approval since 26 min ago/);
    assert.equal(await page.locator('.commit-list li').count(), 5);
    assert.equal(await page.locator('.commit.merge').count(), 1);
    assert.equal(await page.locator('.commit.revert').count(), 1);
    assert.match(await page.locator('.files').innerText(), /37 files changed/);
    assert.equal(await page.locator('.service-group').count(), 1, 'five services moving between the same versions are one group');
    assert.equal(await page.locator('.service-names li').count(), 5);
    assert.match((await page.locator('.service-group').getAttribute('aria-label')) ?? '', /^5 services from 8c1f0e2 to f3a9c2d: spryker-prod-backoffice, /);
    assert.match(await page.locator('.notice.warning').innerText(), /disagrees/);
    assert.match(await page.locator('pre.log').innerText(), /Deploymnet version f3a9c2d1/);
    assert.equal(await page.locator('.stage.waiting').count(), 1);
    assert.equal(await page.locator('.stage.pending').count(), 7);
    await page.screenshot({ path: path.join(shots, 'webview-standalone-dark.png'), fullPage: true });
    await page.close();
  });

  it('an approval that rolls back says so and lists the commits it removes, newest first, marked removed, with the files', async () => {
    const now = new Date();
    const d = sampleDomain(now);
    // The approval deploys the running version's ancestor: the sample's target is the old one, its commits are undone.
    const undone = d.commits.slice(1);
    const vm = buildApprovalViewModel({
      config: d.config,
      details: d.details,
      status: d.status,
      git: { repository: true, running: d.commits[0], target: d.runningCommit, commits: [], undone, filesChanged: 12, missing: [] },
      canModify: true,
      now,
    });
    const page = await open(browser);
    await sendState(page, vm);
    const heading = page.locator('#commits-title');
    await heading.waitFor();
    assert.match(await heading.innerText(), /Rollback: commits removed\s*4/i);
    assert.match(await page.locator('.commits .list-caption').innerText(), /^This deploy rolls back 4 commits: .* Removed, newest first:$/);
    assert.equal(await page.locator('.commit.removed').count(), 4);
    assert.deepEqual(await page.locator('.commit.removed .commit-subject').allInnerTexts(), undone.map((c) => c.subject));
    assert.match((await page.locator('.commit.removed').first().getAttribute('aria-label')) ?? '', /^Removed by this deploy: /);
    assert.match(await page.locator('.files').innerText(), /12 files changed/);
    assert.doesNotMatch(await page.locator('.commits').innerText(), /\b0 files|Commits\s*0/);
    await page.locator('.commits').screenshot({ path: path.join(shots, 'webview-rollback-commits.png') });
    await page.close();
  });

  it('navigates the commits with the arrow keys (one tab stop) and opens one with Enter', async () => {
    const page = await open(browser);
    await sendState(page, sampleViewModel());
    const first = page.locator('.commit').first();
    await first.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-focus')), 'commit-b2c3d4e5f60718293a4b5c6d7e8f901234567890');
    assert.equal(await page.locator('.commit[tabindex="0"]').count(), 1);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    assert.deepEqual((await sent(page)).at(-1), { type: 'openCommit', sha: 'd4e5f60718293a4b5c6d7e8f9012345678901234' });
    // A live update re-renders the list: focus stays on the same commit.
    await sendState(page, sampleViewModel());
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-focus')), 'commit-d4e5f60718293a4b5c6d7e8f9012345678901234');
    await page.close();
  });

  it('sends one approve with the comment and the token, however often it is clicked', async () => {
    const page = await open(browser);
    await sendState(page, sampleViewModel());
    await page.getByLabel(/Comment/).fill('Checked the diff, go.');
    assert.deepEqual(await page.evaluate(() => window.__state), { env: 'spryker-prod', comment: 'Checked the diff, go.' });
    const approve = page.locator('[data-focus="approve"]');
    await approve.click();
    await approve.click({ force: true }).catch(() => undefined);
    await page.locator('[data-focus="reject"]').click({ force: true }).catch(() => undefined);
    const decisions = (await sent(page)).filter((m) => (m as { type: string }).type !== 'ready');
    assert.deepEqual(decisions, [{ type: 'approve', comment: 'Checked the diff, go.', token: TOKEN, action: 'Approval' }]);
    assert.equal(await approve.isDisabled(), true);
    // The host answers busy, then the outcome.
    await sendState(page, { ...sampleViewModel(), busy: 'Approved' });
    assert.match(await approve.innerText(), /Approving/);
    await sendState(page, { ...sampleViewModel(), outcome: { decision: 'Approved', at: new Date().toISOString(), comment: 'Checked the diff, go.', version: TARGET } });
    assert.match(await page.getByRole('status').innerText(), /Approved: the pipeline continues with f3a9c2d\b/);
    assert.equal(await approve.isDisabled(), true);
    assert.equal(await page.locator('form.decision').isVisible(), false);
    // A sent comment is cleared, also from the saved state.
    await page.evaluate(() => window.postMessage({ type: 'result', outcome: { decision: 'Approved', at: new Date().toISOString(), comment: 'x' } }, '*'));
    assert.deepEqual(await page.evaluate(() => window.__state), { env: 'spryker-prod', comment: '' });
    await page.close();
  });

  it('two approvals waiting in one stage: shows each, and approve and reject go to the one chosen', async () => {
    const other = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
    const base = sampleViewModel();
    const qa = { ...base.approval!, actionName: 'QA_Approval' };
    const owner = { ...base.approval!, actionName: 'ProductOwner_Approval', token: other };
    const two = { ...base, approval: qa, approvals: [qa, owner] };
    const page = await open(browser);
    await sendState(page, two);
    const choice = page.locator('fieldset.approval-choice');
    await choice.waitFor();
    assert.match(await choice.locator('legend').innerText(), /2 approvals wait in Please_approve/);
    assert.deepEqual(await choice.locator('label strong').allInnerTexts(), ['QA_Approval', 'ProductOwner_Approval']);
    // The first is chosen until the user picks another; the buttons say which one they decide.
    assert.equal(await page.locator('#approval-QA_Approval').isChecked(), true);
    assert.match(await page.locator('[data-focus="approve"]').innerText(), /as QA_Approval/);
    await page.getByLabel(/ProductOwner_Approval/).check();
    assert.match(await page.locator('[data-focus="approve"]').innerText(), /as ProductOwner_Approval/);
    // A live update keeps the choice while that approval still waits.
    await sendState(page, two);
    assert.equal(await page.locator('#approval-ProductOwner_Approval').isChecked(), true);
    await page.locator('form.decision').screenshot({ path: path.join(shots, 'webview-two-approvals.png') });
    await page.locator('[data-focus="reject"]').click();
    const decisions = (await sent(page)).filter((m) => (m as { type: string }).type !== 'ready');
    assert.deepEqual(decisions, [{ type: 'reject', comment: 'restored text', token: other, action: 'ProductOwner_Approval' }]);
    // Once the product owner's approval no longer waits, the decision goes to the one left, and no choice is offered.
    await sendState(page, { ...base, approval: qa, approvals: [qa] });
    assert.equal(await choice.isVisible(), false);
    assert.doesNotMatch(await page.locator('[data-focus="approve"]').innerText(), / as /);
    await page.close();
  });

  it('a past execution: read-only, with how it ended, who decided and its stages with durations; no decision controls', async () => {
    const now = new Date();
    const d = sampleDomain(now);
    const at = (m: number) => new Date(now.getTime() - m * 60_000);
    const vm = buildPastExecutionViewModel({
      config: d.config,
      entry: {
        executionId: 'e-2b7d4e8a-1111',
        status: 'Succeeded',
        startTime: at(300),
        startedBy: 'jonas.weber',
        finishedAt: at(260),
        durationMs: 40 * 60_000,
        version: TARGET,
        versionSource: 'deployed-version',
        outcome: { kind: 'deployed', approvedBy: ['mia.schneider'] },
        decisions: [{ action: 'Approval', decision: 'Approved', by: 'mia.schneider', comment: 'Checked on staging, go.', at: at(290) }],
        stages: [
          { name: 'Source', status: 'Succeeded', durationMs: 20_000 },
          { name: 'Please_approve', status: 'Succeeded', durationMs: 8 * 60_000 },
          { name: 'Run_install', status: 'Succeeded', durationMs: 6 * 60_000 },
          { name: 'Deploy_Spryker_services', status: 'Succeeded', durationMs: 12 * 60_000 },
        ],
      },
      previousVersion: RUNNING,
      git: { repository: true, running: d.runningCommit, target: d.commits[0], commits: d.commits, filesChanged: 37, missing: [] },
      now,
    });
    const page = await open(browser);
    await sendState(page, vm);
    await page.locator('.subtitle', { hasText: 'Past execution, read-only: deployed' }).waitFor();
    assert.match(await page.locator('#card-running-title').innerText(), /Running before/i);
    assert.match(await page.locator('#card-target-title').innerText(), /Deployed/i);
    const past = await page.locator('section.past').innerText();
    assert.match(past, /Approved by mia\.schneider/);
    assert.match(past, /“Checked on staging, go\.”/);
    assert.match(past, /Started\s+.*by jonas\.weber/);
    assert.match(past, /Took\s+40m 00s/);
    assert.equal(await page.locator('.stage .duration').count(), 4);
    assert.equal(await page.locator('.commit-list li').count(), 5);
    assert.equal(await page.locator('form.decision').isVisible(), false);
    assert.equal(await page.locator('section.comparison').count(), 0, 'a past execution shows the live comparison section');
    await page.screenshot({ path: path.join(shots, 'webview-past-execution.png'), fullPage: true });
    await page.close();
  });

  it('a promotion: the section names the source, since when it runs the version, and each service on both sides', async () => {
    const base = sampleViewModel();
    const since = new Date(Date.now() - 2 * 24 * 3600_000).toISOString();
    const vm = {
      ...base,
      promotion: {
        source: 'spryker-staging',
        version: TARGET,
        since,
        promotesHere: true,
        services: [
          { role: 'glue', source: [TARGET], target: [RUNNING], same: false },
          { role: 'zed', source: [TARGET], target: [RUNNING], same: false },
          { role: 'scheduler', source: [TARGET], target: [TARGET], same: true },
        ],
        unknown: [],
      },
    };
    const page = await open(browser);
    await sendState(page, vm);
    const section = page.locator('section.promotion');
    await section.waitFor();
    const text = await section.innerText();
    assert.match(text, /Promotion: spryker-staging → spryker-prod/i);
    assert.match(text, /spryker-staging runs f3a9c2d since 2 days ago/);
    assert.equal(await section.locator('tr.differs').count(), 2);
    assert.equal(await section.locator('tr.same').count(), 1);
    await section.screenshot({ path: path.join(shots, 'webview-promotion.png') });
    await page.close();
  });

  it('shows an error in an alert with its one action, and offers Fetch when a version is missing', async () => {
    const page = await open(browser);
    await sendState(page, { ...sampleViewModel(), error: { kind: 'stale', message: 'This approval was replaced or decided elsewhere.', action: 'refresh' }, commits: { kind: 'missing', missing: [TARGET] } });
    assert.match(await page.getByRole('alert').innerText(), /replaced or decided/);
    await page.getByRole('alert').getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('button', { name: 'Fetch' }).click();
    assert.deepEqual((await sent(page)).slice(-2), [{ type: 'refresh' }, { type: 'fetch' }]);
    assert.match(await page.locator('.commits').innerText(), /lacks f3a9c2d\b/);
    await page.close();
  });

  it('disables deciding without a waiting approval or in an untrusted workspace', async () => {
    const page = await open(browser);
    const { approval: _approval, ...noApproval } = sampleViewModel();
    await sendState(page, noApproval);
    assert.equal(await page.locator('form.decision').isVisible(), false, 'a form without anything to decide');
    assert.match(await page.locator('.idle-note').innerText(), /no approval is waiting for spryker-prod/);
    assert.match(await page.locator('.card.target').innerText(), /Desired version/i);
    await sendState(page, { ...sampleViewModel(), canModify: false });
    assert.equal(await page.getByRole('button', { name: /Approve/ }).isDisabled(), true);
    assert.match(await page.locator('.decision-note').innerText(), /untrusted/);
    await page.close();
  });

  it('says how the last execution ended in the outcome\'s words: an expiry is not "failed"', async () => {
    const page = await open(browser);
    const { approval: _waiting, ...noApproval } = sampleViewModel();
    await sendState(page, { ...noApproval, pipeline: { ...noApproval.pipeline, status: 'Failed', ended: 'Approval expired: The approval request expired after 7 days' } });
    const subtitle = page.locator('.subtitle');
    await subtitle.waitFor();
    assert.match(await subtitle.innerText(), /No approval is waiting\s*· last execution: Approval expired: The approval request expired after 7 days/);
    assert.doesNotMatch(await subtitle.innerText(), /failed/i);
    await page.close();
  });

  it('shows the failed stage of a failed execution: stage, action, AWS\'s reason, the last lines of its log and a Show Log button', async () => {
    const page = await open(browser);
    const { approval: _waiting, ...noApproval } = sampleViewModel();
    const lines = ['[Container] 2026/11/30 10:02:11 Running command vendor/bin/install -r production', 'Propel migration 20261130_add_order_notes failed:', "PDOException: SQLSTATE[42S01]: Base table or view already exists: 1050 Table 'spy_order_note' already exists", '[Container] 2026/11/30 10:02:14 Command did not exit successfully vendor/bin/install -r production exit status 1'];
    await sendState(page, {
      ...noApproval,
      pipeline: { ...noApproval.pipeline, status: 'Failed' },
      failure: { stage: 'Run_install', action: 'Run_install', code: 'JobFailed', message: 'Build terminated with state: FAILED', at: new Date().toISOString(), lines, source: "Last lines of Run_install's build log (/aws/codebuild/spryker-prod)" },
    });
    const section = page.locator('section.failure');
    await section.waitFor();
    assert.equal(await section.locator('h2').textContent(), ' Failed at Run_install');
    assert.match((await section.locator('.failure-reason').textContent()) ?? '', /^Run_install: JobFailed Build terminated with state: FAILED/);
    assert.equal(await section.locator('pre.failure-log').textContent(), lines.join('\n'));
    assert.equal(await section.locator('pre.failure-log').getAttribute('aria-label'), "Last lines of Run_install's build log (/aws/codebuild/spryker-prod)");
    // The failure comes first: it is what someone opening the panel after a failed deploy looks for.
    assert.equal(await page.locator('.main-column > section').first().getAttribute('class'), 'section failure');
    fs.mkdirSync(shots, { recursive: true });
    await section.screenshot({ path: path.join(shots, 'webview-failed-stage.png') });
    // Show Log asks the host for the whole log (the host picks the failed build: the message names nothing).
    await section.getByRole('button', { name: 'Show Log' }).click();
    assert.deepEqual((await sent(page)).slice(-1), [{ type: 'showLog' }]);
    await page.close();
  });
});
