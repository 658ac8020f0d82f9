// Following an execution in the extension: the store's watch (its environment polls at the fast interval) and the
// store's transitions (the same ones the notifications come from), nothing else. No AWS call of its own: one
// GetPipelineState per tick, whoever looks.

import type { FollowResult } from '../../core/api';
import { DeployError, type DeployErrorKind } from '../../core/errors';
import type { DeployProgress } from '../../core/model';
import { stageOfExecution } from '../../core/pipeline';
import type { EnvironmentStore } from './contract';

/** Errors a later poll can get past (an outage keeps the last known state); any other ends the follow. */
const PASSING: ReadonlySet<DeployErrorKind> = new Set(['network', 'throttled', 'aws', 'unknown']);

export interface FollowInStoreOptions {
  /** Stops following (not the deploy): rejects with DeployError('cancelled'). */
  readonly signal?: AbortSignal;
  /** Each stage the execution enters or leaves, as the store's polls see it. */
  readonly onProgress?: (p: DeployProgress) => void;
  /** Goes on through a waiting approval (reported, not resolved) to the end: a deploy in maintenance mode. */
  readonly throughApproval?: boolean;
}

/**
 * Resolves when the store sees the execution finish, or wait for an approval (as 'AwaitingApproval' with it, unless
 * `throughApproval`). The caller's refresh after starting or deciding something makes the first poll; the watch
 * keeps polling fast.
 */
export function followInStore(store: EnvironmentStore, envName: string, executionId: string, options: FollowInStoreOptions = {}): Promise<FollowResult> {
  return new Promise<FollowResult>((resolve, reject) => {
    const seen = new Map<string, string | undefined>();
    const subscriptions = [store.watch(envName)];
    const end = (settle: () => void) => {
      subscriptions.forEach((s) => s.dispose());
      options.signal?.removeEventListener('abort', aborted);
      settle();
    };
    const aborted = () => end(() => reject(new DeployError('cancelled', 'Stopped following the execution; the deploy itself goes on.')));
    if (options.signal?.aborted) return aborted();
    options.signal?.addEventListener('abort', aborted);
    subscriptions.push(
      store.onDidChange((name) => {
        if (name !== envName) return;
        const error = store.error(envName);
        if (error && !PASSING.has(error.kind)) return end(() => reject(error));
        const pipeline = store.status(envName)?.pipeline;
        const stage = pipeline ? stageOfExecution(pipeline, executionId) : undefined;
        if (!stage || stage.executionId !== executionId || seen.get(stage.name) === stage.status) return;
        seen.set(stage.name, stage.status);
        options.onProgress?.({ kind: 'stage', executionId, stage: stage.name, ...(stage.status ? { status: stage.status } : {}) });
      }),
      store.onDidTransition((t) => {
        if (t.env !== envName) return;
        if (t.kind === 'approval-waiting' && t.approval.executionId === executionId) {
          options.onProgress?.({ kind: 'awaiting-approval', approval: t.approval });
          if (!options.throughApproval) end(() => resolve({ executionId, status: 'AwaitingApproval', approval: t.approval }));
        } else if (t.kind === 'execution-finished' && t.executionId === executionId) {
          options.onProgress?.({ kind: 'finished', executionId, status: t.status });
          end(() => resolve({ executionId, status: t.status }));
        }
      }),
    );
  });
}
