// The real extension host's activation time (#12): VS Code measures every extension's activation itself (code
// loading + the activate() call) and shows it in Developer: Show Running Extensions. This test reads our row there
// and records it in test-results/activation.json, where `npm run bench` prints it next to its own figures.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODE_SERVER_VERSION } from '../../scripts/harness/config';
import { REPO_ROOT } from '../../scripts/harness/codeServer';
import { openWorkbench, type Workbench } from './workbench';

describe('activation time (code-server)', () => {
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench({
      sandbox: true,
      settings: (sandbox) => ({
        'sprykerDeploy.environments': [
          { name: 'spryker-staging', endpoint: sandbox?.endpoint, region: sandbox?.region },
          { name: 'spryker-prod', endpoint: sandbox?.endpoint, region: sandbox?.region },
        ],
      }),
    });
  });
  after(async () => wb?.close());

  it("activation time: VS Code's Running Extensions shows ours, recorded for npm run bench", async () => {
    await wb.runCommand('Developer: Show Running Extensions');
    const editor = wb.page.locator('.runtime-extensions-editor');
    await editor.waitFor({ state: 'visible', timeout: 60_000 });
    // The row names the extension by its display name, or by its id in a development host.
    const row = editor.locator('.monaco-list-row', { hasText: /Spryker Cloud Deploy|spryker-cloud-tools\.spryker-cloud-deploy/ });
    const time = row.locator('.activation-time');
    try {
      await time.filter({ hasText: /\d+\s*ms/ }).waitFor({ state: 'visible', timeout: 30_000 });
    } finally {
      await wb.screenshot('running-extensions');
    }
    const text = (await time.innerText()).trim();
    const ms = Number(/(\d+)\s*ms/.exec(text)?.[1]);
    assert.ok(Number.isFinite(ms) && ms > 0, `an activation time in "${text}"`);
    const record = { activationMs: ms, text, vscode: `code-server ${CODE_SERVER_VERSION}`, recordedAt: new Date().toISOString() };
    fs.mkdirSync(path.join(REPO_ROOT, 'test-results'), { recursive: true });
    fs.writeFileSync(path.join(REPO_ROOT, 'test-results', 'activation.json'), `${JSON.stringify(record, null, 2)}\n`);
    assert.deepEqual(wb.pageErrors, []);
  });
});
