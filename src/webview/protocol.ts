// The one message protocol between the approval panel's host (src/vscode/approval) and its webview
// (src/webview/main.ts). Both sides import these types; the host validates everything the webview sends with
// parseWebviewMessage, because a webview is a browser page and its messages are untrusted input.
// Plain data only: dates travel as ISO strings, no class instances. No DOM and no vscode imports here.

import { MAX_APPROVAL_COMMENT } from '../core/approvalComment';
import { ENVIRONMENT_NAME_PATTERN } from '../core/environments';
import { isVersion } from '../core/version';

export const APPROVAL_VIEW_TYPE = 'sprykerDeploy.approval';
/** The view type of a past execution's panel: not restored after a reload (the History opens it again). */
export const EXECUTION_VIEW_TYPE = 'sprykerDeploy.execution';

/** The comment becomes the approval's summary: the cap is core's (AWS's 512 characters). */
export const MAX_COMMENT_LENGTH = MAX_APPROVAL_COMMENT;

export type DecisionKind = 'Approved' | 'Rejected';

export interface CommitView {
  readonly sha: string;
  readonly subject: string;
  readonly author: string;
  /** ISO 8601. */
  readonly date?: string;
  readonly isMerge: boolean;
  readonly isRevert: boolean;
}

export interface VersionCardView {
  /** A full sha, `latest`, or undefined when unknown. */
  readonly version?: string;
  /** undefined when the version is not a commit of the local repository (or there is no repository). */
  readonly commit?: CommitView;
  /** The version is a sha the local repository lacks. */
  readonly missingLocally: boolean;
}

export type CommitsView =
  /**
   * `commits`: what the new version adds, newest first. `undone`: what it removes (the running version has them and
   * the new one not), newest first: a rollback has only these; diverged versions have both.
   */
  | { readonly kind: 'list'; readonly commits: readonly CommitView[]; readonly total: number; readonly undone: readonly CommitView[]; readonly undoneTotal: number }
  | { readonly kind: 'same-version' }
  /** One or both versions are missing locally: offer Fetch instead of showing an empty list. */
  | { readonly kind: 'missing'; readonly missing: readonly string[]; readonly shallow?: boolean }
  /** `reason`: why (Restricted Mode, git disabled, no repository open). */
  | { readonly kind: 'no-repository'; readonly reason?: string }
  /** A version is unknown or not a sha (e.g. `latest`): nothing to compare. */
  | { readonly kind: 'unknown'; readonly reason: string };

export interface ServiceChangeView {
  readonly name: string;
  /** Distinct version tags the service runs now. */
  readonly from: readonly string[];
  readonly to: string;
}

export interface ModuleChangeView {
  readonly name: string;
  readonly from?: string;
  readonly to?: string;
  readonly change: 'upgrade' | 'downgrade' | 'added' | 'removed' | 'changed';
  readonly major: boolean;
}

export interface RiskCategoryView {
  readonly id: string;
  readonly title: string;
  /** "database schema (1 file)", "2 Spryker modules (1 major)". */
  readonly phrase: string;
  readonly files: readonly string[];
  readonly modules?: readonly ModuleChangeView[];
  /** Configuration files: the environments they apply to. */
  readonly appliesTo?: readonly string[];
}

export interface RiskView {
  /** Empty: nothing risky changed (the panel shows no section). */
  readonly categories: readonly RiskCategoryView[];
  readonly notes: readonly string[];
  /** The target is older and the way back crosses a schema change. */
  readonly rollbackWarning?: string;
}

export interface ComparisonView {
  readonly deploymentVersion?: string;
  readonly latestDeployedVersion?: string;
  readonly lines: readonly string[];
  /** Why the pipeline's comparison could not be read. */
  readonly error?: string;
  /** The pipeline's log says something other than the parameters. */
  readonly disagrees: boolean;
  /** One sentence per disagreement. */
  readonly disagreements: readonly string[];
  readonly logGroup?: string;
}

/** CodePipeline's statuses, but 'Rejected' and 'Expired' where it says 'Failed' of an approval rejected or expired. */
export type TimelineStatus = 'Succeeded' | 'Failed' | 'Rejected' | 'Expired' | 'InProgress' | 'Waiting' | 'Pending' | 'Stopped' | 'Abandoned' | 'Cancelled' | 'Superseded' | 'Stopping' | 'Skipped';

export interface TimelineActionView {
  readonly name: string;
  readonly status: TimelineStatus;
  /** ISO: when the action started (known only while it runs). */
  readonly startedAt?: string;
  /** ISO: when its status last changed. */
  readonly changedAt?: string;
  /** Milliseconds; estimated from the previous action's end when the action has finished. */
  readonly durationMs?: number;
  readonly summary?: string;
}

