// dist/cli.js, the `spryker-deploy` executable: answers --help, --version and bad input from the words alone
// (./commands), and only for a command to run loads the rest (./main, which is dist/cli-commands.js with the
// shared dist/core.js and, once AWS is called, dist/aws.js), with V8's compiled code of those bundles kept in
// the user's cache directory (./codeCache). #12: `--help` ≤ 1.2× and `status` ≤ 2× the start of `node -e 0`.

import { parseCommandLine } from './commands';

// dist/cli-commands.js takes the words from here (the one copy): cli.js is then a module like any other.
export * from './commands';

function start(argv: readonly string[]): void {
  const line = parseCommandLine(argv);
  if (line.kind === 'answer') {
    if (line.stdout !== undefined) process.stdout.write(`${line.stdout}\n`);
    if (line.stderr !== undefined) process.stderr.write(`${line.stderr}\n`);
    process.exitCode = line.code;
    return;
  }
  if (!process.env.SPRYKER_DEPLOY_NO_CODE_CACHE) {
    // Required here, not imported: --help and bad input never load node:crypto, node:vm and node:fs for it.
    const { useCodeCache } = require('../node/codeCache') as typeof import('../node/codeCache');
    const { userCacheDir } = require('./imageCache') as typeof import('./imageCache');
    const { dirname, join } = require('node:path') as typeof import('node:path');
    const cache = useCodeCache(join(userCacheDir(), 'v8'), dirname(__filename));
    process.once('exit', () => cache.save());
  }
  const cli = require('./main') as typeof import('./main');
  void cli.main(argv);
}

if (require.main === module) start(process.argv.slice(2));
