// The extension as a user meets it, in code-server + Chromium against the sandbox: the Environments tree with
// live versions; right-click a commit in the Commits view → Deploy to… → the real confirmation → the approval
// notification → Approve → success; rollback from the palette; the status bar with production's version,
// its attention state while an approval waits and its actions. Screenshots go to test-results/screenshots.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { createAwsPortsFactory } from '../../src/aws/index';
import { createEnvironmentService } from '../../src/core/environmentService';
import { resolveEnvironment } from '../../src/core/environments';
import { deployApproved } from './shopWorkbench';
import { openWorkbench, type Workbench } from './workbench';

interface Source {
  readonly path: string;
  readonly shas: string[];
  remove(): void;
}

const SUBJECTS = [
  'Initial import of the B2C shop',
  'Add Glue endpoint for wishlists',
  'Fix price rounding in cart totals',
  'Configure Redis session TTL per store',
  'Upgrade spryker/product-storage to 2.14.0',
  'Translate checkout to de_DE',
  'Search facets for the category page (WIP)',
];

/** The project's history with dates in the past, so the sandbox derives a deploy history from it. */
function createSource(): Source {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'scd-ui-source-'));
  const root = path.join(parent, 'shop');
  fs.mkdirSync(root);
  const now = Math.floor(Date.now() / 1000);
  const shas: string[] = [];
  const git = (args: string[], date?: number) =>
    execFileSync('git', ['-C', root, ...args], {
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: 'Mia Schneider',
        GIT_AUTHOR_EMAIL: 'mia@example.invalid',
        GIT_COMMITTER_NAME: 'Mia Schneider',
        GIT_COMMITTER_EMAIL: 'mia@example.invalid',
        ...(date ? { GIT_AUTHOR_DATE: `${date} +0000`, GIT_COMMITTER_DATE: `${date} +0000` } : {}),
      },
    }).trim();
  git(['init', '-q', '-b', 'main']);
  SUBJECTS.forEach((subject, i) => {
    fs.appendFileSync(path.join(root, 'CHANGES.md'), `${subject}\n`);
    git(['add', '-A']);
    git(['commit', '-q', '-m', subject], now - (SUBJECTS.length - i) * 86400);
    shas.push(git(['rev-parse', 'HEAD']));
  });
  return { path: root, shas, remove: () => fs.rmSync(parent, { recursive: true, force: true }) };
}

interface SandboxWorld {
  environments: { name: string; pipelines: { normal: string }; parameters: { lastDeployedVersion: string } }[];
  executions: Record<string, { version?: string; status: string; actions: { actionName: string; externalExecutionSummary?: string; updatedBy?: string; approvalDecided?: boolean; token?: string }[] }[]>;
  parameters: Record<string, { history: { value: string; lastModifiedUser: string }[] }>;
}

/**
 * Who approved the deployment of `short` to `env` and who wrote its deployed-version parameter, as the sandbox
 * recorded them (the person as the picker shows them: the session name of an assumed role).
 */
function approvalOf(wb: Workbench, env: string, short: string): { approver: string; parameterWriter: string } | undefined {
  const world = (wb.sandbox as unknown as { inspect: { world(): SandboxWorld } }).inspect.world();
  const config = world.environments.find((e) => e.name === env);
  if (!config) return undefined;
  const execution = (world.executions[config.pipelines.normal] ?? []).find((e) => e.status === 'Succeeded' && e.version?.startsWith(short));
  const approval = execution?.actions.find((a) => a.approvalDecided && a.updatedBy);
  const writer = world.parameters[config.parameters.lastDeployedVersion]?.history.find((h) => h.value.startsWith(short))?.lastModifiedUser;
  const person = /assumed-role\/([^/]+)\/(.+)$/.exec(approval?.updatedBy ?? '');
  return person && writer ? { approver: person[2], parameterWriter: writer } : undefined;
}