export interface TimelineStageView {
  readonly name: string;
  readonly status: TimelineStatus;
  readonly isApproval: boolean;
  readonly durationMs?: number;
  readonly actions: readonly TimelineActionView[];
}

export interface PipelineView {
  readonly name?: string;
  readonly status?: string;
  readonly executionId?: string;
  /** How the execution shown ended, in words ("Approval expired: …", "Rejected by …", "Stopped at …"). */
  readonly ended?: string;
  readonly stages: readonly TimelineStageView[];
  /** Executions waiting behind the one shown (QUEUED mode): the stage each waits to enter. */
  readonly queued?: readonly { readonly executionId: string; readonly stage: string }[];
}

/** The failed stage of the execution shown: where, why in AWS's words, and the end of what it printed. */
export interface FailureView {
  readonly stage: string;
  readonly action?: string;
  /** errorDetails.code, e.g. JobFailed. */
  readonly code?: string;
  readonly message?: string;
  /** ISO: when the action failed. */
  readonly at?: string;
  /** The last lines of the failed build's log, or the failing services' ECS events (newest last). */
  readonly lines: readonly string[];
  /** Where the lines come from ("Build log of …", "ECS events of …"). */
  readonly source?: string;
  /** Why there are no lines (the log could not be read). */
  readonly linesError?: string;
}

/**
 * The version the approval deploys is what another environment runs (a promotion, e.g. staging → prod): that
 * environment, since when it runs it, and service by service what each side runs (core/promotion.ts).
 */
export interface PromotionView {
  readonly source: string;
  readonly version: string;
  /** ISO: when the source's deployed-version parameter was written (since when it runs the version). */
  readonly since?: string;
  /** The source is configured (or named) to promote to this environment. */
  readonly promotesHere: boolean;
  readonly services: readonly { readonly role: string; readonly source?: readonly string[]; readonly target?: readonly string[]; readonly same: boolean }[];
  /** What could not be read of either environment (the comparison is incomplete there). */
  readonly unknown: readonly string[];
}

/** A past execution opened from the History, read-only: how it ended, who started and who decided it. */
export interface PastExecutionView {
  readonly executionId: string;
  readonly pipelineName: string;
  readonly status: string;
  /** "deployed", "rejected by jane: not now", "failed at Run_install: …" (core/history.ts endedAs). */
  readonly ended: string;
  /** It deployed its version (the card says "Deployed", not "Proposed"). */
  readonly deployed: boolean;
  readonly startedAt?: string;
  readonly startedBy?: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  /** How its version is known, in words. */
  readonly versionSource?: string;
  readonly decisions: readonly { readonly action: string; readonly decision: DecisionKind; readonly by?: string; readonly comment?: string; readonly at?: string }[];
  /** Why its stages and decisions could not be read. */
  readonly detailsError?: string;
}

export interface ApprovalRefView {
  readonly token: string;
  readonly executionId: string;
  readonly pipelineName: string;
  readonly stageName: string;
  readonly actionName: string;
  /** ISO: since when the approval waits. */
  readonly waitingSince?: string;
}

export interface OutcomeView {
  readonly decision: DecisionKind;
  /** ISO. */
  readonly at: string;
  readonly comment: string;
  readonly version?: string;
  /** After a lost answer: AWS already had this decision (the core's note). */
  readonly note?: string;
}

export type PanelErrorKind = 'stale' | 'already-decided' | 'network' | 'not-allowed' | 'signed-out' | 'fetch-failed' | 'git' | 'load-failed' | 'other';

export interface PanelErrorView {
  readonly kind: PanelErrorKind;
  readonly message: string;
  /** Which one button helps. */
  readonly action?: 'refresh' | 'retry' | 'fetch';
}

export interface ApprovalViewModel {
  readonly env: string;
  readonly production: boolean;
  readonly region?: string;
  /** ISO: when the host built this model. */
  readonly builtAt: string;
  /** undefined: no approval waits now. The approval the panel decides by default (the configured action, else the first). */
  readonly approval?: ApprovalRefView;
  /**
   * Every approval action waiting in the stage, `approval` first; more than one when several people decide (QA and
   * the product owner): the panel lets the user choose which one a decision is for.
   */
  readonly approvals?: readonly ApprovalRefView[];
  readonly running: VersionCardView;
  readonly target: VersionCardView;
  readonly commits: CommitsView;
  readonly filesChanged?: number;
  /** What kind of change it is (src/core/risk.ts); undefined when the local repository cannot tell. */
  readonly risk?: RiskView;
  /** The version to deploy is what another environment runs: the promotion's comparison. */
  readonly promotion?: PromotionView;
  /** undefined: the services' status is not known yet. */
  readonly services?: readonly ServiceChangeView[];
  readonly comparison: ComparisonView;
  readonly pipeline: PipelineView;
  /** The execution shown failed: its failed stage (the approval panel is where people look after a deploy). */
  readonly failure?: FailureView;
  /** A decision being sent; the buttons are disabled meanwhile. */
  readonly busy?: DecisionKind | 'fetch' | 'load';
  readonly outcome?: OutcomeView;
  readonly error?: PanelErrorView;
  readonly canModify: boolean;
  /** Set: the panel shows this past execution read-only (no decision controls, no live data). */
  readonly past?: PastExecutionView;
}

