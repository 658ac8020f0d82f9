// One refresh of an environment within the cost budget, in two round trips: round 1 asks, in parallel,
// GetParameters (every version parameter in one call), GetPipelineState, ListTasks (whole cluster) and
// DescribeServices (ListServices first when the list is not cached: 'all' is cached for a TTL); DescribeTasks
// leaves as soon as ListTasks answers, not when the whole first round has. Task definition images are immutable:
// they come from the memory cache or the persistent cache (the CLI's file in the user's cache directory), and
// DescribeTaskDefinition is asked only for revisions never seen (a third round the first time only). They are
// not read off running tasks: a task can run containers its definition does not have (ECS Service Connect
// injects its agent), so that would change what the deployment is said to run.

import type { CoreCaches } from './caches';
import { cachedForever } from './caches';
import { DeployError, toDeployError } from './errors';
import type {
  ContainerImage,
  Drift,
  EnvironmentConfig,
  EnvironmentStatus,
  PartError,
  ServiceDeployment,
  ServiceStatus,
  StatusPart,
  TaskState,
} from './model';
import { executionStatusFromStages, latestExecutionId, pipelineStatus } from './pipeline';
import type { AwsPorts, EcsServiceInfo, EcsTaskInfo, ParameterValue } from './ports';
import { imageTag, isVersion, versionValue } from './version';

/** Errors that make the whole environment unusable: every other call would fail the same way. */
export function isCredentialsError(e: DeployError): boolean {
  return e.kind === 'credentials-expired' || e.kind === 'not-signed-in';
}

export interface VersionParameters {
  readonly desired?: ParameterValue;
  readonly lastDeployed?: ParameterValue;
  readonly lastBuild?: ParameterValue;
}

export function versionParameterNames(config: EnvironmentConfig): string[] {
  return [...new Set([config.parameters.desiredVersion, ...config.parameters.lastDeployedVersion, config.parameters.lastBuildVersion])];
}

/** One GetParameters call for the desired, both deployed-version spellings and the last build version. */
export async function readVersionParameters(config: EnvironmentConfig, ports: AwsPorts): Promise<VersionParameters> {
  const found = await ports.parameters.getParameters(versionParameterNames(config));
  const read = (name: string): ParameterValue | undefined => {
    const p = found.get(name);
    return p ? { ...p, value: versionValue(p.value) } : undefined;
  };
  const lastDeployed = config.parameters.lastDeployedVersion.map(read).find((p) => p !== undefined);
  return {
    desired: read(config.parameters.desiredVersion),
    lastDeployed,
    lastBuild: read(config.parameters.lastBuildVersion),
  };
}

export function serviceNamesKey(config: EnvironmentConfig): string {
  return `services|${config.endpoint ?? ''}|${config.profile ?? ''}|${config.region}|${config.cluster}`;
}

export async function serviceNames(config: EnvironmentConfig, ports: AwsPorts, caches: CoreCaches): Promise<readonly string[]> {
  if (config.services !== 'all') return config.services;
  return caches.lists.get(serviceNamesKey(config), () => ports.containers.listServices(config.cluster));
}

function taskDefinitionKey(config: EnvironmentConfig, arn: string): string {
  return `${config.endpoint ?? ''}|${arn}`;
}

export function taskDefinitionImages(
  config: EnvironmentConfig,
  ports: AwsPorts,
  caches: CoreCaches,
  arn: string,
): Promise<readonly ContainerImage[]> {
  const key = taskDefinitionKey(config, arn);
  return cachedForever(caches.taskDefinitions, key, async () => {
    const stored = await caches.persistent?.get(key);
    if (stored) return stored;
    const images = await ports.containers.describeTaskDefinitionImages(arn);
    caches.persistent?.set(key, images);
    return images;
  });
}

function serviceOfTask(task: EcsTaskInfo): string | undefined {
  return task.group?.startsWith('service:') ? task.group.slice('service:'.length) : undefined;
}

export function taskState(task: EcsTaskInfo): TaskState {
  return {
    id: task.arn.slice(task.arn.lastIndexOf('/') + 1),
    taskDefinition: task.taskDefinition,
    lastStatus: task.lastStatus,
    images: task.containers.map((c) => ({ container: c.name, image: c.image ?? '', ...(imageTag(c.image) !== undefined ? { tag: imageTag(c.image) } : {}) })),
    ...(task.startedAt ? { startedAt: task.startedAt } : {}),
  };
}

/** Version-looking tags of the running tasks (sidecars with other tags are not versions). */
export function runningVersions(tasks: readonly TaskState[]): string[] {
  const versions = new Set<string>();
  for (const t of tasks) {
    if (t.lastStatus !== 'RUNNING') continue;
    for (const i of t.images) if (isVersion(i.tag)) versions.add(i.tag);
  }
  return [...versions].sort();
}

