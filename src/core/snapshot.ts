// The last known status of each environment, kept on disk between windows: a reopened window shows the versions at
// once, marked stale with their age ("as of 3 min ago, refreshing"), before the first AWS read answers, and a first
// read that fails keeps them with its error. Pure: encode, decode and seed.
//
// The file is untrusted input (anyone who can write the user's disk wrote it; an older or newer version of the
// extension may have): anything malformed, of another shape, too big or too old is dropped, never shown. An entry
// belongs to one environment configuration and one ambient AWS profile (its key), so another account, endpoint or
// region never shows another's data. Nothing secret is in it: no credentials, only what the tree shows.

import type { DeployErrorKind } from './errors';
import { couldNotReach, hasPart, STATUS_PARTS } from './lastKnown';
import type {
  ActionState,
  ContainerImage,
  EnvironmentConfig,
  EnvironmentStatus,
  PartError,
  PendingApproval,
  PipelineStatus,
  QueuedExecution,
  ServiceDeployment,
  ServiceEvent,
  ServiceStatus,
  StageState,
  StalePart,
  TaskState,
} from './model';
import type { ExecutionOutcome } from './outcome';

export const SNAPSHOT_FORMAT = 'spryker-deploy/last-known';
export const SNAPSHOT_VERSION = 1;
/** A bigger file is not read at all (a real one is a few tens of KB per environment). */
export const SNAPSHOT_MAX_BYTES = 4_000_000;
/** Environments kept (the most recently saved first): settings that come and go do not grow the file forever. */
export const SNAPSHOT_MAX_ENTRIES = 40;
/** An older entry is not shown: a month-old state says little about what runs now. */
export const SNAPSHOT_MAX_AGE_MS = 30 * 24 * 3600_000;

export interface SnapshotEntry {
  /** snapshotKey() of the environment it was read for. */
  readonly key: string;
  /** When it was saved; its parts' ages come from the status itself (fetchedAt, stale[].asOf). */
  readonly savedAt: Date;
  readonly status: EnvironmentStatus;
}

/**
 * Who an environment's status belongs to: its whole resolved configuration (name, region, endpoint, profile,
 * parameter, pipeline and cluster names) and, when it names no profile, the ambient one (AWS_PROFILE) the default
 * credential chain uses. A change to any of them is another environment for the snapshot.
 */
export function snapshotKey(env: EnvironmentConfig, ambientProfile: string | undefined): string {
  return JSON.stringify({ env, ambientProfile: env.profile === undefined ? (ambientProfile ?? null) : null });
}

/**
 * The entries of both lists, one per key, the most recently saved first, bounded: `entry` saved by this window, or
 * the file as another window left it merged with this window's.
 */
export function mergeEntries(...lists: readonly (readonly SnapshotEntry[])[]): SnapshotEntry[] {
  const newest = new Map<string, SnapshotEntry>();
  for (const e of lists.flat()) {
    const known = newest.get(e.key);
    if (!known || known.savedAt < e.savedAt) newest.set(e.key, e);
  }
  return [...newest.values()].sort((a, b) => b.savedAt.getTime() - a.savedAt.getTime()).slice(0, SNAPSHOT_MAX_ENTRIES);
}

/** The file's text. Dates become ISO strings (Date.toJSON); decodeSnapshot turns the known date fields back. */
export function encodeSnapshot(entries: readonly SnapshotEntry[]): string {
  return JSON.stringify({ format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, entries });
}

/**
 * The entries of a snapshot file's text. An unreadable file (not JSON, another format or version, too big) gives
 * none and says why; one malformed or too old entry is dropped alone, and said too.
 */
export function decodeSnapshot(text: string, now: Date): { readonly entries: readonly SnapshotEntry[]; readonly dropped: readonly string[] } {
  if (text.length > SNAPSHOT_MAX_BYTES) return { entries: [], dropped: [`the file is larger than ${SNAPSHOT_MAX_BYTES} bytes`] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { entries: [], dropped: ['the file is not JSON'] };
  }
  if (!isRecord(raw) || raw.format !== SNAPSHOT_FORMAT || raw.version !== SNAPSHOT_VERSION || !Array.isArray(raw.entries)) {
    return { entries: [], dropped: ['the file is not a last-known snapshot of this version'] };
  }
  const entries: SnapshotEntry[] = [];
  const dropped: string[] = [];
  for (const [i, item] of raw.entries.slice(0, SNAPSHOT_MAX_ENTRIES).entries()) {
    try {
      const entry = decodeEntry(item, `entries[${i}]`);
      const age = now.getTime() - entry.savedAt.getTime();
      if (age > SNAPSHOT_MAX_AGE_MS) dropped.push(`entries[${i}] (${entry.status.name}) is older than 30 days`);
      else if (entry.status.fetchedAt.getTime() > entry.savedAt.getTime() || age < -60_000) dropped.push(`entries[${i}] (${entry.status.name}) is dated in the future`);
      else entries.push(entry);
    } catch (e) {
      dropped.push(e instanceof Malformed ? e.message : `entries[${i}]: ${String(e)}`);
    }
  }
  return { entries, dropped };
}

