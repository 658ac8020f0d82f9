// The architecture's shape, checked on the sources: the folders of src/vscode (and src as a whole) import each
// other in one direction only, so a part can be read, tested and moved without dragging its dependants along.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const SRC = path.resolve(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

/**
 * What a file belongs to for this check: its folder (`vscode/tree`, `core`...), except that the files directly
 * in src/vscode (contracts, notifier, settings...) are each a unit of their own.
 */
function unit(file: string): string {
  const folder = path.relative(SRC, path.dirname(file)).split(path.sep).join('/') || '.';
  return folder === 'vscode' ? `vscode/${path.basename(file).replace(/\.ts$/, '')}` : folder;
}

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = unit(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^;]*?from '(\.[^']+)'/gms)) {
      const to = unit(path.resolve(path.dirname(file), m[1]));
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'open') return [...trail.slice(trail.indexOf(n)), n];
    state.set(n, 'open');
    trail.push(n);
    for (const next of graph.get(n) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    trail.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of graph.keys()) {
    const cycle = visit(n);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('architecture', () => {
  it('source folders import each other without a cycle (e.g. tree/ and commits/, notifier and deploy/)', () => {
    const graph = folderGraph();
    assert.ok(graph.get('vscode/commits')?.has('vscode/tree'), 'the check sees the imports (commits/ builds on tree/)');
    assert.equal(findCycle(graph)?.join(' → '), undefined);
  });

  it('finds a cycle when there is one (the check itself can fail)', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    assert.deepEqual(findCycle(graph), ['a', 'b', 'c', 'a']);
  });

  it('src/vscode depends on the EnvironmentStore interface, not on the polling store (only the composition root builds it)', () => {
    const users = sourceFiles(SRC).filter((f) => /\bPollingEnvironmentStore\b/.test(readFileSync(f, 'utf8'))).map((f) => path.relative(SRC, f).split(path.sep).join('/'));
    assert.deepEqual(users.sort(), ['extension.ts', 'vscode/store/environmentStore.ts', 'vscode/testApi.ts']);
  });
});
