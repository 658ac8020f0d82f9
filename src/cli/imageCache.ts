// Task definition images kept between CLI runs, in the user's cache directory: a task definition revision
// never changes, so a fresh `spryker-deploy status` need not ask AWS for the same seven revisions every time
// (that would be a third round trip on every run). Only image names are stored, never credentials.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PersistentImageCache } from '../core/caches';
import type { ContainerImage } from '../core/model';

const FORMAT = 1;
/** Enough for hundreds of deploys of a few environments; the oldest entries go first. */
export const MAX_ENTRIES = 2000;

/** The per-user cache directory of the platform (XDG on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows). */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'spryker-deploy', 'Cache');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'spryker-deploy');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'spryker-deploy');
}

function isImages(value: unknown): value is ContainerImage[] {
  return (
    Array.isArray(value) &&
    value.every(
      (i) =>
        typeof i === 'object' &&
        i !== null &&
        typeof (i as ContainerImage).container === 'string' &&
        typeof (i as ContainerImage).image === 'string' &&
        ((i as ContainerImage).tag === undefined || typeof (i as ContainerImage).tag === 'string'),
    )
  );
}

/**
 * Whether an endpoint's task definitions may be remembered across runs. AWS never reuses a revision's ARN; the
 * local sandbox does (a fresh world on the same port registers `family:2` again, with other images), so what
 * is learned from a loopback endpoint lives only as long as the process.
 */
export function persistableEndpoint(endpoint: string | undefined): boolean {
  if (!endpoint) return true;
  try {
    const host = new URL(endpoint).hostname.toLowerCase().replace(/\.$/, '');
    // Loopback in every spelling the URL parser leaves: 127.0.0.0/8, ::1, IPv4-mapped ::ffff:127.x.y.z (which it
    // writes as [::ffff:7fxx:…]), the unspecified address (which reaches this machine) and localhost names.
    return !(host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host === '[::]' || host === '0.0.0.0' || host.startsWith('127.') || host.startsWith('[::ffff:7f'));
  } catch {
    return false;
  }
}

/** The persistent cache for keys `<endpoint>|<arn>` (status.ts), skipping endpoints that reuse ARNs. */
export function forEndpoints(cache: PersistentImageCache, defaultEndpoint: string | undefined): PersistentImageCache {
  const allowed = (key: string) => persistableEndpoint(key.slice(0, key.indexOf('|')) || defaultEndpoint);
  return {
    get: (key) => (allowed(key) ? cache.get(key) : undefined),
    set: (key, images) => {
      if (allowed(key)) cache.set(key, images);
    },
  };
}

export class FileImageCache implements PersistentImageCache {
  private entries: Map<string, readonly ContainerImage[]> | undefined;
  private dirty = false;

  constructor(
    readonly file: string,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

  get(key: string): readonly ContainerImage[] | undefined {
    return this.load().get(key);
  }

  set(key: string, images: readonly ContainerImage[]): void {
    const entries = this.load();
    entries.delete(key);
    entries.set(key, images);
    this.dirty = true;
  }

  /** Writes the new entries (atomically: a concurrent run reads the old file or the new one, never half). */
  save(): void {
    if (!this.dirty) return;
    const entries = [...this.load()].slice(-this.maxEntries);
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ format: FORMAT, entries: Object.fromEntries(entries) }), { mode: 0o600 });
      renameSync(tmp, this.file);
      this.dirty = false;
    } catch {
      // A cache that cannot be written (read-only home in a CI container) only costs the calls next time.
    }
  }

  private load(): Map<string, readonly ContainerImage[]> {
    if (this.entries) return this.entries;
    this.entries = new Map();
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as { format?: unknown; entries?: unknown };
      if (parsed.format === FORMAT && typeof parsed.entries === 'object' && parsed.entries !== null) {
        for (const [key, images] of Object.entries(parsed.entries)) if (isImages(images)) this.entries.set(key, images);
      }
    } catch {
      // Missing or unreadable: start empty; a damaged file is replaced by the next save.
    }
    return this.entries;
  }
}