/**
 * The saved status of `env`, if the snapshot has one for it (same key, same name, production flag and region),
 * ready to show: every part it holds is marked stale as of when it was read, with no error yet (it is being read
 * again; staleWords says "as of 3 min ago, refreshing"). Part errors AWS answered (access denied, not found) say
 * what they said then; "could not reach AWS" was about the earlier window's connection, not this one's: dropped.
 */
export function seedStatus(entries: readonly SnapshotEntry[], env: EnvironmentConfig, key: string): EnvironmentStatus | undefined {
  const entry = entries.find((e) => e.key === key);
  const saved = entry?.status;
  if (!saved || saved.name !== env.name || saved.region !== env.region || saved.production !== env.production) return undefined;
  const stale: StalePart[] = STATUS_PARTS.filter((part) => hasPart(saved, part)).map((part) => ({
    part,
    asOf: saved.stale?.find((s) => s.part === part)?.asOf ?? saved.fetchedAt,
  }));
  const { stale: _old, ...rest } = saved;
  const errors = saved.errors.filter((e) => !couldNotReach(e));
  return stale.length > 0 ? { ...rest, errors, stale } : { ...rest, errors };
}

/** Is (part of) this status still what an earlier window read, not yet read again here (nor failed to be)? */
export function notReadAgainYet(status: EnvironmentStatus): boolean {
  return status.stale?.some((s) => s.error === undefined) ?? false;
}

/** A read that failed as a whole: the parts still shown from an earlier window now say why they were not read again. */
export function markUnreachable(status: EnvironmentStatus, error: { readonly kind: DeployErrorKind; readonly message: string }): EnvironmentStatus {
  if (!status.stale?.some((s) => s.error === undefined)) return status;
  return { ...status, stale: status.stale.map((s) => (s.error ? s : { ...s, error: { part: s.part, code: error.kind, message: error.message } })) };
}

// ---- Decoding: every field checked, unknown fields dropped, sizes bounded. ----

class Malformed extends Error {}

type Decoder<T> = (value: unknown, path: string) => T;

