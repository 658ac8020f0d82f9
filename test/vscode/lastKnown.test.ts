// A reopened window, in the real extension host against the runner's sandbox: what this activation read is kept on
// disk (the extension's global storage), and a second window, wired as activate() wires it and seeded from that file,
// shows it in the tree before its first AWS read answers, marked stale with when it was read ("as of …,
// refreshing"); a first read that fails keeps it with the error, never "Never deployed"; one that answers replaces it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { createAwsPortsFactory } from '../../src/aws';
import { decodeSnapshot, seedStatus, snapshotKey } from '../../src/core/snapshot';
import { utcTimestamp } from '../../src/core/time';
import { loadEnvironments, pollingIntervals } from '../../src/vscode/settings';
import { PollingEnvironmentStore } from '../../src/vscode/store/environmentStore';
import { LastKnownFile } from '../../src/vscode/store/lastKnownFile';
import type { TestApi } from '../../src/vscode/testApi';
import { EnvironmentsTreeProvider } from '../../src/vscode/tree/environmentsTreeProvider';
import { activateExtension, environmentSettings, itemText, sandbox, sandboxJson, treeChildren, waitFor, withSettings } from './helpers';

const PROD = 'spryker-prod';

describe('a reopened window shows the last known state', function () {
  this.timeout(120_000);
  const sb = sandbox();
  let api: TestApi;
  const log = vscode.window.createOutputChannel('Spryker Deploy (last known test)', { log: true });

  before(async () => {
    assert.ok(sb, 'the runner started no sandbox');
    api = await activateExtension<TestApi>();
  });

  after(async () => {
    if (sb) await sandboxJson(sb.endpoint, '/faults', { method: 'PUT', body: JSON.stringify({ faults: [] }) });
    log.dispose();
  });

  const fault = (spec: string) => sandboxJson(sb!.endpoint, '/faults', { method: 'PUT', body: JSON.stringify({ faults: [spec] }) });

  /** A second window: its store seeded from the file this activation wrote, its Environments tree, its own AWS layer. */
  function secondWindow(file: string) {
    const lastKnown = new LastKnownFile(file, process.env.AWS_PROFILE, log);
    const store = new PollingEnvironmentStore({ log, loadEnvironments, portsFactory: () => createAwsPortsFactory({ credentials: sb!.credentials }), intervals: pollingIntervals, lastKnown });
    const tree = new EnvironmentsTreeProvider(store, () => api.git.current(), () => true);
    const prodRow = async () => {
      const row = (await treeChildren(tree)).find((r) => r.node.env.name === PROD);
      assert.ok(row, 'no production row');
      return row;
    };
    return { store, tree, prodRow, dispose: () => [tree, store, lastKnown].forEach((d) => d.dispose()) };
  }

  it("shows the versions an earlier activation stored before the first AWS read answers, with their age; a failing first read keeps them with the error", async () => {
    await withSettings({ 'sprykerDeploy.environments': environmentSettings(sb!, [{ name: PROD, production: true }]) }, async () => {
      await waitFor(() => api.store.environments().length === 1 && api.store.environment(PROD)?.endpoint === sb!.endpoint, { message: 'production alone, at the sandbox' });
      await api.store.refresh(PROD);
      const read = api.store.status(PROD);
      assert.ok(read?.lastDeployedVersion && !read.stale, `production read: ${JSON.stringify(read?.errors)}`);
      const file = api.lastKnownFile;
      assert.ok(file, 'the activation keeps no last known state');
      const env = api.store.environment(PROD)!;
      // This activation wrote what it read (the first save goes out at once).
      await waitFor(
        () => {
          if (!fs.existsSync(file)) return false;
          const saved = seedStatus(decodeSnapshot(fs.readFileSync(file, 'utf8'), new Date()).entries, env, snapshotKey(env, process.env.AWS_PROFILE));
          return saved !== undefined && saved.lastDeployedVersion === read.lastDeployedVersion && saved.fetchedAt.getTime() >= read.fetchedAt.getTime();
        },
        { timeoutMs: 15_000, message: `production's read in ${file}` },
      );
      const short = read.lastDeployedVersion.slice(0, 7);
      // The row starts with the deployed version (and the desired one, when they differ).
      const versions = `${short}( → [0-9a-f]{7})?`;

      // Slow AWS: every call takes 3 s. The second window shows the stored state at once, before any AWS call.
      await fault('latency:3000');
      const slow = secondWindow(file);
      try {
        const seededRow = await slow.prodRow();
        assert.equal(slow.store.refreshCount, 0, 'no AWS read yet');
        assert.match(String(seededRow.item.description), new RegExp(`^${versions} · .* · as of (just now|\\d+ min ago), refreshing$`));
        assert.doesNotMatch(String(seededRow.item.description), /Never deployed|Loading/);
        const stale = slow.store.status(PROD)?.stale?.[0];
        assert.ok(stale, 'marked stale');
        // The tooltip is resolved on hover.
        const tooltip = slow.tree.resolveTreeItem(seededRow.item, seededRow.node).tooltip as vscode.MarkdownString | undefined;
        assert.match(tooltip?.value ?? '', new RegExp(`Shown as read ${utcTimestamp(stale.asOf)} \\(kept from an earlier window\\)`));
        assert.ok(stale.asOf.getTime() <= Date.now() && stale.asOf.getTime() >= read.fetchedAt.getTime() - 1000, `as of the stored read (${stale.asOf.toISOString()})`);
        const versionRow = (await treeChildren(slow.tree, seededRow.node)).find((c) => c.node.kind === 'version' && c.node.role === 'deployed');
        // Its first child says how old, on a row of its own; the others: the kept values with the history icon.
        const ageRow = (await treeChildren(slow.tree, seededRow.node)).find((c) => c.node.kind === 'kept');
        assert.match(`${itemText(ageRow?.item.label)} · ${itemText(ageRow?.item.description)}`, /^As of (just now|\d+ min ago) · refreshing$/);
        assert.match(String(versionRow?.item.description), new RegExp(`^${short}`));
        assert.doesNotMatch(String(versionRow?.item.description), /as of|refreshing/);
        assert.equal((versionRow?.item.iconPath as vscode.ThemeIcon | undefined)?.id, 'history');
        assert.match(itemText(versionRow?.item.tooltip), /kept from an earlier window/);
        // The first read is under way and has not answered: the row still shows the stored state.
        const reading = slow.store.refresh(PROD);
        assert.ok(slow.store.isRefreshing(PROD));
        assert.match(String((await slow.prodRow()).item.description), /as of .*, refreshing$/);
        await reading;
        const fresh = (await slow.prodRow()).item.description;
        assert.match(String(fresh), new RegExp(`^${versions} · `));
        assert.doesNotMatch(String(fresh), /as of|last read/, 'the first read replaced it');
      } finally {
        slow.dispose();
      }

      // AWS unreachable: the first read fails, and the stored state stays, with its age and the error.
      await fault('drop');
      const down = secondWindow(file);
      try {
        assert.match(String((await down.prodRow()).item.description), /as of .*, refreshing$/);
        await down.store.refresh(PROD);
        // Each part's read failed (the status as a whole answers with part errors): each keeps the stored values.
        const kept = down.store.status(PROD);
        assert.deepEqual(kept?.stale?.map((p) => [p.part, p.error?.code]), [
          ['parameters', 'network'],
          ['pipeline', 'network'],
          ['services', 'network'],
        ], `the first read's errors: ${JSON.stringify(kept?.errors)}; the store's: ${down.store.error(PROD)?.message}`);
        assert.equal(kept?.lastDeployedVersion, read.lastDeployedVersion);
        const row = await down.prodRow();
        assert.match(String(row.item.description), new RegExp(`^${versions} · .* · last read (just now|\\d+ min ago) · Network error$`));
        assert.doesNotMatch(String(row.item.description), /Never deployed|refreshing/);
        const versionRow = (await treeChildren(down.tree, row.node)).find((c) => c.node.kind === 'version' && c.node.role === 'deployed');
        assert.doesNotMatch(String(versionRow?.item.description), /last read|refreshing/);
        const ageRow = (await treeChildren(down.tree, row.node)).find((c) => c.node.kind === 'kept');
        assert.match(`${itemText(ageRow?.item.label)} · ${itemText(ageRow?.item.description)}`, /^Last read (just now|\d+ min ago) · Network error$/);
        assert.equal((versionRow?.item.iconPath as vscode.ThemeIcon | undefined)?.id, 'warning');
        assert.match(itemText(versionRow?.item.tooltip), /AWS could not be reached since/);
      } finally {
        down.dispose();
        await sandboxJson(sb!.endpoint, '/faults', { method: 'PUT', body: JSON.stringify({ faults: [] }) });
      }
    });
  });
});
