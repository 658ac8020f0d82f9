// The store's events and timers without the `vscode` module at run time, so that its polling rules and the way a
// deploy is followed are unit-tested with a clock the test moves (no sleeps). The shapes are VS Code's own
// (`vscode.Event`, `vscode.Disposable`), so callers cannot tell the difference.

import type * as vscode from 'vscode';

/** A `vscode.EventEmitter` of our own: listeners are called in the order they subscribed, synchronously. */
export class Emitter<T> {
  private listeners: ((e: T) => unknown)[] = [];
  private disposed = false;

  readonly event: vscode.Event<T> = (listener, thisArgs?, disposables?) => {
    const bound = (e: T) => listener.call(thisArgs, e);
    if (!this.disposed) this.listeners.push(bound);
    const subscription = { dispose: () => void (this.listeners = this.listeners.filter((l) => l !== bound)) };
    disposables?.push(subscription);
    return subscription;
  };

  fire(e: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(e);
      } catch {
        // One listener's failure must not keep the others from hearing the event (as VS Code's emitter does).
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.listeners = [];
  }
}

/** Wall-clock time and timers, injected: the extension uses the real ones, tests a clock they advance. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
