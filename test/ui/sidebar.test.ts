// The extension in the real workbench: its activity bar icon opens the sidebar with its views, in both themes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { openWorkbench, type Workbench } from './workbench';

// Runs in the page (evaluate); declared so the Node-side type check needs no DOM library.
declare const getComputedStyle: (element: unknown) => { color: string; backgroundColor: string };

/** Relative luminance of a CSS rgb()/rgba() colour (WCAG 2). */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('sidebar (code-server)', () => {
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench();
  });
  after(async () => wb?.close());

  it('opens from the activity bar icon and shows the extension views', async () => {
    const sidebar = await wb.openSidebar();
    // Every view of the container has a pane header; the manifest names them.
    for (const name of ['Environments', 'Commits']) {
      await sidebar.locator('.pane-header', { hasText: name }).waitFor({ state: 'visible' });
    }
    // Content in the Environments view (its tree rows, or the welcome shown when nothing is configured)
    // comes from the running extension, not the manifest: it proves activation reached the view.
    const environments = sidebar.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Environments' }) });
    await environments.locator('.welcome-view-content, .monaco-list-row').first().waitFor({ state: 'visible' });
    await sidebar.locator('.pane .monaco-progress-container.active').first().waitFor({ state: 'hidden' });
    const file = await wb.screenshot('sidebar-dark');
    assert.ok(fs.statSync(file).size > 10_000, 'the screenshot is suspiciously small');
    assert.deepEqual(wb.pageErrors, []);
  });

  it('keeps the sidebar readable in the light theme', async () => {
    await wb.setColorTheme('light');
    try {
      const sidebar = await wb.openSidebar();
      await sidebar.locator('.pane-header', { hasText: 'Environments' }).waitFor({ state: 'visible' });
      await wb.page.locator('.monaco-workbench.vs').waitFor({ state: 'attached' });
      // Readable: the views' text against the sidebar's background has at least WCAG AA's 4.5:1 contrast.
      const colours = await sidebar.evaluate((el) => {
        const text = el.querySelector('.pane-header .title, .welcome-view-content, .monaco-list-row') ?? el;
        // The first ancestor that paints a background is what the text is read against.
        let node: typeof el | null = el;
        let bg = 'rgba(0, 0, 0, 0)';
        while (node && /rgba\(0, 0, 0, 0\)|transparent/.test(bg)) {
          bg = getComputedStyle(node).backgroundColor;
          node = node.parentElement;
        }
        return { fg: getComputedStyle(text).color, bg };
      });
      const ratio = contrast(colours.fg, colours.bg);
      assert.ok(ratio >= 4.5, `text ${colours.fg} on ${colours.bg} has a contrast of ${ratio.toFixed(2)}:1`);
      assert.ok(luminance(colours.bg) > 0.5, `the sidebar is not light: ${colours.bg}`);
      await wb.screenshot('sidebar-light');
    } finally {
      await wb.setColorTheme('dark');
    }
  });
});
