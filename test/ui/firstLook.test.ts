// What a user sees first, in the real workbench against the sandbox: the Environments view shows a loading state
// from the moment it opens (never "There is no data provider registered…") and production's version as soon as
// the first read answers; the figure (workbench visible → version shown) is printed. A reopened window shows the
// version the last window read at once, marked stale with its age, before its own first read answers; both figures
// are printed as ratios to the workbench's own time to show. And when AWS cannot be reached, the tree and the
// status bar keep the last known version, marked stale with its age and the error. Beside it, the floor: the same
// view contributed by an extension that does nothing (a fixture), timed the same way in the same VS Code: VS Code's
// own part of the figure, which no extension can go under.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import type { Page } from 'playwright-core';
import { REPO_ROOT, type ExtensionSource } from '../../scripts/harness/codeServer';
import { chooseExtensionMode } from '../../scripts/harness/extensionSource';
import { ACTIVITY_BAR_ICON, openWorkbench, type Workbench } from './workbench';

interface SandboxControl {
  addFault(fault: string): void;
  clearFaults(): void;
}

const PROD = 'spryker-prod';

// Runs inside the page, as a string: the test's TypeScript compiler adds helpers (__name) to functions that the page
// does not have. Records the Environments pane's text each time it changes, with the time.
type Said = { at: number; text: string };
declare const window: { __paneWatch?: { log: Said[]; stop(): void } };
const PANE_WATCH = `(() => {
  window.__paneWatch?.stop();
  const log = [];
  const read = () => {
    const pane = Array.from(document.querySelectorAll('.part.sidebar .pane')).find((p) => p.querySelector('.pane-header')?.textContent?.includes('Environments'));
    const text = pane ? pane.innerText.trim() : '';
    if (log.length === 0 || log[log.length - 1].text !== text) log.push({ at: Date.now(), text });
  };
  const observer = new MutationObserver(read);
  observer.observe(document.querySelector('.part.sidebar') ?? document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['class', 'style'] });
  read();
  window.__paneWatch = { log, stop: () => observer.disconnect() };
})()`;

/**
 * The extension's startup steps and the extension host's activation, from their logs, as seconds after the
 * workbench showed (both logs stamp local wall-clock time to the millisecond).
 */
function logTimeline(logs: { extension: string; extensionHost: string }, visibleAt: number, since = -Infinity): string[] {
  const stamped = (text: string, keep: RegExp) =>
    text
      .split('\n')
      .map((line) => /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) \[\w+\] (.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null && keep.test(m[3]))
      .map((m) => {
        // Our startup lines carry the time they were written; the log's stamp is when the line reached the file.
        const at = /\((\d{4}-[\d-]+T[\d:.]+Z)\)/.exec(m[3])?.[1];
        return { at: (at ? Date.parse(at) : new Date(`${m[1]}T${m[2]}`).getTime()) - visibleAt, text: m[3].replace(/ \(\d{4}-[\d-]+T[\d:.]+Z\)/, '').slice(0, 140) };
      });
  return [...stamped(logs.extensionHost, /spryker|Eager extensions|onStartupFinished/i), ...stamped(logs.extension, /\[startup\]/)]
    .filter((l) => l.at >= since)
    .sort((a, b) => a.at - b.at)
    .map((l) => `        ${(l.at / 1000).toFixed(1)} s (log) ${l.text}`);
}

/**
 * How the figure splits: VS Code's part (workbench visible → the extension's activate() ran; its extension host
 * starts and activates extensions after the workbench shows) and the extension's (activate() → version shown).
 */
function split(logs: { extension: string }, visibleAt: number, shownAt: number): string {
  const activated = [...logs.extension.matchAll(/\[startup\] \+\d+ ms \((\d{4}-[\d-]+T[\d:.]+Z)\) activated/g)].map((m) => Date.parse(m[1])).filter((t) => t >= visibleAt - 5_000).at(-1);
  if (activated === undefined) return 'activation not found in the log';
  return `VS Code until activate(): ${((activated - visibleAt) / 1000).toFixed(1)} s, activate() → version shown: ${((shownAt - activated) / 1000).toFixed(1)} s`;
}

/** The first open's figure, when its test ran in this run: printed beside the reopened window's and the floor's. */
let firstOpen: { ms: number; workbenchMs: number; askedMs?: number } | undefined;

