import * as assert from 'node:assert/strict';
import { allPages } from '../../../src/aws/call';

describe('allPages', () => {
  it('follows next tokens until the last page, in order', async () => {
    const tokens: (string | undefined)[] = [];
    const pages: Record<string, { items: number[]; next?: string }> = { start: { items: [1, 2], next: 'b' }, b: { items: [3], next: 'c' }, c: { items: [] } };
    const all = await allPages(async (token) => {
      tokens.push(token);
      return pages[token ?? 'start'];
    });
    assert.deepEqual(all, [1, 2, 3]);
    assert.deepEqual(tokens, [undefined, 'b', 'c']);
  });

  it('stops asking once maxItems are in', async () => {
    let calls = 0;
    const all = await allPages(async () => {
      calls++;
      return { items: [calls, calls], next: 'more' };
    }, 5);
    assert.deepEqual(all, [1, 1, 2, 2, 3, 3]);
    assert.equal(calls, 3);
  });
});