/**
 * `deployingVersion`: the version a running execution deploys. Tasks that already moved to it are rolling, not
 * drifted: the pipeline writes the deployed version only at its end (UpdateDeployedVersion).
 */
export function computeDrift(input: {
  readonly deployedVersion?: string;
  readonly deployingVersion?: string;
  /** The version of the latest execution when it failed or was stopped (desired_version then). */
  readonly failedVersion?: string;
  readonly deployments: readonly { readonly status: string; readonly rolloutState?: string; readonly runningCount: number }[];
  readonly runningVersions: readonly string[];
}): Drift {
  const rolling =
    input.deployments.some((d) => d.status === 'PRIMARY' && d.rolloutState === 'IN_PROGRESS') ||
    input.deployments.filter((d) => d.status !== 'INACTIVE' && d.runningCount > 0).length > 1;
  if (rolling) return 'rolling';
  if (input.runningVersions.length === 0 || input.deployedVersion === undefined) return 'unknown';
  const deploying = input.deployingVersion !== undefined && input.deployingVersion !== input.deployedVersion ? input.deployingVersion : undefined;
  if (deploying !== undefined && input.runningVersions.includes(deploying) && input.runningVersions.every((v) => v === deploying || v === input.deployedVersion)) {
    return 'rolling';
  }
  const failed = input.failedVersion !== undefined && input.failedVersion !== input.deployedVersion ? input.failedVersion : undefined;
  if (failed !== undefined && input.runningVersions.includes(failed) && input.runningVersions.every((v) => v === failed || v === input.deployedVersion)) {
    return 'failed-deploy';
  }
  if (input.runningVersions.length > 1) return 'mixed';
  return input.runningVersions[0] === input.deployedVersion ? 'in-sync' : 'drifted';
}

export function assembleService(
  info: EcsServiceInfo,
  imagesByTaskDefinition: ReadonlyMap<string, readonly ContainerImage[]>,
  tasks: readonly TaskState[],
  deployedVersion: string | undefined,
  deployingVersion?: string,
  failedVersion?: string,
): ServiceStatus {
  const deployments: ServiceDeployment[] = info.deployments.map((d) => ({
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinition,
    ...(d.rolloutState ? { rolloutState: d.rolloutState } : {}),
    ...(d.rolloutStateReason ? { rolloutStateReason: d.rolloutStateReason } : {}),
    ...(d.failedTasks ? { failedTasks: d.failedTasks } : {}),
    desiredCount: d.desiredCount,
    runningCount: d.runningCount,
    pendingCount: d.pendingCount,
    images: imagesByTaskDefinition.get(d.taskDefinition) ?? [],
    ...(d.createdAt ? { createdAt: d.createdAt } : {}),
  }));
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  const failedDeployment = deployments.find((d) => d.rolloutState === 'FAILED');
  const running = runningVersions(tasks);
  return {
    name: info.name,
    status: info.status,
    desiredCount: info.desiredCount,
    runningCount: info.runningCount,
    pendingCount: info.pendingCount,
    ...(primary?.rolloutState ? { rolloutState: primary.rolloutState } : {}),
    deployments,
    images: imagesByTaskDefinition.get(primary?.taskDefinition ?? info.taskDefinition) ?? [],
    tasks,
    runningVersions: running,
    drift: computeDrift({
      deployedVersion,
      ...(deployingVersion !== undefined ? { deployingVersion } : {}),
      ...(failedVersion !== undefined ? { failedVersion } : {}),
      deployments,
      runningVersions: running,
    }),
    ...(failedDeployment ? { failedDeployment } : {}),
    ...(info.events && info.events.length > 0 ? { events: info.events } : {}),
  };
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: DeployError };

async function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    const error = toDeployError(e);
    if (isCredentialsError(error)) throw error;
    return { ok: false, error };
  }
}

function partError(part: StatusPart, e: DeployError): PartError {
  return { part, code: e.kind, message: e.message, ...(e.details.awsCode ? { awsCode: e.details.awsCode } : {}) };
}

