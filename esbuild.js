// One esbuild context per bundle. The extension's entry bundle must stay small: everything that pulls in the
// AWS SDK (aws.js, cli.js) or is only needed on request (sandbox.js) is its own bundle, loaded lazily.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');
const { writeCodiconSubset } = require('./scripts/codiconSubset');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // The SDK ships ESM and CJS builds; the ESM build tree-shakes to about half the size.
  mainFields: ['module', 'main'],
  external: ['vscode'],
  // import() becomes require() (the SDK imports node:http and node:async_hooks that way): the CLI compiles its
  // bundles through vm.Script with V8's cached code (src/node/codeCache.ts), where import() has no loader.
  supported: { 'dynamic-import': false },
};

/**
 * Turns an import of another bundle's entry into a run-time require of that bundle, so that its code is loaded
 * once, from one file, and only when needed: the CLI uses the same tree-shaken dist/aws.js as the extension
 * instead of carrying its own copy of the SDK. `links` maps "<importer dir>|<specifier>" to the sibling file.
 */
function siblingBundles(links) {
  return {
    name: 'sibling-bundles',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        const key = `${path.relative(__dirname, args.resolveDir).split(path.sep).join('/')}|${args.path}`;
        return key in links ? { path: links[key], external: true } : undefined;
      });
    },
  };
}

/**
 * The pure core (src/core) is one bundle, dist/core.js, that the extension and the CLI both require at run time
 * instead of each carrying a copy: cli.js stays a small tool (#12: ≤ 60 KB) and the .vsix ships the core once.
 * Imports of src/core from outside it become a require of the sibling core.js; inside the core they stay internal.
 */
const coreDir = path.join(__dirname, 'src', 'core');
function sharedCore() {
  return {
    name: 'shared-core',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.importer.startsWith(coreDir + path.sep) || args.resolveDir.startsWith(coreDir)) return undefined;
        const target = path.resolve(args.resolveDir, args.path);
        return path.dirname(target) === coreDir ? { path: './core.js', external: true } : undefined;
      });
    },
  };
}
/** The core bundle's entry: every module of src/core re-exported (the names are unique across the core). */
const coreEntry = {
  contents: fs
    .readdirSync(coreDir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => `export * from './${f.slice(0, -3)}';`)
    .join('\n'),
  resolveDir: coreDir,
  sourcefile: 'src/core/(all).ts',
  loader: 'ts',
};

/**
 * The AWS SDK's imports of node:https and node:zlib in dist/aws.js load them on first use (src/aws/lazyBuiltins.ts):
 * a CLI status against an http: endpoint never loads TLS, and none loads zlib (#12). Only the SDK's imports
 * (from node_modules) are pointed there; ours and the shim's own stay Node's.
 */
function lazyBuiltins() {
  const shim = path.join(__dirname, 'src', 'aws', 'lazyBuiltins.ts').split(path.sep).join('/');
  const modules = {
    https: `import { lazyHttps } from ${JSON.stringify(shim)}; export default lazyHttps;`,
    zlib: `import { lazyZlib } from ${JSON.stringify(shim)}; export const crc32 = lazyZlib.crc32; export default lazyZlib;`,
  };
  return {
    name: 'lazy-builtins',
    setup(build) {
      build.onResolve({ filter: /^(node:)?(https|zlib)$/ }, (args) =>
        args.importer.includes(`${path.sep}node_modules${path.sep}`) ? { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({ contents: modules[args.path], loader: 'js', resolveDir: __dirname }));
    },
  };
}

/** @type {import('esbuild').BuildOptions[]} */
const bundles = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [sharedCore()] },
  // The approval and past-execution panels: loaded when the first panel opens (registerApprovalPanel), not at activation.
  { ...node, entryPoints: ['src/vscode/approval/panels.ts'], outfile: 'dist/panels.js', plugins: [sharedCore()] },
  { ...node, stdin: coreEntry, outfile: 'dist/core.js' },
  { ...node, entryPoints: ['src/aws/index.ts'], outfile: 'dist/aws.js', plugins: [lazyBuiltins()] },
  // The small JSON-protocol client of a status's reads, the CLI's and the extension's (src/aws/lean.ts, #12, #9):
  // no AWS SDK client in it, only the SDK's signer and retry strategy; the core from core.js.
  { ...node, entryPoints: ['src/aws/lean.ts'], outfile: 'dist/lean.js', plugins: [lazyBuiltins(), sharedCore()] },
  { ...node, entryPoints: ['src/sandbox/index.ts'], outfile: 'dist/sandbox.js' },
  {
    ...node,
    entryPoints: ['src/sandbox/cli.ts'],
    outfile: 'dist/sandbox-cli.js',
    plugins: [siblingBundles({ 'src/sandbox|./index': './sandbox.js' })],
  },
  // The CLI is two bundles. dist/cli.js, the executable, holds the words and the first decisions about a command
  // line (src/cli/bin.ts, ./commands): --help, --version and bad input load nothing else, not even the core
  // (its one core import, the approval comment's limit, is inlined). A command to run loads dist/cli-commands.js,
  // which takes the words from cli.js, the core from core.js and the SDK from aws.js (#12).
  {
    ...node,
    entryPoints: ['src/cli/bin.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    define: { __SPRYKER_DEPLOY_VERSION__: JSON.stringify(require('./package.json').version) },
    plugins: [siblingBundles({ 'src/cli|./main': './cli-commands.js' })],
  },
  {
    ...node,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli-commands.js',
    plugins: [siblingBundles({ 'src/cli|../aws': './aws.js', 'src/cli|../aws/lean': './lean.js', 'src/cli|../sandbox/cli': './sandbox-cli.js', 'src/cli|./commands': './cli.js' }), sharedCore()],
  },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview/main.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

/** Keeps the output of a bundle that is not written yet from failing the others (features land one by one). */
const existing = bundles.filter((b) => (b.entryPoints ?? []).every((e) => fs.existsSync(e)));

const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

async function main() {
  const contexts = await Promise.all(
    existing.map((b) => esbuild.context({ ...b, metafile: true, plugins: [...(b.plugins ?? []), ...(watch ? [problemMatcher] : [])] })),
  );
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  fs.mkdirSync('dist', { recursive: true });
  const meta = {};
  results.forEach((r, i) => (meta[existing[i].outfile] = r.metafile));
  fs.writeFileSync('dist/meta.json', JSON.stringify(meta));
  // Codicons are served to the webview from dist so that localResourceRoots can stay limited to dist, cut down to
  // the icons the webview can show (scripts/codiconSubset.js: the .vsix ≤ 350 KB of #12).
  await writeCodiconSubset(__dirname, path.join(__dirname, 'dist/codicons'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
