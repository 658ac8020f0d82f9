// Command boundaries, typed. Each command id maps to the target it acts on; one small adapter per caller turns
// what that caller really passes into that target. Callers and their arguments (taken from VS Code 1.139, the
// git extension and GitLens):
//   palette              ()
//   our trees            (node) or (node, selectedNodes[])    an EnvTreeNode or a CommitNode
//   Source Control Graph (provider, historyItem)              SourceControl {id:'git', rootUri}, {id: sha, parentIds}
//     context menu
//   Source Control Graph (GRAPH_HOVER_MARKER, sha)            the git extension appends the hash to our arguments
//     hover
//   GitLens views        (node)                               `.commit.sha` or `.ref.ref`/`.ref.sha`
//   GitLens Commit Graph ({webviewItem: 'gitlens:commit…', webviewItemValue: {ref: {ref|sha}}})
//   our own code, tests  ({environment?, version?, comment?, approval?, action?, scope?, executionId?, repository?}) or ('env-name')
// Scripts may append an options object to any caller's arguments (`{environment}` names the target environment).
// Nothing downstream reads `unknown[]`. Pure: no vscode.

import { DeployError } from '../../core/errors';
import type { PendingApproval } from '../../core/model';
import { parseVersion } from '../../core/version';
import type { CommitNode } from '../commits/commitsTreeProvider';
import type { EnvTreeNode } from '../tree/nodes';

export type Caller = 'palette' | 'tree' | 'commits' | 'graph-menu' | 'graph-hover' | 'gitlens' | 'script';

/** What a command acts on once its caller's arguments are understood. Every field is optional: missing = ask. */
export interface CommandTarget {
  readonly caller: Caller;
  readonly environment?: string;
  /** A commit as the caller gave it, not yet validated (see `commitOf`). */
  readonly commit?: string;
  /** The tree node the command was opened on, for commands that act on a particular part (a build, a service). */
  readonly node?: EnvTreeNode;
  /** The approval the user saw, so a changed token is detected. */
  readonly approval?: PendingApproval;
  /** Which approval action, when several wait in one stage (QA and product owner). */
  readonly action?: string;
  readonly comment?: string;
  readonly scope?: string;
  readonly executionId?: string;
  /** The root path of a workspace repository (Choose Repository from scripts and tests). */
  readonly repository?: string;
}

type Only<K extends keyof CommandTarget> = Partial<Pick<CommandTarget, 'caller'>> & Pick<CommandTarget, K>;
export type EnvironmentTarget = Only<'environment'>;
export type CommitTarget = Only<'environment' | 'commit'>;
export type ApprovalTarget = Only<'environment' | 'approval' | 'action' | 'comment'>;
export type InspectTarget = Only<'environment' | 'node' | 'executionId'>;
export type RetryTarget = Only<'environment' | 'executionId'>;

