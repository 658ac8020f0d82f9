// The first look, step by step, in the log: each step once, with the milliseconds since activation, so that the
// time from opening a window to the first versions can be taken apart (activation, the first read, loading the
// AWS layer, the answer, the tree). Written at info level: a handful of lines per window.

import type * as vscode from 'vscode';

export class StartupTimeline {
  private readonly started = Date.now();
  private readonly seen = new Set<string>();

  constructor(private readonly log: Pick<vscode.LogOutputChannel, 'info'>) {}

  /** Logs `step` the first time it happens; later calls are ignored. */
  mark(step: string, detail?: string): void {
    if (this.seen.has(step)) return;
    this.seen.add(step);
    // The wall-clock time too: the log's own stamps are when the line reached the log, which at start-up can be
    // seconds later than when it was written.
    const now = new Date();
    this.log.info(`[startup] +${now.getTime() - this.started} ms (${now.toISOString()}) ${step}${detail ? `: ${detail}` : ''}`);
  }
}
