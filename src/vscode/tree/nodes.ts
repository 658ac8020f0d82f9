// The Environments tree's elements are domain objects tagged with their kind; this module decides the tree's
// shape from a polled status. Pure: no vscode (the mapper turns nodes into TreeItems).

import { failedDeployLeftovers, troubledRollout, type FailedDeployLeftovers } from '../../core/afterFailure';
import type { DeployError } from '../../core/errors';
import { stalePart } from '../../core/lastKnown';
import { approvalEnding, type ApprovalEnding } from '../../core/outcome';
import type { CommitInfo } from '../../core/git';
import type { HistoryEntry } from '../../core/history';
import type { MaintenanceState } from '../../core/maintenance';
import { stageInExecution } from '../../core/pipeline';
import type {
  ActionState,
  ContainerImage,
  EnvironmentConfig,
  EnvironmentStatus,
  PartError,
  PendingApproval,
  StalePart,
  PipelineStatus,
  ServiceEvent,
  ServiceStatus,
  StageState,
  StoppedTask,
  TaskState,
} from '../../core/model';

export type CommitLookup = (sha: string | undefined) => CommitInfo | undefined;

export interface EnvironmentNode {
  readonly kind: 'environment';
  readonly env: EnvironmentConfig;
  readonly status?: EnvironmentStatus;
  readonly error?: DeployError;
  readonly refreshing: boolean;
}
/** A row whose value may be kept from an earlier read. */
export interface KeptValue {
  /** The value is kept from an earlier read: as of when, and why it is not newer (no error: being read again). */
  readonly stale?: StalePart;
  /** Every part is kept alike: their age and reason are said once, on the environment's `kept` row. */
  readonly staleSaidAbove?: boolean;
}
export interface VersionNode extends KeptValue {
  readonly kind: 'version';
  readonly env: EnvironmentConfig;
  readonly role: 'desired' | 'deployed';
  readonly version?: string;
  readonly parameter: string;
  readonly commit?: CommitInfo;
  readonly error?: PartError;
}
export interface PipelineNode extends KeptValue {
  readonly kind: 'pipeline';
  readonly env: EnvironmentConfig;
  readonly name: string;
  readonly pipeline?: PipelineStatus;
  /** desired_version now: what queued executions deploy when they reach the build. */
  readonly desiredVersion?: string;
  readonly error?: PartError;
}
export interface ApprovalNode {
  readonly kind: 'approval';
  readonly env: EnvironmentConfig;
  readonly approval: PendingApproval;
  readonly commit?: CommitInfo;
}
export interface StageNode {
  readonly kind: 'stage';
  readonly env: EnvironmentConfig;
  readonly pipelineName: string;
  readonly stage: StageState;
  /** The stage's state is an earlier execution's: it has not started in the execution shown. */
  readonly notStarted?: { readonly shownExecutionId: string };
  /** "Failed" that is an approval rejected or expired in the execution shown. */
  readonly ended?: ApprovalEnding;
}
export interface ActionNode {
  readonly kind: 'action';
  readonly env: EnvironmentConfig;
  readonly pipelineName: string;
  readonly stageName: string;
  readonly action: ActionState;
  /** The action's state is an earlier execution's (its stage has not started in the execution shown). */
  readonly notStarted?: { readonly shownExecutionId: string };
  /** "Failed" that is this approval rejected or expired. */
  readonly ended?: ApprovalEnding;
}
export interface ServicesNode extends KeptValue {
  readonly kind: 'services';
  readonly env: EnvironmentConfig;
  readonly services: readonly ServiceStatus[];
  readonly deployedVersion?: string;
  readonly error?: PartError;
}
export interface ServiceNode {
  readonly kind: 'service';
  readonly env: EnvironmentConfig;
  readonly service: ServiceStatus;
  readonly deployedVersion?: string;
}
export interface ContainerNode {
  readonly kind: 'container';
  readonly env: EnvironmentConfig;
  readonly serviceName: string;
  readonly image: ContainerImage;
  readonly commit?: CommitInfo;
}
export interface TaskNode {
  readonly kind: 'task';
  readonly env: EnvironmentConfig;
  readonly serviceName: string;
  readonly task: TaskState;
}