/** Each command id and what its handler receives. */
export interface CommandTargets {
  'sprykerDeploy.refresh': Only<never>;
  'sprykerDeploy.deploy.head': EnvironmentTarget;
  'sprykerDeploy.deploy.commit': CommitTarget;
  'sprykerDeploy.commit.deployTo': CommitTarget;
  'sprykerDeploy.rollback': CommitTarget;
  'sprykerDeploy.approval.approve': ApprovalTarget;
  'sprykerDeploy.approval.reject': ApprovalTarget;
  'sprykerDeploy.approval.openPanel': EnvironmentTarget;
  'sprykerDeploy.console.open': InspectTarget;
  'sprykerDeploy.pipeline.showLogs': InspectTarget;
  'sprykerDeploy.pipeline.retry': RetryTarget;
  /** From a notification: `{environment, version}`, the version to put back into desired_version. */
  'sprykerDeploy.desiredVersion.restore': CommitTarget;
  'sprykerDeploy.signIn': Only<never>;
  'sprykerDeploy.environments.configure': Only<never>;
  'sprykerDeploy.sandbox.start': Only<'scope'>;
  'sprykerDeploy.sandbox.stop': Only<never>;
  'sprykerDeploy.commit.open': CommitTarget;
  'sprykerDeploy.version.copy': CommitTarget;
  'sprykerDeploy.statusBar.showActions': Only<never>;
  'sprykerDeploy.log.show': Only<never>;
  'sprykerDeploy.environments.compare': EnvironmentTarget;
  'sprykerDeploy.environments.compareHead': EnvironmentTarget;
  'sprykerDeploy.environments.promote': EnvironmentTarget;
  'sprykerDeploy.maintenance.enable': EnvironmentTarget;
  'sprykerDeploy.maintenance.disable': EnvironmentTarget;
  'sprykerDeploy.history.show': EnvironmentTarget;
  /** A past execution (a History entry, or `{environment, executionId}`), shown read-only. */
  'sprykerDeploy.history.open': InspectTarget;
  'sprykerDeploy.git.chooseRepository': Only<'repository'>;
  'sprykerDeploy.git.fetchFullHistory': Only<never>;
}
export type CommandId = keyof CommandTargets;

/** The first argument of the hover's command: says "the git extension appends the hash after me". */
export const GRAPH_HOVER_MARKER = { caller: 'graph-hover' } as const;

const ENV_NODE_KINDS: ReadonlySet<string> = new Set([
  'environment',
  'version',
  'pipeline',
  'approval',
  'stage',
  'action',
  'services',
  'service',
  'container',
  'task',
  'maintenance',
  'history',
  'history-entry',
  'note',
  'runs-now',
  'service-events',
  'service-event',
  'stopped-tasks',
  'stopped-task',
]);
const SCRIPT_KEYS: ReadonlySet<string> = new Set(['environment', 'version', 'comment', 'approval', 'action', 'scope', 'executionId', 'repository']);

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function isEnvTreeNode(a: unknown): a is EnvTreeNode {
  return isRecord(a) && typeof a.kind === 'string' && ENV_NODE_KINDS.has(a.kind) && isRecord(a.env) && typeof a.env.name === 'string';
}
function isCommitNode(a: unknown): a is CommitNode {
  return isRecord(a) && a.kind === 'commit' && isRecord(a.commit) && typeof a.commit.sha === 'string';
}
/** A SourceControl as the extension host revives it for another extension: `id` ('git') and `rootUri`. */
function isSourceControl(a: unknown): boolean {
  return isRecord(a) && typeof a.id === 'string' && isRecord(a.rootUri);
}
/** A SourceControlHistoryItem: its `id` is the commit hash; `parentIds` tells it from anything else with an id. */
function isHistoryItem(a: unknown): a is { id: string } {
  return isRecord(a) && typeof a.id === 'string' && Array.isArray(a.parentIds);
}
function isPendingApproval(a: unknown): a is PendingApproval {
  return isRecord(a) && typeof a.token === 'string' && typeof a.pipelineName === 'string' && typeof a.executionId === 'string';
}
/** A plain options object from our own code, scripts or tests: only known keys, each of the right type. */
function isScriptOptions(a: unknown): a is Rec {
  if (!isRecord(a) || Object.keys(a).length === 0) return false;
  return Object.entries(a).every(([k, v]) => SCRIPT_KEYS.has(k) && (k === 'approval' ? isPendingApproval(v) : typeof v === 'string'));
}
/** GitLens: view nodes carry `.commit.sha` or a revision `.ref`; the Commit Graph's context carries `webviewItemValue.ref`. */
function gitLensSha(a: unknown): string | undefined {
  if (!isRecord(a)) return undefined;
  if (typeof a.webviewItem === 'string' && a.webviewItem.startsWith('gitlens:') && isRecord(a.webviewItemValue)) return gitLensSha(a.webviewItemValue);
  if (isRecord(a.commit) && typeof a.commit.sha === 'string') return a.commit.sha;
  if (isRecord(a.ref)) return str(a.ref.sha) ?? str(a.ref.ref);
  return undefined;
}