/**
 * Watches the Environments pane until `done` matches its text; returns when, and what it said on the way (times
 * relative to `since`). Each change is recorded in the page as it happens (a MutationObserver on the sidebar), not
 * sampled from here: reading the pane's text every 50 ms forced layouts in the renderer, which is itself what the
 * rows wait for, and slowed what it measured.
 */
async function watchEnvironmentsPane(page: Page, since: number, done: RegExp, timeoutMs: number) {
  await page.evaluate(PANE_WATCH);
  const said = () => page.evaluate(() => window.__paneWatch?.log ?? []);
  const deadline = Date.now() + timeoutMs;
  let log: Said[] = [];
  try {
    while (Date.now() < deadline) {
      log = await said();
      const shown = log.find((s) => done.test(s.text));
      if (shown) return { shownAt: shown.at, samples: log.slice(0, log.indexOf(shown) + 1).map((s) => ({ at: s.at - since, text: s.text })) };
      await new Promise((r) => setTimeout(r, 200));
    }
    return { shownAt: undefined, samples: log.map((s) => ({ at: s.at - since, text: s.text })) };
  } finally {
    await page.evaluate(() => window.__paneWatch?.stop()).catch(() => undefined);
  }
}

/** When the extension host log says VS Code began activating `extensionId`, in ms after `visibleAt`. */
function activationAskedAt(extensionHostLog: string, extensionId: string, visibleAt: number): number | undefined {
  const line = extensionHostLog.split('\n').find((l) => l.includes(`_doActivateExtension ${extensionId},`));
  const m = line && /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/.exec(line);
  return m ? new Date(`${m[1]}T${m[2]}`).getTime() - visibleAt : undefined;
}

