// Connections per endpoint/region sized for many environments (#12): 20 environments refreshed together share
// the clients of one region, and the SDK's own cap of 50 sockets per client made their first refresh queue for
// sockets (more round trips than the calls' dependencies need).

import * as assert from 'node:assert/strict';
import { createAwsPortsFactory, MIN_SOCKETS, SOCKETS_PER_ENVIRONMENT } from '../../../src/aws';
import { createCoreCaches } from '../../../src/core/caches';
import { resolveEnvironment } from '../../../src/core/environments';
import { createEnvironmentService } from '../../../src/core/environmentService';
import { startSandbox } from '../../../src/sandbox';
import { countSocketWaits } from '../../../bench/socketWaits';

describe('AWS connection pool sizing', function () {
  this.timeout(120_000);

  it("20 environments' first refresh together: no request waits for a free socket", async () => {
    assert.ok(20 * SOCKETS_PER_ENVIRONMENT > MIN_SOCKETS, 'the test exercises more than the default pool');
    const names = Array.from({ length: 20 }, (_, i) => `spryker-env${String(i + 1).padStart(2, '0')}`);
    const sandbox = await startSandbox({ environments: names, stageSeconds: 3600, seed: 3 });
    const counter = countSocketWaits();
    try {
      // Latency keeps every call in flight long enough for the calls of all environments to overlap.
      sandbox.control.addFault({ kind: 'latency', ms: 300 });
      const factory = createAwsPortsFactory({ credentials: sandbox.credentials, endpoint: sandbox.endpoint });
      const caches = createCoreCaches();
      const services = names.map((name) => {
        const config = resolveEnvironment({ name, region: sandbox.region, endpoint: sandbox.endpoint });
        return createEnvironmentService(config, factory(config), { caches });
      });
      const results = await Promise.all(services.map((s) => s.status()));
      assert.equal(results.length, 20);
      assert.ok(sandbox.requests().filter((r) => r.operation === 'DescribeTaskDefinition').length >= 20 * 7, 'every environment read its task definitions');
      assert.equal(counter.count(), 0, 'requests that waited for a free socket');
    } finally {
      counter.restore();
      await sandbox.stop();
    }
  });
});
