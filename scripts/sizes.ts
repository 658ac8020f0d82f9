// The size limits of #12, checked by CI after `npm run package` (`npx tsx scripts/sizes.ts <vsix>`) and printed by
// `npm run bench`: the CLI's executable stays a small tool, the extension's entry carries no AWS SDK, the .vsix
// stays small. Reads the production bundles in dist/ and their esbuild metafile; exits 1 naming every breach.
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

export interface SizeFigure {
  readonly label: string;
  readonly value: string;
  readonly target: string;
  readonly ok: boolean | undefined;
}

const KB = 1024;

/** The figures of the bundles in `dist` (production build) and of the packaged .vsix, each with its limit. */
export function sizeFigures(dist: string, vsix: string): SizeFigure[] {
  const kb = (file: string) => statSync(file).size / KB;
  const meta = JSON.parse(readFileSync(path.join(dist, 'meta.json'), 'utf8')) as Record<string, { inputs: Record<string, unknown> }>;
  const sdkInEntry = Object.keys(meta['dist/extension.js'].inputs).filter((i) => /@aws-sdk|@smithy/.test(i)).length;
  const cli = kb(path.join(dist, 'cli.js'));
  const commands = kb(path.join(dist, 'cli-commands.js'));
  const entry = kb(path.join(dist, 'extension.js'));
  const pkg = kb(vsix);
  // Modules of the AWS SDK with code in lean.js (its type-only imports are inputs with nothing in the output).
  const leanOutput = (meta['dist/lean.js'] as unknown as { outputs?: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> } | undefined)?.outputs?.['dist/lean.js'];
  const sdkInLean = leanOutput ? Object.entries(leanOutput.inputs).filter(([i, v]) => /@aws-sdk/.test(i) && v.bytesInOutput > 0).length : undefined;
  return [
    { label: 'dist/cli.js (the executable: --help, --version, bad input)', value: `${cli.toFixed(1)} KB`, target: '≤ 60 KB', ok: cli <= 60 },
    { label: 'dist/cli-commands.js (loaded to run a command)', value: `${commands.toFixed(1)} KB`, target: '—', ok: undefined },
    { label: 'dist/extension.js (AWS SDK modules in it)', value: `${entry.toFixed(1)} KB (${sdkInEntry})`, target: '≤ 150 KB, 0', ok: entry <= 150 && sdkInEntry === 0 },
    {
      label: "dist/lean.js (status's reads; AWS SDK modules in it)",
      value: `${kb(path.join(dist, 'lean.js')).toFixed(1)} KB (${sdkInLean ?? '?'})`,
      target: '0',
      ok: sdkInLean === 0,
    },
    { label: 'dist/aws.js (loaded on the first AWS call)', value: `${kb(path.join(dist, 'aws.js')).toFixed(0)} KB`, target: '—', ok: undefined },
    { label: 'the packaged .vsix', value: `${pkg.toFixed(1)} KB`, target: '≤ 350 KB', ok: pkg <= 350 },
  ];
}

if (require.main === module) {
  const vsix = process.argv[2];
  if (!vsix) {
    console.error('usage: tsx scripts/sizes.ts <packaged .vsix>');
    process.exit(2);
  }
  const figures = sizeFigures(path.resolve(__dirname, '..', 'dist'), vsix);
  for (const f of figures) console.log(`${f.label.padEnd(62)} ${f.value.padEnd(16)} target ${f.target}`);
  const breaches = figures.filter((f) => f.ok === false);
  for (const f of breaches) console.error(`[sizes] over its limit: ${f.label} is ${f.value} (target ${f.target})`);
  process.exit(breaches.length > 0 ? 1 : 0);
}