describe('extension UI (code-server + sandbox)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let source: Source;

  before(async () => {
    source = createSource();
    wb = await openWorkbench({
      sandbox: { repo: source.path, stageSeconds: 0.5 },
      settings: (sandbox) => ({
        'sprykerDeploy.environments': [
          { name: 'spryker-staging', endpoint: sandbox?.endpoint, region: sandbox?.region },
          { name: 'spryker-prod', endpoint: sandbox?.endpoint, region: sandbox?.region },
        ],
        'sprykerDeploy.polling.activeSeconds': 1,
        'sprykerDeploy.polling.idleSeconds': 10,
      }),
    });
    // The workspace becomes a clone of the project's history (the sandbox's images are tagged with it).
    wb.workspace.git('fetch', '-q', source.path, 'main');
    wb.workspace.git('reset', '-q', '--hard', 'FETCH_HEAD');
  });

  afterEach(async function () {
    // What the screen showed when a step failed, for the post-mortem.
    if (this.currentTest?.state === 'failed' && wb) await wb.screenshot(`extension-failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
    // A menu, picker or dialog a failed step left open would block the next test's clicks.
    if (this.currentTest?.state === 'failed' && wb) for (let i = 0; i < 3; i++) await wb.page.keyboard.press('Escape');
  });

  after(async () => {
    await wb?.close();
    source?.remove();
  });

  const dialogButton = (label: string): Locator => wb.page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: new RegExp(`^${label}$`) });

  const findNotification = (text: RegExp, timeoutMs?: number): Promise<Locator> => wb.findNotification(text, timeoutMs);

  async function clickInNotification(text: RegExp, button: RegExp): Promise<void> {
    const found = await findNotification(text);
    await found.hover();
    await found.getByRole('button', { name: button }).first().click();
  }

  /** A row of the Commits view (the Environments tree shows the same subjects beside its versions). */
  function commitRow(subject: string): Locator {
    const commitsPane = wb.page.locator('.part.sidebar .pane', { has: wb.page.locator('.pane-header', { hasText: 'Commits' }) });
    return commitsPane.locator('.monaco-list-row', { hasText: subject }).first();
  }

  async function confirmModal(label: string, typeName?: string): Promise<string> {
    const button = dialogButton(label);
    await button.waitFor({ state: 'visible', timeout: 20_000 });
    const text = (await wb.page.locator('.monaco-dialog-box').innerText()).trim();
    await button.click();
    if (typeName) {
      const input = wb.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      await input.fill(typeName);
      await input.press('Enter');
    }
    return text;
  }

  /**
   * Clicks a context menu entry. The menu sometimes swallows the first click while it animates in; only when it
   * is still open a moment later does the highlighted entry get Enter. (Pressing Enter while the menu merely
   * fades out would answer the quick pick the command just opened.)
   */
  async function clickMenuEntry(entry: Locator): Promise<void> {
    await entry.click();
    const closed = await entry.waitFor({ state: 'hidden', timeout: 2000 }).then(() => true, () => false);
    if (!closed && !(await wb.page.locator('.quick-input-widget').isVisible())) await wb.page.keyboard.press('Enter');
  }

  it('shows the environments with live versions and commit subjects', async () => {
    await wb.openSidebar();
    const staging = wb.treeRow(/spryker-staging/);
    await staging.waitFor({ state: 'visible', timeout: 30_000 });
    await wb.treeRow(/Deployed version/).waitFor({ state: 'visible', timeout: 30_000 });
    await wb.page.locator('.part.sidebar .monaco-list-row', { hasText: /Up to date|Not deployed yet/ }).first().waitFor({ state: 'visible', timeout: 30_000 });
    const rowText = await staging.innerText();
    assert.match(rowText, /[0-9a-f]{7}/, `a short version on the environment row: ${rowText}`);
    // The subject appears once the git extension has read the workspace's history.
    const subjectPattern = new RegExp(`Deployed version\\s*[0-9a-f]{7} (${SUBJECTS.map((s) => s.replace(/[/.()]/g, '\\$&')).join('|')})`);
    await wb.treeRow(subjectPattern).waitFor({ state: 'visible', timeout: 30_000 });
    await wb.screenshot('extension-environments-tree');

    // The live image versions: collapse staging, expand production's services.
    await staging.locator('.monaco-tl-twistie').click();
    const services = wb.treeRow(/^Services/);
    await services.click();
    const yves = wb.page.locator('.part.sidebar .monaco-list-row', { hasText: /^yves/ }).first();
    await yves.waitFor({ state: 'visible', timeout: 30_000 });
    const yvesText = await yves.innerText();
    assert.match(yvesText, /[0-9a-f]{7}\s*·\s*\d+\/\d+/, `image version and running/desired counts on the service row: ${yvesText}`);
    await wb.screenshot('extension-services');
    await services.click();
    await staging.locator('.monaco-tl-twistie').click();
  });

  it("opens a commit's changes from the Commits view", async () => {
    const row = commitRow(SUBJECTS[2]);
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click({ button: 'right' });
    const entry = wb.page.locator('.context-view .monaco-menu .action-item', { hasText: /^Open Commit Changes/ }).first();
    await entry.waitFor({ state: 'visible' });
    await clickMenuEntry(entry);
    const tab = wb.page.locator('.tabs-container .tab', { hasText: source.shas[2].slice(0, 7) }).first();
    await tab.waitFor({ state: 'visible', timeout: 20_000 });
    await wb.page.locator('.editor-instance', { hasText: /CHANGES\.md/ }).first().waitFor({ state: 'visible', timeout: 20_000 });
    await wb.screenshot('extension-commit-changes');
    await wb.page.keyboard.press('Control+W');
  });

  it('deploys a right-clicked commit from the Commits view (an older one: the confirmation says it rolls back), approves from the notification, and reports success', async () => {
    const target = source.shas[3];
    // Staging runs the commit after the target (the sandbox's world; the palette rollback test moves it).
    const sb = wb.sandbox!;
    const config = resolveEnvironment({ name: 'spryker-staging', endpoint: sb.endpoint, region: sb.region });
    const staging = createEnvironmentService(config, createAwsPortsFactory({ credentials: sb.credentials })(config));
    if ((await staging.status()).lastDeployedVersion !== source.shas[4]) await deployApproved(staging, source.shas[4]);
    const row = commitRow(SUBJECTS[3]);
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click({ button: 'right' });
    const entry = wb.page.locator('.context-view .monaco-menu .action-item', { hasText: /^Deploy to…/ }).first();
    await entry.waitFor({ state: 'visible' });
    await clickMenuEntry(entry);
    await wb.pickQuickItem(/spryker-staging/);
    // Staging runs the next commit (the sandbox's world): deploying this one undoes it, and the dialog says so.
    const dialog = await confirmModal('Roll Back');
    assert.match(dialog, new RegExp(`Roll back spryker-staging to ${target.slice(0, 7)}\\?`));
    assert.match(dialog, new RegExp(`→ ${target.slice(0, 7)} "${SUBJECTS[3]}"`));
    assert.match(dialog, new RegExp(`Rolls back 1 commit, \\d+ files? changed; removed, newest first:\\s+− ${source.shas[4].slice(0, 7)} ${SUBJECTS[4].replace(/[/.()]/g, '\\$&')}`));
    assert.match(dialog, /NORMAL_Deploy_Spryker_spryker-staging/);
    await findNotification(/spryker-staging: deployment of .* is waiting for approval/);
    await wb.screenshot('extension-approval-notification');
    await clickInNotification(/spryker-staging: deployment of .* is waiting for approval/, /^Approve$/);
    await confirmModal('Approve');
    await findNotification(new RegExp(`Deployed ${target.slice(0, 7)} .* to spryker-staging`), 60_000);
    await wb.screenshot('extension-deploy-success');

    // The Commits view marks the commit in words at the start of its label, with a codicon (no emoji), where a
    // 300 px sidebar still shows it.
    const marked = commitRow(SUBJECTS[3]);
    const name = marked.locator('.label-name');
    const deadline = Date.now() + 30_000;
    while (!/^spryker-staging: /.test((await name.innerText().catch(() => '')).trim()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 300));
    assert.equal((await name.innerText()).trim(), `spryker-staging: ${SUBJECTS[3]}`);
    assert.equal(await marked.locator('.codicon-cloud').count(), 1, 'the deployed codicon on the row');
    const [rowBox, textBox] = [await marked.boundingBox(), await name.boundingBox()];
    assert.ok(rowBox && textBox && textBox.x + 110 <= rowBox.x + rowBox.width, `the marker starts inside the row (label at ${textBox?.x}, row ends at ${rowBox ? rowBox.x + rowBox.width : '?'})`);
    await wb.screenshot('extension-commit-marker');
  });

  it('rolls back from the palette to an earlier deployed version, naming who approved each', async () => {
    // Alone, the extension may not be active yet (its commands wait for it): looking at the views activates it.
    await wb.openSidebar();
    await wb.treeRow(/^spryker-staging/).filter({ hasText: /[0-9a-f]{7}/ }).waitFor({ state: 'visible', timeout: 60_000 });
    await wb.runCommand('Spryker Deploy: Roll Back…');
    await wb.pickQuickItem(/spryker-staging/);
    const first = wb.page.locator('.quick-input-widget').getByRole('option', { name: new RegExp(SUBJECTS.map((x) => x.replace(/[/.()]/g, '\\$&')).join('|')) }).first();
    await first.waitFor({ state: 'visible', timeout: 20_000 });
    const label = await first.locator('.label-name').first().innerText();
    const short = /[0-9a-f]{7}/.exec(label)?.[0];
    assert.ok(short, `a version in the rollback pick: ${label}`);
    // "Approved by" names the person who approved that version's deployment (the approval action's lastUpdatedBy,
    // as the sandbox recorded it), not the build role that wrote the deployed-version parameter.
    const deployedBy = approvalOf(wb, 'spryker-staging', short);
    assert.ok(deployedBy, `the sandbox has a succeeded, approved execution of ${short}`);
    assert.match(deployedBy.parameterWriter, /AWSCodeBuild/, 'the sandbox writes the deployed version as the build role');
    const detail = await first.locator('.quick-input-list-label-meta, .quick-input-list-detail').first().innerText();
    assert.match(detail, new RegExp(`approved by ${deployedBy.approver.replace(/[.()]/g, '\\$&')}`), `the pick names the approver: ${detail}`);
    assert.doesNotMatch(detail, /AWSCodeBuild|SprykerCodeBuild/, `the pick names no build role: ${detail}`);
    await wb.screenshot('extension-rollback-pick');
    await first.click();
    await confirmModal('Roll Back');
    await clickInNotification(new RegExp(`spryker-staging: deployment of ${short} .* is waiting for approval`), /^Approve$/);
    await confirmModal('Approve');
    await findNotification(new RegExp(`Deployed ${short} .* to spryker-staging`), 60_000);
  });

  it('shows production in the status bar, with attention while its approval waits, and offers actions on click', async () => {
    // Alone, nothing has asked for live data yet: looking at the Environments view does (the store polls then).
    await wb.openSidebar();
    await wb.statusBarItem(/spryker-prod [0-9a-f]{7}/).waitFor({ state: 'visible', timeout: 60_000 });
    const text = await wb.statusBarText(/spryker-prod/);
    assert.match(text, /spryker-prod [0-9a-f]{7}/);
    await wb.runCommand('Spryker Deploy: Deploy Commit…');
    await wb.pickQuickItem(new RegExp(SUBJECTS[4].replace(/[/.]/g, '\\$&')));
    await wb.pickQuickItem(/spryker-prod/);
    const dialog = await confirmModal('Deploy', 'spryker-prod');
    assert.match(dialog, /PRODUCTION/);
    const attention = wb.statusBarItem(/spryker-prod: approve/);
    await attention.waitFor({ state: 'visible', timeout: 30_000 });
    await wb.screenshot('extension-status-bar-attention');
    await attention.click();
    await wb.pickQuickItem(/Reject…/);
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill('Not during the sale');
    await input.press('Enter');
    await findNotification(/Rejected the deployment/, 20_000);
    await wb.statusBarItem(/spryker-prod [0-9a-f]{7}/).waitFor({ state: 'visible', timeout: 30_000 });
  });
});

describe('extension UI when signed out (code-server + sandbox refusing the credentials)', function () {
  this.timeout(120_000);
  let wb: Workbench;

  before(async () => {
    wb = await openWorkbench({
      sandbox: { faults: ['expired-credentials'] },
      settings: (sandbox) => ({
        'sprykerDeploy.environments': [{ name: 'spryker-staging', endpoint: sandbox?.endpoint, region: sandbox?.region }],
      }),
    });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) await wb.screenshot('extension-failed-signed-out');
  });

  after(async () => wb?.close());

  it('shows the sign-in welcome view with the reason, and no environment node', async () => {
    const sidebar = await wb.openSidebar();
    await sidebar.getByText(/not signed in to AWS, or your credentials have expired/i).waitFor({ state: 'visible', timeout: 30_000 });
    await sidebar.getByRole('button', { name: /Sign In \/ Choose Profile/ }).waitFor({ state: 'visible' });
    // The status bar keeps the environment visible, with the warning: its icon, on the warning background.
    const item = wb.statusBarItem(/spryker-staging/);
    await item.locator('.codicon-warning').waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await wb.statusBarText(/spryker-staging/), 'spryker-staging', 'the status bar names the environment, and no version it could not read');
    assert.match((await item.getAttribute('class')) ?? '', /\bwarning-kind\b/, 'the status bar item is not on the warning background');
    assert.equal(await wb.treeRow(/spryker-staging/).count(), 0, 'no fake environment node');
    await wb.screenshot('extension-signed-out');
  });
});