function fail(path: string, what: string): never {
  throw new Malformed(`${path}: ${what}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MAX_STRING = 20_000;

const str: Decoder<string> = (v, p) => (typeof v === 'string' && v.length <= MAX_STRING ? v : fail(p, 'not a string'));
const num: Decoder<number> = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? v : fail(p, 'not a number'));
const date: Decoder<Date> = (v, p) => {
  const d = typeof v === 'string' && v.length <= 40 ? new Date(v) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : fail(p, 'not a date');
};

function oneOf<T extends string>(...values: readonly T[]): Decoder<T> {
  return (v, p) => (values.includes(v as T) ? (v as T) : fail(p, `not one of ${values.join(', ')}`));
}

function opt<T>(decode: Decoder<T>): Decoder<T | undefined> {
  return (v, p) => (v === undefined || v === null ? undefined : decode(v, p));
}

function list<T>(decode: Decoder<T>, max = 500): Decoder<readonly T[]> {
  return (v, p) => {
    if (!Array.isArray(v)) return fail(p, 'not a list');
    if (v.length > max) return fail(p, `more than ${max} items`);
    return v.map((item, i) => decode(item, `${p}[${i}]`));
  };
}

/** Every field of T must be named (the compiler checks it when the model grows); absent optional fields stay absent. */
function shape<T>(fields: { readonly [K in keyof T]-?: Decoder<T[K]> }): Decoder<T> {
  return (v, p) => {
    if (!isRecord(v)) return fail(p, 'not an object');
    const out: Record<string, unknown> = {};
    for (const [name, decode] of Object.entries(fields) as [string, Decoder<unknown>][]) {
      const value = decode(v[name], `${p}.${name}`);
      if (value !== undefined) out[name] = value;
    }
    return out as T;
  };
}

const EXECUTION_STATUSES = ['Cancelled', 'InProgress', 'Stopped', 'Stopping', 'Succeeded', 'Superseded', 'Failed'] as const;
const executionStatus = oneOf(...EXECUTION_STATUSES);
const part = oneOf('parameters', 'pipeline', 'services');
const rolloutState = oneOf('IN_PROGRESS', 'COMPLETED', 'FAILED');

const image = shape<ContainerImage>({ container: str, image: str, tag: opt(str) });

const action = shape<ActionState>({
  name: str,
  status: opt(oneOf('InProgress', 'Abandoned', 'Succeeded', 'Failed')),
  lastStatusChange: opt(date),
  summary: opt(str),
  externalExecutionId: opt(str),
  externalExecutionUrl: opt(str),
  token: opt(str),
  updatedBy: opt(str),
  errorDetails: opt(shape<NonNullable<ActionState['errorDetails']>>({ code: opt(str), message: opt(str) })),
});

const stage = shape<StageState>({
  name: str,
  status: opt(oneOf(...EXECUTION_STATUSES, 'Skipped')),
  executionId: opt(str),
  inbound: opt(list(str)),
  actions: list(action),
});

const approval = shape<PendingApproval>({
  pipelineName: str,
  stageName: str,
  actionName: str,
  token: str,
  executionId: str,
  version: opt(str),
  requestedAt: opt(date),
});

const outcome: Decoder<ExecutionOutcome> = (v, p) => {
  if (!isRecord(v)) return fail(p, 'not an object');
  switch (v.kind) {
    case 'none':
    case 'awaiting-approval':
      return { kind: v.kind };
    case 'running':
      return shape<Extract<ExecutionOutcome, { kind: 'running' }>>({ kind: oneOf('running'), stage: opt(str) })(v, p);
    case 'deployed':
      return shape<Extract<ExecutionOutcome, { kind: 'deployed' }>>({ kind: oneOf('deployed'), approvedBy: opt(list(str)) })(v, p);
    case 'rejected':
      return shape<Extract<ExecutionOutcome, { kind: 'rejected' }>>({ kind: oneOf('rejected'), by: opt(str), comment: opt(str), at: opt(date) })(v, p);
    case 'failed':
      return shape<Extract<ExecutionOutcome, { kind: 'failed' }>>({
        kind: oneOf('failed'),
        stage: str,
        action: opt(str),
        code: opt(str),
        message: opt(str),
        at: opt(date),
        buildId: opt(str),
      })(v, p);
    case 'expired':
      return shape<Extract<ExecutionOutcome, { kind: 'expired' }>>({ kind: oneOf('expired'), stage: str, action: opt(str), message: opt(str), at: opt(date) })(v, p);
    case 'stopped':
      return shape<Extract<ExecutionOutcome, { kind: 'stopped' }>>({ kind: oneOf('stopped'), stage: opt(str), reason: opt(str) })(v, p);
    case 'superseded':
      return shape<Extract<ExecutionOutcome, { kind: 'superseded' }>>({ kind: oneOf('superseded'), by: opt(str), startedBy: opt(str) })(v, p);
    default:
      return fail(`${p}.kind`, 'not an outcome');
  }
};

const pipeline = shape<PipelineStatus>({
  name: str,
  status: opt(executionStatus),
  executionId: opt(str),
  stages: list(stage, 100),
  pendingApproval: opt(approval),
  pendingApprovals: opt(list(approval, 100)),
  currentStage: opt(str),
  outcome: opt(outcome),
  queued: opt(list(shape<QueuedExecution>({ executionId: str, stage: str }), 100)),
});

const deployment = shape<ServiceDeployment>({
  id: str,
  status: str,
  taskDefinition: str,
  rolloutState: opt(rolloutState),
  rolloutStateReason: opt(str),
  failedTasks: opt(num),
  desiredCount: num,
  runningCount: num,
  pendingCount: num,
  images: list(image),
  createdAt: opt(date),
});

const task = shape<TaskState>({ id: str, taskDefinition: str, lastStatus: str, images: list(image), startedAt: opt(date) });

const service = shape<ServiceStatus>({
  name: str,
  status: str,
  desiredCount: num,
  runningCount: num,
  pendingCount: num,
  rolloutState: opt(rolloutState),
  deployments: list(deployment, 100),
  images: list(image),
  tasks: list(task, 2000),
  runningVersions: list(str),
  drift: oneOf('in-sync', 'rolling', 'failed-deploy', 'drifted', 'mixed', 'unknown'),
  failedDeployment: opt(deployment),
  events: opt(list(shape<ServiceEvent>({ at: opt(date), message: str }), 100)),
});

/** Every kind, so the compiler says when one is added (core/errors). */
const ERROR_KINDS: Record<DeployErrorKind, true> = {
  'invalid-input': true,
  'invalid-settings': true,
  'not-signed-in': true,
  'credentials-expired': true,
  'access-denied': true,
  throttled: true,
  'not-found': true,
  'stale-approval': true,
  'approval-already-decided': true,
  'no-pending-approval': true,
  'execution-active': true,
  'missing-images': true,
  'promotion-refused': true,
  'not-retryable': true,
  'start-failed': true,
  'concurrent-deploy': true,
  network: true,
  cancelled: true,
  aws: true,
  unknown: true,
};
const errorKind: Decoder<DeployErrorKind> = (v, p) => (typeof v === 'string' && Object.hasOwn(ERROR_KINDS, v) ? (v as DeployErrorKind) : fail(p, 'not an error kind'));

const partError = shape<PartError>({ part, code: errorKind, message: str, awsCode: opt(str) });

const status = shape<EnvironmentStatus>({
  name: str,
  production: (v, p) => (typeof v === 'boolean' ? v : fail(p, 'not a boolean')),
  region: str,
  fetchedAt: date,
  desiredVersion: opt(str),
  lastDeployedVersion: opt(str),
  lastDeployedParameter: opt(str),
  lastDeployedAt: opt(date),
  pipeline: opt(pipeline),
  services: list(service, 1000),
  errors: list(partError, 10),
  stale: opt(list(shape<StalePart>({ part, asOf: date, error: opt(partError) }), 3)),
});

const decodeEntry = shape<SnapshotEntry>({ key: str, savedAt: date, status });
