import * as assert from 'node:assert/strict';
import { parseVersionComparison } from '../../../src/core/versionComparison';

describe('version comparison log', () => {
  const a = 'a'.repeat(40);
  const b = 'B'.repeat(40);
  it('reads the real typo, CodeBuild prefixes and ANSI colours', () => {
    const result = parseVersionComparison([
      '[Container] 2026/01/01 10:00:00.123456 Running command echo "Deploymnet version: $DESIRED_VERSION"',
      `[Container] 2026/01/01 10:00:00.223456 \u001b[32mDeploymnet version: ${a}\u001b[0m`,
      `Latest deployed version = ${b}`,
      'done',
    ]);
    assert.equal(result?.deploymentVersion, a);
    assert.equal(result?.latestDeployedVersion, b.toLowerCase());
    assert.ok(result?.lines.some((l) => l.includes('Deploymnet version: aaaa')));
    assert.ok(!result?.lines.some((l) => l.includes('\u001b')));
  });
  it('accepts the correct spelling, whitespace-only separators and multi-line events', () => {
    const result = parseVersionComparison([`noise\nDEPLOYMENT VERSION   ${a}\nlatest deployed version:${a}`], { logGroup: 'g', logStream: 's' });
    assert.equal(result?.deploymentVersion, a);
    assert.equal(result?.latestDeployedVersion, a);
    assert.equal(result?.logGroup, 'g');
  });
  it('returns undefined when the log has no comparison', () => {
    assert.equal(parseVersionComparison(['[Container] build started', 'echo "Deploymnet version: $X"']), undefined);
  });
});
