// The webview's icon font, cut down to the icons it can show. The full @vscode/codicons font is 126 KB (61 KB
// compressed, a sixth of the .vsix); the webview uses a few dozen of its ~650 icons. We keep every icon whose name
// appears as a string literal or a `codicon-<name>` class in the code that builds the webview (its script and
// styles, the host's view models, the core whose values it shows): a superset, so an icon chosen from a map or
// passed in a view model is kept too. subset-font (harfbuzz's own subsetter, as WebAssembly) writes the font; the
// CSS keeps its @font-face, base and modifier rules and the rules of the kept icons only.
const fs = require('node:fs');
const path = require('node:path');

const SOURCES = ['src/webview', 'src/vscode/approval', 'src/core'];

function sourceFiles(root) {
  return SOURCES.flatMap((dir) =>
    fs
      .readdirSync(path.join(root, dir), { recursive: true })
      .filter((f) => /\.(ts|css)$/.test(f))
      .map((f) => path.join(root, dir, f)),
  );
}

/** Every token of the sources that could name an icon: quoted strings and `codicon-<name>` classes. */
function candidateNames(root) {
  const names = new Set();
  for (const file of sourceFiles(root)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/['"`]([a-z0-9]+(?:-[a-z0-9]+)*)['"`]/g)) names.add(m[1]);
    for (const m of text.matchAll(/codicon-([a-z0-9]+(?:-[a-z0-9]+)*)/g)) names.add(m[1]);
  }
  return names;
}

/** Writes dist/codicons/codicon.{css,ttf} holding only the icons the webview can show; returns their names. */
async function writeCodiconSubset(root, outDir) {
  const subsetFont = require('subset-font');
  const srcDir = path.join(root, 'node_modules/@vscode/codicons/dist');
  const css = fs.readFileSync(path.join(srcDir, 'codicon.css'), 'utf8');
  const wanted = candidateNames(root);
  const iconRule = /^\.codicon-([a-z0-9-]+):before \{ content: "\\([0-9a-f]+)" \}\n/gm;
  const kept = [];
  const codepoints = new Set();
  const subsetCss = css.replace(iconRule, (rule, name, hex) => {
    if (!wanted.has(name)) return '';
    kept.push(name);
    codepoints.add(String.fromCodePoint(parseInt(hex, 16)));
    return rule;
  });
  const font = await subsetFont(fs.readFileSync(path.join(srcDir, 'codicon.ttf')), [...codepoints].join(''), { targetFormat: 'truetype' });
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'codicon.ttf'), font);
  fs.writeFileSync(path.join(outDir, 'codicon.css'), subsetCss);
  return kept;
}

module.exports = { writeCodiconSubset };
