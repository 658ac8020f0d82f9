// The CLI keeps task definition images across runs in the user's cache directory. A local sandbox reuses revision
// ARNs from one world to the next (a restart or reset registers `family:1` again, here with other images), so its
// images are kept under the world it names (GET /_sandbox/health): a second status of the same world makes no
// DescribeTaskDefinition call (6 calls, as against AWS), and the first status of a new world shows that world's
// images, never the old ones.

import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { sandboxWorld } from '../../../src/cli/imageCache';
import { runCli } from './cliRunner';

describe('spryker-deploy status: task definition images kept per sandbox world', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let home: string;

  before(async () => {
    sandbox = await startSandbox({ stageSeconds: 3600, seed: 5 });
    home = mkdtempSync(join(tmpdir(), 'sd-cli-images-'));
    writeFileSync(join(home, '.spryker-deploy.json'), JSON.stringify({ environments: [{ name: 'spryker-staging' }] }));
  });
  after(async () => {
    await sandbox.stop();
    rmSync(home, { recursive: true, force: true });
  });

  type ServiceImages = { name: string; images: { image: string }[] };
  async function status(): Promise<{ services: ServiceImages[]; operations: string[] }> {
    sandbox.clearRequests();
    const r = await runCli(sandbox, home, ['status', '--json'], home);
    assert.equal(r.code, 0, r.stderr);
    const env = (JSON.parse(r.stdout) as { environments: { services: ServiceImages[] }[] }).environments[0];
    return { services: env.services, operations: sandbox.requests().map((q) => q.operation) };
  }
  const describeTaskDefinitions = (ops: string[]) => ops.filter((o) => o === 'DescribeTaskDefinition').length;

  it('a second status of the same world reads no task definition; a reset world is read again and shows its own images', async () => {
    const first = await status();
    assert.ok(describeTaskDefinitions(first.operations) > 0, `the first run reads the task definitions: ${first.operations.join(', ')}`);

    const second = await status();
    assert.equal(describeTaskDefinitions(second.operations), 0, second.operations.join(', '));
    assert.equal(second.operations.length, 6, second.operations.join(', '));
    assert.deepEqual(second.services, first.services);

    // A fresh world on the same endpoint: the same revision ARNs, pinned by digest this time.
    sandbox.control.reset({ shapes: ['digest-pinned-images'] });
    const third = await status();
    assert.ok(describeTaskDefinitions(third.operations) > 0, third.operations.join(', '));
    const images = third.services.flatMap((s) => s.images.map((i) => i.image));
    assert.ok(images.length > 0 && images.every((i) => i.includes('@sha256:')), images.join('\n'));
  });

  it('asks a loopback endpoint for its world: the sandbox names one, anything else none', async () => {
    const world = await sandboxWorld(sandbox.endpoint);
    assert.match(world ?? '', /^[0-9a-f-]{36}$/);
    sandbox.control.reset();
    assert.notEqual(await sandboxWorld(sandbox.endpoint), world);
    assert.equal(await sandboxWorld('http://127.0.0.1:1'), undefined);
    assert.equal(await sandboxWorld('https://127.0.0.1:1'), undefined);
  });

  it("keeps the world's answer that arrived while the CLI's event loop was held past the timeout (the SDK loading on a busy machine)", async () => {
    // A sandbox stand-in in another process: it says when the request reached it and answers 50 ms later, while
    // this process is held, so that the answer waits on the socket when the timeout fires.
    const server = spawn(
      process.execPath,
      [
        '-e',
        `require('node:http').createServer((req, res) => { process.stdout.write('received\\n'); setTimeout(() => res.end(JSON.stringify({ world: 'held-loop-world-1' })), 50); })
           .listen(0, '127.0.0.1', function () { process.stdout.write('port ' + this.address().port + '\\n'); });`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const lines: string[] = [];
      const said = (pattern: RegExp) =>
        new Promise<string>((resolve) => {
          const check = () => lines.find((l) => pattern.test(l));
          server.stdout!.on('data', (chunk: Buffer) => {
            lines.push(...chunk.toString().split('\n'));
            const line = check();
            if (line) resolve(line);
          });
        });
      const port = Number((await said(/^port \d+$/)).split(' ')[1]);
      const received = said(/^received$/);
      const asked = sandboxWorld(`http://127.0.0.1:${port}`, 100);
      await received;
      // Held for 400 ms: the stand-in answers meanwhile, and the 100 ms timeout is long past when the loop comes back.
      const until = Date.now() + 400;
      while (Date.now() < until);
      assert.equal(await asked, 'held-loop-world-1');
    } finally {
      server.kill();
    }
  });
});
