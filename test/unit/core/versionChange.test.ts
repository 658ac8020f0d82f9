// What a move between two versions adds and undoes: the words of the confirmation and the rollback picker.
import * as assert from 'node:assert/strict';
import type { CommitInfo } from '../../../src/core/git';
import { changeDirection, changeLines, loadVersionChange, undoneSummary } from '../../../src/core/versionChange';

const commit = (n: number): CommitInfo => ({ sha: String(n % 10).repeat(40), subject: `Change ${n}`, author: 'Ann', parents: [] });

describe('version change (adds / undoes)', () => {
  it('tells forward, rollback, diverged and same apart', () => {
    assert.equal(changeDirection({ added: [commit(1)], undone: [] }), 'forward');
    assert.equal(changeDirection({ added: [], undone: [commit(1)] }), 'rollback');
    assert.equal(changeDirection({ added: [commit(1)], undone: [commit(2)] }), 'diverged');
    assert.equal(changeDirection({ added: [], undone: [] }), 'same');
  });

  it('reads both directions of the history; undefined when the repository lacks a version', async () => {
    const git = {
      commitsBetween: async (from: string, to: string) => (from === 'new' && to === 'old' ? [] : from === 'old' && to === 'new' ? [commit(2), commit(1)] : undefined),
      filesChanged: async () => 5,
    };
    assert.deepEqual(await loadVersionChange(git, 'new', 'old'), { added: [], undone: [commit(2), commit(1)], files: 5 });
    assert.equal(await loadVersionChange(git, 'new', 'other'), undefined);
  });

  it('a rollback lists what it removes, newest first, and cuts a long list with a count', () => {
    const undone = Array.from({ length: 12 }, (_, i) => commit(12 - i));
    const lines = changeLines({ added: [], undone, files: 1 }, 10);
    assert.equal(lines[0], 'Rolls back 12 commits, 1 file changed; removed, newest first:');
    assert.equal(lines[1], '  − 2222222 Change 12 (Ann)');
    assert.equal(lines.length, 12);
    assert.equal(lines[11], '  … and 2 older');
  });

  it('diverged versions say both counts; the picker summary names the undone commits', () => {
    assert.match(changeLines({ added: [commit(1)], undone: [commit(2)] })[0], /^The versions diverged: adds 1 commit and removes 1 commit\. Removed, newest first:$/);
    assert.equal(undoneSummary({ added: [], undone: [commit(3), commit(2), commit(1), commit(4)], files: 2 }), 'undoes 4 commits, 2 files changed: 3333333 Change 3; 2222222 Change 2; 1111111 Change 1; … 1 more');
  });
});
