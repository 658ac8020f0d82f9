// Cost of a steady-state status refresh, measured against the in-process sandbox: AWS calls (counted by the
// sandbox's own request log) and sequential round trips (call depth from the adapter's timings), for one
// environment and for five refreshed in parallel, next to a naive baseline doing what a straightforward
// script would (one parameter per call, per-service describe, no cache). Prints figures; asserts nothing.

import { DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient, ListServicesCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { CodePipelineClient, GetPipelineStateCommand } from '@aws-sdk/client-codepipeline';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { createAwsPortsFactory, type CallInfo } from '../src/aws';
import { createCoreCaches } from '../src/core/caches';
import { resolveEnvironment } from '../src/core/environments';
import { createEnvironmentService } from '../src/core/environmentService';
import { startSandbox } from '../src/sandbox';
import { roundTrips } from './roundTrips';

// The SDK versions are pinned; its Node 22 notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const LATENCY_MS = 40;
const ENVIRONMENTS = ['spryker-prod', 'spryker-staging', 'spryker-dev', 'spryker-qa', 'spryker-demo'];

async function main(): Promise<void> {
  const sandbox = await startSandbox({ environments: ENVIRONMENTS, stageSeconds: 3600, seed: 1 });
  try {
    const timings: { start: number; end: number; op: string }[] = [];
    const factory = createAwsPortsFactory({
      credentials: sandbox.credentials,
      endpoint: sandbox.endpoint,
      onCall: (i: CallInfo) => timings.push({ start: i.startedAt, end: i.startedAt + i.ms, op: i.operation }),
    });
    const caches = createCoreCaches();
    const services = ENVIRONMENTS.map((name) => {
      const config = resolveEnvironment({ name, region: sandbox.region, endpoint: sandbox.endpoint });
      return createEnvironmentService(config, factory(config), { caches });
    });

    const measure = async (label: string, work: () => Promise<unknown>) => {
      sandbox.clearRequests();
      timings.length = 0;
      const t0 = performance.now();
      await work();
      const ms = performance.now() - t0;
      const requests = sandbox.requests();
      const ops = new Map<string, number>();
      for (const r of requests) ops.set(r.operation, (ops.get(r.operation) ?? 0) + 1);
      const result = { label, calls: requests.length, rounds: roundTrips(timings), ms: Math.round(ms), ops: Object.fromEntries([...ops].sort()) };
      console.log(
        `${label.padEnd(34)} ${String(result.calls).padStart(4)} calls  ${String(result.rounds).padStart(3)} round trips  ${String(result.ms).padStart(5)} ms (≈${(ms / LATENCY_MS).toFixed(1)} × latency)   ${JSON.stringify(result.ops)}`,
      );
      return result;
    };

    // A fixed latency per request makes sequential round trips visible in the timings (and in the wall time).
    sandbox.control.addFault({ kind: 'latency', ms: LATENCY_MS });
    console.log(`sandbox ${sandbox.endpoint}, ${ENVIRONMENTS.length} environments, ${LATENCY_MS} ms added latency per request\n`);
    await measure('core: 1 env, cold (first refresh)', () => services[0].status());
    const one = await measure('core: 1 env, steady state', () => services[0].status());
    await measure('core: 5 envs in parallel, cold', () => Promise.all(services.slice(1).map((s) => s.status())));
    const five = await measure('core: 5 envs in parallel, steady', () => Promise.all(services.map((s) => s.status())));

    // The naive baseline: what a first script does, one call per question, awaited one after the other.
    const clientConfig = { region: sandbox.region, endpoint: sandbox.endpoint, credentials: sandbox.credentials };
    const ssm = new SSMClient(clientConfig);
    const pipelines = new CodePipelineClient(clientConfig);
    const ecs = new ECSClient(clientConfig);
    const timed = async <T>(op: string, send: () => Promise<T>): Promise<T> => {
      const start = performance.now();
      try {
        return await send();
      } finally {
        timings.push({ start, end: performance.now(), op });
      }
    };
    const naive = async (env: string) => {
      for (const p of ['desired_version', 'last_deployed_version', 'lastdeployedversion', 'lastbuildversion']) {
        await timed('GetParameter', () => ssm.send(new GetParameterCommand({ Name: `/${env}/${p}` }))).catch(() => undefined);
      }
      await timed('GetPipelineState', () => pipelines.send(new GetPipelineStateCommand({ name: `NORMAL_Deploy_Spryker_${env}` })));
      const list = await timed('ListServices', () => ecs.send(new ListServicesCommand({ cluster: env, maxResults: 100 })));
      for (const arn of list.serviceArns ?? []) {
        const described = await timed('DescribeServices', () => ecs.send(new DescribeServicesCommand({ cluster: env, services: [arn] })));
        const service = described.services?.[0];
        if (service?.taskDefinition) await timed('DescribeTaskDefinition', () => ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition })));
        const tasks = await timed('ListTasks', () => ecs.send(new ListTasksCommand({ cluster: env, serviceName: service?.serviceName })));
        if (tasks.taskArns?.length) await timed('DescribeTasks', () => ecs.send(new DescribeTasksCommand({ cluster: env, tasks: tasks.taskArns })));
      }
    };
    const naiveOne = await measure('naive: 1 env', () => naive(ENVIRONMENTS[0]));
    const naiveFive = await measure('naive: 5 envs in parallel', () => Promise.all(ENVIRONMENTS.map(naive)));

    const ratio = (a: number, b: number) => (b === 0 ? '—' : `${(a / b).toFixed(1)}×`);
    console.log(`\nsteady state, 1 env : ${one.calls} calls / ${one.rounds} round trips (budget ≤ 5 / ≤ 2); naive ${naiveOne.calls} / ${naiveOne.rounds} → ${ratio(naiveOne.calls, one.calls)} fewer calls, ${ratio(naiveOne.rounds, one.rounds)} fewer round trips`);
    console.log(`steady state, 5 envs: ${five.calls} calls / ${five.rounds} round trips; naive ${naiveFive.calls} / ${naiveFive.rounds} → ${ratio(naiveFive.calls, five.calls)} fewer calls, ${ratio(naiveFive.rounds, five.rounds)} fewer round trips`);
  } finally {
    await sandbox.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
