// Read-only views of the world for tests and the control API's /state.
import type { SandboxRuntime } from './runtime';
import { parameterValue } from './ssm';
import type { EnvironmentSummary, SandboxInspector } from './types';

export function createInspector(runtime: SandboxRuntime): SandboxInspector {
  const pendingApproval: SandboxInspector['pendingApproval'] = (pipelineName) => {
    runtime.sync();
    for (const e of runtime.world.executions[pipelineName] ?? []) {
      if (e.status !== 'InProgress' || e.phase !== 'approval') continue;
      const run = e.actions.find((a) => a.token && a.status === 'InProgress');
      if (run?.token) return { executionId: e.id, stageName: run.stageName, actionName: run.actionName, token: run.token };
    }
    return undefined;
  };

  const summary = (): EnvironmentSummary[] => {
    runtime.sync();
    const world = runtime.world;
    return world.environments.map((env) => {
      const pipelines: EnvironmentSummary['pipelines'] = {};
      for (const name of Object.values(env.pipelines)) {
        const latest = world.executions[name]?.at(-1);
        const pending = pendingApproval(name);
        pipelines[name] = {
          status: latest?.status,
          executionId: latest?.id,
          pendingApproval: pending ? { stageName: pending.stageName, actionName: pending.actionName, token: pending.token } : undefined,
        };
      }
      const cluster = world.clusters[env.cluster];
      const services: EnvironmentSummary['services'] = {};
      for (const s of cluster?.services ?? []) {
        const td = Object.values(world.taskDefinitions).flat().find((t) => t.arn === s.taskDefinition);
        services[s.name] = {
          images: td?.containers.map((c) => c.image) ?? [],
          deployments: s.deployments.map((d) => ({ status: d.status, rolloutState: d.rolloutState, taskDefinition: d.taskDefinition })),
          runningTasks: cluster.tasks.filter((t) => t.service === s.name && t.lastStatus === 'RUNNING').length,
        };
      }
      return {
        name: env.name,
        desiredVersion: parameterValue(world, env.parameters.desiredVersion),
        lastDeployedVersion: parameterValue(world, env.parameters.lastDeployedVersion),
        maintenance: world.maintenance?.[env.name] ?? false,
        pipelines,
        services,
      };
    });
  };

  return {
    world: () => runtime.world,
    parameter: (name) => parameterValue(runtime.world, name),
    commits: () => runtime.world.commits,
    pendingApproval,
    summary,
  };
}
