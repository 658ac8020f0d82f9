// The AWS layers and the sandbox are separate bundles next to dist/extension.js. They are required at run time by
// path so that esbuild does not follow them into the entry bundle: activation stays small, the lean client of a
// status's reads (lean.js) loads when an environment is first read, and the SDK (aws.js) only when a call needs it.

import * as path from 'node:path';
import type { AwsPortsFactory } from '../../core/ports';
import { requireCached, type CachedBundle } from '../../node/codeCache';

// Types only: erased at build time, so the SDK stays out of the entry bundle.
import type { AwsPortsFactoryOptions, ProfileInfo } from '../../aws/index';
import type { LeanPortsOptions } from '../../aws/lean';
import type { SdkPortsFactory } from '../../aws/operations';

export interface AwsBundle {
  createAwsPortsFactory(options?: AwsPortsFactoryOptions): SdkPortsFactory;
  listProfiles(): Promise<readonly ProfileInfo[]>;
}

export interface RunningSandbox {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  stop(): Promise<void>;
}

export interface SandboxBundle {
  startSandbox(options?: { port?: number; repo?: string; [key: string]: unknown }): Promise<RunningSandbox>;
}

/** Where a bundle's compiled code is kept between windows (see src/node/codeCache.ts), and when it is written. */
export interface BundleCodeCache {
  readonly dir: string;
  /** After the bundle's first use: long enough for the code of a first refresh to have been compiled. */
  readonly saveAfterMs: number;
  readonly log: (line: string) => void;
}

/** Loads a sibling bundle once; `dir` is where dist/extension.js lives. */
export function lazyBundle<T>(dir: string, file: string, codeCache?: BundleCodeCache): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= codeCache ? requireWithCodeCache<T>(path.join(dir, file), codeCache) : requireBundle<T>(path.join(dir, file));
    return loaded;
  };
}

function requireBundle<T>(file: string): T {
  // The variable indirection keeps esbuild from resolving (and bundling) the target.
  const load: NodeJS.Require = require;
  return load(file) as T;
}

function requireWithCodeCache<T>(file: string, codeCache: BundleCodeCache): T {
  const started = Date.now();
  let bundle: CachedBundle<T>;
  try {
    bundle = requireCached<T>(file, codeCache.dir);
  } catch (e) {
    // The bundle itself is broken or unreadable: Node's own require says so in its words.
    codeCache.log(`[code cache] ${path.basename(file)} not compiled through the cache (${e instanceof Error ? e.message : String(e)}); required as usual`);
    return requireBundle<T>(file);
  }
  codeCache.log(`[code cache] ${path.basename(file)} loaded in ${Date.now() - started} ms, ${bundle.fromCache ? 'compiled code from the cache' : 'compiled afresh'}`);
  if (!bundle.fromCache) {
    const timer = setTimeout(() => {
      const written = bundle.save();
      codeCache.log(`[code cache] ${path.basename(file)}: ${written ? `compiled code kept in ${written}` : 'compiled code not kept (the directory is not writable)'}`);
    }, codeCache.saveAfterMs);
    timer.unref?.();
  }
  return bundle.exports;
}

/** dist/lean.js: the small JSON-protocol client of a status's reads (src/aws/lean.ts). */
export interface LeanBundle {
  createLeanPortsFactory(sdk: () => SdkPortsFactory, options?: LeanPortsOptions, environment?: NodeJS.ProcessEnv): AwsPortsFactory;
}
