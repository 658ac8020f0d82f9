// ECS: one cluster per environment, its services, their deployments and tasks, and the task definitions.
// The pipeline engine rolls services with startRollout / markNewTasksRunning / completeRollout.
import { AwsError, checkRange, compact, optNumber, optString, optStringList, page, reqString, seconds, type JsonObject, type OperationContext, type ServiceDefinition } from './protocol';
import { repositoryUri } from './ecr';
import { hasShape } from './shapes';
import { sha256Hex } from './world';
import type { ClusterRecord, ContainerSpec, DeploymentRecord, Ids, ServiceRecord, TaskDefinitionRecord, TaskRecord, World } from './world';

const invalidParameter = (message: string): AwsError => new AwsError('InvalidParameterException', message);
const ZONES = ['a', 'b', 'c'];
/** ECS keeps stopped tasks visible for about an hour. */
export const STOPPED_TASK_RETENTION_MS = 60 * 60 * 1000;

const arnPrefix = (world: World): string => `arn:aws:ecs:${world.region}:${world.accountId}`;
export const clusterArn = (world: World, name: string): string => `${arnPrefix(world)}:cluster/${name}`;
export const serviceArn = (world: World, cluster: string, name: string): string => `${arnPrefix(world)}:service/${cluster}/${name}`;

function findCluster(world: World, identifier: string | undefined): ClusterRecord {
  const name = identifier === undefined ? 'default' : identifier.startsWith('arn:') ? identifier.slice(identifier.lastIndexOf('/') + 1) : identifier;
  const cluster = world.clusters[name];
  if (!cluster || (identifier?.startsWith('arn:') && identifier !== cluster.arn)) throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
  return cluster;
}

function findService(cluster: ClusterRecord, identifier: string): ServiceRecord | undefined {
  return cluster.services.find((s) => s.name === identifier || s.arn === identifier);
}

export function registerTaskDefinition(world: World, family: string, containers: readonly ContainerSpec[], tag: string, at: number): TaskDefinitionRecord {
  const revisions = (world.taskDefinitions[family] ??= []);
  const revision = revisions.length + 1;
  const cpu = containers.reduce((s, c) => s + c.cpu, 0);
  const memory = containers.reduce((s, c) => s + c.memory, 0);
  const record: TaskDefinitionRecord = {
    family,
    revision,
    arn: `${arnPrefix(world)}:task-definition/${family}:${revision}`,
    // Pinned by digest (the digest ECR gives that tag), the tag kept for people, as pinning tools write it.
    containers: containers.map((spec) => ({
      spec,
      image: `${repositoryUri(world, spec.repository)}:${tag}${hasShape(world, 'digest-pinned-images') ? `@sha256:${sha256Hex(`${spec.repository}:${tag}`)}` : ''}`,
    })),
    cpu: String(cpu),
    memory: String(memory),
    registeredAt: at,
  };
  revisions.push(record);
  return record;
}

function findTaskDefinition(world: World, identifier: string): TaskDefinitionRecord | undefined {
  const bare = identifier.startsWith('arn:') ? identifier.slice(identifier.indexOf('task-definition/') + 'task-definition/'.length) : identifier;
  const [family, rev] = bare.split(':');
  const revisions = world.taskDefinitions[family];
  if (!revisions || revisions.length === 0) return undefined;
  const found = rev === undefined ? revisions[revisions.length - 1] : revisions.find((r) => String(r.revision) === rev);
  if (found && identifier.startsWith('arn:') && found.arn !== identifier) return undefined;
  return found;
}

function startTask(world: World, cluster: ClusterRecord, service: ServiceRecord, deployment: DeploymentRecord, taskDefinition: TaskDefinitionRecord, at: number, ids: Ids, running: boolean): TaskRecord {
  const id = ids.hex(32);
  const task: TaskRecord = {
    id,
    arn: `${arnPrefix(world)}:task/${cluster.name}/${id}`,
    service: service.name,
    deploymentId: deployment.id,
    taskDefinition: taskDefinition.arn,
    lastStatus: running ? 'RUNNING' : 'PENDING',
    desiredStatus: 'RUNNING',
    createdAt: at,
    startedAt: running ? at : undefined,
    availabilityZone: `${world.region}${ZONES[cluster.tasks.length % ZONES.length]}`,
    containerIds: taskDefinition.containers.map(() => ids.uuid()),
  };
  cluster.tasks.push(task);
  return task;
}

