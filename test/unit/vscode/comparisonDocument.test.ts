// The comparison document (Compare Environments…): what it says for each state, from plain inputs.
import * as assert from 'node:assert/strict';
import type { EnvironmentComparison } from '../../../src/core/promotion';
import { comparisonMarkdown, COMMITS_LISTED, escapeMarkdown } from '../../../src/vscode/promote/comparisonDocument';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const NOW = new Date('2026-11-30T09:00:00Z');

const comparison = (over: Partial<EnvironmentComparison> = {}): EnvironmentComparison => ({
  source: 'spryker-staging',
  target: 'spryker-prod',
  sourceVersion: B,
  targetVersion: A,
  sameVersion: false,
  services: [
    { role: 'zed', source: [B], target: [A], same: false },
    { role: 'yves', source: [B], target: [B], same: true },
    { role: 'glue', source: [B], same: false },
  ],
  unknown: [],
  ...over,
});

const commit = (n: number, subject = `Commit ${n}`) => ({ sha: n.toString(16).padStart(40, 'c'), subject, author: 'Lena Fischer', date: new Date('2026-11-29T09:00:00Z'), parents: [] });

describe('comparisonMarkdown', () => {
  it('shows both versions with subjects, the commits both ways, the files and each service', () => {
    const text = comparisonMarkdown({
      comparison: comparison(),
      git: {
        sourceOnly: [commit(1, 'Raise Zed memory')],
        targetOnly: [],
        files: [{ path: 'deploy.yml', status: 'modified' }, { path: 'b.php', status: 'renamed', previousPath: 'a.php' }],
        subjects: new Map([[A, 'Add delivery date'], [B, 'Raise Zed memory']]),
      },
      readAt: { source: NOW, target: NOW },
      refreshErrors: {},
      now: NOW,
    });
    assert.ok(text.includes('| spryker\\-staging | `bbbbbbb` Raise Zed memory |'), text);
    assert.ok(text.includes('| spryker\\-prod | `aaaaaaa` Add delivery date |'), text);
    assert.ok(text.includes('## 1 commit(s) spryker\\-staging has that spryker\\-prod lacks'), text);
    assert.ok(text.includes('- `ccccccc` Raise Zed memory — Lena Fischer, 1 day ago'), text);
    assert.ok(text.includes('## 0 commit(s) spryker\\-prod has that spryker\\-staging lacks\n\nNone.'), text);
    assert.ok(text.includes('## 2 file(s) differ\n\n- modified: `deploy.yml`\n- renamed: `b.php` (from `a.php`)'), text);
    assert.ok(text.includes('| zed | `bbbbbbb` | `aaaaaaa` | **differs** |'), text);
    assert.ok(text.includes('| yves | `bbbbbbb` | `bbbbbbb` | same |'), text);
    assert.ok(text.includes('| glue | `bbbbbbb` | — | **differs** |'), text);
  });

  it('says commits and files are unknown, and why, when the repository cannot compare', () => {
    const text = comparisonMarkdown({ comparison: comparison(), gitProblem: 'no Git repository is open', readAt: { source: NOW, target: NOW }, refreshErrors: {}, now: NOW });
    assert.ok(text.includes('**Commits and files:** unknown — no Git repository is open.'), text);
    assert.ok(!text.includes('## 0 commit'), text);
  });

  it('marks an environment that could not be read now with when it was last read, and lists unreadable parts', () => {
    const earlier = new Date(NOW.getTime() - 5 * 60_000);
    const text = comparisonMarkdown({
      comparison: comparison({ unknown: ['spryker-prod services: AccessDenied'] }),
      readAt: { source: NOW, target: earlier },
      refreshErrors: { target: 'Could not reach AWS' },
      now: NOW,
    });
    assert.ok(text.includes('> ⚠ spryker\\-prod could not be read just now (Could not reach AWS): shown as last read 5 min ago (2026-11-30 08:55 UTC).'), text);
    assert.ok(text.includes('## Could not be read\n\n- spryker\\-prod services: AccessDenied'), text);
  });

  it('says both run the same version instead of listing empty differences', () => {
    const text = comparisonMarkdown({ comparison: comparison({ targetVersion: B, sameVersion: true }), readAt: { source: NOW, target: NOW }, refreshErrors: {}, now: NOW });
    assert.ok(text.includes('Both run the same deployed version.'), text);
    assert.ok(!text.includes('file(s) differ'), text);
  });

  it('lists at most COMMITS_LISTED commits per direction and says how many more', () => {
    const many = Array.from({ length: COMMITS_LISTED + 3 }, (_, i) => commit(i + 1));
    const text = comparisonMarkdown({ comparison: comparison(), git: { sourceOnly: many, targetOnly: [], files: [], subjects: new Map() }, readAt: { source: NOW, target: NOW }, refreshErrors: {}, now: NOW });
    assert.ok(text.includes('- … and 3 more'), text);
    assert.equal(text.split('\n').filter((l) => l.startsWith('- `c')).length, COMMITS_LISTED);
  });

  it('escapes Markdown in commit subjects from the repository (untrusted), so a subject cannot inject links or HTML', () => {
    assert.equal(escapeMarkdown('[x](javascript:alert(1)) <img src=x>'), '\\[x\\]\\(javascript:alert\\(1\\)\\) \\<img src=x\\>');
  });
});
