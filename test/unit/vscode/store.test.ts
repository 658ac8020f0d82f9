// The polling store and following a deploy through it, on a clock the test moves (no sleeps, no wall-clock
// windows): how often each environment is read with a watch held, that nothing is read when nobody looks, and that
// a followed execution costs no AWS call beyond the store's own one read per tick.
import * as assert from 'node:assert/strict';
import { defaultEnvironment } from '../../../src/core/environments';
import { DeployError } from '../../../src/core/errors';
import type { EnvironmentConfig, EnvironmentStatus, StageState } from '../../../src/core/model';
import { decodeSnapshot, encodeSnapshot, mergeEntries, seedStatus, snapshotKey } from '../../../src/core/snapshot';
import type { LastKnownStatuses } from '../../../src/vscode/store/lastKnownFile';
import { PollingEnvironmentStore } from '../../../src/vscode/store/environmentStore';
import { followInStore } from '../../../src/vscode/store/follow';
import type { StatusTransition } from '../../../src/vscode/store/transitions';
import { restingWorld, SHA_B, type FakeAws } from '../core/fakePorts';
import { TestClock } from './testClock';


const environmentOf = (n: string): EnvironmentConfig => ({ ...defaultEnvironment(n), endpoint: `http://${n}` });

/** The file of core/snapshot in memory: each save written and read back as the next window would. */
class SnapshotInMemory implements LastKnownStatuses {
  text = encodeSnapshot([]);
  saves = 0;
  // The status's own times (fetchedAt) are the system's: so is the snapshot's.
  private readonly now = () => new Date();
  load(env: EnvironmentConfig) {
    return seedStatus(decodeSnapshot(this.text, this.now()).entries, env, snapshotKey(env, undefined));
  }
  save(env: EnvironmentConfig, status: EnvironmentStatus) {
    this.saves++;
    this.text = encodeSnapshot(mergeEntries([{ key: snapshotKey(env, undefined), savedAt: this.now(), status }], decodeSnapshot(this.text, this.now()).entries));
  }
}

const log = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const WATCHED = 'spryker-staging';
const OTHER = 'spryker-prod';

/** `unreachable`: every read fails as a whole with this error (no AWS at all). */
function setup(names: readonly string[] = [WATCHED, OTHER], extra: { lastKnown?: LastKnownStatuses; unreachable?: { value: DeployError | undefined }; profile?: () => string | undefined } = {}) {
  const clock = new TestClock();
  const worlds = new Map<string, FakeAws>(names.map((n) => [n, restingWorld(n, 1)]));
  const store = new PollingEnvironmentStore({
    log: log as never,
    loadEnvironments: () => ({ environments: names.map((n) => ({ ...environmentOf(n), ...(extra.profile?.() ? { profile: extra.profile() } : {}) })) }),
    portsFactory: () => (env) => {
      if (extra.unreachable?.value) throw extra.unreachable.value;
      return worlds.get(env.endpoint!.slice('http://'.length))!.ports;
    },
    intervals: () => ({ activeMs: 1000, idleMs: 60_000 }),
    clock,
    ...(extra.lastKnown ? { lastKnown: extra.lastKnown } : {}),
  });
  const settled = async () => {
    // The fake AWS answers after a few real milliseconds: wait until no refresh is running.
    while (names.some((n) => store.isRefreshing(n))) await new Promise((r) => setTimeout(r, 1));
  };
  const reads = new Map<string, number>();
  store.onDidChange((n) => reads.set(n, (reads.get(n) ?? 0) + 1));
  const advance = (ms: number) => clock.advance(ms, settled);
  // Nobody looks: the views are hidden and the window has no focus.
  store.setViewVisible('Environments', false);
  store.setWindowFocused(false);
  return { clock, store, worlds, reads, advance, settled };
}

