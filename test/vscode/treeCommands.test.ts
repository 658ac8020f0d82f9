// The commands the Environments tree runs on a click, executed exactly as the tree hands them to VS Code
// (item.command.command with item.command.arguments): each must name its environment, so a click on
// "Waiting for approval" under production opens that environment's panel, never the environment picker.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { utcTimestamp } from '../../src/core/time';
import { commandTarget } from '../../src/vscode/commands/commandTargets';
import type { TestApi } from '../../src/vscode/testApi';
import { activateExtension, approvalTabs, deployableVersion, environmentSettings, itemText, sandbox, sandboxService, setSandboxStageSeconds, treeChildren, treeItems, waitFor, withSettings } from './helpers';

const PROD = 'spryker-prod';
const STAGING = 'spryker-staging';

describe('tree item commands (extension host + sandbox)', function () {
  this.timeout(90_000);
  const sb = sandbox();

  it('every clickable item names its environment, and "Waiting for approval" opens the production panel without a picker', async () => {
    assert.ok(sb, 'the sandbox is not running: start these tests with `npm run test:vscode`');
    const api = await activateExtension<TestApi | undefined>();
    assert.ok(api?.trees, 'activate() returned no test API');
    await setSandboxStageSeconds(sb, 0.5);
    const service = sandboxService(sb, { name: PROD });
    assert.equal(service.config.production, true);
    await withSettings(
      {
        // Two environments, one of them production: without an environment in the arguments the command must ask.
        'sprykerDeploy.environments': environmentSettings(sb, [{ name: STAGING }, { name: PROD }]),
        'sprykerDeploy.notifications.approval': false,
      },
      async () => {
        await waitFor(() => api.store.environments().length === 2, { message: 'two environments from the settings' });
        const version = await deployableVersion(sb, (await service.status()).lastDeployedVersion);
        const started = await service.deploy(version, { supersede: true });
        await service.follow(started.executionId, { stopAtApproval: true, pollMs: 200 });
        try {
          await api.store.refresh();
          const items = await treeItems(api.trees.environments);
          const clickable = items.filter((i) => i.item.command);
          assert.ok(clickable.length > 0, 'no tree item runs a command');
          for (const { node, item } of clickable) {
            assert.equal(commandTarget(item.command!.command, item.command!.arguments ?? []).environment, node.env.name, `${item.id}: ${item.command!.command} does not name its environment`);
          }

          const approvalItem = items.find((i) => i.node.kind === 'approval' && i.node.env.name === PROD)?.item;
          assert.ok(approvalItem?.command, 'no clickable "Waiting for approval" item under production');
          assert.equal(approvalItem.label, 'Waiting for approval');
          const ran = vscode.commands.executeCommand(approvalItem.command.command, ...(approvalItem.command.arguments ?? []));
          const outcome = await Promise.race([ran.then(() => 'done' as const), new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000))]);
          // A picker waits for an answer that never comes here: close it so the command ends.
          if (outcome === 'hung') await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
          assert.equal(outcome, 'done', 'the command waited for input (the environment picker) instead of opening the panel');
          assert.ok(api.panels.inspect(PROD), 'the panel of spryker-prod is not open');
          assert.equal(api.panels.inspect(STAGING), undefined, 'a panel opened for the wrong environment');
          await waitFor(() => approvalTabs().length === 1, { message: 'one approval panel tab' });
        } finally {
          const waiting = await service.approvalDetails();
          if (waiting) await service.decide(waiting.approval, 'Rejected', 'tree command test cleanup');
          for (const tab of approvalTabs()) await vscode.window.tabGroups.close(tab);
        }
      },
    );
  });
  // VS Code forgets a refreshed item's children until it has asked for them again; an inline button clicked in
  // that time (Enable Maintenance Mode… on the Maintenance row) runs its command without its environment and asks
  // which one. So a poll that changes nothing refreshes nothing, and the tooltip that says when the status was read
  // is resolved on hover.
  it('a poll that changes nothing shown refreshes no row; a changed desired version refreshes its environment; the tooltip names the latest read', async () => {
    assert.ok(sb, 'the sandbox is not running: start these tests with `npm run test:vscode`');
    const api = await activateExtension<TestApi | undefined>();
    assert.ok(api?.trees, 'activate() returned no test API');
    const tree = api.trees.environments;
    const service = sandboxService(sb, { name: STAGING });
    await withSettings({ 'sprykerDeploy.environments': environmentSettings(sb, [{ name: STAGING }, { name: PROD }]) }, async () => {
      await waitFor(() => api.store.environments().length === 2, { message: 'two environments from the settings' });
      await api.store.refresh();
      // Shown with their rows, as VS Code asks for an expanded environment's children.
      for (const root of await treeChildren(tree)) await treeChildren(tree, root.node);
      const refreshed: string[] = [];
      const listening = tree.onDidChangeTreeData((node) => refreshed.push(node ? node.env.name : '(whole tree)'));
      const before = await service.status();
      try {
        await api.store.refresh();
        await api.store.refresh();
        // The tree's own reads (maintenance, commit subjects) run before it decides: give them their turn.
        await new Promise((r) => setImmediate(r));
        assert.deepEqual(refreshed, [], 'polls that changed nothing refreshed rows');

        const [root] = (await treeChildren(tree)).filter((r) => r.node.env.name === STAGING);
        assert.equal(root.item.tooltip, undefined, 'the tooltip is resolved on hover');
        const resolved = tree.resolveTreeItem(root.item, root.node);
        const tip = itemText(resolved.tooltip);
        assert.match(tip, new RegExp(`_Updated ${utcTimestamp(api.store.status(STAGING)!.fetchedAt)}_`));

        const other = await deployableVersion(sb, before.desiredVersion, before.lastDeployedVersion);
        await service.restoreDesiredVersion(other);
        await api.store.refresh(STAGING);
        await waitFor(() => refreshed.length > 0, { message: 'a refresh of staging after its desired version changed' });
        assert.deepEqual(refreshed, [STAGING]);
      } finally {
        listening.dispose();
        if (before.desiredVersion) await service.restoreDesiredVersion(before.desiredVersion);
      }
    });
  });
});
