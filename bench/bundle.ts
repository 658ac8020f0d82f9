// `npm run bench:bundle`: the production size of the extension's entry bundle against the AWS bundle it loads
// lazily, and a check that no AWS SDK module made it into the entry bundle.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const LIMIT = 150 * 1024;

execFileSync(process.execPath, ['esbuild.js', '--production'], { cwd: root, stdio: 'inherit' });
const size = (f: string) => fs.statSync(path.join(root, 'dist', f)).size;
const meta = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'meta.json'), 'utf8')) as Record<string, { inputs: Record<string, unknown> }>;
const sdkInEntry = Object.keys(meta['dist/extension.js'].inputs).filter((i) => /@aws-sdk|@smithy/.test(i));
const ext = size('extension.js');
const aws = size('aws.js');
console.log(`dist/extension.js  ${ext} bytes (${(ext / 1024).toFixed(1)} KB, limit ${LIMIT / 1024} KB)`);
console.log(`dist/aws.js        ${aws} bytes (${(aws / 1024).toFixed(1)} KB)`);
console.log(`dist/sandbox.js    ${size('sandbox.js')} bytes`);
console.log(`entry / aws ratio  ${(ext / aws).toFixed(3)}`);
console.log(`AWS SDK modules in the entry bundle: ${sdkInEntry.length}`);
if (ext > LIMIT || sdkInEntry.length > 0) {
  console.error('FAIL: the entry bundle is over its limit or contains the AWS SDK');
  process.exit(1);
}
