// A minimal `vscode` module for benchmarks that run extension code in plain Node: just what the entry bundle
// touches when it is required, and what the polling store uses (EventEmitter, Disposable).
import Module from 'node:module';

class Disposable {
  constructor(private readonly fn: () => void) {}
  dispose(): void {
    this.fn();
  }
}

class EventEmitter<T> {
  private listeners = new Set<(e: T) => void>();
  readonly event = (listener: (e: T) => void) => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

/** Anything else resolves to an inert object, so requiring a bundle never fails on a missing member. */
const inert: unknown = new Proxy(function () {}, { get: (_t, key) => (key === 'then' ? undefined : inert), apply: () => inert, construct: () => inert as object });

// esbuild's ESM interop copies the module's own keys, so members read at module load must exist for real.
const members: Record<string, unknown> = {
  EventEmitter,
  Disposable,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
};

export const vscodeStub = new Proxy(members, { get: (t, key: string) => (key in t ? t[key] : inert) });

export function installVscodeStub(): void {
  const original = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
  (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return vscodeStub;
    return original.call(this, request, ...rest);
  };
}
