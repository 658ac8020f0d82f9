// The extension host stand-in: bundled by the benchmark with esbuild and run in plain Node (not tsx), it loads the
// production dist/extension.js with the `vscode` stand-in of vscodeStub.ts and calls activate() for real. One mode
// per process, chosen by argv[2]; the result is one `RESULT {json}` line on stdout.
//
//   activation  require + activate() of dist/extension.js, then require of dist/aws.js (the bundle the first
//               refresh loads) as the baseline in the same process.
//   idle        AWS calls (counted by the sandbox, whose endpoint is argv[3]) over argv[4] seconds with the views
//               hidden and the window unfocused, then with a visible view.
//   heap        heap growth over argv[4] refreshes (the Refresh command) of the environments in the settings;
//               needs --expose-gc.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { installVscodeStub } from './vscodeStub';

const dist = process.env.BENCH_DIST ?? path.resolve(process.cwd(), 'dist');
const [mode, endpoint, arg] = process.argv.slice(2);
const environments = JSON.parse(process.env.BENCH_ENVIRONMENTS ?? '[]') as string[];

async function main(): Promise<unknown> {
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-bench-storage-'));
  process.on('exit', () => fs.rmSync(storage, { recursive: true, force: true }));
  const host = installVscodeStub({
    settings: {
      'sprykerDeploy.environments': environments.map((name) => ({ name, endpoint })),
      'sprykerDeploy.defaultRegion': 'eu-central-1',
      'sprykerDeploy.polling.idleSeconds': 5,
    },
    viewsVisible: false,
    focused: mode !== 'idle',
  });
  const context = {
    subscriptions: [] as { dispose(): unknown }[],
    extensionMode: 1,
    extensionPath: path.dirname(dist),
    extensionUri: { fsPath: path.dirname(dist), scheme: 'file', path: path.dirname(dist) },
    workspaceState: { get: () => undefined, update: async () => undefined, keys: () => [] },
    globalState: { get: () => undefined, update: async () => undefined, keys: () => [], setKeysForSync: () => undefined },
    // A new, empty global storage per run (the last known state and the AWS layer's kept compiled code live there):
    // each run is a first-ever window.
    globalStorageUri: { fsPath: storage, scheme: 'file', path: storage },
  };
  const load: NodeJS.Require = require;
  const t0 = performance.now();
  const extension = load(path.join(dist, 'extension.js')) as { activate(context: unknown): unknown; deactivate(): void };
  const t1 = performance.now();
  extension.activate(context);
  const t2 = performance.now();
  const stop = () => {
    for (const d of context.subscriptions) d.dispose();
  };

  if (mode === 'activation') {
    const t3 = performance.now();
    load(path.join(dist, 'aws.js'));
    const awsMs = performance.now() - t3;
    const commands = host.commands.size;
    stop();
    return { requireMs: t1 - t0, activateMs: t2 - t1, awsRequireMs: awsMs, commands };
  }

  const refresh = host.commands.get('sprykerDeploy.refresh');
  if (!refresh) throw new Error('activate() registered no Refresh command');
  if (mode === 'idle') {
    const seconds = Number(arg);
    const requests = async () => ((await (await fetch(`${endpoint}/_sandbox/requests?since=999999999`)).json()) as { total: number }).total;
    const window = async () => {
      const before = await requests();
      await new Promise((r) => setTimeout(r, seconds * 1000));
      return (await requests()) - before;
    };
    const hidden = await window();
    host.setViewsVisible(true);
    host.setFocused(true);
    const visible = await window();
    stop();
    return { hidden, visible, seconds };
  }

  if (mode === 'heap') {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('run with --expose-gc');
    const refreshes = Number(arg);
    // The first refresh loads aws.js and builds the clients; growth is measured from there.
    await refresh();
    await refresh();
    gc();
    const before = process.memoryUsage().heapUsed;
    const t = performance.now();
    for (let i = 0; i < refreshes; i++) await refresh();
    const ms = performance.now() - t;
    gc();
    const after = process.memoryUsage().heapUsed;
    stop();
    return { refreshes, environments: environments.length, beforeMb: before / 2 ** 20, afterMb: after / 2 ** 20, growthMb: (after - before) / 2 ** 20, msPerRefresh: ms / refreshes };
  }
  throw new Error(`unknown mode ${mode}`);
}

main().then(
  (result) => {
    console.log(`RESULT ${JSON.stringify(result)}`);
    process.exit(0);
  },
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