/** After a deploy that failed part-way: what runs now, how the parameters disagree with it, what to do. */
export interface RunsNowNode {
  readonly kind: 'runs-now';
  readonly env: EnvironmentConfig;
  readonly left: FailedDeployLeftovers;
  readonly deployedParameter: string;
}
/** A failing or rolled-back service's latest ECS events (newest first). */
export interface ServiceEventsNode {
  readonly kind: 'service-events';
  readonly env: EnvironmentConfig;
  readonly serviceName: string;
  readonly events: readonly ServiceEvent[];
}
export interface ServiceEventNode {
  readonly kind: 'service-event';
  readonly env: EnvironmentConfig;
  readonly serviceName: string;
  readonly event: ServiceEvent;
  readonly index: number;
}
/** The stopped tasks of a failing rollout: read from ECS when shown, never with the poll. */
export interface StoppedTasksNode {
  readonly kind: 'stopped-tasks';
  readonly env: EnvironmentConfig;
  readonly serviceName: string;
  /** The rollout whose tasks stopped (its task definition picks them; its id keys what was read). */
  readonly rollout: { readonly id: string; readonly taskDefinition: string; readonly finished: boolean };
}
export interface StoppedTaskNode {
  readonly kind: 'stopped-task';
  readonly env: EnvironmentConfig;
  readonly serviceName: string;
  readonly task: StoppedTask;
}

/**
 * Maintenance mode, read from the Maintenance_Enable_/_Disable_ pipelines (undefined: not read yet); `stale`: read
 * before the pipelines stopped answering (an outage), shown as then.
 */
export interface MaintenanceNode extends KeptValue {
  readonly kind: 'maintenance';
  readonly env: EnvironmentConfig;
  readonly state?: MaintenanceState;
}
/** The environment's recent executions: read from AWS when expanded, not with every poll. */
export interface HistoryNode {
  readonly kind: 'history';
  readonly env: EnvironmentConfig;
}
export interface HistoryEntryNode {
  readonly kind: 'history-entry';
  readonly env: EnvironmentConfig;
  readonly entry: HistoryEntry;
  readonly commit?: CommitInfo;
}
/** A line that explains an empty or failed list (the history could not be read, or the pipeline never ran). */
export interface NoteNode {
  readonly kind: 'note';
  readonly env: EnvironmentConfig;
  readonly parent: string;
  readonly text: string;
  readonly warning: boolean;
}

/**
 * How old a whole environment's rows are and why, when every part is kept from one read (a reopened window, an
 * outage): said on a row of its own, where the environment's row would cut it off at the sidebar's width.
 */
export interface KeptNode {
  readonly kind: 'kept';
  readonly env: EnvironmentConfig;
  readonly stale: StalePart;
}

export type EnvTreeNode =
  | KeptNode
  | RunsNowNode
  | ServiceEventsNode
  | ServiceEventNode
  | StoppedTasksNode
  | StoppedTaskNode
  | MaintenanceNode
  | HistoryNode
  | HistoryEntryNode
  | NoteNode
  | EnvironmentNode
  | VersionNode
  | PipelineNode
  | ApprovalNode
  | StageNode
  | ActionNode
  | ServicesNode
  | ServiceNode
  | ContainerNode
  | TaskNode;

/** Commit hashes the tree wants subjects for (resolved through git before the children are built). */
export function versionsShown(status: EnvironmentStatus | undefined): string[] {
  if (!status) return [];
  const out = new Set<string>();
  if (status.desiredVersion) out.add(status.desiredVersion);
  if (status.lastDeployedVersion) out.add(status.lastDeployedVersion);
  if (status.pipeline?.pendingApproval?.version) out.add(status.pipeline.pendingApproval.version);
  for (const s of status.services) for (const i of s.images) if (i.tag) out.add(i.tag);
  return [...out];
}

/** What the tree reads on its own, beside the polled status (maintenance mode). */
export interface EnvironmentExtras {
  readonly maintenance?: MaintenanceState;
  /** When `maintenance` was read (it is read once a minute while settled, not with every poll). */
  readonly maintenanceReadAt?: Date;
}

/**
 * The Maintenance row while the pipelines cannot be read (an outage): its settled state is read again only once a
 * minute, so until then it is the value read before, marked like the other kept rows. A state that is itself
 * `unknown` already says why.
 */