export async function fetchStatus(config: EnvironmentConfig, ports: AwsPorts, caches: CoreCaches, now: () => Date = () => new Date()): Promise<EnvironmentStatus> {
  const errors: PartError[] = [];
  const servicesPromise = serviceNames(config, ports, caches).then((names) =>
    names.length === 0 ? [] : ports.containers.describeServices(config.cluster, names),
  );
  // DescribeTasks follows ListTasks at once: it does not wait for the other calls of the first round.
  const tasksPromise = ports.containers.listTasks(config.cluster).then(
    (arns) => (arns.length === 0 ? { ok: true as const, value: [] as readonly EcsTaskInfo[] } : settle(ports.containers.describeTasks(config.cluster, arns))),
  );
  // Task definition images are looked up as soon as DescribeServices names them.
  const imagesPromise = servicesPromise.then((described) => {
    // A service with the EXTERNAL deployment controller has no task definition of its own, only its task sets'.
    const arns = new Set(described.flatMap((s) => [s.taskDefinition, ...s.deployments.map((d) => d.taskDefinition)]).filter((arn) => arn !== ''));
    return Promise.all([...arns].map(async (arn) => [arn, await settle(taskDefinitionImages(config, ports, caches, arn))] as const));
  });
  const statePromise = settle(ports.pipelines.getPipelineState(config.pipelines.normal));
  // Only when the stages cannot tell how the latest execution stands (see executionStatusFromStages): its own
  // status, one GetPipelineExecution, as soon as GetPipelineState answers.
  const executionPromise = statePromise.then((state) => {
    const latestId = state.ok ? latestExecutionId(state.value) : undefined;
    return state.ok && latestId !== undefined && executionStatusFromStages(state.value, latestId) === undefined
      ? settle(ports.pipelines.getPipelineExecution(config.pipelines.normal, latestId))
      : undefined;
  });
  const [params, state, services, taskList, images, execution] = await Promise.all([
    settle(readVersionParameters(config, ports)),
    statePromise,
    settle(servicesPromise),
    settle(tasksPromise),
    settle(imagesPromise),
    executionPromise,
  ]);
  // A failed ListTasks and a failed DescribeTasks are both an error of the services part.
  const tasks: Settled<readonly EcsTaskInfo[]> = taskList.ok ? taskList.value : taskList;

  let desiredVersion: string | undefined;
  let lastDeployed: ParameterValue | undefined;
  if (params.ok) {
    desiredVersion = params.value.desired?.value;
    lastDeployed = params.value.lastDeployed;
    if (!params.value.desired) {
      errors.push({ part: 'parameters', code: 'not-found', message: `Parameter ${config.parameters.desiredVersion} does not exist.` });
    }
    if (!lastDeployed) {
      errors.push({
        part: 'parameters',
        code: 'not-found',
        message: `None of the deployed-version parameters exists (${config.parameters.lastDeployedVersion.join(', ')}).`,
      });
    }
  } else errors.push(partError('parameters', params.error));

  let pipeline: EnvironmentStatus['pipeline'];
  if (state.ok) pipeline = pipelineStatus(state.value, config.stages, isVersion(desiredVersion) ? desiredVersion : undefined, execution?.ok ? execution.value : undefined);
  else errors.push(partError('pipeline', state.error));
  if (execution && !execution.ok) errors.push(partError('pipeline', execution.error));

  let serviceStatuses: ServiceStatus[] = [];
  if (services.ok) {
    if (!tasks.ok) errors.push(partError('services', tasks.error));
    const imagesByTaskDefinition = new Map<string, readonly ContainerImage[]>();
    for (const [arn, result] of images.ok ? images.value : []) {
      if (result.ok) imagesByTaskDefinition.set(arn, result.value);
      else if (!errors.some((e) => e.part === 'services' && e.code === result.error.kind)) errors.push(partError('services', result.error));
    }
    const tasksByService = new Map<string, TaskState[]>();
    for (const task of tasks.ok ? tasks.value : []) {
      const service = serviceOfTask(task);
      if (service === undefined) continue;
      tasksByService.set(service, [...(tasksByService.get(service) ?? []), taskState(task)]);
    }
    const deployedVersion = isVersion(lastDeployed?.value) ? lastDeployed.value : undefined;
    // While an execution runs, desired_version is what it deploys (the build stage read it after the approval).
    const active = pipeline?.status === 'InProgress' || pipeline?.status === 'Stopping';
    const deployingVersion = active && isVersion(desiredVersion) ? desiredVersion : undefined;
    // After a failed or stopped execution, desired_version is the version it was deploying: services it moved are
    // explained by it, not drifted.
    const ended = pipeline?.outcome?.kind === 'failed' || pipeline?.outcome?.kind === 'stopped';
    const failedVersion = ended && isVersion(desiredVersion) ? desiredVersion : undefined;
    serviceStatuses = services.value.map((s) => assembleService(s, imagesByTaskDefinition, tasksByService.get(s.name) ?? [], deployedVersion, deployingVersion, failedVersion));
    if (config.services !== 'all') {
      const missing = config.services.filter((n) => !services.value.some((s) => s.name === n));
      if (missing.length > 0) {
        errors.push({ part: 'services', code: 'not-found', message: `Service(s) not found in cluster ${config.cluster}: ${missing.join(', ')}.` });
      }
    }
  } else {
    errors.push(partError('services', services.error));
  }

  return {
    name: config.name,
    production: config.production,
    region: config.region,
    fetchedAt: now(),
    ...(desiredVersion !== undefined ? { desiredVersion } : {}),
    ...(lastDeployed ? { lastDeployedVersion: lastDeployed.value, lastDeployedParameter: lastDeployed.name } : {}),
    ...(lastDeployed?.lastModified ? { lastDeployedAt: lastDeployed.lastModified } : {}),
    ...(pipeline ? { pipeline } : {}),
    services: serviceStatuses,
    errors,
  };
}
