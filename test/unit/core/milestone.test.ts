import * as assert from 'node:assert/strict';
import { OnceMilestone } from '../../../src/core/milestone';

describe('OnceMilestone', () => {
  it('is not reached until reach(), and its promise waits until then', async () => {
    const m = new OnceMilestone();
    let resolved = false;
    void m.whenReached.then(() => (resolved = true));
    await Promise.resolve();
    assert.equal(m.reached, false);
    assert.equal(resolved, false);
    m.reach();
    assert.equal(m.reached, true);
    await m.whenReached;
    assert.equal(resolved, true);
  });

  it('reached twice is reached once: a waiter runs once', async () => {
    const m = new OnceMilestone();
    let runs = 0;
    void m.whenReached.then(() => runs++);
    m.reach();
    m.reach();
    await m.whenReached;
    await Promise.resolve();
    assert.equal(runs, 1);
    assert.equal(m.reached, true);
  });
});
