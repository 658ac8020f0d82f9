// Every SDK call goes through here: timed and reported (the refresh budget is measured in calls), errors
// translated, and a call refused for expired credentials retried once with freshly loaded ones.

import type { CredentialSource } from './credentials';
import { translateAwsError } from './errors';

export interface CallInfo {
  readonly service: string;
  readonly operation: string;
  readonly ms: number;
  readonly ok: boolean;
  readonly error?: string;
  /** performance.now() when the call left, to tell sequential round trips from parallel calls. */
  readonly startedAt: number;
}

export interface CallOptions {
  readonly onCall?: (info: CallInfo) => void;
  readonly logger?: (line: string) => void;
}

export type Caller = <T>(operation: string, send: () => Promise<T>) => Promise<T>;

export function createCaller(service: string, credentials: CredentialSource, profile: string | undefined, options: CallOptions): Caller {
  // Timed only for someone who reads the times: a CLI run without --verbose never loads Node's perf_hooks for it
  // (the global `performance` loads eight internal modules on first use, #12).
  const timed = options.onCall !== undefined || options.logger !== undefined;
  const once = async <T>(operation: string, send: () => Promise<T>): Promise<T> => {
    const started = timed ? performance.now() : 0;
    try {
      const result = await send();
      report(operation, started, true);
      return result;
    } catch (e) {
      const error = translateAwsError(e, { service, operation, ...(profile ? { profile } : {}) });
      report(operation, started, false, error.details.awsCode ?? error.kind);
      throw error;
    }
  };
  const report = (operation: string, started: number, ok: boolean, error?: string) => {
    if (!timed) return;
    const ms = Math.round(performance.now() - started);
    options.onCall?.({ service, operation, ms, ok, startedAt: started, ...(error ? { error } : {}) });
    options.logger?.(`[aws] ${service} ${operation} ${ok ? 'ok' : `failed (${error})`} ${ms}ms`);
  };
  return async (operation, send) => {
    try {
      return await once(operation, send);
    } catch (e) {
      const error = e as { kind?: string };
      if (error.kind !== 'credentials-expired' || !credentials.reloadable) throw e;
      // The user may have signed in again since the credentials were loaded: reload and try once more.
      credentials.invalidate();
      return once(operation, send);
    }
  };
}

/**
 * Every page of a paginated operation. `page(token)` makes one call and returns its items and next token;
 * `maxItems` stops asking for more once that many items are in (a bound against runaway histories).
 */
export async function allPages<T>(
  page: (token: string | undefined) => Promise<{ readonly items: readonly T[]; readonly next?: string }>,
  maxItems = Infinity,
): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const { items, next } = await page(token);
    all.push(...items);
    token = next;
  } while (token && all.length < maxItems);
  return all;
}
