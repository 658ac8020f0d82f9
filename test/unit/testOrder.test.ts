// TEST_ORDER for the code-server tiers (scripts/harness/testOrder.ts): the order a tier runs in, to find tests
// that lean on an earlier one.
import * as assert from 'node:assert/strict';
import Mocha from 'mocha';
import { reorderTests, resolveOrder } from '../../scripts/harness/testOrder';

function tree(): Mocha.Suite {
  const root = new Mocha.Suite('');
  for (const file of ['a', 'b', 'c']) {
    const suite = Mocha.Suite.create(root, file);
    for (const n of [1, 2, 3, 4]) suite.addTest(new Mocha.Test(`${file}${n}`, () => undefined));
  }
  return root;
}

const titles = (root: Mocha.Suite): string[] => root.suites.flatMap((s) => s.tests.map((t) => t.title));

describe('test order (TEST_ORDER)', () => {
  it('keeps the written order when unset', () => {
    const root = tree();
    assert.equal(reorderTests(root, undefined), undefined);
    assert.deepEqual(titles(root), ['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'b3', 'b4', 'c1', 'c2', 'c3', 'c4']);
  });

  it('reverse runs the files and each suite\'s tests back to front', () => {
    const root = tree();
    assert.equal(reorderTests(root, 'reverse'), 'tests in reverse order');
    assert.deepEqual(titles(root), ['c4', 'c3', 'c2', 'c1', 'b4', 'b3', 'b2', 'b1', 'a4', 'a3', 'a2', 'a1']);
  });

  it('shuffle:SEED gives the same order for the same seed, and another order than written', () => {
    const first = tree();
    const second = tree();
    assert.match(reorderTests(first, 'shuffle:42') ?? '', /seed 42/);
    reorderTests(second, 'shuffle:42');
    assert.deepEqual(titles(first), titles(second));
    assert.notDeepEqual(titles(first), titles(tree()));
    assert.deepEqual([...titles(first)].sort(), [...titles(tree())].sort(), 'every test still runs once');
  });

  it('a bare shuffle gets a seed the runner can print, and an unknown order is refused', () => {
    assert.match(resolveOrder('shuffle') ?? '', /^shuffle:\d+$/);
    assert.equal(resolveOrder('reverse'), 'reverse');
    assert.throws(() => reorderTests(tree(), 'backwards'), /TEST_ORDER=backwards: use reverse or shuffle:SEED/);
  });
});
