// A new window's first rows, in the real extension host against the runner's sandbox: the Environments tree's first
// roots wait (a bounded time) for a first read on its way, so that they come with their versions instead of as
// "Loading…" rows VS Code must ask for again; meanwhile no refresh is fired (it would have the roots asked twice);
// and the tree tells once VS Code has rows it can draw (the view's "Loading the environments…" message waits for it).
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createAwsPortsFactory } from '../../src/aws';
import { loadEnvironments, pollingIntervals } from '../../src/vscode/settings';
import { PollingEnvironmentStore } from '../../src/vscode/store/environmentStore';
import { LastKnownFile } from '../../src/vscode/store/lastKnownFile';
import type { TestApi } from '../../src/vscode/testApi';
import { EnvironmentsTreeProvider } from '../../src/vscode/tree/environmentsTreeProvider';
import type { EnvTreeNode } from '../../src/vscode/tree/nodes';
import { activateExtension, environmentSettings, sandbox, sandboxJson, treeChildren, waitFor, withSettings } from './helpers';

const PROD = 'spryker-prod';

describe('a new window: the first rows wait for the first read', function () {
  this.timeout(120_000);
  const sb = sandbox();
  let api: TestApi;
  const log = vscode.window.createOutputChannel('Spryker Deploy (first read test)', { log: true });

  before(async () => {
    assert.ok(sb, 'the runner started no sandbox');
    api = await activateExtension<TestApi>();
  });

  afterEach(async () => {
    if (sb) await sandboxJson(sb.endpoint, '/faults', { method: 'PUT', body: JSON.stringify({ faults: [] }) });
  });

  after(() => log.dispose());

  const latency = (ms: number) => sandboxJson(sb!.endpoint, '/faults', { method: 'PUT', body: JSON.stringify({ faults: [`latency:${ms}`] }) });

  /** A new window with nothing kept from an earlier one: its store, its Environments tree (the roots wait `waitMs`). */
  function newWindow(waitMs: number, revealRetryMs?: number) {
    const lastKnown = new LastKnownFile(path.join(os.tmpdir(), `sd-first-read-${process.pid}-${Date.now()}`, 'last-known.json'), process.env.AWS_PROFILE, log);
    const store = new PollingEnvironmentStore({ log, loadEnvironments, portsFactory: () => createAwsPortsFactory({ credentials: sb!.credentials }), intervals: pollingIntervals, lastKnown });
    const tree = new EnvironmentsTreeProvider(store, () => api.git.current(), () => true, undefined, waitMs, revealRetryMs);
    let refreshes = 0;
    const counting = tree.onDidChangeTreeData(() => refreshes++);
    return { store, tree, refreshes: () => refreshes, dispose: () => [counting, tree, store, lastKnown].forEach((d) => d.dispose()) };
  }

  /** Runs `fn` with production alone configured, at the sandbox. */
  const withProduction = (fn: () => Promise<void>) =>
    withSettings({ 'sprykerDeploy.environments': environmentSettings(sb!, [{ name: PROD, production: true }]) }, async () => {
      await waitFor(() => api.store.environments().length === 1 && api.store.environment(PROD)?.endpoint === sb!.endpoint, { message: 'production alone, at the sandbox' });
      await fn();
    });

  it("an environment's first row goes out collapsed, drawable without its children, and is then expanded in the view, once", async () => {
    await withProduction(async () => {
      const w = newWindow(60_000);
      const reveals: { expand?: boolean | number; select?: boolean; focus?: boolean }[] = [];
      let revealed: () => void = () => {};
      const revealedOnce = new Promise<void>((resolve) => (revealed = resolve));
      w.tree.attach({
        visible: true,
        reveal: async (_node, options) => {
          reveals.push(options ?? {});
          revealed();
        },
      });
      try {
        await w.store.refresh(PROD);
        const roots = await treeChildren(w.tree);
        assert.equal(roots[0].item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed, 'the first row waits for no children');
        assert.match(String(roots[0].item.description), /^[0-9a-f]{7}\b/);
        await w.tree.rowsDrawn.whenReached;
        assert.equal(w.tree.freshRowsDrawn.reached, false, 'its children have not gone out yet');
        await revealedOnce;
        assert.deepEqual(reveals, [{ expand: true, select: false, focus: false }], 'expanded without taking the selection or the focus');
        const again = await w.tree.getTreeItem(roots[0].node);
        assert.equal(again.collapsibleState, vscode.TreeItemCollapsibleState.Expanded, 'later rows as presented: VS Code keeps what the user made of it');
        await w.tree.getChildren(roots[0].node);
        assert.equal(w.tree.freshRowsDrawn.reached, true);
        assert.equal(reveals.length, 1);
      } finally {
        w.dispose();
      }
    });
  });

  it('a first row without a status yet ("Loading…") goes out expanded as presented and is never revealed; the refresh its status brings makes the rows drawable', async () => {
    await withProduction(async () => {
      await latency(3000);
      const w = newWindow(50);
      let reveals = 0;
      w.tree.attach({ visible: true, reveal: async () => void reveals++ });
      try {
        const reading = w.store.refresh(PROD);
        const roots = await treeChildren(w.tree);
        assert.match(String(roots[0].item.description), /Loading/);
        assert.equal(roots[0].item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded, 'VS Code asks for its children again when its status refreshes it');
        await w.tree.getChildren(roots[0].node);
        const before = w.refreshes();
        await reading;
        await waitFor(() => w.refreshes() > before, { message: 'the first status refreshed the row' });
        assert.equal(w.tree.rowsDrawn.reached, false, 'no row with a status has gone out yet');
        // What VS Code asks on that refresh of an expanded row: the row, then its children.
        const item = await w.tree.getTreeItem(roots[0].node);
        assert.match(String(item.description), /^[0-9a-f]{7}\b/);
        assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
        await w.tree.getChildren(roots[0].node);
        assert.equal(w.tree.rowsDrawn.reached, true, 'the view stops saying "Loading the environments…"');
        // A reveal would have been queued behind these answers (a zero timer, which fires before this one).
        await new Promise((resolve) => setTimeout(resolve, 0));
        assert.equal(reveals, 0, 'a row VS Code shows expanded already needs no reveal (one racing its refresh was refused)');
      } finally {
        w.dispose();
      }
    });
  });

  it('an expansion VS Code refuses ("Data tree node not found") is asked again a moment later, at most three times in all, and not once the row was toggled', async () => {
    await withProduction(async () => {
      const attempts = async (refusals: number, userCollapses = false) => {
        const w = newWindow(60_000, 0);
        let asked = 0;
        let expanded = false;
        const collapsed = new vscode.EventEmitter<vscode.TreeViewExpansionEvent<EnvTreeNode>>();
        w.tree.attach({
          visible: true,
          onDidCollapseElement: collapsed.event,
          reveal: async (node) => {
            asked++;
            // The user collapses the row after the first, refused, attempt (it was drawn expanded by their click).
            if (userCollapses) collapsed.fire({ element: node });
            if (asked <= refusals) throw new Error('TreeError [sprykerDeploy.environments] Data tree node not found: 1/env:spryker-prod');
            expanded = true;
          },
        });
        try {
          await w.store.refresh(PROD);
          const roots = await treeChildren(w.tree);
          assert.equal(roots[0].item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
          if (!userCollapses) await waitFor(() => expanded || asked >= 3, { message: `expanded, or asked three times (asked ${asked})` });
          // Time for one more attempt, were there one (its timer is zero here).
          await new Promise((resolve) => setTimeout(resolve, 50));
          return { asked, expanded };
        } finally {
          collapsed.dispose();
          w.dispose();
        }
      };
      assert.deepEqual(await attempts(1), { asked: 2, expanded: true }, 'refused once: expanded on the second attempt');
      assert.deepEqual(await attempts(5), { asked: 3, expanded: false }, 'refused every time: given up after three');
      assert.deepEqual(await attempts(5, true), { asked: 1, expanded: false }, 'the user collapsed the row: not expanded behind their back');
    });
  });

  it('a view nobody sees is not opened to expand a row: its first row goes out as presented', async () => {
    await withProduction(async () => {
      const w = newWindow(60_000);
      let reveals = 0;
      w.tree.attach({ visible: false, reveal: async () => void reveals++ });
      try {
        await w.store.refresh(PROD);
        const roots = await treeChildren(w.tree);
        assert.equal(roots[0].item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
        // A reveal would have been queued behind this answer (a zero timer, which fires before this one).
        await new Promise((resolve) => setTimeout(resolve, 0));
        assert.equal(reveals, 0);
      } finally {
        w.dispose();
      }
    });
  });

  it('roots asked while the first read is on its way come with its versions, and no refresh fires meanwhile; the rows are then drawable', async () => {
    await withProduction(async () => {
      await latency(300);
      const w = newWindow(60_000);
      try {
        const reading = w.store.refresh(PROD);
        assert.ok(w.store.isRefreshing(PROD), 'the first read is on its way');
        assert.equal(w.store.viewState(), 'loading');
        const roots = await treeChildren(w.tree);
        assert.equal(roots.length, 1);
        assert.ok(w.store.status(PROD), 'answered after the first read');
        assert.match(String(roots[0].item.description), /^[0-9a-f]{7}\b/, `the root carries the version: ${String(roots[0].item.description)}`);
        assert.doesNotMatch(String(roots[0].item.description), /Loading/);
        assert.equal(w.refreshes(), 0, 'no refresh fired while the roots waited for the read');
        await reading;
        assert.equal(w.tree.rowsDrawn.reached, false, 'the expanded environment’s children have not gone out yet');
        assert.equal(w.tree.freshRowsDrawn.reached, false);
        await w.tree.getChildren(roots[0].node);
        assert.equal(w.tree.rowsDrawn.reached, true);
        assert.equal(w.tree.freshRowsDrawn.reached, true, 'the rows carry what this window read');
        await w.tree.rowsDrawn.whenReached;
      } finally {
        w.dispose();
      }
    });
  });

  it('the wait is bounded: a first read slower than it leaves "Loading…" roots, and its answer refreshes them', async () => {
    await withProduction(async () => {
      await latency(3000);
      const w = newWindow(50);
      try {
        const reading = w.store.refresh(PROD);
        const roots = await treeChildren(w.tree);
        assert.equal(w.store.status(PROD), undefined, 'answered before the read');
        assert.match(String(roots[0].item.description), /Loading/);
        const before = w.refreshes();
        await reading;
        await waitFor(() => w.refreshes() > before, { message: 'the first status refreshed the tree' });
        assert.match(String((await treeChildren(w.tree))[0].item.description), /^[0-9a-f]{7}\b/);
      } finally {
        w.dispose();
      }
    });
  });
});
