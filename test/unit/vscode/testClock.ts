// Time for tests: it moves only when the test says.
import type { Clock } from '../../../src/vscode/store/events';

/** A clock whose time moves only when the test says; timers fire in order as it passes them. */
export class TestClock implements Clock {
  private time = Date.parse('2026-11-30T10:00:00Z');
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private ids = 0;

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.ids;
    this.timers.push({ at: this.time + ms, callback, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Moves time forward by `ms`, firing each timer due on the way and letting what it started finish. */
  async advance(ms: number, settled: () => Promise<void>): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = Math.max(this.time, next.at);
      next.callback();
      await settled();
    }
    this.time = end;
  }
}