function newDeployment(taskDefinition: string, desiredCount: number, at: number, ids: Ids, completed: boolean): DeploymentRecord {
  const id = `ecs-svc/${ids.digits(19)}`;
  return {
    id,
    status: 'PRIMARY',
    taskDefinition,
    desiredCount,
    rolloutState: completed ? 'COMPLETED' : 'IN_PROGRESS',
    rolloutStateReason: completed ? `ECS deployment ${id} completed.` : `ECS deployment ${id} in progress.`,
    createdAt: at,
    updatedAt: at,
  };
}

function addEvent(service: ServiceRecord, message: string, at: number, ids: Ids): void {
  service.events.unshift({ id: ids.uuid(), createdAt: at, message });
  service.events.length = Math.min(service.events.length, 100);
}

/** A service as it is when the world is created: one completed deployment, its tasks running. */
export function createService(world: World, cluster: ClusterRecord, name: string, containers: readonly ContainerSpec[], desiredCount: number, tag: string, at: number, ids: Ids): ServiceRecord {
  const taskDefinition = registerTaskDefinition(world, name, containers, tag, at);
  const deployment = newDeployment(taskDefinition.arn, desiredCount, at, ids, true);
  const service: ServiceRecord = {
    name,
    arn: serviceArn(world, cluster.name, name),
    containers,
    desiredCount,
    taskDefinition: taskDefinition.arn,
    deployments: [deployment],
    createdAt: at,
    events: [],
  };
  cluster.services.push(service);
  for (let i = 0; i < desiredCount; i++) startTask(world, cluster, service, deployment, taskDefinition, at, ids, true);
  addEvent(service, `(service ${name}) has reached a steady state.`, at, ids);
  return service;
}

/** First step of a rollout: new revision, new PRIMARY deployment IN_PROGRESS, its tasks PENDING next to the old ones. */
export function startRollout(world: World, clusterName: string, serviceName: string, tag: string, at: number, ids: Ids): void {
  const cluster = world.clusters[clusterName];
  const service = cluster && findService(cluster, serviceName);
  if (!cluster || !service) return;
  const taskDefinition = registerTaskDefinition(world, service.name, service.containers, tag, at);
  // A deployment the circuit breaker rolled back is gone once a new one starts.
  service.deployments = service.deployments.filter((d) => d.status !== 'INACTIVE');
  for (const d of service.deployments) {
    d.status = 'ACTIVE';
    d.updatedAt = at;
  }
  const deployment = newDeployment(taskDefinition.arn, service.desiredCount, at, ids, false);
  service.deployments.unshift(deployment);
  service.taskDefinition = taskDefinition.arn;
  for (let i = 0; i < service.desiredCount; i++) {
    const task = startTask(world, cluster, service, deployment, taskDefinition, at, ids, false);
    addEvent(service, `(service ${service.name}) has started 1 tasks: (task ${task.id}).`, at, ids);
  }
}

export function markNewTasksRunning(world: World, clusterName: string, serviceName: string, at: number): void {
  const cluster = world.clusters[clusterName];
  const service = cluster && findService(cluster, serviceName);
  if (!cluster || !service) return;
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  for (const t of cluster.tasks) {
    if (t.deploymentId === primary?.id && t.lastStatus === 'PENDING') {
      t.lastStatus = 'RUNNING';
      t.startedAt = at;
    }
  }
  if (primary) primary.updatedAt = at;
}

/** Last step: the new deployment COMPLETED, the old ones drained and their tasks stopped. */
export function completeRollout(world: World, clusterName: string, serviceName: string, at: number, ids: Ids): void {
  const cluster = world.clusters[clusterName];
  const service = cluster && findService(cluster, serviceName);
  if (!cluster || !service) return;
  markNewTasksRunning(world, clusterName, serviceName, at);
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  if (!primary) return;
  const stopped: string[] = [];
  for (const t of cluster.tasks) {
    if (t.service === service.name && t.deploymentId !== primary.id && t.desiredStatus === 'RUNNING') {
      t.desiredStatus = 'STOPPED';
      t.lastStatus = 'STOPPED';
      t.stoppingAt = at;
      t.stoppedAt = at;
      t.stoppedReason = `Scaling activity initiated by (deployment ${primary.id})`;
      stopped.push(t.id);
    }
  }
  service.deployments = [primary];
  primary.rolloutState = 'COMPLETED';
  primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
  primary.updatedAt = at;
  if (stopped.length > 0) addEvent(service, `(service ${service.name}) has stopped ${stopped.length} running tasks: ${stopped.map((id) => `(task ${id})`).join(' ')}.`, at, ids);
  addEvent(service, `(service ${service.name}) has reached a steady state.`, at, ids);
}

