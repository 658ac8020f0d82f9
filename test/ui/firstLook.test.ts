// What a user sees first, in the real workbench against the sandbox: the Environments view shows a loading state
// from the moment it opens (never "There is no data provider registered…") and production's version as soon as
// the first read answers; the figure (workbench visible → version shown) is printed. And when AWS cannot be
// reached, the tree and the status bar keep the last known version, marked stale with its age and the error.
import * as assert from 'node:assert/strict';
import { openWorkbench, type Workbench } from './workbench';

interface SandboxControl {
  addFault(fault: string): void;
  clearFaults(): void;
}

const PROD = 'spryker-prod';

describe('first look and outage (code-server + sandbox)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let visibleAt = 0;

  before(async () => {
    wb = await openWorkbench({
      sandbox: { stageSeconds: 0.5 },
      settings: (sandbox) => ({
        'sprykerDeploy.environments': [{ name: PROD, endpoint: sandbox?.endpoint, region: sandbox?.region, production: true }],
        'sprykerDeploy.polling.idleSeconds': 600,
      }),
    });
    // openWorkbench returns once the workbench is visible: the user's clock starts here.
    visibleAt = Date.now();
  });

  after(async () => wb?.close());

  const environmentsPane = () => wb.page.locator('.part.sidebar .pane', { has: wb.page.locator('.pane-header', { hasText: 'Environments' }) });
  const prodRow = () => wb.page.locator('.part.sidebar .monaco-list-row', { hasText: new RegExp(`^${PROD}`) }).first();

  it("shows a loading state at once and production's version after the first read; prints workbench visible → version shown", async () => {
    await wb.openSidebar();
    const samples: { at: number; text: string }[] = [];
    const deadline = Date.now() + 90_000;
    let shownAt: number | undefined;
    while (Date.now() < deadline) {
      const text = (await environmentsPane().innerText().catch(() => '')).trim();
      samples.push({ at: Date.now() - visibleAt, text });
      if (/^spryker-prod\s*[0-9a-f]{7}\b/m.test(text)) {
        shownAt = Date.now();
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(shownAt, `production's version never showed; last: ${samples.at(-1)?.text}`);
    const loading = samples.find((s) => /Loading/.test(s.text));
    console.log(
      `      [first look] workbench visible → production's version shown: ${((shownAt - visibleAt) / 1000).toFixed(1)} s` +
        (loading ? `; loading state seen at ${(loading.at / 1000).toFixed(1)} s` : '; the version was there when the view opened'),
    );
    await wb.screenshot('first-look');
    const noProvider = samples.find((s) => /no data provider/i.test(s.text));
    assert.equal(noProvider, undefined, `the view said "${noProvider?.text}" at ${noProvider?.at} ms`);
    // Until the version shows, the view says it is loading (welcome text or the environment's row), never nothing.
    const blank = samples.slice(0, -1).find((s) => !/Loading|spryker-prod/.test(s.text.replace(/^ENVIRONMENTS\s*/i, '')));
    assert.equal(blank, undefined, `the view showed neither a loading state nor the environment at ${blank?.at} ms: "${blank?.text}"`);
  });

  it('keeps the last known version in the tree and the status bar while AWS cannot be reached, marked stale with the error', async () => {
    await wb.openSidebar();
    const row = prodRow();
    await row.filter({ hasText: /[0-9a-f]{7}/ }).waitFor({ state: 'visible', timeout: 60_000 });
    const version = /[0-9a-f]{7}/.exec(await row.innerText())?.[0];
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
      assert.match(await wb.statusBarText(new RegExp(`${PROD} ${version}`)), /\(stale\)/);
      await wb.screenshot('outage-stale');
    } finally {
      control.clearFaults();
    }
    await wb.runCommand('Spryker Deploy: Refresh');
    await row.filter({ hasNotText: /Network error/ }).waitFor({ state: 'visible', timeout: 60_000 });
    assert.doesNotMatch(await wb.statusBarText(new RegExp(`${PROD} ${version}`)), /stale/);
  });
});
