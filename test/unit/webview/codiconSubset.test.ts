import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const { writeCodiconSubset } = require('../../../scripts/codiconSubset') as {
  writeCodiconSubset(root: string, outDir: string): Promise<string[]>;
};

const root = path.resolve(__dirname, '../../..');

/** The icon names the webview's script asks for by name: `icon('x')` calls and the values of its icon maps. */
function iconsTheWebviewNames(): string[] {
  const main = fs.readFileSync(path.join(root, 'src/webview/main.ts'), 'utf8');
  const direct = [...main.matchAll(/icon\('([a-z0-9-]+)'/g)].map((m) => m[1]);
  const risk = main.slice(main.indexOf('const RISK_ICONS'), main.indexOf('};', main.indexOf('const RISK_ICONS')));
  const mapped = [...risk.matchAll(/: '([a-z0-9-]+)'/g)].map((m) => m[1]);
  return [...new Set([...direct, ...mapped])];
}

describe('the webview icon font subset', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'codicons-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps every icon the webview names, each with its CSS rule, in a font a fraction of the full one', async () => {
    const kept = await writeCodiconSubset(root, dir);
    const named = iconsTheWebviewNames();
    assert.ok(named.length > 20, `found only ${named.length} icon names in the webview: the scan is broken`);
    const css = fs.readFileSync(path.join(dir, 'codicon.css'), 'utf8');
    for (const name of named) {
      assert.ok(kept.includes(name), `icon "${name}" is used by the webview but not kept`);
      assert.match(css, new RegExp(`^\\.codicon-${name}:before \\{`, 'm'));
    }
    assert.match(css, /@font-face/);
    assert.match(css, /\.codicon-modifier-spin/);
    assert.doesNotMatch(css, /^\.codicon-github-alt:before/m, 'an icon nothing names is dropped');
    const full = fs.statSync(path.join(root, 'node_modules/@vscode/codicons/dist/codicon.ttf')).size;
    const subset = fs.statSync(path.join(dir, 'codicon.ttf')).size;
    assert.ok(subset < full / 4, `subset ${subset} bytes vs full ${full}`);
  });
});
