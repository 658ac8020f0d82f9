// The CLI's figures: start-up of fresh processes against `node -e 0`, and one status against the AWS CLI chain a
// user would otherwise run (six `aws` processes, one per call) on the same sandbox, at 0 and 50 ms latency.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startSandbox } from '../src/sandbox';
import { bundles, fmt, line, medians, processMedians, run, RUNS, sandboxEnv, timed } from './lib';

export async function cliFigures(): Promise<void> {
  const cli = path.join(bundles(), 'cli.js');
  const home = mkdtempSync(path.join(tmpdir(), 'sd-bench-'));
  writeFileSync(path.join(home, '.spryker-deploy.json'), JSON.stringify({ environments: [{ name: 'spryker-staging' }] }));
  const sandbox = await startSandbox({ stageSeconds: 3600, seed: 2 });
  try {
    const env = sandboxEnv(sandbox, home);
    const node = process.execPath;
    const e = 'spryker-staging';
    const awsChain = async () => {
      const t = performance.now();
      const aws = (...args: string[]) => run('aws', [...args, '--endpoint-url', sandbox.endpoint, '--output', 'json'], { env });
      await aws('ssm', 'get-parameters', '--names', `/${e}/desired_version`, `/${e}/last_deployed_version`, `/${e}/lastdeployedversion`, `/${e}/lastbuildversion`);
      await aws('codepipeline', 'get-pipeline-state', '--name', `NORMAL_Deploy_Spryker_${e}`);
      const services = JSON.parse((await aws('ecs', 'list-services', '--cluster', e)).stdout).serviceArns as string[];
      await aws('ecs', 'describe-services', '--cluster', e, '--services', ...services);
      const tasks = JSON.parse((await aws('ecs', 'list-tasks', '--cluster', e)).stdout).taskArns as string[];
      await aws('ecs', 'describe-tasks', '--cluster', e, '--tasks', ...tasks);
      return performance.now() - t;
    };
    const status = () => timed(node, [cli, 'status', '--env', e], env, home);
    // The first status of this HOME keeps V8's compiled code of the bundles (src/node/codeCache.ts) and the task
    // definition images of this sandbox's world (src/cli/imageCache.ts), as the first run on a machine does: every
    // status measured here is a user's usual one, 6 calls in 2 round trips. The same for the SDK path (aws.js's code).
    await status();
    await timed(node, [cli, 'status', '--env', e], { ...env, SPRYKER_DEPLOY_SDK: '1' }, home);

    console.log(`\n1. CLI start-up (fresh processes timed by a plain-Node parent, as a shell starts them; production bundles; medians of ${RUNS} interleaved runs)`);
    const { wall: m, cpu } = await processMedians(
      {
        node: { file: node, args: ['-e', '0'], env },
        help: { file: node, args: [cli, '--help'], env },
        version: { file: node, args: [cli, '--version'], env },
        status: { file: node, args: [cli, 'status', '--env', e], env },
        noCodeCache: { file: node, args: [cli, 'status', '--env', e], env: { ...env, SPRYKER_DEPLOY_NO_CODE_CACHE: '1' } },
        sdk: { file: node, args: [cli, 'status', '--env', e], env: { ...env, SPRYKER_DEPLOY_SDK: '1' } },
      },
      home,
    );
    console.log(`   node -e 0 ${fmt(m.node)}   --help ${fmt(m.help)}   --version ${fmt(m.version)}   status ${fmt(m.status)}   status without the code cache ${fmt(m.noCodeCache)}   status through the SDK ${fmt(m.sdk)}`);
    line('   spryker-deploy --help / node -e 0', `${(m.help / m.node).toFixed(2)}×`, '≤ 1.2×', m.help / m.node <= 1.2);
    line('   spryker-deploy status / node -e 0 (local sandbox)', `${(m.status / m.node).toFixed(2)}×`, '≤ 2×', m.status / m.node <= 2);
    line('   status / node -e 0, SPRYKER_DEPLOY_NO_CODE_CACHE=1', `${(m.noCodeCache / m.node).toFixed(2)}×`, '—', undefined);
    line('   status / node -e 0, SPRYKER_DEPLOY_SDK=1 (the SDK path)', `${(m.sdk / m.node).toFixed(2)}×`, '—', undefined);
    if (cpu) {
      // CPU time: what the load distorts least (a starved process waits, it does not spend more CPU).
      console.log(`   CPU time (user + system): node -e 0 ${fmt(cpu.node)}   --help ${fmt(cpu.help)}   status ${fmt(cpu.status)}   status without the code cache ${fmt(cpu.noCodeCache)}   status through the SDK ${fmt(cpu.sdk)}`);
      line('   CPU: --help / node -e 0', `${(cpu.help / cpu.node).toFixed(2)}×`, '—', undefined);
      line('   CPU: status / node -e 0 (local sandbox)', `${(cpu.status / cpu.node).toFixed(2)}×`, '—', undefined);
      line('   CPU: status through the SDK / node -e 0', `${(cpu.sdk / cpu.node).toFixed(2)}×`, '—', undefined);
    }

    console.log(`\n2. status against the AWS CLI chain (6 aws processes, one per call; medians of ${RUNS} interleaved runs)`);
    for (const latency of [0, 50]) {
      sandbox.control.clearFaults();
      if (latency) sandbox.control.addFault({ kind: 'latency', ms: latency });
      const r = await medians({ status, aws: awsChain });
      const ratio = r.aws / r.status;
      line(`   ${latency} ms latency: status ${fmt(r.status)}, AWS CLI ${fmt(r.aws)}`, `${ratio.toFixed(1)}× faster`, latency === 50 ? '≥ 15×' : '—', latency === 50 ? ratio >= 15 : undefined);
    }
  } finally {
    await sandbox.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
