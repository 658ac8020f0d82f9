// `npm run bench`: the figures of issue #12, each with its target, medians of BENCH_RUNS (default 7, at least 5)
// interleaved runs, every ratio against a baseline measured in the same run (the machine is shared and noisy;
// ratios hold, absolute times do not). Prints figures; asserts nothing. Builds the production bundles first.
//
//   0. sizes           cli.js, cli-commands.js, extension.js (no AWS SDK in it), aws.js, the .vsix (scripts/sizes.ts)
//   1-2. CLI           bench/cli.ts: start-up against `node -e 0`, status against the AWS CLI chain
//   3. refresh         bench/refresh.ts: calls, round trips, socket waits (1 and 20 environments)
//   4-6. extension     bench/extension.ts: activation, AWS calls while nobody looks, heap growth
//   7. sandbox         bench/sandboxScale.ts: cost per request after 100 and 3,000 executions
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { cliFigures } from './cli';
import { activation, idleAndHeap } from './extension';
import { bundles, line, root, RUNS } from './lib';
import { refreshFigures } from './refresh';
import { sandboxScale } from './sandboxScale';
import { sizeFigures } from '../scripts/sizes';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function sizes(): void {
  execFileSync(process.execPath, ['esbuild.js', '--production'], { cwd: root, stdio: 'inherit' });
  execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--out', path.join(root, 'dist', 'bench.vsix')], { cwd: root, stdio: 'ignore' });
  console.log('0. sizes (production bundles; CI fails on a breach: scripts/sizes.ts)');
  for (const f of sizeFigures(path.join(root, 'dist'), path.join(root, 'dist', 'bench.vsix'))) line(`   ${f.label}`, f.value, f.target, f.ok);
  const copy = mkdtempSync(path.join(tmpdir(), 'sd-bench-dist-'));
  cpSync(path.join(root, 'dist'), copy, { recursive: true });
  process.env.BENCH_DIST = copy;
}

async function main(): Promise<void> {
  const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`npm run bench: medians of ${RUNS} runs; load average ${load()} on ${new Date().toISOString()}\n`);
  sizes();
  await cliFigures();
  await refreshFigures();
  await activation();
  await idleAndHeap();
  await sandboxScale();
  rmSync(bundles(), { recursive: true, force: true });
  console.log(`\nload average at the end: ${load()}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