function maintenanceKept(pipeline: StalePart | undefined, extras: EnvironmentExtras, saidAbove: boolean): Pick<MaintenanceNode, 'stale' | 'staleSaidAbove'> {
  if (!pipeline?.error || !extras.maintenance || !extras.maintenanceReadAt || extras.maintenance.kind === 'unknown') return {};
  return { stale: { part: 'pipeline', asOf: extras.maintenanceReadAt, error: pipeline.error }, ...(saidAbove ? { staleSaidAbove: true } : {}) };
}

export function childrenOf(node: EnvTreeNode, commitOf: CommitLookup, extras: EnvironmentExtras = {}): EnvTreeNode[] {
  const env = node.env;
  switch (node.kind) {
    case 'environment': {
      const status = node.status;
      if (!status) return [];
      const part = (p: PartError['part']) => status.errors.find((e) => e.part === p);
      const paramError = part('parameters');
      const deployedParameter = status.lastDeployedParameter ?? env.parameters.lastDeployedVersion[0];
      // A whole environment kept from one read (a reopened window, an outage) says its age and why once, on a row of
      // its own; a part kept alone (only ECS failed to answer) says it on its own row.
      const kept = { parameters: stalePart(status, 'parameters'), pipeline: stalePart(status, 'pipeline'), services: stalePart(status, 'services') };
      const parts = [kept.parameters, kept.pipeline, kept.services];
      const saidAbove = parts.every((k) => k !== undefined && k.asOf.getTime() === parts[0]?.asOf.getTime() && k.error?.code === parts[0]?.error?.code);
      const stale = (p: keyof typeof kept) => (kept[p] ? { stale: kept[p], ...(saidAbove ? { staleSaidAbove: true } : {}) } : {});
      const left = failedDeployLeftovers(status);
      return [
        ...(saidAbove && parts[0] ? [{ kind: 'kept' as const, env, stale: parts[0] }] : []),
        ...(left ? [{ kind: 'runs-now' as const, env, left, deployedParameter }] : []),
        { ...version(env, 'desired', status.desiredVersion, env.parameters.desiredVersion, commitOf, paramError), ...stale('parameters') },
        { ...version(env, 'deployed', status.lastDeployedVersion, deployedParameter, commitOf, paramError), ...stale('parameters') },
        {
          kind: 'pipeline',
          env,
          name: env.pipelines.normal,
          ...(status.pipeline ? { pipeline: status.pipeline } : {}),
          ...(status.desiredVersion !== undefined ? { desiredVersion: status.desiredVersion } : {}),
          ...(part('pipeline') ? { error: part('pipeline') } : {}),
          ...stale('pipeline'),
        },
        {
          kind: 'services',
          env,
          services: status.services,
          ...(status.lastDeployedVersion ? { deployedVersion: status.lastDeployedVersion } : {}),
          ...(part('services') ? { error: part('services') } : {}),
          ...stale('services'),
        },
        { kind: 'maintenance', env, ...(extras.maintenance ? { state: extras.maintenance } : {}), ...maintenanceKept(kept.pipeline, extras, saidAbove) },
        { kind: 'history', env },
      ];
    }
    case 'pipeline': {
      const p = node.pipeline;
      if (!p) return [];
      const approval: EnvTreeNode[] = p.pendingApproval
        ? [{ kind: 'approval', env, approval: p.pendingApproval, ...withCommit(commitOf(p.pendingApproval.version)) }]
        : [];
      // A stage showing a queued execution (QUEUED mode) is one the shown execution has passed, not one it has yet to start.
      const queued = new Set((p.queued ?? []).map((q) => q.executionId));
      const notStarted = (stage: StageState) =>
        p.executionId !== undefined && !stageInExecution(stage, p.executionId) && !(stage.executionId !== undefined && queued.has(stage.executionId))
          ? { notStarted: { shownExecutionId: p.executionId } }
          : {};
      return [
        ...approval,
        ...p.stages.map((stage): EnvTreeNode => {
          const earlier = notStarted(stage);
          // Only a stage of the execution shown ended in it (rejected or expired).
          const ended = earlier.notStarted ? undefined : approvalEnding(stage.name, stage.status, p.outcome, env.stages.approval);
          return { kind: 'stage', env, pipelineName: p.name, stage, ...earlier, ...(ended ? { ended } : {}) };
        }),
      ];
    }
    case 'stage':
      return node.stage.actions.map((action) => ({
        kind: 'action',
        env,
        pipelineName: node.pipelineName,
        stageName: node.stage.name,
        action,
        ...(node.notStarted ? { notStarted: node.notStarted } : {}),
        ...(node.ended && action.status === 'Failed' ? { ended: node.ended } : {}),
      }));
    case 'services':
      return node.services.map((service) => ({ kind: 'service', env, service, ...(node.deployedVersion ? { deployedVersion: node.deployedVersion } : {}) }));
    case 'service': {
      const s = node.service;
      const rollout = troubledRollout(s);
      const trouble: EnvTreeNode[] = rollout
        ? [
            { kind: 'stopped-tasks', env, serviceName: s.name, rollout: { id: rollout.id, taskDefinition: rollout.taskDefinition, finished: rollout.rolloutState !== 'IN_PROGRESS' } },
            ...(s.events?.length ? [{ kind: 'service-events' as const, env, serviceName: s.name, events: s.events }] : []),
          ]
        : [];
      return [
        ...trouble,
        ...s.images.map((image): EnvTreeNode => ({ kind: 'container', env, serviceName: s.name, image, ...withCommit(commitOf(image.tag)) })),
        ...s.tasks.map((task): EnvTreeNode => ({ kind: 'task', env, serviceName: s.name, task })),
      ];
    }
    case 'service-events':
      return node.events.map((event, index) => ({ kind: 'service-event', env, serviceName: node.serviceName, event, index }));
    default:
      return [];
  }
}

