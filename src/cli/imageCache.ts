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
 * Whether an endpoint's task definitions may be remembered across runs as they are. AWS never reuses a
 * revision's ARN; the local sandbox does (a fresh world on the same port registers `family:2` again, with other
 * images), so what is learned from a loopback endpoint is kept only under its world (forEndpoints).
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

/** The world a local sandbox at `endpoint` runs (its GET /_sandbox/health); undefined for anything else. */
export type WorldOf = (endpoint: string) => Promise<string | undefined>;

/**
 * Asks a loopback http endpoint which sandbox world it runs (one small unsigned request, in parallel with the
 * first round of calls). Anything but the sandbox's answer (another local emulator, no answer within 2 s) is
 * undefined: nothing of that endpoint is kept across runs.
 */
export const sandboxWorld = (endpoint: string, timeoutMs = 2000): Promise<string | undefined> =>
  new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL('/_sandbox/health', endpoint);
    } catch {
      return resolve(undefined);
    }
    if (url.protocol !== 'http:') return resolve(undefined);
    // node:http is loaded by the SDK already; required here so that --help and bad input never load it.
    const http = require('node:http') as typeof import('node:http');
    let answered = false;
    let timeouts = 0;
    const request = http.get(url, { timeout: timeoutMs, agent: false }, (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body = body.length < 4096 ? body + chunk : body));
      res.on('error', () => resolve(undefined));
      res.on('end', () => {
        try {
          const world = (JSON.parse(body) as { world?: unknown }).world;
          resolve(res.statusCode === 200 && typeof world === 'string' && /^[\w-]{8,64}$/.test(world) ? world : undefined);
        } catch {
          resolve(undefined);
        }
      });
    });
    // The timer can fire as the event loop comes back from a long synchronous stretch (loading the AWS SDK on a
    // busy machine: seconds) with the answer already waiting on the socket: that I/O is read first (setImmediate
    // runs after it), and an answer that has begun gets one more period to end.
    request.on('timeout', () => setImmediate(() => (!answered || ++timeouts > 1 ? request.destroy() : undefined)));
    request.on('error', () => resolve(undefined));
  });

/**
 * The persistent cache for keys `<endpoint>|<arn>` (status.ts). AWS never reuses a revision's ARN: its entries
 * are kept as they are. A loopback endpoint's are kept only under the world the local sandbox there names
 * (`worldOf`), which is new at every start and reset of the sandbox: a fresh world that registers `family:2`
 * again with other images is another key. Where no world is named, nothing is kept across runs.
 */
export function forEndpoints(cache: PersistentImageCache, defaultEndpoint: string | undefined, worldOf: WorldOf = sandboxWorld): PersistentImageCache & { prefetch(endpoint: string | undefined): void } {
  const worlds = new Map<string, Promise<string | undefined>>();
  const known = new Map<string, string | undefined>();
  const world = (endpoint: string): Promise<string | undefined> => {
    let w = worlds.get(endpoint);
    if (!w) {
      w = worldOf(endpoint).then(
        (id) => (known.set(endpoint, id), id),
        () => (known.set(endpoint, undefined), undefined),
      );
      worlds.set(endpoint, w);
    }
    return w;
  };
  const endpointOf = (key: string) => key.slice(0, key.indexOf('|')) || defaultEndpoint;
  return {
    prefetch: (endpoint) => {
      const e = endpoint || defaultEndpoint;
      if (e && !persistableEndpoint(e)) void world(e);
    },
    get: (key) => {
      const endpoint = endpointOf(key);
      if (persistableEndpoint(endpoint)) return cache.get(key);
      return world(endpoint!).then((id) => (id ? cache.get(`world:${id}|${key}`) : undefined));
    },
    set: (key, images) => {
      const endpoint = endpointOf(key);
      if (persistableEndpoint(endpoint)) return cache.set(key, images);
      // get() asked for the world before the images were read: it is known by now, or nothing is kept.
      const id = known.get(endpoint!);
      if (id) cache.set(`world:${id}|${key}`, images);
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