/**
 * A rollout whose new tasks cannot start: each new task stops with its essential container's exit code, and the
 * deployment circuit breaker (enabled with rollback, as Spryker's services are) fails the deployment and rolls back
 * to the previous one, which becomes PRIMARY again; its tasks never stopped. Events worded as ECS words them.
 */
export function failRollout(world: World, clusterName: string, serviceName: string, at: number, ids: Ids): void {
  const cluster = world.clusters[clusterName];
  const service = cluster && findService(cluster, serviceName);
  if (!cluster || !service) return;
  const failed = service.deployments.find((d) => d.status === 'PRIMARY');
  const previous = service.deployments.find((d) => d.status === 'ACTIVE');
  if (!failed || !previous) return;
  const stopped: TaskRecord[] = [];
  for (const t of cluster.tasks) {
    if (t.deploymentId !== failed.id || t.desiredStatus !== 'RUNNING') continue;
    t.startedAt = at;
    t.desiredStatus = 'STOPPED';
    t.lastStatus = 'STOPPED';
    t.stoppingAt = at;
    t.stoppedAt = at;
    t.stopCode = 'EssentialContainerExited';
    t.exitCode = 1;
    t.stoppedReason = 'Essential container in task exited';
    stopped.push(t);
  }
  failed.failedTasks = stopped.length;
  failed.status = 'INACTIVE';
  failed.desiredCount = 0;
  failed.rolloutState = 'FAILED';
  failed.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
  failed.updatedAt = at;
  previous.status = 'PRIMARY';
  previous.rolloutState = 'COMPLETED';
  previous.rolloutStateReason = `ECS deployment ${previous.id} completed.`;
  previous.updatedAt = at;
  service.taskDefinition = previous.taskDefinition;
  if (stopped.length > 0) addEvent(service, `(service ${service.name}) has stopped ${stopped.length} running tasks: ${stopped.map((t) => `(task ${t.id})`).join(' ')}.`, at, ids);
  addEvent(service, `(service ${service.name}) (deployment ${failed.id}) deployment failed: tasks failed to start.`, at, ids);
  addEvent(service, `(service ${service.name}) rolling back to deployment ${previous.id}.`, at, ids);
  addEvent(service, `(service ${service.name}) has reached a steady state.`, at, ids);
}

export function forgetOldStoppedTasks(world: World, now: number): void {
  for (const cluster of Object.values(world.clusters)) {
    const keep = cluster.tasks.filter((t) => t.lastStatus !== 'STOPPED' || (t.stoppedAt ?? 0) > now - STOPPED_TASK_RETENTION_MS);
    if (keep.length !== cluster.tasks.length) cluster.tasks.splice(0, cluster.tasks.length, ...keep);
  }
}

function counts(cluster: ClusterRecord, predicate: (t: TaskRecord) => boolean): { running: number; pending: number } {
  let running = 0;
  let pending = 0;
  for (const t of cluster.tasks) {
    if (!predicate(t)) continue;
    if (t.lastStatus === 'RUNNING') running++;
    else if (t.lastStatus === 'PENDING' || t.lastStatus === 'PROVISIONING') pending++;
  }
  return { running, pending };
}

/** Fargate services run in the private subnets of the environment's VPC (ids are stable per cluster). */
function networkConfiguration(cluster: string): JsonObject {
  const h = sha256Hex(cluster);
  return {
    awsvpcConfiguration: {
      subnets: [`subnet-${h.slice(0, 17)}`, `subnet-${h.slice(17, 34)}`],
      securityGroups: [`sg-${h.slice(34, 51)}`],
      assignPublicIp: 'DISABLED',
    },
  };
}

/** The deployment controller a service has in this world (see the controller shapes in shapes.ts). */
export function deploymentController(world: World, service: string): 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL' {
  if (hasShape(world, 'external-controller') && service.endsWith('-glue')) return 'EXTERNAL';
  if (hasShape(world, 'code-deploy-controller') && service.endsWith('-storeapp')) return 'CODE_DEPLOY';
  return 'ECS';
}

