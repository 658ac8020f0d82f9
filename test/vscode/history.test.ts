// The History node, a past execution opened read-only, and maintenance mode in the real extension host against
// the sandbox. Needs `npm run test:vscode`.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EnvironmentService } from '../../src/core/api';
import type { ConfirmInput } from '../../src/vscode/contracts';
import type { TestApi } from '../../src/vscode/testApi';
import type { EnvTreeNode } from '../../src/vscode/tree/nodes';
import { activateExtension, sandbox, sandboxJson, sandboxService, setSandboxStageSeconds, stagingAndProdSettings, treeChildren, waitFor, withSettings, itemText } from './helpers';

const STAGING = 'spryker-staging';
const PROD = 'spryker-prod';

describe('history and maintenance mode (extension host + sandbox)', function () {
  this.timeout(180_000);
  const sb = sandbox();
  let api: TestApi;
  let staging: EnvironmentService;

  const settings = () => stagingAndProdSettings(sb!);

  const children = (node?: EnvTreeNode) => treeChildren(api.trees.environments, node);
  async function environmentChild(env: string, kind: EnvTreeNode['kind']) {
    await api.store.refresh(env);
    const root = (await children()).find((c) => c.node.env.name === env);
    assert.ok(root, `${env} is in the tree`);
    const child = (await children(root.node)).find((c) => c.node.kind === kind);
    assert.ok(child, `${env} has a ${kind} node`);
    return child;
  }

  before(async function () {
    assert.ok(sb, 'the sandbox is not running: start these tests with `npm run test:vscode`');
    await sandboxJson(sb.endpoint, '/reset', { method: 'POST', body: JSON.stringify({}) });
    await setSandboxStageSeconds(sb, 0.2);
    api = (await activateExtension<TestApi | undefined>())!;
    assert.ok(api?.history, 'activate() returned no test API');
    staging = sandboxService(sb, { name: STAGING, production: false });
  });

  after(async () => {
    api?.setConfirmer(undefined);
    for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) await vscode.window.tabGroups.close(tab);
  });

  it('the History node lists each execution with its version, how it ended and who decided; one opens read-only with its stages and decision', async () => {
    await withSettings(settings(), async () => {
      const status = await staging.status();
      const version = status.services[0].images[0].tag!;
      // A rejected deploy, then an approved one of the same version (what runs stays what runs).
      const rejected = await staging.deploy(version, { supersede: true });
      await staging.follow(rejected.executionId, { stopAtApproval: true, pollMs: 100 });
      await staging.decide((await staging.approvalDetails())!.approval, 'Rejected', 'not before the sale');
      const approved = await staging.deploy(version);
      await staging.follow(approved.executionId, { stopAtApproval: true, pollMs: 100 });
      await staging.decide((await staging.approvalDetails())!.approval, 'Approved', 'checked on staging');
      assert.equal((await staging.follow(approved.executionId, { pollMs: 100 })).status, 'Succeeded');

      const history = await environmentChild(STAGING, 'history');
      assert.equal(history.item.label, 'History');
      assert.equal(history.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
      const entries = await children(history.node);
      const [newest, second] = entries;
      assert.equal(newest.node.kind === 'history-entry' && newest.node.entry.executionId, approved.executionId);
      assert.match(String(newest.item.label), new RegExp(`^${version.slice(0, 7)}`));
      assert.match(String(newest.item.description), /^deployed · (just now|.* ago) · test$/);
      assert.match(String(second.item.description), /^rejected by test · (just now|.* ago) · test$/);
      assert.match((second.item.tooltip as vscode.MarkdownString).value, /Rejected by test at .*: not before the sale/);
      assert.ok(entries.length > 2, 'the sandbox history is listed too');

      await vscode.commands.executeCommand(newest.item.command!.command, ...(newest.item.command!.arguments ?? []));
      // The execution opens in the approval panel, read-only.
      const handle = api.panels.inspectExecution(approved.executionId);
      assert.ok(handle, 'the execution was not opened in a panel');
      const opened = await waitFor(() => (handle.state()?.busy === undefined ? handle.state() : undefined), { message: 'the past execution\'s view model' });
      assert.equal(handle.panel.viewType.endsWith('sprykerDeploy.execution'), true);
      assert.equal(opened.approval, undefined, 'a past execution offers an approval to decide');
      assert.equal(opened.canModify, false);
      assert.equal(opened.past?.executionId, approved.executionId);
      assert.equal(opened.past?.ended, 'deployed');
      assert.equal(opened.past?.deployed, true);
      assert.equal(opened.past?.startedBy, 'test');
      assert.deepEqual(opened.past?.decisions.map((d) => [d.decision, d.by, d.action, d.comment]), [['Approved', 'test', 'Approval', 'checked on staging']]);
      assert.equal(opened.target.version, version);
      assert.equal(opened.commits.kind, 'same-version', 'the same version as before: no commits');
      const install = opened.pipeline.stages.find((st) => st.name === 'Run_install');
      assert.equal(install?.status, 'Succeeded');
      assert.ok(install?.durationMs !== undefined && install.durationMs >= 0, 'Run_install has no duration');
      // Read-only: a decision sent to it (as a forged message would) is refused and changes nothing.
      await handle.send({ type: 'approve', comment: 'x', token: '00000000-0000-4000-8000-000000000000', action: 'Approval' });
      assert.equal(handle.state()?.error?.kind, 'not-allowed');
      handle.panel.dispose();
    });
  });

  it('Maintenance reads off; Enable (confirmed, production typed) switches it on and the node says so; Disable switches it off', async () => {
    await withSettings(settings(), async () => {
      const before = await environmentChild(PROD, 'maintenance');
      const why = itemText(before.item.tooltip);
      assert.match(String(before.item.description), /^off/, `maintenance reads "${String(before.item.description)}": ${why}`);
      assert.match(String(before.item.contextValue), /\bcanEnableMaintenance\b/);
      const asked: ConfirmInput[] = [];
      api.setConfirmer({
        confirm: async (input) => {
          asked.push(input);
          return true;
        },
      });
      await vscode.commands.executeCommand('sprykerDeploy.maintenance.enable', { environment: PROD });
      assert.equal(asked.length, 1);
      assert.equal(asked[0].env.production, true, 'the production confirmation (typed name) is asked');
      assert.match(asked[0].detail, /Starts Maintenance_Enable_spryker-prod/);
      const on = await waitFor(async () => {
        const node = await environmentChild(PROD, 'maintenance');
        return /^on · .* · test$/.test(String(node.item.description)) ? node : undefined;
      }, { timeoutMs: 20_000, message: 'maintenance on in the tree' });
      assert.match(String(on.item.contextValue), /\bcanDisableMaintenance\b/);
      assert.equal(((await sandboxJson<{ environments: { name: string; maintenance: boolean }[] }>(sb!.endpoint, '/state')).environments ?? []).find((e) => e.name === PROD)?.maintenance, true);

      await vscode.commands.executeCommand('sprykerDeploy.maintenance.disable', on.node);
      await waitFor(async () => /^off · /.test(String((await environmentChild(PROD, 'maintenance')).item.description)) || undefined, { timeoutMs: 20_000, message: 'maintenance off in the tree' });
      api.setConfirmer({ confirm: async () => false });
      await vscode.commands.executeCommand('sprykerDeploy.maintenance.enable', { environment: PROD });
      assert.match(String((await environmentChild(PROD, 'maintenance')).item.description), /^off · /, 'declined: nothing switched');
    });
  });
});
