// Calls and round trips of a status refresh against the in-process sandbox at 50 ms injected latency: one
// environment in a new process (task definitions known from the CLI's user cache), and 20 environments refreshed
// together as the extension does (first refresh and steady state), with the requests that had to wait for a free
// socket (the SDK's default pool of 50 per client, measured in the same run, is the baseline).
import { createAwsPortsFactory, type CallInfo } from '../src/aws';
import { createCoreCaches } from '../src/core/caches';
import { resolveEnvironment } from '../src/core/environments';
import type { ContainerImage } from '../src/core/model';
import { createEnvironmentService } from '../src/core/environmentService';
import type { AwsPortsFactory } from '../src/core/ports';
import { startSandbox } from '../src/sandbox';
import { fmt, line, roundTrips } from './lib';
import { countSocketWaits } from './socketWaits';

export async function refreshFigures(): Promise<void> {
  const ENVS = Array.from({ length: 20 }, (_, i) => `spryker-env${String(i + 1).padStart(2, '0')}`);
  const sandbox = await startSandbox({ environments: ENVS, stageSeconds: 3600, seed: 3 });
  const waits = countSocketWaits();
  try {
    sandbox.control.addFault({ kind: 'latency', ms: 50 });
    const timings: { start: number; end: number }[] = [];
    const onCall = (i: CallInfo) => timings.push({ start: i.startedAt, end: i.startedAt + i.ms });
    const factory = createAwsPortsFactory({ credentials: sandbox.credentials, endpoint: sandbox.endpoint, onCall });
    const measure = async (work: () => Promise<unknown>) => {
      sandbox.clearRequests();
      timings.length = 0;
      waits.reset();
      const t = performance.now();
      await work();
      return { calls: sandbox.requests().length, rounds: roundTrips(timings), ms: performance.now() - t, waits: waits.count() };
    };
    console.log('\n3. calls and round trips at 50 ms latency (calls counted by the sandbox; round trips from the call timings)');
    const config = (name: string) => resolveEnvironment({ name, region: sandbox.region, endpoint: sandbox.endpoint });
    // One environment in a new process whose task definitions are known (the CLI's user cache): fresh memory caches.
    const known = createCoreCaches();
    await createEnvironmentService(config(ENVS[0]), factory(config(ENVS[0])), { caches: known }).status();
    const stored = new Map<string, readonly ContainerImage[]>();
    for (const [k, v] of known.taskDefinitions) stored.set(k, await v);
    const persistent = { get: (k: string) => stored.get(k), set: () => undefined };
    const cold = await measure(() => createEnvironmentService(config(ENVS[0]), factory(config(ENVS[0])), { caches: createCoreCaches({ persistent }) }).status());
    line(`   1 env, new process, task definitions cached (${fmt(cold.ms)})`, `${cold.calls} calls, ${cold.rounds} round trips`, '≤ 7, ≤ 2', cold.calls <= 7 && cold.rounds <= 2);
    const first = await measure(() => createEnvironmentService(config(ENVS[1]), factory(config(ENVS[1]))).status());
    line('   1 env, first run ever (no cache)', `${first.calls} calls, ${first.rounds} round trips`, '—', undefined);

    const together = async (ports: AwsPortsFactory) => {
      const caches = createCoreCaches();
      const services = ENVS.map((n) => createEnvironmentService(config(n), ports(config(n)), { caches }));
      return { first: await measure(() => Promise.all(services.map((s) => s.status()))), steady: await measure(() => Promise.all(services.map((s) => s.status()))), one: await measure(() => services[0].status()) };
    };
    // The baseline: the same refresh with the SDK's own pool (50 sockets per client, whatever shares it).
    const sdkDefault = await together(createAwsPortsFactory({ credentials: sandbox.credentials, endpoint: sandbox.endpoint, onCall, socketsPerEnvironment: 0 }));
    const sized = await together(createAwsPortsFactory({ credentials: sandbox.credentials, endpoint: sandbox.endpoint, onCall }));
    const wall = (r: { ms: number }) => `${(r.ms / 50).toFixed(1)} × latency`;
    line(`   20 envs, first refresh (${fmt(sized.first.ms)} = ${wall(sized.first)})`, `${sized.first.calls} calls, ${sized.first.rounds} round trips`, '≤ 3 trips', sized.first.rounds <= 3);
    line('   20 envs, first refresh: requests that waited for a socket', `${sized.first.waits} (SDK's pool of 50: ${sdkDefault.first.waits})`, '0', sized.first.waits === 0);
    console.log(`     with the SDK's pool: ${sdkDefault.first.rounds} round trips, ${fmt(sdkDefault.first.ms)} = ${wall(sdkDefault.first)}`);
    line(`   20 envs, steady state (${fmt(sized.steady.ms)} = ${wall(sized.steady)})`, `${sized.steady.calls} calls, ${sized.steady.rounds} round trips`, '≤ 3 trips', sized.steady.rounds <= 3);
    line('   calls per environment, 20 envs together vs 1 env alone', `${(sized.steady.calls / 20).toFixed(1)} vs ${sized.one.calls}`, 'linear', sized.steady.calls <= 20 * sized.one.calls);
  } finally {
    waits.restore();
    await sandbox.stop();
  }
}
