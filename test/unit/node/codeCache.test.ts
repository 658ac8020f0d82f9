import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Module from 'node:module';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { contentHash, requireCached, useCodeCache, type CodeCache } from '../../../src/node/codeCache';

describe('code cache (V8 compiled code of our bundles between runs)', () => {
  let dir: string;
  let bundles: string;
  let cacheDir: string;
  let cache: CodeCache | undefined;
  // Node >= 22.1 keeps its own compile cache, which the CLI then asks for instead of its hook.
  const nodeCachesItself = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sd-code-cache-'));
    bundles = join(dir, 'dist');
    cacheDir = join(dir, 'cache', 'v8');
    mkdirSync(bundles);
    writeFileSync(join(bundles, 'b.js'), 'exports.x = 41;');
  });
  afterEach(() => {
    cache?.uninstall();
    cache = undefined;
    for (const key of Object.keys(require.cache)) if (key.startsWith(dir)) delete require.cache[key];
    rmSync(dir, { recursive: true, force: true });
  });

  /** One "process": the hook installed, the bundle required afresh, the code saved as at exit. */
  function runOnce(): { value: unknown; fromCache: boolean[]; written: string[] } {
    for (const key of Object.keys(require.cache)) if (key.startsWith(dir)) delete require.cache[key];
    cache = useCodeCache(cacheDir, bundles);
    const loaded = require(join(bundles, 'a.js')) as { value: number; resolved: string; dirname: string; main: boolean };
    const result = { value: loaded, fromCache: cache.compiled.map((c) => c.fromCache), written: cache.save() };
    cache.uninstall();
    cache = undefined;
    return result;
  }

  it('runs a bundle as Node would, keeps its code at the end of the run and compiles from it the next time', function () {
    if (nodeCachesItself) this.skip();
    writeFileSync(join(bundles, 'a.js'), '#!/usr/bin/env node\nexports.value = require("./b.js").x + 1; exports.resolved = require.resolve("./b.js"); exports.dirname = __dirname; exports.main = require.main === module;');
    const first = runOnce();
    assert.deepEqual(first.value, { value: 42, resolved: join(bundles, 'b.js'), dirname: bundles, main: false });
    assert.deepEqual(first.fromCache, [false, false]);
    assert.equal(first.written.length, 2);
    assert.deepEqual(readdirSync(cacheDir).map((f) => f.split('.')[0]).sort(), ['a', 'b']);
    if (process.platform !== 'win32') {
      assert.equal(statSync(cacheDir).mode & 0o777, 0o700, 'only the user may write the code V8 runs');
      for (const f of first.written) assert.equal(statSync(f).mode & 0o777, 0o600);
    }

    const second = runOnce();
    assert.deepEqual(second.value, first.value);
    assert.deepEqual(second.fromCache, [true, true], 'V8 took both from the cache');
    assert.deepEqual(second.written, []);
  });

  it('compiles a changed bundle afresh and replaces its old code; leaves files outside the bundle directory alone', function () {
    if (nodeCachesItself) this.skip();
    writeFileSync(join(bundles, 'a.js'), 'exports.value = 1;');
    runOnce();
    const before = readdirSync(cacheDir);
    writeFileSync(join(bundles, 'a.js'), 'exports.value = 2;');
    const changed = runOnce();
    assert.deepEqual(changed.value, { value: 2 });
    assert.deepEqual(changed.fromCache, [false]);
    const after = readdirSync(cacheDir);
    assert.equal(after.length, 1, 'one file per bundle and Node');
    assert.notDeepEqual(after, before);

    const outside = join(dir, 'other.js');
    writeFileSync(outside, 'exports.value = 3;');
    cache = useCodeCache(cacheDir, bundles);
    assert.equal((require(outside) as { value: number }).value, 3);
    assert.deepEqual(cache.compiled, []);
  });

  it("the extension host's bundle (requireCached): runs it as Node would without changing the loader, keeps its code when asked, and the next window compiles from it", () => {
    writeFileSync(join(bundles, 'aws.js'), 'exports.value = require("./b.js").x + 1; exports.dirname = __dirname; exports.sameModule = () => require.cache[__filename] === module;');
    const file = join(bundles, 'aws.js');
    const compileBefore = (Module as unknown as { prototype: { _compile: unknown } }).prototype._compile;
    const first = requireCached<{ value: number; dirname: string; sameModule(): boolean }>(file, cacheDir);
    assert.equal(first.exports.value, 42);
    assert.equal(first.exports.dirname, bundles);
    assert.ok(first.exports.sameModule(), 'registered in require.cache as Node does');
    assert.equal((Module as unknown as { prototype: { _compile: unknown } }).prototype._compile, compileBefore, 'the shared loader is left as it was');
    assert.equal(first.fromCache, false);
    assert.equal(requireCached(file, cacheDir).exports, first.exports, 'required again: the same exports');
    const written = first.save();
    assert.ok(written && written.startsWith(cacheDir));
    assert.equal(first.save(), undefined, 'written once');

    // A new window: the module registry is empty again.
    for (const key of Object.keys(require.cache)) if (key.startsWith(dir)) delete require.cache[key];
    const second = requireCached<{ value: number }>(file, cacheDir);
    assert.equal(second.exports.value, 42);
    assert.equal(second.fromCache, true, 'V8 took the code from the cache');
    assert.equal(second.save(), undefined, 'nothing to write');
  });

  it('a bundle that throws while loading is not left half-registered (requireCached)', () => {
    const file = join(bundles, 'broken.js');
    writeFileSync(file, 'throw new Error("broken bundle");');
    assert.throws(() => requireCached(file, cacheDir), /broken bundle/);
    assert.equal(require.cache[file], undefined);
  });

  it('keys code by the SHA-256 of the whole source, hashed in slices, also where a slice ends inside a surrogate pair', () => {
    const whole = (text: string) => createHash('sha256').update(text).digest('hex');
    const texts = ['', 'x', 'a'.repeat(200_000), `${'a'.repeat(65_535)}😀${'ü€'.repeat(40_000)}`, `${'a'.repeat(7)}😀😀😀`];
    for (const text of texts) for (const slice of [64 * 1024, 8, 3]) assert.equal(contentHash(text, slice), whole(text), `${text.length} chars in slices of ${slice}`);
  });
});
