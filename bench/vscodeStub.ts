// A `vscode` module for running the production extension bundle in plain Node (the benchmarks' stand-in for the
// extension host): enough of the API for activate() to run for real, with what a benchmark needs to steer it —
// settings, the views' visibility, window focus — and the registered commands to call.
import Module from 'node:module';

export class Disposable {
  constructor(private readonly fn: () => void) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

export class EventEmitter<T> {
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

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
  cancel(): void {
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

/** Value classes the extension constructs (tree items, icons, ranges): they keep what they are given. */
class Value {
  constructor(...args: unknown[]) {
    Object.assign(this, { args });
  }
}
const values = Object.fromEntries(['CancellationError', 'MarkdownString', 'Position', 'Range', 'Selection', 'ThemeColor', 'ThemeIcon', 'TreeItem'].map((n) => [n, class extends Value {}]));
const Uri = {
  file: (fsPath: string) => ({ scheme: 'file', fsPath, path: fsPath, toString: () => `file://${fsPath}` }),
  parse: (value: string) => ({ scheme: value.split(':')[0], fsPath: value, path: value, toString: () => value }),
  joinPath: (base: { fsPath: string }, ...parts: string[]) => Uri.file([base.fsPath, ...parts].join('/')),
};

/** Anything not modelled resolves to an inert object, so code that merely touches it never fails. */
const inert: unknown = new Proxy(function () {}, { get: (_t, key) => (key === 'then' ? undefined : inert), apply: () => inert, construct: () => inert as object });
const event = () => new Disposable(() => undefined);

export interface HostState {
  /** Values of `sprykerDeploy.*` (user settings). */
  readonly settings: Record<string, unknown>;
  readonly commands: Map<string, (...args: unknown[]) => unknown>;
  setViewsVisible(visible: boolean): void;
  setFocused(focused: boolean): void;
}

export function installVscodeStub(options: { settings: Record<string, unknown>; viewsVisible: boolean; focused: boolean }): HostState {
  const views: { visible: boolean; emitter: EventEmitter<{ visible: boolean }> }[] = [];
  const windowState = { focused: options.focused };
  const windowStateEmitter = new EventEmitter<{ focused: boolean }>();
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const settings = options.settings;
  const configuration = (section = '') => ({
    get: <T>(key: string, fallback?: T) => (settings[`${section ? `${section}.` : ''}${key}`] as T | undefined) ?? fallback,
    inspect: <T>(key: string) => ({ key, globalValue: settings[`${section ? `${section}.` : ''}${key}`] as T | undefined }),
    has: (key: string) => `${section}.${key}` in settings,
    update: async () => undefined,
  });
  const members: Record<string, unknown> = {
    EventEmitter,
    Disposable,
    CancellationTokenSource,
    ...values,
    Uri,
    TextEditorRevealType: { Default: 0, InCenter: 1, InCenterIfOutsideViewport: 2, AtTop: 3 },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
    LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
    window: new Proxy(
      {
        state: windowState,
        onDidChangeWindowState: windowStateEmitter.event,
        createOutputChannel: () => new Proxy({}, { get: (_t, key) => (key === 'then' ? undefined : () => undefined) }),
        createTreeView: () => {
          const view = { visible: options.viewsVisible, emitter: new EventEmitter<{ visible: boolean }>() };
          views.push(view);
          return {
            get visible() {
              return view.visible;
            },
            onDidChangeVisibility: view.emitter.event,
            onDidChangeSelection: event,
            onDidExpandElement: event,
            onDidCollapseElement: event,
            reveal: async () => undefined,
            dispose: () => undefined,
          };
        },
        createStatusBarItem: () => ({ show: () => undefined, hide: () => undefined, dispose: () => undefined }),
        registerWebviewPanelSerializer: () => new Disposable(() => undefined),
        registerFileDecorationProvider: () => new Disposable(() => undefined),
      },
      { get: (t, key: string) => (key in t ? t[key as keyof typeof t] : key.startsWith('onDid') ? event : inert) },
    ),
    workspace: new Proxy(
      {
        isTrusted: true,
        workspaceFolders: undefined,
        getConfiguration: configuration,
        registerTextDocumentContentProvider: () => new Disposable(() => undefined),
      },
      { get: (t, key: string) => (key in t ? t[key as keyof typeof t] : key.startsWith('onDid') ? event : inert) },
    ),
    commands: {
      registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
        commands.set(id, handler);
        return new Disposable(() => commands.delete(id));
      },
      executeCommand: async (id: string, ...args: unknown[]) => commands.get(id)?.(...args),
    },
    extensions: { getExtension: () => undefined, onDidChange: event },
  };
  const stub = new Proxy(members, { get: (t, key: string) => (key in t ? t[key] : inert) });
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return stub;
    return original.call(this, request, ...rest);
  };
  return {
    settings,
    commands,
    setViewsVisible(visible) {
      for (const v of views) {
        v.visible = visible;
        v.emitter.fire({ visible });
      }
    },
    setFocused(focused) {
      windowState.focused = focused;
      windowStateEmitter.fire({ focused });
    },
  };
}
