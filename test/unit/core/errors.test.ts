// DeployError must be recognised across bundles: the extension bundle and dist/aws.js each carry a copy.

import * as assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import * as vm from 'node:vm';
import { DeployError, isDeployError, toDeployError } from '../../../src/core/errors';

/** Loads a second, independently bundled copy of src/core/errors.ts, as dist/aws.js has one. */
async function foreignCopy(): Promise<typeof import('../../../src/core/errors')> {
  const out = await esbuild.build({ entryPoints: ['src/core/errors.ts'], bundle: true, write: false, format: 'cjs', platform: 'node' });
  const module = { exports: {} as Record<string, unknown> };
  vm.runInThisContext(`(function (module, exports) {${out.outputFiles[0].text}\n})`)(module, module.exports);
  return module.exports as unknown as typeof import('../../../src/core/errors');
}

describe('DeployError across bundles', () => {
  it('an error thrown by another bundle copy is a DeployError here, with its kind and details', async () => {
    const other = await foreignCopy();
    assert.notEqual(other.DeployError, DeployError, 'the copy is a different class object');
    const e = new other.DeployError('credentials-expired', 'Sign in again', { profile: 'prod' });
    assert.ok(e instanceof DeployError);
    assert.ok(isDeployError(e, 'credentials-expired'));
    assert.equal(toDeployError(e), e);
    assert.equal(toDeployError(e).details.profile, 'prod');
  });

  it('other errors, and look-alikes without the brand, are not DeployErrors', () => {
    const lookAlike = Object.assign(new Error('x'), { name: 'DeployError', kind: 'throttled' });
    assert.equal(lookAlike instanceof DeployError, false);
    assert.equal(isDeployError(new Error('x')), false);
    assert.equal(toDeployError(lookAlike).kind, 'unknown');
    assert.equal((null as unknown) instanceof DeployError, false);
  });
});
