// What a command was called with: a tree node, a commit from our Commits view, GitLens's commit nodes
// (`.ref.sha` / `.commit.sha`), a Source Control history item (`.id`), the git hover (the hash appended as a
// string), or plain objects from tests and other extensions. Pure.

import { DeployError } from '../../core/errors';
import type { PendingApproval } from '../../core/model';
import { parseVersion } from '../../core/version';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

const HEXISH = /^[0-9a-f]{4,64}$/i;

/** The first thing in the arguments that names a commit, as given (not yet validated). */
export function commitCandidate(args: readonly unknown[]): string | undefined {
  for (const a of args) {
    if (typeof a === 'string' && HEXISH.test(a.trim())) return a;
    if (!isRecord(a)) continue;
    const nested = (o: unknown, k: string): unknown => (isRecord(o) ? o[k] : undefined);
    const candidates: unknown[] = [
      a.version,
      a.sha,
      nested(a.ref, 'sha'),
      nested(a.ref, 'ref'),
      nested(a.commit, 'sha'),
      typeof a.commit === 'string' ? a.commit : undefined,
      a.hash,
      // SourceControlHistoryItem: its id is the commit hash.
      a.id,
      nested(a.historyItem, 'id'),
      nested(a.image, 'tag'),
      nested(a.approval, 'version'),
    ];
    for (const c of candidates) if (typeof c === 'string' && c.trim() !== '') return c;
  }
  return undefined;
}

/** The commit the arguments name, validated as a full hash; throws 'invalid-input' for anything malformed. */
export function commitFromArgs(args: readonly unknown[]): string | undefined {
  const candidate = commitCandidate(args);
  if (candidate === undefined) return undefined;
  try {
    return parseVersion(candidate);
  } catch (e) {
    if (e instanceof DeployError) throw new DeployError('invalid-input', `Refused to deploy: ${e.message}`);
    throw e;
  }
}

/** The environment the arguments name: a tree node's env, `{environment}`, or a plain name string. */
export function environmentFromArgs(args: readonly unknown[]): string | undefined {
  for (const a of args) {
    if (typeof a === 'string' && !HEXISH.test(a)) return a;
    if (!isRecord(a)) continue;
    if (typeof a.environment === 'string') return a.environment;
    if (isRecord(a.env) && typeof a.env.name === 'string') return a.env.name;
  }
  return undefined;
}

/** The approval the user saw (a tree node or a notification passes it), so a changed token is detected. */
export function approvalFromArgs(args: readonly unknown[]): PendingApproval | undefined {
  for (const a of args) {
    if (!isRecord(a) || !isRecord(a.approval)) continue;
    const ap = a.approval;
    if (typeof ap.token === 'string' && typeof ap.pipelineName === 'string') return ap as unknown as PendingApproval;
  }
  return undefined;
}

export function stringOption(args: readonly unknown[], key: string): string | undefined {
  for (const a of args) if (isRecord(a) && typeof a[key] === 'string') return a[key] as string;
  return undefined;
}
