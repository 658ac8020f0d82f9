// A moment in a window's start-up that happens once (e.g. "the first rows have gone out"): some parts wait for it,
// others only ask whether it has happened yet.

/** What waiters see: whether it has happened, and a promise that resolves when it does. */
export interface Milestone {
  readonly reached: boolean;
  readonly whenReached: Promise<void>;
}

export class OnceMilestone implements Milestone {
  private done = false;
  private resolve: () => void = () => undefined;
  readonly whenReached = new Promise<void>((resolve) => (this.resolve = resolve));

  get reached(): boolean {
    return this.done;
  }

  /** Marks it reached; later calls change nothing. */
  reach(): void {
    if (this.done) return;
    this.done = true;
    this.resolve();
  }
}