describe('first look and outage (code-server + sandbox)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let visibleAt = 0;
  /** Whether a test has used the workbench: the first open's test needs one nobody has touched. */
  let used = false;

  const open = async () => {
    wb = await openWorkbench({
      sandbox: { stageSeconds: 0.5 },
      settings: (sandbox) => ({
        'sprykerDeploy.environments': [{ name: PROD, endpoint: sandbox?.endpoint, region: sandbox?.region, production: true }],
        'sprykerDeploy.polling.idleSeconds': 600,
      }),
    });
    // openWorkbench returns once the workbench is visible: the user's clock starts here.
    visibleAt = Date.now();
    used = false;
  };
  before(open);
  afterEach(() => {
    used = true;
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) await wb.screenshot(`first-look-failed-${this.currentTest.title.slice(0, 30).replace(/\W+/g, '-')}`);
  });

  after(async () => wb?.close());

  const prodRow = () => wb.page.locator('.part.sidebar .monaco-list-row', { hasText: new RegExp(`^${PROD}`) }).first();

  const watchPane = (since: number, done: RegExp, timeoutMs: number) => watchEnvironmentsPane(wb.page, since, done, timeoutMs);

  /** What the view said, in order, each with when it first said it. */
  function paneTimeline(samples: readonly { at: number; text: string }[]): string[] {
    const timeline: string[] = [];
    let previous = '';
    for (const s of samples) {
      const said = s.text.replace(/^Environments\s*/i, '').replace(/\s+/g, ' ').slice(0, 90) || '(empty)';
      if (said !== previous) timeline.push(`        ${(s.at / 1000).toFixed(1)} s ${said}`);
      previous = said;
    }
    return timeline;
  }

  /** The snapshot file the extension keeps in the server's user data (its global storage). */
  function lastKnownFile(): string | undefined {
    const root = path.join(wb.server.tempDir, 'user-data');
    const found = fs.readdirSync(root, { recursive: true, withFileTypes: true }).find((e) => e.isFile() && e.name === 'last-known.json');
    return found ? path.join(found.parentPath, found.name) : undefined;
  }

  it("shows a loading state at once and production's version after the first read; prints workbench visible → version shown", async () => {
    // Run after another test of this file (in another order), the window has read AWS already: start a fresh one.
    if (used) {
      await wb.close();
      await open();
    }
    await wb.openSidebar();
    const sidebarAt = Date.now() - visibleAt;
    const { shownAt, samples } = await watchPane(visibleAt, /^spryker-prod\s*[0-9a-f]{7}\b/m, 90_000);
    assert.ok(shownAt, `production's version never showed; last: ${samples.at(-1)?.text}`);
    const loading = samples.findIndex((s) => /Loading/.test(s.text));
    const figure = shownAt - visibleAt;
    const asked = activationAskedAt(wb.logs().extensionHost, 'spryker-cloud-tools.spryker-cloud-deploy', visibleAt);
    firstOpen = { ms: figure, workbenchMs: wb.workbenchVisibleMs, ...(asked !== undefined ? { askedMs: asked } : {}) };
    console.log(
      `      [first look] workbench visible → production's version shown: ${(figure / 1000).toFixed(1)} s ` +
        `(the workbench itself took ${(wb.workbenchVisibleMs / 1000).toFixed(1)} s to show: ${(figure / wb.workbenchVisibleMs).toFixed(2)}×; ` +
        `${split(wb.logs(), visibleAt, shownAt)}; VS Code began activating it at ${asked === undefined ? '?' : (asked / 1000).toFixed(1)} s)\n` +
        `        ${(sidebarAt / 1000).toFixed(1)} s sidebar open\n` +
        [...paneTimeline(samples), ...logTimeline(wb.logs(), visibleAt)].join('\n'),
    );
    // Its first row went out collapsed (drawn without waiting for its children) and expands by itself.
    await wb.page.locator('.part.sidebar .monaco-list-row', { hasText: /^Desired version/ }).first().waitFor({ state: 'visible', timeout: 15_000 });
    console.log(`        ${((Date.now() - visibleAt) / 1000).toFixed(1)} s production's rows shown expanded (not clicked)`);
    await wb.screenshot('first-look');
    assert.ok(loading >= 0, 'no loading state was shown before the version');
    // From the moment the view shows it is loading until the version shows, it never says anything untrue (no
    // "no data provider", never "not configured"). Before that VS Code itself says "no data provider" while it
    // has not registered the views' welcome content. It does not sit empty either: a frame may pass between the
    // welcome view and the view's own message, not seconds (the rows waiting for the extension host used to).
    const said = (s: { text: string }) => s.text.replace(/^Environments\s*/i, '').trim();
    const other = samples.slice(loading, -1).find((s) => !/Loading/.test(s.text) && said(s) !== '');
    assert.equal(other, undefined, `after the loading state the view said "${other?.text}" at ${other?.at} ms`);
    let emptyFor = 0;
    let emptySince: number | undefined;
    for (const s of samples.slice(loading)) {
      if (said(s) === '') emptySince ??= s.at;
      else if (emptySince !== undefined) {
        emptyFor = Math.max(emptyFor, s.at - emptySince);
        emptySince = undefined;
      }
    }
    console.log(`        the view sat empty for at most ${emptyFor} ms after the loading state`);
    assert.ok(emptyFor < 1000, `the view sat empty for ${emptyFor} ms after the loading state`);
  });

  it("a reopened window shows production's last known version at once, marked stale with its age, then its first read's; prints both figures", async () => {
    await wb.openSidebar();
    const row = prodRow();
    // This window has read production: what a user saw before closing it.
    await row.filter({ hasText: /[0-9a-f]{7}/ }).filter({ hasNotText: /as of|last read/ }).waitFor({ state: 'visible', timeout: 90_000 });
    const version = /^[0-9a-f]{7}/.exec((await row.locator('.label-description').innerText()).trim())?.[0];
    assert.ok(version);
    const deadline = Date.now() + 20_000;
    while (!(lastKnownFile() && fs.readFileSync(lastKnownFile()!, 'utf8').includes(version))) {
      assert.ok(Date.now() < deadline, `the extension kept no last known state under ${wb.server.tempDir}/user-data`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const control = wb.sandbox?.control as SandboxControl | undefined;
    assert.ok(control, 'the sandbox offers no control');
    // Every AWS call of the reopened window takes 6 s: a version shown before that comes from the kept state.
    control.addFault('latency:6000');
    try {
      const reopenStarted = Date.now();
      const workbenchMs = await wb.reopen();
      const reopenedAt = Date.now();
      // The reopened workbench restores its sidebar as it was: wait for that, since a click on our icon while it is
      // still restoring toggles it away; then click until our container shows (and say what shows if it never does).
      const title = wb.page.locator('.part.sidebar .composite.title').filter({ hasText: /spryker/i });
      await title.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => undefined);
      for (let attempt = 1; !(await title.isVisible()); attempt++) {
        assert.ok(attempt <= 5, `the sidebar never showed Spryker Deploy after the reopen; it shows "${await wb.page.locator('.part.sidebar').innerText().catch(() => '(nothing)')}"`);
        await wb.page.locator(ACTIVITY_BAR_ICON).click();
        await title.waitFor({ state: 'visible', timeout: 3_000 }).catch(() => undefined);
      }
      const { shownAt, samples } = await watchPane(reopenedAt, /^spryker-prod\s*[0-9a-f]{7}\b/m, 60_000);
      const said = samples.at(-1)?.text ?? '';
      assert.ok(shownAt, `the reopened window never showed production's version; last: ${said}`);
      const figure = shownAt - reopenedAt;
      console.log(
        `      [first look] reopened window: workbench visible → production's version shown: ${(figure / 1000).toFixed(1)} s ` +
          `(the workbench itself took ${(workbenchMs / 1000).toFixed(1)} s to show again: ${(figure / workbenchMs).toFixed(2)}×; ${split(wb.logs(), reopenedAt, shownAt)})\n` +
          (firstOpen
            ? `      [first look] first open: ${(firstOpen.ms / 1000).toFixed(1)} s (${(firstOpen.ms / firstOpen.workbenchMs).toFixed(2)}× its workbench's ${(firstOpen.workbenchMs / 1000).toFixed(1)} s)\n`
            : '      [first look] first open: not measured in this run (its test was not selected)\n') +
          [...paneTimeline(samples), ...logTimeline(wb.logs(), reopenedAt, reopenStarted - reopenedAt)].join('\n'),
      );
      // Shown from the kept state, with its age, while the first read is still on its way.
      assert.match(said, new RegExp(`spryker-prod\\s*${version}.*as of (just now|\\d+ min ago), refreshing`, 's'));
      assert.doesNotMatch(said, /Never deployed|Loading/);
      // And on a row of its own, which the sidebar's width does not cut off.
      await wb.page.locator('.part.sidebar .monaco-list-row', { hasText: /^As of (just now|\d+ min ago)\s*refreshing/ }).first().waitFor({ state: 'visible', timeout: 5_000 });
      await wb.page.locator('.part.statusbar', { hasText: new RegExp(`${PROD} ${version} \\(stale\\)`) }).waitFor({ timeout: 15_000 });
      await wb.screenshot('reopen-stale');
    } finally {
      control.clearFaults();
    }
    // The first read answers and replaces it.
    await row.filter({ hasText: new RegExp(`^${PROD}\\s*${version}`) }).filter({ hasNotText: /as of|last read/ }).waitFor({ state: 'visible', timeout: 90_000 });
    await wb.page.locator('.part.statusbar', { hasNotText: /\(stale\)/ }).waitFor({ timeout: 30_000 });
    await wb.screenshot('reopen-refreshed');
  });

  it('keeps the last known version in the tree and the status bar while AWS cannot be reached, marked stale with the error', async () => {
    await wb.openSidebar();
    const row = prodRow();
    await row.filter({ hasText: /[0-9a-f]{7}/ }).waitFor({ state: 'visible', timeout: 60_000 });
    const version = /^[0-9a-f]{7}/.exec((await row.locator('.label-description').innerText()).trim())?.[0];
    assert.ok(version);
    const control = wb.sandbox?.control as SandboxControl | undefined;
    assert.ok(control, 'the sandbox offers no control');
    control.addFault('drop');
    try {
      await wb.runCommand('Spryker Deploy: Refresh');
      await row.filter({ hasText: /Network error/ }).waitFor({ state: 'visible', timeout: 60_000 });
      const text = await row.innerText();
      assert.match(text, new RegExp(`${version}.*last read .*Network error`, 's'));
      assert.doesNotMatch(text, /Never deployed/);
      await wb.page.locator('.part.sidebar .monaco-list-row', { hasText: /^Last read (just now|\d+ min ago)\s*Network error/ }).first().waitFor({ state: 'visible', timeout: 5_000 });
      // The Refresh the user ran says so too, and offers to try again.
      const toast = await wb.findNotification(new RegExp(`Could not read ${PROD}: .*It shows what was last read`), 30_000);
      assert.match(await toast.innerText(), /Retry/);
      await wb.screenshot('outage-stale');
      await wb.page.locator('.part.statusbar', { hasText: new RegExp(`${PROD} ${version} \\(stale\\)`) }).waitFor({ timeout: 30_000 });
    } finally {
      control.clearFaults();
    }
    await wb.runCommand('Spryker Deploy: Refresh');
    await row.filter({ hasNotText: /Network error/ }).waitFor({ state: 'visible', timeout: 60_000 });
    await wb.page.locator('.part.statusbar', { hasNotText: /\(stale\)/ }).waitFor({ timeout: 30_000 });
  });
});

