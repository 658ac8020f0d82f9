import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileImageCache, forEndpoints, persistableEndpoint, userCacheDir } from '../../../src/cli/imageCache';

describe('FileImageCache', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sd-image-cache-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const images = [{ container: 'yves', image: 'repo/yves:' + 'a'.repeat(40), tag: 'a'.repeat(40) }];

  it('keeps images across instances (processes) in a file only the user can read', () => {
    const file = join(dir, 'sub', 'task-definitions.json');
    const first = new FileImageCache(file);
    assert.equal(first.get('k'), undefined);
    first.set('k', images);
    first.save();
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(new FileImageCache(file).get('k'), images);
  });

  it('treats a damaged or foreign file as empty and replaces it on the next save', () => {
    const file = join(dir, 'task-definitions.json');
    writeFileSync(file, '{"format":1,"entries":{"k":[{"container":1}]}');
    assert.equal(new FileImageCache(file).get('k'), undefined);
    writeFileSync(file, '{"format":1,"entries":{"bad":[{"container":1}],"good":' + JSON.stringify(images) + '}}');
    const cache = new FileImageCache(file);
    assert.equal(cache.get('bad'), undefined);
    assert.deepEqual(cache.get('good'), images);
  });

  it('keeps only the newest entries when it grows past its limit', () => {
    const file = join(dir, 'task-definitions.json');
    const cache = new FileImageCache(file, 3);
    for (const k of ['a', 'b', 'c', 'd']) cache.set(k, images);
    cache.save();
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(file, 'utf8')).entries), ['b', 'c', 'd']);
  });

  it('writes nothing when nothing was added', () => {
    const file = join(dir, 'task-definitions.json');
    new FileImageCache(file).save();
    assert.throws(() => statSync(file));
  });

  it('remembers nothing across runs for a loopback endpoint that names no sandbox world (a restarted sandbox reuses ARNs with other images)', async () => {
    assert.equal(persistableEndpoint(undefined), true);
    assert.equal(persistableEndpoint('https://vpce-1.ecs.eu-central-1.vpce.amazonaws.com'), true);
    for (const e of ['http://127.0.0.1:4566', 'http://localhost:4566', 'http://[::1]:4566', 'not a url', 'http://[::ffff:127.0.0.1]:4566', 'http://LOCALHOST.:4566', 'http://sandbox.localhost:4566', 'http://0.0.0.0:4566', 'http://[::]:4566']) {
      assert.equal(persistableEndpoint(e), false, e);
    }
    const cache = new FileImageCache(join(dir, 'task-definitions.json'));
    const viaEnv = forEndpoints(cache, 'http://127.0.0.1:4566', async () => undefined);
    assert.equal(await viaEnv.get('|arn:td:1'), undefined);
    assert.equal(await viaEnv.get('http://127.0.0.1:9|arn:td:2'), undefined);
    viaEnv.set('|arn:td:1', images);
    viaEnv.set('http://127.0.0.1:9|arn:td:2', images);
    viaEnv.set('https://vpce.example|arn:td:3', images);
    cache.save();
    assert.deepEqual(Object.keys((JSON.parse(readFileSync(join(dir, 'task-definitions.json'), 'utf8')) as { entries: object }).entries), ['https://vpce.example|arn:td:3']);
    const aws = forEndpoints(cache, undefined, async () => assert.fail('AWS endpoints are not asked for a world'));
    aws.set('|arn:td:4', images);
    assert.deepEqual(await aws.get('|arn:td:4'), images);
  });

  it('keeps a local sandbox\'s images under the world it names, and a new world (restart, reset) finds none of them', async () => {
    const file = join(dir, 'task-definitions.json');
    let world = 'world-one-0001';
    const asked: string[] = [];
    const run = () => {
      const cache = new FileImageCache(file);
      const persistent = forEndpoints(cache, 'http://127.0.0.1:4566', async (endpoint) => (asked.push(endpoint), world));
      return { cache, persistent };
    };
    const first = run();
    first.persistent.prefetch(undefined);
    assert.equal(await first.persistent.get('|arn:td:1'), undefined);
    first.persistent.set('|arn:td:1', images);
    first.cache.save();
    assert.deepEqual(asked, ['http://127.0.0.1:4566'], 'one question per endpoint and run');

    const second = run();
    assert.deepEqual(await second.persistent.get('|arn:td:1'), images);
    assert.equal(await second.persistent.get('http://127.0.0.1:9|arn:td:1'), undefined, 'another endpoint is another sandbox');

    world = 'world-two-0002';
    const afterReset = run();
    assert.equal(await afterReset.persistent.get('|arn:td:1'), undefined);
  });

  it('uses the platform cache directory', () => {
    assert.equal(userCacheDir({ XDG_CACHE_HOME: '/x' }, 'linux', '/home/u'), '/x/spryker-deploy');
    assert.equal(userCacheDir({}, 'linux', '/home/u'), '/home/u/.cache/spryker-deploy');
    assert.equal(userCacheDir({}, 'darwin', '/Users/u'), '/Users/u/Library/Caches/spryker-deploy');
    assert.equal(userCacheDir({ LOCALAPPDATA: 'C:\\L' }, 'win32', 'C:\\U'), join('C:\\L', 'spryker-deploy', 'Cache'));
  });
});
