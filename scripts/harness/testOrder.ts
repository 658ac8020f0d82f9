// Runs a mocha tier in another order than written, to find tests that lean on what an earlier test left behind:
// TEST_ORDER=reverse (every suite's tests and sub-suites, and the files, back to front) or TEST_ORDER=shuffle:SEED
// (the same, shuffled by a seeded generator, so a failing order can be run again). Unset: the written order.
import type { Suite } from 'mocha';

/** A small seeded generator (mulberry32): the same seed gives the same order on every machine. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function arrange<T>(items: T[], order: 'reverse' | (() => number)): void {
  if (order === 'reverse') {
    items.reverse();
    return;
  }
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(order() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}

/** TEST_ORDER as given, with a seed chosen for a bare `shuffle`, so the runner can print the order it asked for. */
export function resolveOrder(order: string | undefined): string | undefined {
  return order === 'shuffle' ? `shuffle:${Date.now() % 1_000_000}` : order || undefined;
}

/**
 * Reorders the loaded suite tree in place by `order` (TEST_ORDER's value) and returns a line saying how, or
 * undefined for the written order. Throws on a value it does not know, so a typo does not run the usual order.
 */
export function reorderTests(root: Suite, order: string | undefined): string | undefined {
  if (!order) return undefined;
  const shuffle = /^shuffle(?::(\d+))?$/.exec(order);
  if (order !== 'reverse' && !shuffle) throw new Error(`TEST_ORDER=${order}: use reverse or shuffle:SEED`);
  const seed = Number(shuffle?.[1] ?? resolveOrder('shuffle')!.slice('shuffle:'.length));
  const how = order === 'reverse' ? 'reverse' : seeded(seed);
  const visit = (suite: Suite): void => {
    arrange(suite.tests, how);
    arrange(suite.suites, how);
    suite.suites.forEach(visit);
  };
  visit(root);
  return order === 'reverse' ? 'tests in reverse order' : `tests shuffled with seed ${seed} (TEST_ORDER=shuffle:${seed} repeats it)`;
}