/** A deployment as the task set CodeDeploy or an EXTERNAL controller would have made for it. */
function taskSet(world: World, cluster: ClusterRecord, service: ServiceRecord, d: DeploymentRecord): JsonObject {
  const c = counts(cluster, (t) => t.deploymentId === d.id);
  const id = d.id;
  return {
    id,
    taskSetArn: `${arnPrefix(world)}:task-set/${cluster.name}/${service.name}/${id}`,
    serviceArn: service.arn,
    clusterArn: cluster.arn,
    ...(deploymentController(world, service.name) === 'CODE_DEPLOY' ? { startedBy: 'CodeDeploy', externalId: `d-${d.id.slice(-9)}` } : {}),
    status: d.status === 'PRIMARY' ? 'PRIMARY' : 'ACTIVE',
    taskDefinition: d.taskDefinition,
    computedDesiredCount: d.desiredCount,
    pendingCount: c.pending,
    runningCount: c.running,
    createdAt: seconds(d.createdAt),
    updatedAt: seconds(d.updatedAt),
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    platformFamily: 'Linux',
    networkConfiguration: networkConfiguration(cluster.name),
    loadBalancers: [],
    serviceRegistries: [],
    scale: { value: 100, unit: 'PERCENT' },
    stabilityStatus: d.rolloutState === 'IN_PROGRESS' ? 'STABILIZING' : 'STEADY_STATE',
    stabilityStatusAt: seconds(d.updatedAt),
  };
}

function describeService(world: World, cluster: ClusterRecord, service: ServiceRecord): JsonObject {
  const total = counts(cluster, (t) => t.service === service.name);
  const controller = deploymentController(world, service.name);
  if (controller !== 'ECS') {
    // Task sets instead of deployments; an EXTERNAL service has no task definition of its own.
    const { deployments: _deployments, taskDefinition, deploymentConfiguration: _configuration, ...rest } = describeEcsService(world, cluster, service, total);
    return {
      ...rest,
      ...(controller === 'CODE_DEPLOY' ? { taskDefinition } : {}),
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100 },
      taskSets: service.deployments.filter((d) => d.status !== 'INACTIVE').map((d) => taskSet(world, cluster, service, d)),
      deployments: [],
      deploymentController: { type: controller },
    };
  }
  return describeEcsService(world, cluster, service, total);
}

