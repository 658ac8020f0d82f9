// The npm package as a user installs it: `npm pack` (which runs the production build), the tarball installed
// into an empty prefix with nothing else, and the installed `spryker-deploy` run against a sandbox that the
// installed package itself started. Nothing from the repository (sources, node_modules) is reachable from there.

import * as assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

/** What the package must contain, and nothing more. */
const EXPECTED_FILES = [
  'CHANGELOG.md',
  'LICENSE',
  'README.md',
  'dist/aws.js',
  'dist/cli-commands.js',
  'dist/cli.js',
  'dist/codicons/codicon.css',
  'dist/codicons/codicon.ttf',
  'dist/core.js',
  'dist/extension.js',
  'dist/lean.js',
  'dist/panels.js',
  'dist/sandbox-cli.js',
  'dist/sandbox.js',
  'dist/webview/main.css',
  'dist/webview/main.js',
  'media/activity-bar.svg',
  'media/icon.png',
  'package.json',
];

export interface InstalledPackage {
  readonly dir: string;
  readonly tarball: string;
  /** The installed bin, `<prefix>/bin/spryker-deploy`. */
  readonly bin: string;
  readonly prefix: string;
}

/** Packs the repository and installs the tarball globally into a fresh prefix (offline: it has no dependencies). */
export function packAndInstall(): InstalledPackage {
  const dir = mkdtempSync(join(tmpdir(), 'sd-pack-'));
  const out = execFileSync('npm', ['pack', '--pack-destination', dir, '--json'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const tarball = join(dir, (JSON.parse(out) as { filename: string }[])[0].filename);
  const prefix = join(dir, 'prefix');
  mkdirSync(prefix);
  execFileSync('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { dir, tarball, prefix, bin: join(prefix, 'bin', 'spryker-deploy') };
}

/** An environment with nothing of the developer's: no AWS files, no repository, only PATH for node and the bin. */
export function cleanEnv(pkg: InstalledPackage, home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: `${join(pkg.prefix, 'bin')}:${process.env.PATH}`,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

export interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runFile(file: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Result> {
  return new Promise((done) => {
    execFile(file, [...args], { cwd, env, timeout: 90_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Starts `spryker-deploy sandbox --port 0` from the installed package and reads the endpoint it prints. */
export function startInstalledSandbox(pkg: InstalledPackage, env: NodeJS.ProcessEnv, cwd: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(pkg.bin, ['sandbox', '--port', '0', '--stage-seconds', '0.1', '--seed', '7'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolveStart, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start in 60 s:\n${out}\n${err}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^\s*endpoint\s+(http:\/\/\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveStart({ child, endpoint: m[1] });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited with ${code}:\n${out}\n${err}`));
    });
  });
}

export function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

describe('the npm package, installed into an empty prefix', function () {
  this.timeout(300_000);
  let pkg: InstalledPackage;
  let home: string;
  let sandbox: { child: ChildProcess; endpoint: string } | undefined;

  before(() => {
    pkg = packAndInstall();
    home = mkdtempSync(join(tmpdir(), 'sd-pack-home-'));
  });
  after(async () => {
    await stopChild(sandbox?.child);
    if (pkg) rmSync(pkg.dir, { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('ships only the production bundles, the docs and the icons (no maps, metafile, sources or tests)', () => {
    const listed = execFileSync('tar', ['-tzf', pkg.tarball], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((f) => f.replace(/^package\//, ''))
      .sort();
    assert.deepEqual(listed, [...EXPECTED_FILES].sort());
    const installed = join(pkg.prefix, 'lib', 'node_modules', 'spryker-cloud-deploy');
    // A production bundle carries no source map reference.
    assert.doesNotMatch(execFileSync('tail', ['-c', '200', join(installed, 'dist', 'cli.js')], { encoding: 'utf8' }), /sourceMappingURL/);
    console.log(`      tarball ${(statSync(pkg.tarball).size / 1024).toFixed(1)} KB, cli.js ${(statSync(join(installed, 'dist', 'cli.js')).size / 1024).toFixed(1)} KB`);
  });

  it('the installed spryker-deploy prints its version', async () => {
    const r = await runFile(pkg.bin, ['--version'], cleanEnv(pkg, home), home);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), (require(join(ROOT, 'package.json')) as { version: string }).version);
  });

  it('starts its own sandbox, reads status --json and deploys through the approval against it', async () => {
    sandbox = await startInstalledSandbox(pkg, cleanEnv(pkg, home), home);
    const env = cleanEnv(pkg, home, { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    const cli = (...args: string[]) => runFile(pkg.bin, args, env, home);

    const status = await cli('status', '--json', '--env', 'spryker-staging');
    assert.equal(status.code, 0, status.stderr);
    const staging = JSON.parse(status.stdout).environments[0];
    assert.equal(staging.name, 'spryker-staging');
    assert.match(staging.lastDeployedVersion, /^[0-9a-f]{40}$/);
    assert.ok(staging.services.length > 0);

    const list = await cli('rollback', '--list', '--json', '--env', 'spryker-staging');
    assert.equal(list.code, 0, list.stderr);
    const target = (JSON.parse(list.stdout).candidates as { version: string; current: boolean }[]).find((c) => !c.current)!.version;

    const deploy = await cli('deploy', target, '--env', 'spryker-staging', '--poll', '0.1', '--json');
    assert.equal(deploy.code, 0, deploy.stderr);
    const started = JSON.parse(deploy.stdout);
    assert.equal(started.status, 'AwaitingApproval');
    assert.equal(started.version, target);

    const approve = await cli('approve', '--env', 'spryker-staging', '--wait', '--poll', '0.1', '--json');
    assert.equal(approve.code, 0, approve.stderr);
    const approved = JSON.parse(approve.stdout);
    assert.deepEqual([approved.executionId, approved.decision, approved.status], [started.executionId, 'Approved', 'Succeeded']);

    const after = JSON.parse((await cli('status', '--json', '--env', 'spryker-staging')).stdout).environments[0];
    assert.equal(after.lastDeployedVersion, target);
  });

  it('loads TLS only for an https endpoint: status over http loads neither node:https nor node:zlib (nor web streams or perf_hooks), and over https (a TLS endpoint in front of the sandbox) reads the same', async () => {
    const own = await startInstalledSandbox(pkg, cleanEnv(pkg, home), home);
    const certDir = mkdtempSync(join(tmpdir(), 'sd-pack-tls-'));
    let tlsServer: tls.Server | undefined;
    try {
      // A self-signed certificate for 127.0.0.1, trusted by the child through NODE_EXTRA_CA_CERTS.
      const [key, cert] = [join(certDir, 'key.pem'), join(certDir, 'cert.pem')];
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      const sandboxPort = Number(new URL(own.endpoint).port);
      const server = tls.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (socket) => {
        const upstream = net.connect(sandboxPort, '127.0.0.1');
        socket.pipe(upstream).pipe(socket);
        socket.on('error', () => upstream.destroy());
        upstream.on('error', () => socket.destroy());
      });
      tlsServer = server;
      await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
      const httpsEndpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

      const env = cleanEnv(pkg, home, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'eu-central-1', NODE_EXTRA_CA_CERTS: cert });
      const installedDist = join(pkg.prefix, 'lib', 'node_modules', 'spryker-cloud-deploy', 'dist');
      // The installed cli.js, with a preload that writes the Node modules the run loaded.
      const loadedFile = join(certDir, 'loaded.txt');
      const preload = join(certDir, 'loaded.js');
      writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loadedFile)}, process.moduleLoadList.join('\\n')));`);
      const status = async (endpoint: string) => {
        const r = await runFile(process.execPath, ['-r', preload, join(installedDist, 'cli.js'), 'status', '--json', '--env', 'spryker-staging', '--endpoint', endpoint], env, home);
        assert.equal(r.code, 0, r.stderr);
        const loaded = readFileSync(loadedFile, 'utf8').split('\n');
        return { environment: (JSON.parse(r.stdout) as { environments: { services: unknown[]; desiredVersion: string }[] }).environments[0], loaded };
      };
      const overHttp = await status(own.endpoint);
      assert.deepEqual(overHttp.loaded.filter((m) => /^NativeModule (https|tls|zlib)$/.test(m)), []);
      // The clients collect response bodies as Node streams (src/aws/streamCollector.ts) and time calls only for
      // a listener (src/aws/call.ts): #12's start-up, where each of these cost milliseconds.
      assert.deepEqual(overHttp.loaded.filter((m) => /^NativeModule (internal\/webstreams\/readablestream|internal\/perf\/performance|perf_hooks)$/.test(m)), []);
      const overHttps = await status(httpsEndpoint);
      assert.ok(overHttps.loaded.includes('NativeModule tls'), 'the https endpoint was reached over TLS');
      assert.deepEqual([overHttps.environment.desiredVersion, overHttps.environment.services], [overHttp.environment.desiredVersion, overHttp.environment.services]);
    } finally {
      await new Promise((closed) => (tlsServer ? tlsServer.close(closed) : closed(undefined)));
      await stopChild(own.child);
      rmSync(certDir, { recursive: true, force: true });
    }
  });

  /** The shell lines of a README CI example, in order (the `npm install -g` line is what before() did). */
  function ciLines(heading: string): string[] {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf(`${heading} (`);
    assert.ok(start >= 0, `README has no "${heading}" example`);
    const block = /```yaml\n([\s\S]*?)```/.exec(readme.slice(start))![1];
    const lines = block
      .split('\n')
      .map((l) => /^\s*- (?:run: )?(.*)$/.exec(l)?.[1])
      .filter((l): l is string => l !== undefined && /^(spryker-deploy |npm install -g |echo |curl |export AWS_)/.test(l));
    assert.ok(lines.includes('npm install -g spryker-cloud-deploy'), `${heading}: installs the package`);
    return lines.filter((l) => !l.startsWith('npm install -g '));
  }

  /** A web identity token as CI providers issue it (a JWT; the sandbox does not check its signature). */
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const TOKEN = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ sub: 'repo:acme/shop:ref:refs/heads/main', aud: 'sts.amazonaws.com' })}.c2ln`;
  const ROLE = { AWS_REGION: 'eu-central-1', AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/SprykerDeployCI' };

  for (const example of ['GitHub Actions', 'GitLab CI', 'Bitbucket Pipelines']) {
    it(`runs the README's ${example} jobs with web-identity credentials: staging and production deployed through approval`, async () => {
      sandbox ??= await startInstalledSandbox(pkg, cleanEnv(pkg, home), home);
      const repo = mkdtempSync(join(tmpdir(), 'sd-ci-repo-'));
      // GitHub's token endpoint, as the runner offers it to the job.
      const tokenServer = http.createServer((req, res) => {
        const ok = req.headers.authorization === 'bearer runner-secret' && (req.url ?? '').includes('audience=sts.amazonaws.com');
        res.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' }).end(ok ? JSON.stringify({ value: TOKEN }) : '{}');
      });
      await new Promise<void>((r) => tokenServer.listen(0, '127.0.0.1', r));
      try {
        writeFileSync(join(repo, '.spryker-deploy.json'), JSON.stringify({ environments: [{ name: 'spryker-staging' }, { name: 'spryker-prod', production: true }] }));
        const base = cleanEnv(pkg, home, { AWS_ENDPOINT_URL: sandbox.endpoint });
        const candidates = JSON.parse((await runFile(pkg.bin, ['rollback', '--list', '--json', '--env', 'spryker-staging', '--region', 'eu-central-1'], { ...base, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }, repo)).stdout)
          .candidates as { version: string; current: boolean }[];
        const sha = candidates.filter((c) => !c.current)[['GitHub Actions', 'GitLab CI', 'Bitbucket Pipelines'].indexOf(example) % 2].version;
        const tokenFile = join(repo, 'web-identity-token');
        const ci: Record<string, Record<string, string>> = {
          'GitHub Actions': {
            ...ROLE,
            AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
            GITHUB_SHA: sha,
            GITHUB_ACTOR: 'octocat',
            ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token?api-version=2.0`,
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-secret',
          },
          'GitLab CI': { ...ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, CI_COMMIT_SHA: sha, GITLAB_USER_LOGIN: 'jane', AWS_ID_TOKEN: TOKEN },
          // The Bitbucket step exports its own AWS_* variables.
          'Bitbucket Pipelines': { BITBUCKET_COMMIT: sha, BITBUCKET_STEP_OIDC_TOKEN: TOKEN, BITBUCKET_BUILD_NUMBER: '42' },
        };
        const script = ['set -euo pipefail', ...ciLines(example)].join('\n');
        const before = sandbox.endpoint && (await (await fetch(`${sandbox.endpoint}/_sandbox/requests`)).json() as { total: number }).total;
        const r = await runFile('bash', ['-c', script], { ...base, ...ci[example] }, repo);
        assert.equal(r.code, 0, `${example} jobs failed:\n${r.stderr}`);
        // Each approve --wait printed its execution as Succeeded.
        const results = r.stdout.trim().split(/\n(?=\{)/).map((j) => JSON.parse(j) as { environment: string; status: string; decision?: string });
        assert.deepEqual(
          results.map((j) => `${j.environment} ${j.decision ?? 'deploy'} ${j.status}`),
          ['spryker-staging deploy AwaitingApproval', 'spryker-staging Approved Succeeded', 'spryker-prod deploy AwaitingApproval', 'spryker-prod Approved Succeeded'],
        );
        const status = JSON.parse((await runFile(pkg.bin, ['status', '--json'], { ...base, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }, repo)).stdout);
        assert.deepEqual(status.environments.map((e: { lastDeployedVersion: string }) => e.lastDeployedVersion), [sha, sha]);
        // No long-term keys were given to the jobs: every call ran on the role STS handed out.
        const log = (await (await fetch(`${sandbox.endpoint}/_sandbox/requests?since=${before}`)).json()) as { requests: { service: string; operation: string; status: number }[] };
        assert.ok(log.requests.some((q) => q.service === 'sts' && q.operation === 'AssumeRoleWithWebIdentity' && q.status === 200));
      } finally {
        tokenServer.close();
        rmSync(repo, { recursive: true, force: true });
        // The Bitbucket example writes its token where a CI step would.
        rmSync('/tmp/aws-web-identity-token', { force: true });
      }
    });
  }
});
