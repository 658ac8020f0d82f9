import * as assert from 'node:assert/strict';
import { isDeployError } from '../../../src/core/errors';
import { imageTag, isVersion, parseVersion, shortVersion, versionValue } from '../../../src/core/version';

describe('version', () => {
  const sha = '0123456789abcdef0123456789abcdef01234567';
  it('accepts a full hash, trimmed and lowercased', () => {
    assert.equal(parseVersion(`  ${sha.toUpperCase()}\n`), sha);
    assert.equal(isVersion(sha), true);
    assert.equal(isVersion(sha.toUpperCase()), false);
  });
  it('refuses a short hash saying a full one is needed', () => {
    assert.throws(() => parseVersion('0123456'), (e: unknown) => isDeployError(e, 'invalid-input') && /full 40-character/.test(e.message) && /short/.test(e.message));
  });
  for (const input of ['', 'main', `${sha}0`, 'g'.repeat(40), 'latest']) {
    it(`refuses ${JSON.stringify(input)}`, () => {
      assert.throws(() => parseVersion(input), (e: unknown) => isDeployError(e, 'invalid-input'));
    });
  }
  it('shortens only versions', () => {
    assert.equal(shortVersion(sha), '0123456', 'SHORT_HASH_LENGTH (7) characters everywhere');
    assert.equal(shortVersion('latest'), 'latest');
    assert.equal(shortVersion(undefined), '—');
  });
  it('reads image tags', () => {
    assert.equal(imageTag(`123.dkr.ecr.eu-central-1.amazonaws.com/spryker-prod-yves:${sha}`), sha);
    assert.equal(imageTag('localhost:5000/app'), undefined);
    assert.equal(imageTag('repo@sha256:abc'), undefined);
    assert.equal(imageTag('nginx'), undefined);
  });
  it('reads the tag of an image pinned by digest', () => {
    assert.equal(imageTag(`123.dkr.ecr.eu-central-1.amazonaws.com/spryker-prod-yves:${sha}@sha256:${'b'.repeat(64)}`), sha);
    assert.equal(imageTag(`localhost:5000/app@sha256:${'b'.repeat(64)}`), undefined);
  });
  it('normalises a version parameter written by hand, and nothing else', () => {
    assert.equal(versionValue(`${sha.toUpperCase()}\n`), sha);
    assert.equal(versionValue(`  ${sha} `), sha);
    assert.equal(versionValue('latest\n'), 'latest');
    assert.equal(versionValue(' Not-A-Version '), 'Not-A-Version');
  });
});
