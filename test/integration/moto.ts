// moto_server, an emulator built from the same AWS models as the sandbox but not by us: the cross-checks start one
// on a free port. Fails (does not skip) without moto_server.
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { waitFor } from './sandbox/helpers';

const MOTO_HINT =
  'moto_server is required by this cross-check and was not found on PATH. Install it: `pip install "moto[server]"` (PyPI) ' +
  'or add it to the CI image; the test does not skip silently.';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface Moto {
  readonly endpoint: string;
  stop(): void;
}

/** Starts moto_server and resolves once it answers. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const spawnError = new Promise<never>((_, reject) => moto.once('error', (e: NodeJS.ErrnoException) => reject(new Error(e.code === 'ENOENT' ? MOTO_HINT : e.message))));
  const ready = waitFor('moto_server to listen', () => fetch(`http://127.0.0.1:${port}/moto-api/`).then(() => true, () => undefined), 30_000, 100);
  try {
    await Promise.race([ready, spawnError]);
  } catch (e) {
    moto.kill();
    throw e;
  }
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => void moto.kill() };
}
