// The extension's figures: activation (require + activate() of the production bundle in plain Node, against the
// lazily loaded dist/aws.js and `node -e 0` as baselines, and the real extension host's time recorded by the UI
// tier), AWS calls while nobody looks, and heap growth over many refreshes.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startSandbox } from '../src/sandbox';
import { line, median, RUNS, runHost, sandboxEnv, root } from './lib';

/** Written by the UI tier's activation test (test/ui/activation.test.ts) from VS Code's own Running Extensions. */
export const ACTIVATION_RECORD = path.join(root, 'test-results', 'activation.json');

interface Activation {
  requireMs: number;
  activateMs: number;
  awsRequireMs: number;
  commands: number;
}

export async function activation(): Promise<void> {
  const home = mkdtempSync(path.join(tmpdir(), 'sd-bench-act-'));
  const env = sandboxEnv({ endpoint: 'http://127.0.0.1:9', region: 'eu-central-1' }, home);
  try {
    const samples: Activation[] = [];
    for (let i = 0; i < RUNS; i++) samples.push(await runHost<Activation>([], ['activation'], env));
    const m = (k: keyof Activation) => median(samples.map((s) => s[k]));
    const loadAndActivate = median(samples.map((s) => s.requireMs + s.activateMs));
    console.log(`\n4. activation: production dist/extension.js in plain Node with a vscode stand-in, fresh process each (medians of ${RUNS})`);
    console.log(`   require ${m('requireMs').toFixed(1)} ms + activate() ${m('activateMs').toFixed(1)} ms (${samples[0].commands} commands registered); require of dist/aws.js afterwards ${m('awsRequireMs').toFixed(1)} ms`);
    line('   require + activate() / require dist/aws.js (same process)', `${(loadAndActivate / m('awsRequireMs')).toFixed(2)}×`, '—', undefined);
    if (existsSync(ACTIVATION_RECORD)) {
      const r = JSON.parse(readFileSync(ACTIVATION_RECORD, 'utf8')) as { activationMs: number; text: string; recordedAt: string; vscode: string };
      const hours = (Date.now() - Date.parse(r.recordedAt)) / 3_600_000;
      line(`   real extension host (${r.vscode}, Running Extensions)`, `${r.activationMs} ms ("${r.text}")`, '—', undefined);
      console.log(`     recorded by the UI tier ${hours < 1 ? `${Math.round(hours * 60)} min` : `${hours.toFixed(1)} h`} ago; refresh: flock /tmp/codeserver.lock env GREP='activation time' npm run test:ui`);
    } else {
      console.log("   real extension host: no record yet; run flock /tmp/codeserver.lock env GREP='activation time' npm run test:ui");
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

export async function idleAndHeap(): Promise<void> {
  const home = mkdtempSync(path.join(tmpdir(), 'sd-bench-ext-'));
  const seconds = Number(process.env.BENCH_IDLE_SECONDS ?? 12);
  const refreshes = Number(process.env.BENCH_HEAP_REFRESHES ?? 1000);
  const environments = Array.from({ length: 10 }, (_, i) => `spryker-env${String(i + 1).padStart(2, '0')}`);
  // The sandbox runs in this process, the extension in its own: its heap is the extension's alone.
  const sandbox = await startSandbox({ environments, stageSeconds: 3600, seed: 4 });
  const env = { ...sandboxEnv(sandbox, home), BENCH_ENVIRONMENTS: JSON.stringify(environments.slice(0, 2)) };
  try {
    console.log(`\n5. AWS calls while nobody looks (activate(), 2 environments, idle interval 5 s; calls counted by the sandbox over ${seconds} s)`);
    const idle = await runHost<{ hidden: number; visible: number }>([], ['idle', sandbox.endpoint, String(seconds)], env);
    line('   views hidden + window unfocused', `${idle.hidden} AWS calls`, '0', idle.hidden === 0);
    line('   a view visible (the baseline: polling works)', `${idle.visible} AWS calls`, '> 0', idle.visible > 0);

    console.log(`\n6. memory: heap growth over ${refreshes} refreshes of ${environments.length} environments (the Refresh command after activate(); --expose-gc)`);
    const heap = await runHost<{ growthMb: number; beforeMb: number; afterMb: number; msPerRefresh: number }>(['--expose-gc'], ['heap', sandbox.endpoint, String(refreshes)], {
      ...env,
      BENCH_ENVIRONMENTS: JSON.stringify(environments),
    });
    line(`   heap ${heap.beforeMb.toFixed(1)} → ${heap.afterMb.toFixed(1)} MB (${heap.msPerRefresh.toFixed(0)} ms per refresh)`, `${heap.growthMb.toFixed(1)} MB growth`, '< 30 MB', heap.growthMb < 30);
  } finally {
    await sandbox.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
