// Caches that keep a steady-state refresh within its budget. Task definition revisions are immutable, so
// their images are cached forever (keyed by ARN, which names account and region, plus the endpoint so that
// two sandboxes never mix); lists that change rarely (services of a cluster, repositories) live for a TTL.

import type { ContainerImage } from './model';

export interface CoreCaches {
  readonly taskDefinitions: Map<string, Promise<readonly ContainerImage[]>>;
  readonly lists: TtlCache<readonly string[]>;
  /** Task definition images kept across processes (the CLI's file in the user's cache directory). */
  readonly persistent?: PersistentImageCache;
}

/**
 * A store of immutable task definition images that outlives the process. `get` is cheap (the store is read
 * once; it may wait for what a key is kept under, e.g. the world of a local sandbox, asked in parallel with the
 * first round); `set` records a new entry for the owner to save.
 */
export interface PersistentImageCache {
  get(key: string): readonly ContainerImage[] | undefined | Promise<readonly ContainerImage[] | undefined>;
  set(key: string, images: readonly ContainerImage[]): void;
}

export class TtlCache<T> {
  private readonly entries = new Map<string, { readonly at: number; readonly value: Promise<T> }>();
  constructor(
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the cached value or loads it; a failed load is not cached. */
  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = load();
    this.entries.set(key, { at: this.now(), value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  invalidate(key: string): void {
    this.entries.delete(key);
  }
}

export const DEFAULT_LIST_TTL_MS = 5 * 60_000;

/** One set of caches per process: share it between the services of all environments. */
export function createCoreCaches(options: { listTtlMs?: number; now?: () => number; persistent?: PersistentImageCache } = {}): CoreCaches {
  return {
    taskDefinitions: new Map(),
    lists: new TtlCache(options.listTtlMs ?? DEFAULT_LIST_TTL_MS, options.now),
    ...(options.persistent ? { persistent: options.persistent } : {}),
  };
}

/** Memoises an immutable lookup; a failure is forgotten so the next refresh retries. */
export function cachedForever<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit) return hit;
  const value = load();
  cache.set(key, value);
  value.catch(() => {
    if (cache.get(key) === value) cache.delete(key);
  });
  return value;
}
