import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import * as zlib from 'node:zlib';
import { httpsAgentOnFirstUse, lazyHttps, lazyZlib } from '../../../src/aws/lazyBuiltins';

// What the AWS SDK in dist/aws.js gets for node:https and node:zlib (esbuild.js): Node's own members, loaded on
// first use. That nothing is loaded before is checked on the installed bundle (test/integration/cli/package.test.ts).
describe('lazy node:https and node:zlib for the SDK bundle', () => {
  it('an https agent made through the stand-in is Node\'s, and instanceof holds', () => {
    const agent = new lazyHttps.Agent({ keepAlive: true, maxSockets: 7 });
    assert.ok(agent instanceof https.Agent);
    assert.ok(agent instanceof lazyHttps.Agent);
    assert.equal(agent.maxSockets, 7);
    assert.ok(!(new (require('node:http') as typeof import('node:http')).Agent() instanceof lazyHttps.Agent));
    assert.equal(lazyHttps.request, https.request);
    agent.destroy();
  });

  it('an https agent on first use keeps maxSockets until it is made, then is Node\'s agent with them', () => {
    const agent = httpsAgentOnFirstUse({ keepAlive: true, maxSockets: 50 });
    agent.maxSockets = 120;
    assert.equal(agent.maxSockets, 120);
    agent.destroy(); // never made: nothing to destroy
    assert.equal(typeof (agent as unknown as { addRequest: unknown }).addRequest, 'function');
    assert.equal(agent.maxSockets, 120);
    assert.equal((agent as unknown as { keepAlive: boolean }).keepAlive, true);
    agent.maxSockets = 130;
    assert.equal(agent.maxSockets, 130);
    agent.destroy();
  });

  it('crc32 is Node\'s', () => {
    assert.equal(lazyZlib.crc32('spryker'), zlib.crc32('spryker'));
    assert.equal(lazyZlib.crc32(Buffer.from('deploy'), 42), zlib.crc32(Buffer.from('deploy'), 42));
  });
});
