// The sandbox's cost per request as executions pile up: the same refresh (one environment's status and a page of
// its pipeline history) after 100 and after 3,000 executions, timed by the sandbox itself (its request log's
// handler time, no latency injected; the handlers are synchronous, so this is CPU per request).
import { CodePipelineClient, ListPipelineExecutionsCommand, StartPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import { createAwsPortsFactory } from '../src/aws';
import { resolveEnvironment } from '../src/core/environments';
import { createEnvironmentService } from '../src/core/environmentService';
import { startSandbox } from '../src/sandbox';
import { line, median } from './lib';

const PIPELINES = ['NORMAL_Deploy_Spryker_spryker-staging', 'NORMAL_Deploy_Spryker_spryker-prod'];

export async function sandboxScale(): Promise<void> {
  const sandbox = await startSandbox({ stageSeconds: 1, seed: 5 });
  try {
    const pipelines = new CodePipelineClient({ region: sandbox.region, endpoint: sandbox.endpoint, credentials: sandbox.credentials });
    const config = resolveEnvironment({ name: 'spryker-staging', region: sandbox.region, endpoint: sandbox.endpoint });
    const service = createEnvironmentService(config, createAwsPortsFactory({ credentials: sandbox.credentials, endpoint: sandbox.endpoint })(config));
    let started = 0;
    const perRequest = async (executions: number) => {
      // Each execution reaches the approval and the next one supersedes it (deploys nobody approved).
      for (; started < executions; started++) {
        await pipelines.send(new StartPipelineExecutionCommand({ name: PIPELINES[started % 2] }));
        sandbox.control.advance(5000);
      }
      sandbox.clearRequests();
      for (let i = 0; i < 20; i++) {
        await service.status();
        await pipelines.send(new ListPipelineExecutionsCommand({ pipelineName: PIPELINES[0], maxResults: 10 }));
      }
      return median(sandbox.requests().map((r) => r.ms));
    };
    console.log('\n7. sandbox: handler time per request (median of 140 requests: a status refresh and a page of history)');
    await perRequest(100); // warms the handlers up, so the first figure is not the JIT's
    const few = await perRequest(100);
    const many = await perRequest(3000);
    line(`   after 100 executions ${few.toFixed(2)} ms, after 3,000 ${many.toFixed(2)} ms`, `${(many / few).toFixed(2)}×`, '≈ 1×', many / few < 1.5);
  } finally {
    await sandbox.stop();
  }
}
