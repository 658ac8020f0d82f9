// A window's first seconds on a clock the test moves: when the first AWS read may start (the store is told a view
// shows) and when Git is asked for, in a new window and in one that shows an earlier window's kept state.
import * as assert from 'node:assert/strict';
import { OnceMilestone } from '../../../src/core/milestone';
import { AFTER_ROWS_MS, GIT_AT_LATEST_MS, KEPT_READ_AT_LATEST_MS, StartupSequence, type WatchedView } from '../../../src/vscode/startupSequence';
import { TestClock } from './testClock';

class FakeView implements WatchedView {
  private listeners: ((e: { visible: boolean }) => void)[] = [];
  constructor(
    readonly id: string,
    public visible: boolean,
  ) {}
  onDidChangeVisibility(listener: (e: { visible: boolean }) => void) {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  }
  show(visible: boolean): void {
    this.visible = visible;
    for (const l of this.listeners) l({ visible });
  }
}

const settled = () => new Promise<void>((r) => setImmediate(r));

function window(options: { kept: boolean; visible?: boolean; hasEnvironments?: boolean }) {
  const clock = new TestClock();
  const rowsDrawn = new OnceMilestone();
  const freshRowsDrawn = new OnceMilestone();
  const environments = new FakeView('Environments', options.visible ?? false);
  const told: string[] = [];
  let gitStarts = 0;
  let gitReady: () => void = () => undefined;
  let pending = true;
  let warmUps = 0;
  const sequence = new StartupSequence({
    clock,
    kept: options.kept,
    hasEnvironments: options.hasEnvironments ?? true,
    warmUp: () => warmUps++,
    rowsDrawn,
    freshRowsDrawn,
    views: [environments],
    setViewVisible: (id, visible) => told.push(`${id} ${visible ? 'visible' : 'hidden'}`),
    startGit: () => {
      gitStarts++;
      return new Promise<void>((resolve) => (gitReady = () => ((pending = false), resolve())));
    },
    gitPending: () => pending,
  });
  return { clock, rowsDrawn, freshRowsDrawn, environments, told, sequence, gitStarts: () => gitStarts, gitReady: () => gitReady(), warmUps: () => warmUps };
}

describe('StartupSequence', () => {
  it('a window with nothing kept tells the store of a visible view at once, and of a view that shows when it shows', () => {
    const open = window({ kept: false, visible: true });
    assert.deepEqual(open.told, ['Environments visible']);
    const closed = window({ kept: false, visible: false });
    assert.deepEqual(closed.told, []);
    closed.environments.show(true);
    assert.deepEqual(closed.told, ['Environments visible']);
  });

  it('a window with nothing kept loads the AWS layer right after activation, without a view and before any read', async () => {
    const w = window({ kept: false, visible: false });
    assert.equal(w.warmUps(), 0, 'not inside activate()');
    await w.clock.advance(0, settled);
    assert.equal(w.warmUps(), 1);
    assert.deepEqual(w.told, [], 'no read: nobody looks');
  });

  it('the AWS layer is not loaded ahead in a window that shows its kept state, or that has no environments', async () => {
    const kept = window({ kept: true, visible: true });
    const none = window({ kept: false, visible: true, hasEnvironments: false });
    await kept.clock.advance(KEPT_READ_AT_LATEST_MS, settled);
    await none.clock.advance(KEPT_READ_AT_LATEST_MS, settled);
    assert.equal(kept.warmUps(), 0, 'its kept rows are drawn first; the read loads the layer after them');
    assert.equal(none.warmUps(), 0);
  });

  it('a window that shows its kept state reads only after those rows have gone out (and a moment more)', async () => {
    const w = window({ kept: true, visible: true });
    w.environments.show(true);
    assert.deepEqual(w.told, [], 'no read before the kept rows are drawn');
    w.rowsDrawn.reach();
    await settled();
    await w.clock.advance(AFTER_ROWS_MS - 1, settled);
    assert.deepEqual(w.told, []);
    await w.clock.advance(1, settled);
    assert.deepEqual(w.told, ['Environments visible']);
    w.environments.show(false);
    assert.deepEqual(w.told, ['Environments visible', 'Environments hidden']);
  });

  it('a window that shows its kept state reads at the latest 3 s after activation, with the view as it is then', async () => {
    const w = window({ kept: true, visible: false });
    w.environments.show(true);
    await w.clock.advance(KEPT_READ_AT_LATEST_MS - 1, settled);
    assert.deepEqual(w.told, []);
    await w.clock.advance(1, settled);
    assert.deepEqual(w.told, ['Environments visible']);
    w.rowsDrawn.reach();
    await settled();
    await w.clock.advance(AFTER_ROWS_MS, settled);
    assert.deepEqual(w.told, ['Environments visible'], 'reading starts once');
  });

  it('Git is asked for a moment after rows with fresh versions have gone out, once', async () => {
    const w = window({ kept: false, visible: true });
    w.rowsDrawn.reach();
    await settled();
    await w.clock.advance(1_000, settled);
    assert.equal(w.gitStarts(), 0, 'kept rows are not what Git waits for');
    w.freshRowsDrawn.reach();
    await settled();
    await w.clock.advance(AFTER_ROWS_MS, settled);
    assert.equal(w.gitStarts(), 1);
    await w.clock.advance(GIT_AT_LATEST_MS, settled);
    assert.equal(w.gitStarts(), 1, 'the 5 s timer does not start it again');
  });

  it('Git is asked for at the latest 5 s after activation', async () => {
    const w = window({ kept: false, visible: false });
    await w.clock.advance(GIT_AT_LATEST_MS - 1, settled);
    assert.equal(w.gitStarts(), 0);
    await w.clock.advance(1, settled);
    assert.equal(w.gitStarts(), 1);
  });

  it('gitAsked starts Git at once and waits for it, at most as long as asked; not at all once Git has answered', async () => {
    const w = window({ kept: false, visible: false });
    let waited = false;
    const asked = w.sequence.gitAsked(3_000).then(() => (waited = true));
    assert.equal(w.gitStarts(), 1, 'started at once');
    await w.clock.advance(2_999, settled);
    assert.equal(waited, false);
    await w.clock.advance(1, settled);
    await asked;
    assert.equal(waited, true, 'gave up waiting after 3 s');
    const again = w.sequence.gitAsked(10_000);
    w.gitReady();
    await again;
    assert.equal(w.gitStarts(), 1, 'one start for every asker');
    await w.sequence.gitAsked(10_000);
  });

  it('after dispose nothing more is started', async () => {
    const w = window({ kept: true, visible: true });
    w.sequence.dispose();
    w.rowsDrawn.reach();
    w.freshRowsDrawn.reach();
    await settled();
    await w.clock.advance(GIT_AT_LATEST_MS, settled);
    assert.deepEqual(w.told, []);
    assert.equal(w.gitStarts(), 0);
    const fresh = window({ kept: false });
    fresh.sequence.dispose();
    await fresh.clock.advance(GIT_AT_LATEST_MS, settled);
    assert.equal(fresh.warmUps(), 0);
  });
});
