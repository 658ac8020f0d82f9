// `npm run bench:activation`: (1) the cost of loading the extension: requiring dist/extension.js with a stubbed
// `vscode` versus requiring dist/aws.js in the same process; (2) what polling costs in AWS calls, counted in
// the in-process sandbox's request log: views hidden + window unfocused (expect 0), a visible idle view, and a
// running deploy. Build first (`npm run compile` or `node esbuild.js`).
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { installVscodeStub } from './vscodeStub';

const root = path.resolve(__dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 12);

async function main(): Promise<void> {
  installVscodeStub();
  const load: NodeJS.Require = require;
  let t = performance.now();
  load(path.join(root, 'dist', 'extension.js'));
  const extMs = performance.now() - t;
  t = performance.now();
  const aws = load(path.join(root, 'dist', 'aws.js')) as typeof import('../src/aws/index');
  const awsMs = performance.now() - t;
  console.log(`require dist/extension.js  ${extMs.toFixed(1)} ms`);
  console.log(`require dist/aws.js        ${awsMs.toFixed(1)} ms (loaded lazily, on the first refresh)`);
  console.log(`ratio extension / aws      ${(extMs / awsMs).toFixed(3)}`);

  const { startSandbox } = load(path.join(root, 'dist', 'sandbox.js')) as typeof import('../src/sandbox/index');
  const { PollingEnvironmentStore } = await import('../src/vscode/store/environmentStore');
  const { resolveEnvironments } = await import('../src/core/environments');
  const sandbox = await startSandbox({ port: 0, stageSeconds: 2 });
  const environments = resolveEnvironments(['spryker-staging', 'spryker-prod'].map((name) => ({ name, endpoint: sandbox.endpoint, region: sandbox.region })));
  const factory = aws.createAwsPortsFactory({ credentials: sandbox.credentials });
  const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never;
  const store = new PollingEnvironmentStore({
    log: quiet,
    loadEnvironments: () => ({ environments }),
    portsFactory: () => factory,
    intervals: () => ({ activeMs: 2000, idleMs: 10000 }),
  });
  const count = async (label: string, setup: () => Promise<void> | void): Promise<number> => {
    await setup();
    await new Promise((r) => setTimeout(r, 300));
    const before = sandbox.requests().length;
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const calls = sandbox.requests().length - before;
    console.log(`${label.padEnd(42)} ${String(calls).padStart(4)} AWS calls in ${SECONDS} s (${((calls * 60) / SECONDS).toFixed(0)}/min)`);
    return calls;
  };
  console.log(`\npolling, 2 environments, active 2 s / idle 10 s:`);
  const hidden = await count('views hidden + window unfocused', async () => {
    store.setViewVisible('Environments', false);
    store.setWindowFocused(false);
    await store.refresh();
    store.setViewVisible('Environments', false);
  });
  await count('view visible, idle', () => store.setViewVisible('Environments', true));
  await count('view visible, deploy running on staging', async () => {
    const service = await store.service('spryker-staging');
    const built = sandbox.inspect.commits()[3].sha;
    await service.deploy(built, { supersede: true });
    await store.refresh('spryker-staging');
  });
  store.dispose();
  await sandbox.stop();
  if (hidden !== 0) {
    console.error('FAIL: AWS calls while nobody looks');
    process.exit(1);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
