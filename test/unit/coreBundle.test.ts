// dist/core.js re-exports every module of src/core (`export * from` each, see esbuild.js), and the extension and
// the CLI import the core from it. A name two core modules both export would be ambiguous there and silently
// missing (undefined at run time), so every exported name must be unique across the core.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

describe('the shared core bundle (dist/core.js)', () => {
  it('every name a core module exports is exported by no other core module', () => {
    const dir = path.resolve(__dirname, '../../src/core');
    const owners = new Map<string, string[]>();
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const load: NodeJS.Require = require;
      const exported = Object.keys(load(path.join(dir, file)) as object).filter((k) => k !== '__esModule');
      for (const name of exported) owners.set(name, [...(owners.get(name) ?? []), file]);
    }
    assert.ok(owners.size > 50, 'the core modules were read');
    const shared = [...owners].filter(([, files]) => files.length > 1).map(([name, files]) => `${name} (${files.join(', ')})`);
    assert.deepEqual(shared, []);
  });
});
