import type { TaskSet } from '@aws-sdk/client-ecs';
import type { ContainerImage, RolloutState, StoppedTask } from '../core/model';
import type { ContainerPort, EcsDeploymentInfo, EcsServiceInfo, EcsTaskInfo } from '../core/ports';
import { imageTag } from '../core/version';
import { allPages, type Caller } from './call';
import type { EcsOperations, OperationClient } from './operations';

/**
 * A task set read as a deployment: PRIMARY is the one taking traffic, ACTIVE/DRAINING the others; a set still
 * stabilizing is a rollout in progress.
 */
function taskSetAsDeployment(t: TaskSet): EcsDeploymentInfo {
  return {
    id: t.id ?? '',
    status: t.status ?? '',
    taskDefinition: t.taskDefinition ?? '',
    ...(t.stabilityStatus ? { rolloutState: t.stabilityStatus === 'STABILIZING' ? 'IN_PROGRESS' : 'COMPLETED' } : {}),
    desiredCount: t.computedDesiredCount ?? 0,
    runningCount: t.runningCount ?? 0,
    pendingCount: t.pendingCount ?? 0,
    ...(t.createdAt ? { createdAt: t.createdAt } : {}),
  };
}

const SERVICE_EVENTS_KEPT = 8;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** ECS. Batches are split at AWS's limits and sent in parallel (one round trip). */
export class ContainerClient implements ContainerPort {
  constructor(
    private readonly client: OperationClient<EcsOperations>,
    private readonly call: Caller,
  ) {}

  async listServices(cluster: string): Promise<readonly string[]> {
    const names = await allPages(async (token) => {
      const out = await this.call('ListServices', () =>
        this.client.send('ListServices', { cluster, maxResults: 100, ...(token ? { nextToken: token } : {}) }),
      );
      return { items: (out.serviceArns ?? []).map((arn) => arn.slice(arn.lastIndexOf('/') + 1)), next: out.nextToken };
    });
    return names.sort();
  }

  async describeServices(cluster: string, services: readonly string[]): Promise<readonly EcsServiceInfo[]> {
    const outs = await Promise.all(
      chunks(services, 10).map((batch) => this.call('DescribeServices', () => this.client.send('DescribeServices', { cluster, services: batch }))),
    );
    return outs.flatMap((out) =>
      (out.services ?? []).map((s) => ({
        name: s.serviceName ?? '',
        arn: s.serviceArn ?? '',
        status: s.status ?? 'UNKNOWN',
        desiredCount: s.desiredCount ?? 0,
        runningCount: s.runningCount ?? 0,
        pendingCount: s.pendingCount ?? 0,
        taskDefinition: s.taskDefinition ?? '',
        // Services deployed by CodeDeploy (blue/green) or an EXTERNAL controller report task sets, not deployments.
        deployments: (s.deployments?.length ? [] : (s.taskSets ?? []).map(taskSetAsDeployment)).concat((s.deployments ?? []).map((d) => ({
          id: d.id ?? '',
          status: d.status ?? '',
          taskDefinition: d.taskDefinition ?? '',
          ...(d.rolloutState ? { rolloutState: d.rolloutState as RolloutState } : {}),
          ...(d.rolloutStateReason ? { rolloutStateReason: d.rolloutStateReason } : {}),
          ...(d.failedTasks ? { failedTasks: d.failedTasks } : {}),
          desiredCount: d.desiredCount ?? 0,
          runningCount: d.runningCount ?? 0,
          pendingCount: d.pendingCount ?? 0,
          ...(d.createdAt ? { createdAt: d.createdAt } : {}),
        }))),
        // ECS keeps up to 100 events; the newest few tell the last rollout's story.
        events: (s.events ?? []).slice(0, SERVICE_EVENTS_KEPT).map((e) => ({ message: e.message ?? '', ...(e.createdAt ? { at: e.createdAt } : {}) })),
      })),
    );
  }

  async listTasks(cluster: string): Promise<readonly string[]> {
    return allPages(async (token) => {
      const out = await this.call('ListTasks', () =>
        this.client.send('ListTasks', { cluster, desiredStatus: 'RUNNING', maxResults: 100, ...(token ? { nextToken: token } : {}) }),
      );
      return { items: out.taskArns ?? [], next: out.nextToken };
    });
  }

  async describeTasks(cluster: string, taskArns: readonly string[]): Promise<readonly EcsTaskInfo[]> {
    const outs = await Promise.all(
      chunks(taskArns, 100).map((batch) => this.call('DescribeTasks', () => this.client.send('DescribeTasks', { cluster, tasks: batch }))),
    );
    return outs.flatMap((out) =>
      (out.tasks ?? []).map((t) => ({
        arn: t.taskArn ?? '',
        ...(t.group ? { group: t.group } : {}),
        taskDefinition: t.taskDefinitionArn ?? '',
        lastStatus: t.lastStatus ?? 'UNKNOWN',
        ...(t.desiredStatus ? { desiredStatus: t.desiredStatus } : {}),
        containers: (t.containers ?? []).map((c) => ({ name: c.name ?? '', ...(c.image ? { image: c.image } : {}) })),
        ...(t.startedAt ? { startedAt: t.startedAt } : {}),
      })),
    );
  }

  async listStoppedTasks(cluster: string, service: string): Promise<readonly StoppedTask[]> {
    const listed = await this.call('ListTasks', () => this.client.send('ListTasks', { cluster, serviceName: service, desiredStatus: 'STOPPED', maxResults: 100 }));
    const arns = listed.taskArns ?? [];
    if (arns.length === 0) return [];
    const out = await this.call('DescribeTasks', () => this.client.send('DescribeTasks', { cluster, tasks: arns }));
    return (out.tasks ?? [])
      .map((t) => ({
        id: (t.taskArn ?? '').slice((t.taskArn ?? '').lastIndexOf('/') + 1),
        service,
        taskDefinition: t.taskDefinitionArn ?? '',
        ...(t.stoppedAt ? { stoppedAt: t.stoppedAt } : {}),
        ...(t.stopCode ? { stopCode: t.stopCode } : {}),
        ...(t.stoppedReason ? { stoppedReason: t.stoppedReason } : {}),
        containers: (t.containers ?? []).map((c) => ({
          name: c.name ?? '',
          ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
          ...(c.reason ? { reason: c.reason } : {}),
          ...(c.image ? { image: c.image } : {}),
        })),
      }))
      .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));
  }

  async describeTaskDefinitionImages(taskDefinitionArn: string): Promise<readonly ContainerImage[]> {
    const out = await this.call('DescribeTaskDefinition', () =>
      this.client.send('DescribeTaskDefinition', { taskDefinition: taskDefinitionArn }),
    );
    return (out.taskDefinition?.containerDefinitions ?? []).map((c) => {
      const tag = imageTag(c.image);
      return { container: c.name ?? '', image: c.image ?? '', ...(tag !== undefined ? { tag } : {}) };
    });
  }
}
