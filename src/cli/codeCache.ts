// V8's compiled code of the CLI's own bundles, kept between runs in the user's cache directory, so that a fresh
// `spryker-deploy status` does not compile the 0.5 MB of the AWS SDK (dist/aws.js) and the core again each time:
// compiling was the largest single cost of its start-up (`node --cpu-prof`, #12).
//
// Node >= 22.1 does this itself (module.enableCompileCache), and is then asked to. On Node 20 the bundles next to
// cli.js are compiled through vm.Script with `cachedData`, the way the v8-compile-cache package does it (which
// hooks every module, keeps one blob in the temp directory and is a dependency; here it is 80 lines for our own
// files). The code is written once, at the end of the first run (./bin), so that it holds the functions that run
// compiled (not only the top level). A file is keyed by the bundle's content hash, Node's version and the
// architecture; V8 checks the source and its flags again and rejects data that does not fit, which is then
// compiled as usual and replaced. Nothing but compiled code of our own bundles is stored.
// SPRYKER_DEPLOY_NO_CODE_CACHE=1 turns it off (the benchmark compares both).

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

interface CjsModule {
  readonly exports: unknown;
  require(id: string): unknown;
  _compile(content: string, filename: string): unknown;
}
interface CjsLoader {
  readonly prototype: CjsModule;
  wrap(source: string): string;
  _resolveFilename(request: string, parent: CjsModule, isMain: boolean, options?: { paths?: string[] }): string;
  readonly _cache: unknown;
  readonly _extensions: unknown;
  enableCompileCache?: (directory?: string) => unknown;
}

export interface CodeCache {
  readonly mode: 'node-compile-cache' | 'v8-cached-data';
  /** Each bundle compiled so far, and whether V8 took its code from the cache. */
  readonly compiled: readonly { readonly name: string; readonly fromCache: boolean }[];
  /** Writes the code of the bundles that were compiled without the cache (at exit: ./bin); the files written. */
  save(): string[];
  /** Compiles as Node does again (tests). */
  uninstall(): void;
}

/** Compiles the bundles in `bundleDir` with V8's code kept in `cacheDir` (Node's own compile cache where it has one). */
export function useCodeCache(cacheDir: string, bundleDir: string): CodeCache {
  const loader = Module as unknown as CjsLoader;
  if (typeof loader.enableCompileCache === 'function') {
    loader.enableCompileCache(cacheDir);
    return { mode: 'node-compile-cache', compiled: [], save: () => [], uninstall: () => {} };
  }
  const original = loader.prototype._compile;
  const toWrite: { readonly script: Script; readonly file: string; readonly name: string }[] = [];
  const compiled: { name: string; fromCache: boolean }[] = [];
  function compile(module: CjsModule, content: string, filename: string): unknown {
    const name = basename(filename);
    const key = createHash('sha256').update(content).digest('hex').slice(0, 20);
    const file = join(cacheDir, `${name}.${key}.${process.version}-${process.arch}.v8`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(file);
    } catch {
      // Not cached yet: compiled as usual, and kept at exit.
    }
    // A leading #! line is no JavaScript inside the wrapper; blanking it keeps the line numbers.
    const source = loader.wrap(content.startsWith('#!') ? content.replace(/^#!.*/, '') : content);
    // The bundles hold no import() (esbuild.js turns it into require), which a vm.Script could not load.
    const script = new Script(source, { filename, ...(cachedData ? { cachedData } : {}) });
    const fromCache = cachedData !== undefined && script.cachedDataRejected !== true;
    compiled.push({ name, fromCache });
    if (!fromCache) toWrite.push({ script, file, name });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const moduleRequire = Object.assign((id: string) => module.require(id), {
      resolve: (request: string, options?: { paths?: string[] }) => loader._resolveFilename(request, module, false, options),
      main: require.main,
      cache: loader._cache,
      extensions: loader._extensions,
    });
    return wrapper.call(module.exports, module.exports, moduleRequire, module, filename, dirname(filename));
  }
  loader.prototype._compile = function (this: CjsModule, content: string, filename: string): unknown {
    return dirname(filename) === bundleDir && filename.endsWith('.js') ? compile(this, content, filename) : original.call(this, content, filename);
  };
  const save = (): string[] => {
    const written: string[] = [];
    for (const { script, file, name } of toWrite.splice(0)) {
      try {
        // Only the user may write there: V8 runs what the file holds once it matches the source.
        mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
        renameSync(temporary, file);
        written.push(file);
        // The code of an earlier version of the bundle, for this Node, is of no more use.
        const sameNode = `.${process.version}-${process.arch}.v8`;
        for (const old of readdirSync(cacheDir)) if (old.startsWith(`${name}.`) && old.endsWith(sameNode) && join(cacheDir, old) !== file) unlinkSync(join(cacheDir, old));
      } catch {
        // A cache that cannot be written only costs the next run its compile time.
      }
    }
    return written;
  };
  return {
    mode: 'v8-cached-data',
    compiled,
    save,
    uninstall: () => {
      loader.prototype._compile = original;
    },
  };
}