function fromNode(node: EnvTreeNode): CommandTarget {
  const commit =
    node.kind === 'version'
      ? node.version
      : node.kind === 'container'
        ? node.image.tag
        : node.kind === 'approval'
          ? node.approval.version
          : node.kind === 'history-entry'
            ? node.entry.version
            : node.kind === 'runs-now'
              ? node.left.deployedVersion
              : undefined;
  return {
    caller: 'tree',
    environment: node.env.name,
    node,
    ...(commit ? { commit } : {}),
    ...(node.kind === 'history-entry' ? { executionId: node.entry.executionId } : {}),
    ...(node.kind === 'approval' ? { approval: node.approval } : {}),
  };
}

function fromScript(o: Rec): Omit<CommandTarget, 'caller'> {
  const out: { -readonly [K in keyof CommandTarget]?: CommandTarget[K] } = {};
  if (typeof o.environment === 'string') out.environment = o.environment;
  if (typeof o.version === 'string') out.commit = o.version;
  if (typeof o.comment === 'string') out.comment = o.comment;
  if (typeof o.action === 'string') out.action = o.action;
  if (typeof o.scope === 'string') out.scope = o.scope;
  if (typeof o.executionId === 'string') out.executionId = o.executionId;
  if (typeof o.repository === 'string') out.repository = o.repository;
  if (isPendingApproval(o.approval)) out.approval = o.approval;
  return out;
}

function describeShape(args: readonly unknown[]): string {
  return args.map((a) => (isRecord(a) ? `{${Object.keys(a).slice(0, 6).join(', ')}}` : Array.isArray(a) ? '[…]' : typeof a)).join(', ');
}

/** Recognises the caller from the exact shape it passes; anything else is refused (never guessed). */
export function commandTarget(id: string, raw: readonly unknown[]): CommandTarget {
  // Trailing undefineds come from menus that pass nothing; a trailing options object from scripts.
  const args = [...raw];
  while (args.length && args[args.length - 1] === undefined) args.pop();
  const trailing = args.length > 1 && isScriptOptions(args[args.length - 1]) ? fromScript(args.pop() as Rec) : {};
  const [first, second] = args;
  const base = ((): CommandTarget | undefined => {
    if (args.length === 0) return { caller: 'palette' };
    if (isEnvTreeNode(first) && (args.length === 1 || Array.isArray(second))) return fromNode(first);
    if (isCommitNode(first) && (args.length === 1 || Array.isArray(second))) return { caller: 'commits', commit: first.commit.sha };
    if (isRecord(first) && first.caller === GRAPH_HOVER_MARKER.caller && args.length === 2 && typeof second === 'string') return { caller: 'graph-hover', commit: second };
    if (isSourceControl(first) && isHistoryItem(second)) return { caller: 'graph-menu', commit: second.id };
    if (args.length === 1 && gitLensSha(first) !== undefined) return { caller: 'gitlens', commit: gitLensSha(first) as string };
    if (args.length === 1 && isScriptOptions(first)) return { caller: 'script', ...fromScript(first) };
    if (args.length === 1 && typeof first === 'string') return { caller: 'script', environment: first };
    return undefined;
  })();
  if (!base) throw new DeployError('invalid-input', `${id} was called with arguments it does not understand (${describeShape(raw)}); nothing was changed.`);
  return { ...base, ...trailing };
}

/** The target's commit validated as a full hash; 'invalid-input' for anything malformed. */
export function commitOf(target: Pick<CommandTarget, 'commit'>, verb = 'deploy'): string | undefined {
  if (target.commit === undefined) return undefined;
  try {
    return parseVersion(target.commit);
  } catch (e) {
    if (e instanceof DeployError) throw new DeployError('invalid-input', `Refused to ${verb}: ${e.message}`);
    throw e;
  }
}
