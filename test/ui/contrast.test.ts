// Readable in every built-in theme, measured rather than only looked at: in Light Modern, Light+, Light High
// Contrast, Dark+, Dark High Contrast and Dark Modern, every text of the approval panel (the pipeline's version
// comparison log included) and of the Environments tree has a WCAG AA contrast of at least 4.5:1 against the
// colour actually behind it. Self-contained: its own workbench, sandbox and waiting approval.
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator } from 'playwright-core';
import { createAwsPortsFactory } from '../../src/aws/index';
import { createEnvironmentService } from '../../src/core/environmentService';
import { resolveEnvironment } from '../../src/core/environments';
import { openWorkbench, type Workbench } from './workbench';

const ENV = 'spryker-staging';

/** `label` is what the theme picker shows, `bodyClass` the class the workbench takes. */
const THEMES = [
  { label: 'Light Modern', bodyClass: 'vs' },
  { label: 'Light High Contrast', bodyClass: 'hc-light' },
  { label: 'Light+', bodyClass: 'vs' },
  { label: 'Dark+', bodyClass: 'vs-dark' },
  { label: 'Dark High Contrast', bodyClass: 'hc-black' },
  { label: 'Dark Modern', bodyClass: 'vs-dark' },
] as const;

interface Pairing {
  readonly text: string;
  readonly selector: string;
  readonly color: string;
  readonly background: string;
  readonly ratio: number;
}

/**
 * Runs in the page: every visible element with text of its own, its text colour, the colour behind it (the first
 * ancestor with an opaque background) and the WCAG contrast ratio. Disabled controls are left out (WCAG exempts
 * inactive components). Plain JavaScript in a string: the runner's transpiler would wrap named functions in
 * helpers that do not exist in the page.
 */
const MEASURE_CONTRAST = String.raw`(root) => {
  // rgb()/rgba() give 0-255 channels; color(srgb r g b / a), what color-mix() computes to, gives 0-1 channels.
  const rgba = (c) => {
    const n = (c.match(/[\d.]+/g) || ['0', '0', '0', '0']).map(Number);
    return c.startsWith('color(') ? [n[0] * 255, n[1] * 255, n[2] * 255, n.length > 3 ? n[3] : 1] : n.concat([1]).slice(0, 4);
  };
  const channel = (v) => (v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
  const luminance = (c) => 0.2126 * channel(c[0] / 255) + 0.7152 * channel(c[1] / 255) + 0.0722 * channel(c[2] / 255);
  const out = [];
  for (const el of [root, ...Array.from(root.querySelectorAll('*'))]) {
    const own = Array.from(el.childNodes).filter((n) => n.nodeType === 3 && n.textContent.trim()).map((n) => n.textContent.trim()).join(' ');
    if (!own || el.getClientRects().length === 0 || el.closest('[disabled], [aria-disabled="true"]')) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || Number(s.opacity) === 0) continue;
    let bg = el;
    while (bg && rgba(getComputedStyle(bg).backgroundColor)[3] < 0.5) bg = bg.parentElement;
    const background = getComputedStyle(bg || document.body).backgroundColor;
    const fg = rgba(s.color);
    const back = rgba(background);
    // Translucent text is drawn over its background: blend it before measuring.
    const drawn = [0, 1, 2].map((i) => fg[i] * fg[3] + back[i] * (1 - fg[3]));
    const l = [luminance(drawn), luminance(back)].sort((a, b) => b - a);
    out.push({ text: own.slice(0, 40), selector: el.tagName.toLowerCase() + '.' + String(el.className).split(' ').join('.'), color: s.color, background, ratio: Math.round(((l[0] + 0.05) / (l[1] + 0.05)) * 100) / 100 });
  }
  return out;
}`;