describe('polling store on a test clock', () => {
  it('polls the watched environment once per active interval with the views hidden and the window unfocused, the others not at all', async () => {
    const { store, reads, advance } = setup();
    await advance(120_000);
    assert.equal(reads.size, 0, 'nobody looks and nothing is watched: no read');
    assert.ok(store.isPaused());

    const watch = store.watch(WATCHED);
    await advance(4000);
    // Due at once when watched, then every 1000 ms: at 0, 1000, 2000, 3000 and 4000.
    assert.equal(reads.get(WATCHED), 5);
    assert.equal(reads.get(OTHER), undefined, 'the environment nobody watches was read');

    watch.dispose();
    reads.clear();
    await advance(600_000);
    assert.equal(reads.size, 0, 'reads after the watch was released, with nobody looking');
    assert.ok(store.isPaused());
    store.dispose();
  });

  it('makes no read for a settings change while nobody looks, and reads at once when a view is shown again', async () => {
    const { store, reads, advance } = setup();
    store.setViewVisible('Environments', true);
    await advance(0);
    store.setViewVisible('Environments', false);
    reads.clear();
    store.reload();
    await advance(600_000);
    assert.equal(reads.size, 0, 'the reload (or the time after it) read AWS with nobody looking');
    store.setViewVisible('Environments', true);
    await advance(0);
    assert.deepEqual([reads.get(WATCHED), reads.get(OTHER)], [1, 1], 'showing a view reads the overdue environments at once');
    store.dispose();
  });

  it('with a view visible, polls each environment at its own rate: idle ones every idle interval, a busy one every active interval', async () => {
    const { store, worlds, reads, advance } = setup();
    const busy = worlds.get(WATCHED)!;
    busy.stages = busy.stages.map((s, i) => (i === 0 ? { ...s, status: 'InProgress', executionId: 'exec-new' } : s));
    store.setViewVisible('Environments', true);
    // Shown: both are due at once.
    await advance(0);
    assert.deepEqual([reads.get(WATCHED), reads.get(OTHER)], [1, 1]);
    reads.clear();
    await advance(60_000);
    assert.equal(reads.get(WATCHED), 60, 'the environment with a running pipeline is read every second');
    assert.equal(reads.get(OTHER), 1, 'the idle environment is read once a minute');
    store.dispose();
  });
});

describe('following an execution through the store', () => {
  /** The pipeline of `aws` with execution `id` in stage `at` (earlier stages succeeded, later ones show the old run). */
  function runTo(aws: FakeAws, id: string, at: number, status: StageState['status'] = 'InProgress'): void {
    aws.stages = aws.stages.map((s, i) => (i < at ? { ...s, status: 'Succeeded', executionId: id } : i === at ? { ...s, status, executionId: id } : s));
  }

  it('reads GetPipelineState once per tick and nothing else of its own, and hears the approval and the end as the notifications do', async () => {
    const { store, worlds, advance } = setup([WATCHED]);
    const aws = worlds.get(WATCHED)!;
    await store.refresh(WATCHED);
    const transitions: StatusTransition[] = [];
    store.onDidTransition((t) => transitions.push(t));
    aws.resetCalls();
    const readsBefore = store.refreshCount;

    // The deploy has started execution exec-1 (what DeployCommands.deploy does before following).
    aws.executions.unshift({ executionId: 'exec-1', status: 'InProgress', startTime: new Date() });
    runTo(aws, 'exec-1', 0);
    const stages: string[] = [];
    const following = followInStore(store, WATCHED, 'exec-1', { onProgress: (p) => p.kind === 'stage' && stages.push(`${p.stage}:${p.status}`) });
    void store.refresh(WATCHED);
    await advance(2000);
    runTo(aws, 'exec-1', 1);
    await advance(2000);
    // The approval waits (the approval action carries its token).
    aws.setParameter(`/${WATCHED}/desired_version`, SHA_B);
    aws.stages = aws.stages.map((s, i) =>
      i < 2 ? { ...s, status: 'Succeeded', executionId: 'exec-1' } : i === 2 ? { ...s, status: 'InProgress', executionId: 'exec-1', actions: [{ name: 'Approval', status: 'InProgress', token: 'tok-1' }] } : s,
    );
    await advance(1000);
    const waiting = await following;
    assert.equal(waiting.status, 'AwaitingApproval');
    assert.equal(waiting.approval?.token, 'tok-1');
    assert.equal(waiting.approval?.version, SHA_B);
    assert.deepEqual(stages, ['Source:InProgress', 'Prepare_versions_information_for_Approval_stage:InProgress', 'Please_approve:InProgress']);

    // Approved: follow on to the end.
    const toEnd = followInStore(store, WATCHED, 'exec-1');
    runTo(aws, 'exec-1', 3);
    await advance(1000);
    aws.executions[0] = { ...aws.executions[0], status: 'Succeeded' };
    runTo(aws, 'exec-1', 5);
    await advance(1000);
    assert.deepEqual(await toEnd, { executionId: 'exec-1', status: 'Succeeded' });

    const reads = store.refreshCount - readsBefore;
    assert.ok(reads >= 6, `the store read ${reads} times`);
    assert.equal(aws.count('GetPipelineState'), reads, 'every GetPipelineState was one of the store\'s reads');
    assert.equal(aws.count('GetPipelineExecution'), 0, 'the follow asked AWS about the execution itself');
    assert.deepEqual(
      transitions.map((t) => (t.kind === 'approval-waiting' ? `approval ${t.approval.executionId}` : `finished ${t.executionId} ${t.status}`)),
      ['approval exec-1', 'finished exec-1 Succeeded'],
      'the notifications hear exactly one approval and one end',
    );
    store.dispose();
  });

  it('ends with Superseded when a newer execution takes every stage the followed one had reached', async () => {
    const { store, worlds, advance } = setup([WATCHED]);
    const aws = worlds.get(WATCHED)!;
    runTo(aws, 'exec-1', 1);
    await store.refresh(WATCHED);
    const following = followInStore(store, WATCHED, 'exec-1');
    runTo(aws, 'exec-2', 2);
    await advance(1000);
    assert.deepEqual(await following, { executionId: 'exec-1', status: 'Superseded' });
    store.dispose();
  });

  it('stops following on the signal without waiting for a poll, and releases its watch', async () => {
    const { store, worlds, reads, advance } = setup([WATCHED]);
    runTo(worlds.get(WATCHED)!, 'exec-1', 1);
    const abort = new AbortController();
    const following = followInStore(store, WATCHED, 'exec-1', { signal: abort.signal });
    abort.abort();
    await assert.rejects(following, (e: Error & { kind?: string }) => e.kind === 'cancelled');
    reads.clear();
    await advance(60_000);
    assert.equal(reads.size, 0, 'the watch was not released');
    store.dispose();
  });
});

