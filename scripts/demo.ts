// `npm run demo`: the whole product on this machine. Builds the extension, starts the local AWS sandbox whose
// image tags are the commits of a demo Git repository, starts a real VS Code (code-server) with the extension
// installed from a freshly packaged .vsix (notification toasts show as in a normal VS Code), its environments
// pointing at the sandbox and the sandbox's credentials in the extension host's environment, and prints the URL
// to open. Ctrl+C stops everything.
//   npm run demo                      generated demo repository (a Spryker-like history with a module upgrade,
//                                     a schema change and a deploy.yml change: see harness/sprykerShop.ts)
//   npm run demo -- --repo <path>     use that repository instead (e.g. --repo . for this one)
//   npm run demo -- --desktop         open a desktop VS Code (`code` on PATH) instead of code-server
//   npm run demo -- --stage-seconds 5 slower pipeline stages
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox } from '../src/sandbox/index';
import { REPO_ROOT, startCodeServer } from './harness/codeServer';
import { harnessPaths } from './harness/config';
import { awsEnvironment } from './harness/sandbox';
import { writeShopHistory } from './harness/sprykerShop';

interface DemoOptions {
  readonly repo?: string;
  readonly desktop: boolean;
  readonly stageSeconds: number;
}

function parseArgs(argv: readonly string[]): DemoOptions {
  let repo: string | undefined;
  let desktop = false;
  let stageSeconds = 3;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--repo') repo = argv[++i];
    else if (a === '--desktop') desktop = true;
    else if (a === '--stage-seconds') stageSeconds = Number(argv[++i]);
    else if (a === '--help' || a === '-h') {
      console.log(fs.readFileSync(__filename, 'utf8').split('\n').slice(0, 9).join('\n'));
      process.exit(0);
    } else throw new Error(`Unknown option ${a} (see --help).`);
  }
  if (repo !== undefined && !fs.existsSync(path.join(path.resolve(repo), '.git'))) throw new Error(`--repo ${repo} is not a Git repository.`);
  if (!(stageSeconds > 0)) throw new Error('--stage-seconds must be a positive number.');
  return { ...(repo ? { repo: path.resolve(repo) } : {}), desktop, stageSeconds };
}

/** A repository with a believable Spryker history, dated in the past so the sandbox derives a deploy history from it. */
function createDemoRepo(dir: string): string {
  const root = path.join(dir, 'b2c-shop');
  writeShopHistory(root);
  // Editor settings written below are the demo's own, not part of its history.
  fs.appendFileSync(path.join(root, '.git', 'info', 'exclude'), '.vscode/\n');
  return root;
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  console.log('[demo] building the extension…');
  execFileSync(process.execPath, ['esbuild.js'], { cwd: REPO_ROOT, stdio: 'inherit' });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'spryker-deploy-demo-'));
  const repo = options.repo ?? createDemoRepo(scratch);
  const sandbox = await startSandbox({ port: 0, repo, stageSeconds: options.stageSeconds });
  console.log(`[demo] sandbox at ${sandbox.endpoint} (commits of ${repo})`);
  const settings = {
    'sprykerDeploy.environments': ['spryker-staging', 'spryker-prod'].map((name) => ({ name, endpoint: sandbox.endpoint, region: sandbox.region })),
    'sprykerDeploy.polling.activeSeconds': 2,
    'sprykerDeploy.polling.idleSeconds': 30,
  };
  const env = awsEnvironment(scratch, sandbox);
  const stops: (() => Promise<void> | void)[] = [() => sandbox.stop()];
  const stopAll = async () => {
    console.log('\n[demo] stopping…');
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch((e: unknown) => console.error(e));
    if (!options.repo) fs.rmSync(scratch, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('SIGINT', () => void stopAll());
  process.once('SIGTERM', () => void stopAll());

  if (options.desktop) {
    if (!onPath('code')) throw new Error('--desktop needs the `code` command of a desktop VS Code on PATH.');
    // A desktop VS Code reads workspace settings; the sandbox credentials reach its extension host via the environment.
    fs.mkdirSync(path.join(repo, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(repo, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
    const child = spawn('code', ['--new-window', '--extensionDevelopmentPath', REPO_ROOT, repo], { stdio: 'inherit', env: { ...process.env, ...env } });
    stops.push(() => void child.kill());
    console.log(`[demo] opened a desktop VS Code on ${repo}. Press Ctrl+C here to stop the sandbox.`);
    return;
  }

  if (!fs.existsSync(harnessPaths().stampFile)) {
    console.log('[demo] installing code-server (once, about 90 s)…');
  }
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(REPO_ROOT, 'scripts', 'harness', 'install.ts')], { stdio: 'inherit' });
  // Installed from a .vsix, as a user installs it, so that code-server can run without the smoke-test driver,
  // which would hide every notification toast (progress, approval, success, errors).
  console.log('[demo] packaging the extension…');
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const vsix = path.join(REPO_ROOT, 'dist', 'spryker-cloud-deploy.vsix');
  const server = await startCodeServer({ workspaceFolder: repo, extension: { kind: 'vsix', file: vsix }, settings, env, smokeTestDriver: false });
  stops.push(() => server.stop());
  console.log('');
  console.log(`  Open:      ${server.workbenchUrl()}`);
  console.log(`  Sandbox:   ${sandbox.endpoint}  (faults: curl -X POST -H 'x-sandbox-control: 1' -H 'content-type: application/json' ${sandbox.endpoint}/_sandbox/faults -d '{"fault":"throttle:0.3"}')`);
  console.log(`  Workspace: ${repo}`);
  if (onPath('code')) console.log('  (a desktop VS Code is on PATH: `npm run demo -- --desktop` opens it instead)');
  console.log('  Ctrl+C stops everything.');
}

main().catch((e: unknown) => {
  console.error(`[demo] ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
