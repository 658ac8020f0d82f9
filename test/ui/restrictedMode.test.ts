// A folder opened in Restricted Mode, for real (workspace trust on, the folder untrusted): VS Code ignores the
// workspace's sprykerDeploy.environments there, so the Environments view must say that this is why nothing is
// configured, and how to change it, instead of the plain "No environment is configured" of a trusted folder.
import * as assert from 'node:assert/strict';
import { openWorkbench, type Workbench } from './workbench';

describe('Restricted Mode (UI)', function () {
  this.timeout(240_000);
  let wb: Workbench | undefined;

  before(async () => {
    wb = await openWorkbench({
      restrictedMode: true,
      files: {
        '.vscode/settings.json': JSON.stringify({ 'sprykerDeploy.environments': [{ name: 'spryker-staging', region: 'eu-central-1' }] }, null, 2),
      },
    });
  });
  after(async () => wb?.close());

  it('says the workspace settings are ignored until the folder is trusted, with Manage Workspace Trust and Configure Environments, and the Commits view names Restricted Mode as its cause', async () => {
    // The folder is really restricted: VS Code's own Restricted Mode indicator is in the status bar.
    await wb!.statusBarItem(/Restricted Mode/).waitFor({ state: 'visible', timeout: 60_000 });
    const sidebar = await wb!.openSidebar();
    const welcome = sidebar.locator('.welcome-view-content', { hasText: /Restricted Mode, which ignores its workspace settings/ });
    await welcome.waitFor({ state: 'visible', timeout: 60_000 });
    const text = (await welcome.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /environments in its \.vscode\/settings\.json are not read until you trust the folder/);
    const buttons = await welcome.locator('a.monaco-button, .monaco-button').allInnerTexts();
    assert.deepEqual(buttons.map((b) => b.trim()).filter(Boolean), ['Manage Workspace Trust', 'Configure Environments', 'Start Local Sandbox']);
    // The trusted folder's plain sentence is not shown beside it.
    assert.equal(await sidebar.locator('.welcome-view-content', { hasText: /Or try everything against a local AWS emulator/ }).count(), 0);
    // The Commits view names the same cause for the missing commits (VS Code turns Git off there).
    await sidebar.locator('.welcome-view-content', { hasText: /Restricted Mode, where VS Code turns the built-in Git extension off/ }).waitFor({ state: 'visible', timeout: 30_000 });
    await wb!.screenshot('restricted-mode-environments');
    assert.deepEqual(wb!.pageErrors, []);
  });
});