describe('contrast in the six built-in themes (code-server + sandbox)', function () {
  this.timeout(300_000);
  let wb: Workbench;

  before(async () => {
    wb = await openWorkbench({
      sandbox: { stageSeconds: 0.3 },
      settings: (sb) => ({
        'sprykerDeploy.environments': [{ name: ENV, endpoint: sb!.endpoint, region: sb!.region, production: false }],
        'sprykerDeploy.notifications.approval': false,
      }),
    });
    const sb = wb.sandbox!;
    const config = resolveEnvironment({ name: ENV, endpoint: sb.endpoint, region: sb.region, production: false });
    const service = createEnvironmentService(config, createAwsPortsFactory({ credentials: sb.credentials })(config));
    const response = await fetch(`${sb.endpoint}/_sandbox/world`, { headers: { 'x-sandbox-control': '1' } });
    const world = (await response.json()) as { commits: { sha: string }[] };
    const running = (await service.status()).lastDeployedVersion;
    const version = world.commits.map((c) => c.sha).slice(3).find((sha) => sha !== running);
    assert.ok(version, 'the sandbox offers no version to deploy');
    const started = await service.deploy(version, { supersede: true });
    assert.equal((await service.follow(started.executionId, { stopAtApproval: true, pollMs: 200 })).status, 'AwaitingApproval');
  });

  after(async () => wb?.close());

  async function useTheme(theme: (typeof THEMES)[number]): Promise<void> {
    await wb.runCommand('Preferences: Color Theme');
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(theme.label);
    await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused', { hasText: new RegExp(`^${theme.label.replace('+', '\\+')}`) }).waitFor({ state: 'visible' });
    await wb.page.keyboard.press('Enter');
    await wb.page.locator(`.monaco-workbench.${theme.bodyClass}`).waitFor({ state: 'attached', timeout: 20_000 });
    await input.waitFor({ state: 'hidden' });
    // The webview receives the new theme's variables a moment after the workbench repaints.
    await wb.page.waitForTimeout(800);
  }

  // A function built from the source text (not transpiled, so no helpers the page lacks): Playwright calls a
  // function with the element; a string it would only evaluate as an expression.
  const measureInPage = new Function(`return ${MEASURE_CONTRAST}`)() as (root: unknown) => Pairing[];
  async function measure(where: Locator): Promise<Pairing[]> {
    return where.evaluate(measureInPage);
  }

  it('every text of the approval panel and the Environments tree reaches 4.5:1 in all six themes, the comparison log included', async () => {
    await wb.openSidebar();
    await wb.treeRow(new RegExp(`^${ENV}`)).waitFor({ state: 'visible', timeout: 60_000 });
    await wb.treeRow(/Waiting for approval/).waitFor({ state: 'visible', timeout: 60_000 });
    await wb.runCommand('Spryker Deploy: Open Approval Panel');
    const picker = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: ENV });
    // The environment picker asks (production is never picked silently) or the panel opens: wait for either.
    await picker.first().or(wb.page.locator('.tab', { hasText: /Approve: / })).first().waitFor({ state: 'visible', timeout: 30_000 });
    if (await picker.first().isVisible()) await picker.first().click();
    const frame: FrameLocator = wb.webviewFrame();
    await frame.getByRole('heading', { name: ENV }).waitFor({ timeout: 30_000 });
    const failures: string[] = [];
    const counts: string[] = [];
    for (const theme of THEMES) {
      await useTheme(theme);
      await frame.locator('pre.log').waitFor();
      const panel = await measure(frame.locator('body'));
      const tree = await measure(wb.page.locator('.part.sidebar .pane-body').first());
      assert.ok(panel.some((p) => p.selector.startsWith('pre.log')), `${theme.label}: the comparison log was not measured`);
      assert.ok(panel.length > 20, `${theme.label}: only ${panel.length} texts of the panel measured`);
      assert.ok(tree.some((p) => p.text.startsWith(ENV)), `${theme.label}: the environment row was not measured`);
      const worst = [...panel, ...tree].reduce((a, b) => (b.ratio < a.ratio ? b : a));
      counts.push(`${theme.label}: ${panel.length} panel + ${tree.length} tree texts, lowest ${worst.ratio}:1 ("${worst.text}")`);
      for (const p of [...panel, ...tree].filter((x) => x.ratio < 4.5)) failures.push(`${theme.label}: "${p.text}" (${p.selector}) ${p.color} on ${p.background} = ${p.ratio}:1`);
      await wb.screenshot(`contrast-${theme.label.replace(/\W+/g, '-').toLowerCase()}`);
    }
    console.log(counts.map((c) => `      [contrast] ${c}`).join('\n'));
    assert.deepEqual(failures, []);
  });
});
