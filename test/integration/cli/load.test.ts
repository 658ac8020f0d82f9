// Load: `spryker-deploy status` over 20 environments with 50 ms per request and 20 % of requests throttled. It
// must finish with every environment read and every part it could not read reported as throttled for that
// environment. Prints the figures (calls, HTTP requests, throttled answers, round trips, time) against a baseline
// without throttling in the same run; no timed assertion (the machine's load varies).

import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsPortsFactory, type CallInfo } from '../../../src/aws';
import { run, type CliIo } from '../../../src/cli/main';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { roundTrips } from '../../../bench/roundTrips';

const ENVIRONMENTS = Array.from({ length: 20 }, (_, i) => `spryker-load${String(i + 1).padStart(2, '0')}`);

interface StatusJson {
  environments: { name: string; desiredVersion: string | null; lastDeployedVersion: string | null; errors: { part: string; code: string; message: string }[] }[];
}

describe('load: status of 20 environments at 50 ms latency with 20 % throttling', function () {
  this.timeout(300_000);
  let sandbox: Sandbox;
  let dir: string;

  before(async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    sandbox = await startSandbox({ environments: ENVIRONMENTS, stageSeconds: 3600, seed: 20 });
    dir = mkdtempSync(join(tmpdir(), 'sd-load-'));
    writeFileSync(join(dir, '.spryker-deploy.json'), JSON.stringify({ environments: ENVIRONMENTS.map((name) => ({ name })) }));
  });
  after(async () => {
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function status(faults: string[]) {
    sandbox.control.setFaults(faults);
    sandbox.clearRequests();
    const timings: { start: number; end: number }[] = [];
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      isTTY: false,
      ask: async () => '',
      cwd: dir,
      portsFactory: createAwsPortsFactory({ credentials: sandbox.credentials, endpoint: sandbox.endpoint, onCall: (i: CallInfo) => timings.push({ start: i.startedAt, end: i.startedAt + i.ms }) }),
    };
    const started = performance.now();
    const code = await run(['status', '--json', '--endpoint', sandbox.endpoint], io);
    const ms = Math.round(performance.now() - started);
    const requests = sandbox.requests();
    sandbox.control.clearFaults();
    return {
      code,
      err,
      json: JSON.parse(out[0]) as StatusJson,
      figures: { calls: timings.length, requests: requests.length, throttled: requests.filter((r) => r.errorCode === 'ThrottlingException').length, roundTrips: roundTrips(timings), ms },
    };
  }

  it('completes with every environment read, throttled parts reported per environment; prints the figures', async () => {
    const baseline = await status(['latency:50']);
    assert.equal(baseline.code, 0, baseline.err.join('\n'));
    const loaded = await status(['latency:50', 'throttle:0.2']);

    assert.deepEqual(loaded.json.environments.map((e) => e.name), ENVIRONMENTS);
    for (const env of loaded.json.environments) {
      const truth = baseline.json.environments.find((e) => e.name === env.name)!;
      assert.deepEqual(truth.errors, [], `${env.name} reads cleanly without throttling`);
      // What was read is right; what was not is a throttled part of this environment, named.
      if (env.desiredVersion !== null) assert.equal(env.desiredVersion, truth.desiredVersion, env.name);
      if (env.lastDeployedVersion !== null) assert.equal(env.lastDeployedVersion, truth.lastDeployedVersion, env.name);
      for (const e of env.errors) {
        assert.equal(e.code, 'throttled', `${env.name} ${e.part}: ${e.message}`);
        assert.ok(e.part.length > 0);
      }
      assert.ok(env.errors.length < 2 || env.desiredVersion !== null || env.lastDeployedVersion !== null, `${env.name}: something was read`);
    }
    assert.equal(loaded.code, 0, loaded.err.join('\n'));
    assert.ok(loaded.figures.throttled > 0, 'the fault throttled requests');

    const throttledParts = loaded.json.environments.flatMap((e) => e.errors.map((x) => `${e.name}:${x.part}`));
    const f = (x: typeof loaded.figures) => `${x.calls} calls, ${x.requests} HTTP requests (${x.throttled} throttled), ${x.roundTrips} round trips, ${x.ms} ms`;
    console.log(`      20 environments, 50 ms latency:                ${f(baseline.figures)}`);
    console.log(`      20 environments, 50 ms latency, 20 % throttled: ${f(loaded.figures)}`);
    console.log(`      throttled vs baseline: ×${(loaded.figures.ms / baseline.figures.ms).toFixed(2)} time, ×${(loaded.figures.requests / baseline.figures.requests).toFixed(2)} requests; parts left unread after the SDK's retries: ${throttledParts.length}${throttledParts.length ? ` (${throttledParts.join(', ')})` : ''}`);
  });
});