const FLOOR_DIR = path.join(__dirname, 'fixtures', 'floor-extension');
const FLOOR_ID = 'spryker-cloud-tools-tests.first-look-floor';

/** The floor reaches VS Code as ours does in this run: packaged and installed (CI), or in development mode. */
function floorExtension(scratch: string): ExtensionSource {
  if (chooseExtensionMode() === 'development') return { kind: 'development', path: FLOOR_DIR };
  const file = path.join(scratch, 'first-look-floor.vsix');
  execFileSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', file], { cwd: FLOOR_DIR, stdio: 'pipe' });
  return { kind: 'vsix', file, id: FLOOR_ID };
}

// The floor under the first-look figure: the same view, in the same VS Code on the same machine, contributed by a
// fixture extension whose tree answers at once with one static expanded row and does no work at all. What it
// takes is VS Code's own part (starting the extension host, activating extensions, drawing rows); the real
// extension's figure beyond it is what the extension adds.
describe('first look: the floor, a do-nothing extension in the same view (code-server)', function () {
  this.timeout(180_000);
  let wb: Workbench | undefined;
  let scratch: string | undefined;

  after(async () => {
    await wb?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("prints workbench visible → a static row shown by an extension that does nothing, beside production's figure", async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scd-floor-'));
    wb = await openWorkbench({ extension: floorExtension(scratch) });
    const visibleAt = Date.now();
    await wb.openSidebar();
    // Timed as the first open is: each change of the pane recorded in the page as it happens.
    const { shownAt, samples } = await watchEnvironmentsPane(wb.page, visibleAt, /^spryker-prod\s*0000000 · floor/m, 90_000);
    assert.ok(shownAt, `the floor's row never showed; last: ${samples.at(-1)?.text}`);
    const floor = shownAt - visibleAt;
    // Its only child is drawn with it: the row really is the expanded environment with its children, as ours.
    await wb.page.locator('.part.sidebar .monaco-list-row', { hasText: 'Desired version' }).waitFor({ state: 'visible', timeout: 5_000 });
    const asked = activationAskedAt(wb.logs().extensionHost, FLOOR_ID, visibleAt);
    assert.ok(asked !== undefined, 'the extension host never activated the floor extension');
    // When VS Code begins activating an extension varies by seconds from run to run (its extension host starts and
    // activates its own extensions first): the two are also compared from that moment on.
    const fromAsked = (shown: number, askedMs: number) => `from then ${((shown - askedMs) / 1000).toFixed(1)} s`;
    console.log(
      `      [first look] floor (an extension that does nothing): workbench visible → its row shown: ${(floor / 1000).toFixed(1)} s ` +
        `(the workbench itself took ${(wb.workbenchVisibleMs / 1000).toFixed(1)} s to show; VS Code began activating it at ${(asked / 1000).toFixed(1)} s, ${fromAsked(floor, asked)})\n` +
        (firstOpen
          ? `      [first look] production's version, first open: ${(firstOpen.ms / 1000).toFixed(1)} s (${(firstOpen.ms / floor).toFixed(2)}× the floor's ${(floor / 1000).toFixed(1)} s; ` +
            (firstOpen.askedMs !== undefined
              ? `VS Code began activating it at ${(firstOpen.askedMs / 1000).toFixed(1)} s, ${fromAsked(firstOpen.ms, firstOpen.askedMs)}: ${((firstOpen.ms - firstOpen.askedMs) / (floor - asked)).toFixed(2)}× the floor's)`
              : 'its activation is not in the log)')
          : "      [first look] production's version: not measured in this run (its test was not selected)"),
    );
    await wb.screenshot('first-look-floor');
  });
});
