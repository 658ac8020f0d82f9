// V8's compiled code of our own bundles, kept between runs, so that neither a fresh `spryker-deploy status` nor a
// new window's first refresh compiles the 0.5 MB of the AWS SDK (dist/aws.js) again each time: compiling was the
// largest single cost of the CLI's start-up (`node --cpu-prof`, #12) and held the extension host for 100-440 ms
// before a window's first read (#9).
//
// The CLI (useCodeCache) hooks the loader for the bundles next to cli.js, or asks Node >= 22.1 to do it
// (module.enableCompileCache). The extension host is shared with other extensions, so the extension changes no
// loader there and compiles the one bundle it asks for itself (requireCached). Either way a bundle is compiled
// through vm.Script with `cachedData`, the way the v8-compile-cache package does it (which hooks every module,
// keeps one blob in the temp directory and is a dependency; here it is 100 lines for our own files). The code is
// written once, after the bundle's first use (at the CLI's exit; a little after a window's first refresh), so that
// it holds the functions that ran compiled, not only the top level. A file is keyed by the bundle's content hash,
// Node's version and the architecture; V8 checks the source and its flags again and rejects data that does not
// fit, which is then compiled as usual and replaced. Nothing but compiled code of our own bundles is stored.
// SPRYKER_DEPLOY_NO_CODE_CACHE=1 turns it off for the CLI (the benchmark compares both).

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
  const toWrite: PendingCode[] = [];
  const compiled: { name: string; fromCache: boolean }[] = [];
  function compile(module: CjsModule, content: string, filename: string): unknown {
    return compileCached(loader, module, content, filename, cacheDir, (name, fromCache, pending) => {
      compiled.push({ name, fromCache });
      if (pending) toWrite.push(pending);
    }).exports;
  }
  loader.prototype._compile = function (this: CjsModule, content: string, filename: string): unknown {
    return dirname(filename) === bundleDir && filename.endsWith('.js') ? compile(this, content, filename) : original.call(this, content, filename);
  };
  const save = (): string[] => toWrite.splice(0).flatMap((p) => writeCode(p) ?? []);
  return {
    mode: 'v8-cached-data',
    compiled,
    save,
    uninstall: () => {
      loader.prototype._compile = original;
    },
  };
}

/** Code compiled without the cache, to be written once the functions that run have been compiled. */
interface PendingCode {
  readonly script: Script;
  readonly file: string;
  readonly name: string;
}

/**
 * SHA-256 of a bundle's source, the key of its compiled code. Hashed in slices: hashing the whole string makes a
 * UTF-8 copy of it first, 0.5 MB of fresh memory for aws.js (~2.5 ms of a CLI status, #12). The digest is the same:
 * no slice ends between the two halves of a surrogate pair.
 */
export function contentHash(content: string, slice = 64 * 1024): string {
  const hash = createHash('sha256');
  for (let start = 0; start < content.length; ) {
    let end = Math.min(start + slice, content.length);
    const last = content.charCodeAt(end - 1);
    if (end < content.length && last >= 0xd800 && last <= 0xdbff) end++;
    hash.update(content.slice(start, end));
    start = end;
  }
  return hash.digest('hex');
}

/** Runs one bundle's source as `module`, its compiled code taken from `cacheDir` when V8 accepts it. */
function compileCached(
  loader: CjsLoader,
  module: CjsModule,
  content: string,
  filename: string,
  cacheDir: string,
  compiled: (name: string, fromCache: boolean, pending: PendingCode | undefined) => void,
): { exports: unknown } {
  const name = basename(filename);
  const key = contentHash(content).slice(0, 20);
  const file = join(cacheDir, `${name}.${key}.${process.version}-${process.arch}.v8`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(file);
  } catch {
    // Not cached yet: compiled as usual, and kept later.
  }
  // A leading #! line is no JavaScript inside the wrapper; blanking it keeps the line numbers.
  const source = loader.wrap(content.startsWith('#!') ? content.replace(/^#!.*/, '') : content);
  // The bundles hold no import() (esbuild.js turns it into require), which a vm.Script could not load.
  const script = new Script(source, { filename, ...(cachedData ? { cachedData } : {}) });
  const fromCache = cachedData !== undefined && script.cachedDataRejected !== true;
  // Told before it runs: the bundles it requires are compiled after it.
  compiled(name, fromCache, fromCache ? undefined : { script, file, name });
  const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
  const moduleRequire = Object.assign((id: string) => module.require(id), {
    resolve: (request: string, options?: { paths?: string[] }) => loader._resolveFilename(request, module, false, options),
    main: require.main,
    cache: loader._cache,
    extensions: loader._extensions,
  });
  return { exports: wrapper.call(module.exports, module.exports, moduleRequire, module, filename, dirname(filename)) };
}

/** Writes a bundle's compiled code and removes that bundle's older code for this Node; the file, if written. */
function writeCode({ script, file, name }: PendingCode): string | undefined {
  try {
    const cacheDir = dirname(file);
    // Only the user may write there: V8 runs what the file holds once it matches the source.
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
    renameSync(temporary, file);
    // The code of an earlier version of the bundle, for this Node, is of no more use.
    const sameNode = `.${process.version}-${process.arch}.v8`;
    for (const old of readdirSync(cacheDir)) if (old.startsWith(`${name}.`) && old.endsWith(sameNode) && join(cacheDir, old) !== file) unlinkSync(join(cacheDir, old));
    return file;
  } catch {
    // A cache that cannot be written only costs the next run its compile time.
    return undefined;
  }
}

export interface CachedBundle<T> {
  readonly exports: T;
  /** Whether V8 took the bundle's code from the cache. */
  readonly fromCache: boolean;
  /** Writes the code compiled so far, if it was compiled without the cache (once); the file written. */
  save(): string | undefined;
}

/**
 * Requires one bundle, its compiled code kept in `cacheDir`, without changing how anything else is loaded (the
 * extension host is shared). The module is registered as Node would (`require.cache`), so requiring it again
 * returns the same exports.
 */
export function requireCached<T>(filename: string, cacheDir: string): CachedBundle<T> {
  const loader = Module as unknown as CjsLoader & { new (id: string, parent?: unknown): CjsModule & { filename: string; paths: string[]; loaded: boolean }; _nodeModulePaths(dir: string): string[] };
  const cache = loader._cache as Record<string, { exports: unknown } | undefined>;
  const known = cache[filename];
  if (known) return { exports: known.exports as T, fromCache: true, save: () => undefined };
  const module = new loader(filename, require.main);
  module.filename = filename;
  module.paths = loader._nodeModulePaths(dirname(filename));
  cache[filename] = module;
  try {
    let fromCache = false;
    let pending: PendingCode | undefined;
    compileCached(loader, module, readFileSync(filename, 'utf8'), filename, cacheDir, (_name, cached, code) => {
      fromCache = cached;
      pending = code;
    });
    module.loaded = true;
    return {
      exports: module.exports as T,
      fromCache,
      save: () => {
        const p = pending;
        pending = undefined;
        return p ? writeCode(p) : undefined;
      },
    };
  } catch (e) {
    delete cache[filename];
    throw e;
  }
}