function describeEcsService(world: World, cluster: ClusterRecord, service: ServiceRecord, total: { running: number; pending: number }): JsonObject {
  return {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: cluster.arn,
    loadBalancers: [],
    serviceRegistries: [],
    status: 'ACTIVE',
    desiredCount: service.desiredCount,
    runningCount: total.running,
    pendingCount: total.pending,
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    platformFamily: 'Linux',
    taskDefinition: service.taskDefinition,
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
    deployments: service.deployments.map((d) => {
      const c = counts(cluster, (t) => t.deploymentId === d.id);
      return {
        id: d.id,
        status: d.status,
        taskDefinition: d.taskDefinition,
        desiredCount: d.desiredCount,
        pendingCount: c.pending,
        runningCount: c.running,
        failedTasks: d.failedTasks ?? 0,
        createdAt: seconds(d.createdAt),
        updatedAt: seconds(d.updatedAt),
        launchType: 'FARGATE',
        platformVersion: '1.4.0',
        platformFamily: 'Linux',
        networkConfiguration: networkConfiguration(cluster.name),
        rolloutState: d.rolloutState,
        rolloutStateReason: d.rolloutStateReason,
      };
    }),
    roleArn: `arn:aws:iam::${world.accountId}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
    events: service.events.map((e) => ({ id: e.id, createdAt: seconds(e.createdAt), message: e.message })),
    createdAt: seconds(service.createdAt),
    placementConstraints: [],
    placementStrategy: [],
    networkConfiguration: networkConfiguration(cluster.name),
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: 'ECS' },
    createdBy: `arn:aws:iam::${world.accountId}:role/SprykerDeploy`,
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    enableExecuteCommand: true,
  };
}

function describeTask(world: World, cluster: ClusterRecord, task: TaskRecord): JsonObject {
  const definition = findTaskDefinition(world, task.taskDefinition);
  const containerStatus = task.lastStatus === 'RUNNING' ? 'RUNNING' : task.lastStatus === 'STOPPED' ? 'STOPPED' : 'PENDING';
  return compact({
    attachments: [],
    attributes: [],
    availabilityZone: task.availabilityZone,
    clusterArn: cluster.arn,
    connectivity: task.lastStatus === 'PENDING' ? undefined : 'CONNECTED',
    connectivityAt: seconds(task.lastStatus === 'PENDING' ? undefined : task.startedAt ?? task.createdAt),
    containers: (definition?.containers ?? []).map((c, i) =>
      compact({
        containerArn: `${arnPrefix(world)}:container/${cluster.name}/${task.id}/${task.containerIds[i] ?? i}`,
        taskArn: task.arn,
        name: c.spec.name,
        image: c.image,
        lastStatus: containerStatus,
        exitCode: task.lastStatus === 'STOPPED' ? (task.exitCode ?? 0) : undefined,
        reason: task.stopCode === 'EssentialContainerExited' ? `Essential container exited with code ${task.exitCode ?? 0}` : undefined,
        networkBindings: [],
        networkInterfaces: [],
        healthStatus: 'UNKNOWN',
        cpu: String(c.spec.cpu),
        memory: String(c.spec.memory),
      }),
    ),
    cpu: definition?.cpu,
    createdAt: seconds(task.createdAt),
    desiredStatus: task.desiredStatus,
    enableExecuteCommand: true,
    group: `service:${task.service}`,
    healthStatus: 'UNKNOWN',
    lastStatus: task.lastStatus,
    launchType: 'FARGATE',
    memory: definition?.memory,
    overrides: { containerOverrides: (definition?.containers ?? []).map((c) => ({ name: c.spec.name })), inferenceAcceleratorOverrides: [] },
    platformVersion: '1.4.0',
    platformFamily: 'Linux',
    pullStartedAt: seconds(task.startedAt === undefined ? undefined : task.createdAt),
    pullStoppedAt: seconds(task.startedAt),
    startedAt: seconds(task.startedAt),
    startedBy: task.deploymentId,
    stopCode: task.lastStatus === 'STOPPED' ? (task.stopCode ?? 'ServiceSchedulerInitiated') : undefined,
    stoppedAt: seconds(task.stoppedAt),
    stoppedReason: task.stoppedReason,
    stoppingAt: seconds(task.stoppingAt),
    tags: [],
    taskArn: task.arn,
    taskDefinitionArn: task.taskDefinition,
    version: task.lastStatus === 'RUNNING' ? 3 : task.lastStatus === 'STOPPED' ? 5 : 1,
    ephemeralStorage: { sizeInGiB: 20 },
  });
}

function listServices(input: JsonObject, ctx: OperationContext): JsonObject {
  const max = optNumber(input, 'maxResults');
  const token = optString(input, 'nextToken');
  const cluster = findCluster(ctx.world, optString(input, 'cluster'));
  checkRange(max, 'maxResults', 1, 100, invalidParameter);
  const launchType = optString(input, 'launchType');
  const all = cluster.services.filter(() => launchType === undefined || launchType === 'FARGATE').map((s) => s.arn);
  const { items, nextToken } = page(all, max ?? 10, token, `services:${cluster.name}:${launchType ?? ''}`, 'InvalidParameterException');
  return compact({ serviceArns: items, nextToken });
}

function describeServices(input: JsonObject, ctx: OperationContext): JsonObject {
  const names = optStringList(input, 'services');
  if (names === undefined) throw invalidParameter('Services cannot be empty.');
  if (names.length === 0) throw invalidParameter('Services cannot be empty.');
  if (names.length > 10) throw invalidParameter('Services cannot be longer than 10.');
  const cluster = findCluster(ctx.world, optString(input, 'cluster'));
  const services: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const n of names) {
    const s = findService(cluster, n);
    if (s) services.push(describeService(ctx.world, cluster, s));
    else failures.push({ arn: n.startsWith('arn:') ? n : serviceArn(ctx.world, cluster.name, n), reason: 'MISSING' });
  }
  return { services, failures };
}

function listTasks(input: JsonObject, ctx: OperationContext): JsonObject {
  const max = optNumber(input, 'maxResults');
  const token = optString(input, 'nextToken');
  const serviceName = optString(input, 'serviceName');
  const family = optString(input, 'family');
  const startedBy = optString(input, 'startedBy');
  const desiredStatus = optString(input, 'desiredStatus') ?? 'RUNNING';
  checkRange(max, 'maxResults', 1, 100, invalidParameter);
  if (!['RUNNING', 'PENDING', 'STOPPED'].includes(desiredStatus)) {
    throw invalidParameter(`1 validation error detected: Value '${desiredStatus}' at 'desiredStatus' failed to satisfy constraint: Member must satisfy enum value set: [STOPPED, PENDING, RUNNING]`);
  }
  if (serviceName !== undefined && family !== undefined) throw invalidParameter('Family and serviceName cannot both be specified.');
  const cluster = findCluster(ctx.world, optString(input, 'cluster'));
  let service: ServiceRecord | undefined;
  if (serviceName !== undefined) {
    service = findService(cluster, serviceName);
    if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
  }
  const tasks = cluster.tasks.filter(
    (t) =>
      // ListTasks with desiredStatus PENDING lists nothing for services: ECS never sets a desired status of PENDING.
      t.desiredStatus === desiredStatus &&
      (!service || t.service === service.name) &&
      (family === undefined || findTaskDefinition(ctx.world, t.taskDefinition)?.family === family) &&
      (startedBy === undefined || t.deploymentId === startedBy),
  );
  const { items, nextToken } = page(
    tasks.map((t) => t.arn),
    max ?? 100,
    token,
    `tasks:${cluster.name}:${service?.name ?? ''}:${family ?? ''}:${desiredStatus}:${startedBy ?? ''}`,
    'InvalidParameterException',
  );
  return compact({ taskArns: items, nextToken });
}

function describeTasks(input: JsonObject, ctx: OperationContext): JsonObject {
  const ids = optStringList(input, 'tasks');
  if (ids === undefined || ids.length === 0) throw invalidParameter('Tasks cannot be empty.');
  if (ids.length > 100) throw invalidParameter('Tasks cannot be longer than 100.');
  const cluster = findCluster(ctx.world, optString(input, 'cluster'));
  const tasks: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const id of ids) {
    const t = cluster.tasks.find((x) => x.arn === id || x.id === id);
    if (t) tasks.push(describeTask(ctx.world, cluster, t));
    else failures.push({ arn: id.startsWith('arn:') ? id : `${arnPrefix(ctx.world)}:task/${cluster.name}/${id}`, reason: 'MISSING' });
  }
  return { tasks, failures };
}

function describeTaskDefinition(input: JsonObject, ctx: OperationContext): JsonObject {
  const identifier = reqString(input, 'taskDefinition');
  const definition = findTaskDefinition(ctx.world, identifier);
  if (!definition) throw new AwsError('ClientException', 'Unable to describe task definition.');
  const w = ctx.world;
  return {
    taskDefinition: {
      taskDefinitionArn: definition.arn,
      containerDefinitions: definition.containers.map((c) =>
        compact({
          name: c.spec.name,
          image: c.image,
          cpu: c.spec.cpu,
          memory: c.spec.memory,
          portMappings: c.spec.port === undefined ? [] : [{ containerPort: c.spec.port, hostPort: c.spec.port, protocol: 'tcp' }],
          essential: true,
          environment: [],
          mountPoints: [],
          volumesFrom: [],
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': `/ecs/${definition.family.replace(/-[^-]+$/, '')}/${definition.family}/docker`,
              'awslogs-region': w.region,
              'awslogs-stream-prefix': c.spec.name,
            },
          },
          systemControls: [],
        }),
      ),
      family: definition.family,
      taskRoleArn: `arn:aws:iam::${w.accountId}:role/${definition.family}-task`,
      executionRoleArn: `arn:aws:iam::${w.accountId}:role/${definition.family}-execution`,
      networkMode: 'awsvpc',
      revision: definition.revision,
      volumes: [],
      status: 'ACTIVE',
      requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.ecr-auth' }, { name: 'ecs.capability.task-eni' }],
      placementConstraints: [],
      compatibilities: ['EC2', 'FARGATE'],
      requiresCompatibilities: ['FARGATE'],
      cpu: definition.cpu,
      memory: definition.memory,
      registeredAt: seconds(definition.registeredAt),
      registeredBy: `arn:aws:sts::${w.accountId}:assumed-role/SprykerDeploy/codepipeline`,
    },
    tags: [],
  };
}

export const ecsService: ServiceDefinition = {
  signingName: 'ecs',
  targetPrefix: 'AmazonEC2ContainerServiceV20141113',
  operations: {
    ListServices: listServices,
    DescribeServices: describeServices,
    ListTasks: listTasks,
    DescribeTasks: describeTasks,
    DescribeTaskDefinition: describeTaskDefinition,
  },
};
