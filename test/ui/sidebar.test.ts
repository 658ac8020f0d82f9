// The extension in the real workbench: its activity bar icon opens the sidebar with its views, in both themes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { openWorkbench, type Workbench } from './workbench';

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
    const sidebar = await wb.openSidebar();
    await sidebar.locator('.pane-header', { hasText: 'Environments' }).waitFor({ state: 'visible' });
    await wb.screenshot('sidebar-light');
    await wb.setColorTheme('dark');
  });
});
