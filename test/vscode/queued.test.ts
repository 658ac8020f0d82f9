// A V2 pipeline in QUEUED mode, in the real extension host against the runner's sandbox (reset with the
// `v2-queued:<env>` shape): a second deploy while the first waits for approval is queued behind it. The tree shows
// the running execution (the one waiting for approval) and "1 queued: <version>" apart, and the approval panel
// decides the first, never the queued one.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/vscode/testApi';
import type { EnvTreeNode } from '../../src/vscode/tree/nodes';
import { activateExtension, deployableVersions, sandbox, sandboxJson, sandboxService, setSandboxStageSeconds, waitFor, withSettings, itemText } from './helpers';

const ENV = 'spryker-staging';


describe('V2 pipeline in QUEUED mode (extension host + sandbox)', function () {
  this.timeout(150_000);
  const sb = sandbox();
  let api: TestApi;

  before(async () => {
    assert.ok(sb, 'the sandbox is not running: start these tests with `npm run test:vscode`');
    await sandboxJson(sb.endpoint, '/reset', { method: 'POST', body: JSON.stringify({ shapes: [`v2-queued:${ENV}`] }) });
    await setSandboxStageSeconds(sb, 0.3);
    api = await activateExtension<TestApi>();
  });

  after(async () => {
    if (sb) await sandboxJson(sb.endpoint, '/reset', { method: 'POST' });
  });

  async function items(): Promise<{ node: EnvTreeNode; item: vscode.TreeItem }[]> {
    const tree = api.trees.environments;
    const out: { node: EnvTreeNode; item: vscode.TreeItem }[] = [];
    for (const root of await tree.getChildren()) {
      if (root.env.name !== ENV) continue;
      out.push({ node: root, item: await tree.getTreeItem(root) });
      for (const child of await tree.getChildren(root)) {
        out.push({ node: child, item: await tree.getTreeItem(child) });
        if (child.kind === 'pipeline') for (const c of await tree.getChildren(child)) out.push({ node: c, item: await tree.getTreeItem(c) });
      }
    }
    return out;
  }

  it('the tree shows the execution waiting for approval and "1 queued" apart, and the panel decides the first', async () => {
    await withSettings(
      {
        'sprykerDeploy.environments': [{ name: ENV, endpoint: sb!.endpoint, region: sb!.region, production: false }],
        'sprykerDeploy.notifications.approval': false,
        'sprykerDeploy.confirm.nonProduction': false,
        'sprykerDeploy.polling.activeSeconds': 1,
      },
      async () => {
        const service = sandboxService(sb!, { name: ENV, production: false });
        const before = await service.status();
        const [v1, v2] = await deployableVersions(sb!, before.lastDeployedVersion, before.desiredVersion);
        const first = await service.deploy(v1);
        await service.follow(first.executionId, { stopAtApproval: true, pollMs: 200 });
        const second = await service.deploy(v2, { supersede: true });
        // The second runs the stages the first has left, then waits behind it at the approval stage.
        await waitFor(async () => ((await service.status()).pipeline?.queued?.[0]?.executionId === second.executionId ? true : undefined), {
          timeoutMs: 30_000,
          message: 'the second execution queued behind the first',
        });
        await api.store.refresh(ENV);

        const shown = await waitFor(
          async () => {
            const all = await items();
            const pipeline = all.find((i) => i.node.kind === 'pipeline');
            return pipeline && /1 queued/.test(itemText(pipeline.item.description)) ? all : undefined;
          },
          { timeoutMs: 30_000, message: 'the Pipeline node to say 1 queued' },
        );
        const pipeline = shown.find((i) => i.node.kind === 'pipeline')!;
        assert.equal(itemText(pipeline.item.description), `Waiting for approval · 1 queued: ${v2.slice(0, 7)}`);
        assert.match(itemText(pipeline.item.tooltip), new RegExp(`Execution \`${first.executionId}\``));
        assert.match(itemText(pipeline.item.tooltip), new RegExp(`Queued: execution \`${second.executionId}\` waits to enter Please\\\\_approve`));
        const root = shown.find((i) => i.node.kind === 'environment')!;
        assert.match(itemText(root.item.description), /Waiting for approval · 1 queued: /);
        const approval = shown.find((i) => i.node.kind === 'approval');
        assert.ok(approval && approval.node.kind === 'approval');
        assert.equal(approval.node.approval.executionId, first.executionId, 'the approval node is not the first execution\'s');
        const source = shown.find((i) => i.node.kind === 'stage' && i.node.stage.name === 'Source');
        assert.ok(source && source.node.kind === 'stage' && source.node.notStarted === undefined, 'a stage the first execution passed reads "not started"');

        // The panel: the first execution's approval, with the queued one named apart; approving decides the first.
        await vscode.commands.executeCommand('sprykerDeploy.approval.openPanel', ENV);
        const handle = api.panels.inspect(ENV)!;
        const state = await waitFor(() => (handle.state()?.approval && handle.state()?.pipeline.queued ? handle.state() : undefined), {
          timeoutMs: 20_000,
          message: 'the panel with the approval and the queued execution',
        });
        assert.equal(state.approval!.executionId, first.executionId);
        assert.equal(state.pipeline.executionId, first.executionId);
        assert.deepEqual(state.pipeline.queued, [{ executionId: second.executionId, stage: 'Please_approve' }]);
        assert.ok(
          state.pipeline.stages.slice(0, 2).every((s) => s.status === 'Succeeded'),
          `the stages the first passed (now showing the queued one) read ${state.pipeline.stages.slice(0, 2).map((s) => s.status).join(', ')}`,
        );
        await handle.send({ type: 'approve', comment: 'first', token: state.approval!.token, action: state.approval!.actionName });
        assert.equal(handle.state()?.error, undefined, handle.state()?.error?.message);
        assert.equal((await service.follow(first.executionId, { pollMs: 200 })).status, 'Succeeded');
        const next = await service.follow(second.executionId, { stopAtApproval: true, pollMs: 200 });
        assert.equal(next.status, 'AwaitingApproval', 'the queued execution did not run after the first');
        await service.decide(next.approval!, 'Rejected', 'cleanup');
        for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview)) await vscode.window.tabGroups.close(tab);
      },
    );
  });
});