describe('the last known state of an earlier window, in the store', () => {
  /** One window reads both environments and closes; its reads are in `file`. */
  async function earlierWindow() {
    const file = new SnapshotInMemory();
    const window1 = setup([WATCHED, OTHER], { lastKnown: file });
    window1.store.setViewVisible('Environments', true);
    await window1.advance(0);
    const read = window1.store.status(OTHER);
    window1.store.dispose();
    assert.ok(read?.lastDeployedVersion);
    assert.equal(file.saves, 2, 'each successful read is saved');
    return { file, read };
  }

  it('shows what the earlier window read before any AWS call, marked stale as of that read; the first read here replaces it', async () => {
    const { file, read } = await earlierWindow();
    const { store, reads, advance } = setup([WATCHED, OTHER], { lastKnown: file });
    assert.equal(store.refreshCount, 0);
    const seeded = store.status(OTHER);
    assert.equal(seeded?.lastDeployedVersion, read.lastDeployedVersion);
    assert.deepEqual(seeded?.stale?.map((s) => [s.part, s.asOf.getTime(), s.error]), [
      ['parameters', read.fetchedAt.getTime(), undefined],
      ['pipeline', read.fetchedAt.getTime(), undefined],
      ['services', read.fetchedAt.getTime(), undefined],
    ]);
    assert.equal(store.viewState(), 'ready', 'no loading state: there is something to show');
    store.setViewVisible('Environments', true);
    await advance(0);
    assert.equal(reads.get(OTHER), 1);
    assert.equal(store.status(OTHER)?.stale, undefined, 'fresh once read here');
    store.dispose();
  });

  it('a first read that fails keeps it, each part saying the error, never an empty environment', async () => {
    const { file, read } = await earlierWindow();
    const unreachable: { value: DeployError | undefined } = { value: new DeployError('network', 'Cannot reach AWS (ECONNREFUSED)') };
    const { store, advance } = setup([WATCHED, OTHER], { lastKnown: file, unreachable });
    store.setViewVisible('Environments', true);
    await advance(0);
    assert.equal(store.error(OTHER)?.kind, 'network');
    const kept = store.status(OTHER);
    assert.equal(kept?.lastDeployedVersion, read.lastDeployedVersion);
    assert.deepEqual(kept?.stale?.map((s) => s.error?.code), ['network', 'network', 'network']);
    const saves = file.saves;
    unreachable.value = undefined;
    await store.refresh();
    assert.equal(store.status(OTHER)?.stale, undefined);
    assert.equal(file.saves, saves + 2, 'saved again once read');
    store.dispose();
  });

  it('tells no news about what happened between the windows', async () => {
    const { file, read } = await earlierWindow();
    // The earlier window saw a deploy running; it ended while no window was open.
    const running = { ...read, pipeline: { ...read.pipeline!, status: 'InProgress' as const, executionId: 'exec-old' } };
    file.save(environmentOf(OTHER), running);
    const { store, advance } = setup([WATCHED, OTHER], { lastKnown: file });
    assert.equal(store.status(OTHER)?.pipeline?.status, 'InProgress');
    const heard: StatusTransition[] = [];
    store.onDidTransition((t) => heard.push(t));
    store.setViewVisible('Environments', true);
    await advance(0);
    assert.equal(store.status(OTHER)?.pipeline?.status, 'Succeeded');
    assert.deepEqual(heard, [], 'the execution that ended between the windows is history, not a notification');
    store.dispose();
  });

  it("never shows one account's state for another: a settings change to another profile drops it, the change back shows it again", async () => {
    const { file } = await earlierWindow();
    let profile: string | undefined;
    const { store } = setup([WATCHED, OTHER], { lastKnown: file, profile: () => profile });
    assert.ok(store.status(OTHER));
    profile = 'another-account';
    store.reload();
    assert.equal(store.status(OTHER), undefined, 'another profile: nothing from the snapshot');
    profile = undefined;
    store.reload();
    assert.ok(store.status(OTHER)?.stale, 'the first profile again: its last known state, stale');
    assert.equal(store.refreshCount, 0, 'nobody looks: no read');
    store.dispose();
  });
});
