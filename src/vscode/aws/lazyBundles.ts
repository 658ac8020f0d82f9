// The AWS SDK adapters and the sandbox are separate bundles next to dist/extension.js. They are required at
// run time by path so that esbuild does not follow them into the entry bundle: activation stays small and
// nothing of the SDK is loaded until an environment is actually refreshed.

import * as path from 'node:path';
import type { AwsPortsFactory } from '../../core/ports';

// Types only: erased at build time, so the SDK stays out of the entry bundle.
import type { AwsPortsFactoryOptions, ProfileInfo } from '../../aws/index';

export interface AwsBundle {
  createAwsPortsFactory(options?: AwsPortsFactoryOptions): AwsPortsFactory;
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

/** Loads a sibling bundle once; `dir` is where dist/extension.js lives. */
export function lazyBundle<T>(dir: string, file: string): () => T {
  let loaded: T | undefined;
  return () => {
    // The variable indirection keeps esbuild from resolving (and bundling) the target.
    const load: NodeJS.Require = require;
    loaded ??= load(path.join(dir, file)) as T;
    return loaded;
  };
}
