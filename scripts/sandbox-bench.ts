import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { startSandbox } from '../src/sandbox/index';
async function main() {
  const m0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const sb = await startSandbox({ stageSeconds: 1 });
  const start = performance.now() - t0;
  const ssm = new SSMClient({ endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials });
  const names = ['/spryker-prod/desired_version', '/spryker-prod/last_deployed_version', '/spryker-prod/lastdeployedversion'];
  for (let i = 0; i < 200; i++) await ssm.send(new GetParametersCommand({ Names: names }));
  const N = 3000; const t1 = performance.now();
  for (let i = 0; i < N; i++) await ssm.send(new GetParametersCommand({ Names: names }));
  const seq = N / ((performance.now() - t1) / 1000);
  const t2 = performance.now();
  for (let b = 0; b < N / 10; b++) await Promise.all(Array.from({ length: 10 }, () => ssm.send(new GetParametersCommand({ Names: names }))));
  const par = N / ((performance.now() - t2) / 1000);
  const ms = sb.requests().slice(-N).map((r) => r.ms).sort((a, b) => a - b);
  console.log(JSON.stringify({ startMs: Math.round(start), seqPerSec: Math.round(seq), par10PerSec: Math.round(par), serverMedianMs: ms[ms.length >> 1], serverP99Ms: ms[Math.floor(ms.length * 0.99)], rssBeforeMB: Math.round(m0 / 1e6), rssAfterMB: Math.round(process.memoryUsage().rss / 1e6), heapUsedMB: Math.round(process.memoryUsage().heapUsed / 1e6), worldJsonKB: Math.round(JSON.stringify(sb.inspect.world()).length / 1024) }));
  await sb.stop();
}
main();
