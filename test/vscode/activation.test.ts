// The extension as installed in a real VS Code: it is found, activates, and everything its manifest
// contributes (commands, view containers, views) is really registered. The lists come from the manifest, so
// this keeps checking as contributions grow, and fails if they vanish.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, contributions, getExtension } from './helpers';

describe('extension activation', () => {
  before(async () => {
    await activateExtension();
  });

  it('is installed under its published id and is active', () => {
    const extension = getExtension();
    assert.equal(extension.id, EXTENSION_ID);
    assert.ok(extension.isActive);
  });

  it('registers every command the manifest contributes', async () => {
    const contributed = (contributions().commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'the manifest contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('contributes at least one view container, and every container and view opens', async () => {
    const containers = Object.values(contributions().viewsContainers ?? {}).flat();
    assert.ok(containers.length > 0, 'the manifest contributes no view container');
    const views = Object.values(contributions().views ?? {}).flat();
    assert.ok(views.length > 0, 'the manifest contributes no views');
    // The workbench registers `workbench.view.extension.<container>` and `<view>.focus` for every container
    // and view it has accepted from the manifest; running them proves they exist and open.
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const container of containers) {
      const open = `workbench.view.extension.${container.id}`;
      assert.ok(registered.has(open), `view container ${container.id} is not known to the workbench`);
      await vscode.commands.executeCommand(open);
    }
    for (const view of views) {
      assert.ok(registered.has(`${view.id}.focus`), `view ${view.id} is not known to the workbench`);
      await vscode.commands.executeCommand(`${view.id}.focus`);
    }
  });
});