export type HostMessage =
  | { readonly type: 'state'; readonly state: ApprovalViewModel }
  | { readonly type: 'result'; readonly outcome: OutcomeView }
  | { readonly type: 'error'; readonly error: PanelErrorView };

export type WebviewMessage =
  | { readonly type: 'ready' }
  /** `action`: the approval action decided (one of the model's `approvals`); `token`: its token as the panel showed it. */
  | { readonly type: 'approve'; readonly comment: string; readonly token: string; readonly action: string }
  | { readonly type: 'reject'; readonly comment: string; readonly token: string; readonly action: string }
  | { readonly type: 'openCommit'; readonly sha: string }
  /** `full`: fetch the rest of a shallow clone's history (git fetch --unshallow). */
  | { readonly type: 'fetch'; readonly full?: true }
  /** Open the failed stage's whole log (or an ECS rollout's events and stopped tasks), as the notification's Show Log. */
  | { readonly type: 'showLog' }
  | { readonly type: 'refresh' };

/** What the webview persists with setState; the serializer reopens the panel from it after a reload. */
export interface PersistedWebviewState {
  readonly env: string;
  readonly comment?: string;
}

/** AWS approval tokens are UUIDs; allow any token-like string of sane length, nothing that could smuggle markup. */
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** An environment name as the settings allow it (core/environments), nothing else. */
const ENV_NAME = new RegExp(ENVIRONMENT_NAME_PATTERN);
/** CodePipeline's action name pattern and length (botocore: ActionName). */
const ACTION_NAME = /^[A-Za-z0-9.@_-]{1,100}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Exactly these keys, no more: an unexpected key means the sender is not our webview. */
function hasOnlyKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(value).every((k) => keys.includes(k)) && keys.every((k) => k in value);
}

function isComment(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_COMMENT_LENGTH;
}

export function isSha(value: unknown): value is string {
  return typeof value === 'string' && isVersion(value);
}

export function isApprovalToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN.test(value);
}

export function isActionName(value: unknown): value is string {
  return typeof value === 'string' && ACTION_NAME.test(value);
}

/** Returns the message when every field is valid, else undefined (the host drops and logs it). */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  switch (value.type) {
    case 'fetch':
      if (hasOnlyKeys(value, ['type', 'full']) && value.full === true) return { type: 'fetch', full: true };
      return hasOnlyKeys(value, ['type']) ? { type: 'fetch' } : undefined;
    case 'ready':
    case 'refresh':
    case 'showLog':
      return hasOnlyKeys(value, ['type']) ? { type: value.type } : undefined;
    case 'approve':
    case 'reject':
      if (!hasOnlyKeys(value, ['type', 'comment', 'token', 'action'])) return undefined;
      if (!isComment(value.comment) || !isApprovalToken(value.token) || !isActionName(value.action)) return undefined;
      return { type: value.type, comment: value.comment, token: value.token, action: value.action };
    case 'openCommit':
      if (!hasOnlyKeys(value, ['type', 'sha']) || !isSha(value.sha)) return undefined;
      return { type: 'openCommit', sha: value.sha };
    default:
      return undefined;
  }
}

/** The serializer's input comes from disk (the webview's last setState): validate it like a message. */
export function parsePersistedState(value: unknown): PersistedWebviewState | undefined {
  if (!isRecord(value) || typeof value.env !== 'string' || !ENV_NAME.test(value.env)) return undefined;
  return { env: value.env, ...(isComment(value.comment) ? { comment: value.comment } : {}) };
}

/** Why a message was refused, for the host's log line (never shown to the user). */
export function describeInvalidMessage(value: unknown): string {
  if (!isRecord(value)) return `not an object (${value === null ? 'null' : typeof value})`;
  const type = typeof value.type === 'string' ? value.type.slice(0, 40) : typeof value.type;
  const keys = Object.keys(value).slice(0, 10).join(',');
  return `type=${JSON.stringify(type)} keys=[${keys}]`;
}