function version(
  env: EnvironmentConfig,
  role: 'desired' | 'deployed',
  value: string | undefined,
  parameter: string,
  commitOf: CommitLookup,
  error: PartError | undefined,
): VersionNode {
  return {
    kind: 'version',
    env,
    role,
    parameter,
    ...(value !== undefined ? { version: value } : {}),
    ...withCommit(commitOf(value)),
    ...(error && value === undefined ? { error } : {}),
  };
}

function withCommit(commit: CommitInfo | undefined): { commit?: CommitInfo } {
  return commit ? { commit } : {};
}

export function hasChildren(node: EnvTreeNode): boolean {
  switch (node.kind) {
    case 'environment':
      return node.status !== undefined;
    case 'pipeline':
      return (node.pipeline?.stages.length ?? 0) > 0 || node.pipeline?.pendingApproval !== undefined;
    case 'stage':
      return node.stage.actions.length > 0;
    case 'services':
      return node.services.length > 0;
    case 'service':
      return node.service.images.length + node.service.tasks.length > 0 || troubledRollout(node.service) !== undefined;
    case 'service-events':
      return node.events.length > 0;
    case 'stopped-tasks':
      return true;
    case 'history':
      return true;
    default:
      return false;
  }
}

/** A stable id per node: expansion and selection survive refreshes. */
export function nodeId(node: EnvTreeNode): string {
  const root = `env:${node.env.name}`;
  switch (node.kind) {
    case 'environment':
      return root;
    case 'version':
      return `${root}/version:${node.role}`;
    case 'pipeline':
      return `${root}/pipeline`;
    case 'approval':
      return `${root}/pipeline/approval`;
    case 'stage':
      return `${root}/pipeline/stage:${node.stage.name}`;
    case 'action':
      return `${root}/pipeline/stage:${node.stageName}/action:${node.action.name}`;
    case 'services':
      return `${root}/services`;
    case 'service':
      return `${root}/services/${node.service.name}`;
    case 'container':
      return `${root}/services/${node.serviceName}/container:${node.image.container}`;
    case 'task':
      return `${root}/services/${node.serviceName}/task:${node.task.id}`;
    case 'runs-now':
      return `${root}/runs-now`;
    case 'kept':
      return `${root}/kept`;
    case 'service-events':
      return `${root}/services/${node.serviceName}/events`;
    case 'service-event':
      return `${root}/services/${node.serviceName}/events/${node.index}`;
    case 'stopped-tasks':
      return `${root}/services/${node.serviceName}/stopped`;
    case 'stopped-task':
      return `${root}/services/${node.serviceName}/stopped/${node.task.id}`;
    case 'maintenance':
      return `${root}/maintenance`;
    case 'history':
      return `${root}/history`;
    case 'history-entry':
      return `${root}/history/${node.entry.executionId}`;
    case 'note':
      return `${root}/${node.parent}/note`;
  }
}
