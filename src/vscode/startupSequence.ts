// The order of a window's first seconds, which the extension host shares with VS Code's requests for our rows:
// when the AWS layer loads (it holds the extension host for 150 ms to 1 s), when the first AWS read may start and
// when the built-in Git extension is asked for (about half a second of the same host). No vscode import: the
// composition root passes the views, the store and Git in, and tests a clock they move.

import type { Milestone } from '../core/milestone';
import type { Clock } from './store/events';

/** After the rows have gone out, a moment more: they are answered while the milestone is reached. */
export const AFTER_ROWS_MS = 50;
/** A window that shows its kept state reads AWS at the latest this long after activation. */
export const KEPT_READ_AT_LATEST_MS = 3_000;
/** Git is asked for at the latest this long after activation. */
export const GIT_AT_LATEST_MS = 5_000;

export interface WatchedView {
  readonly id: string;
  readonly visible: boolean;
  onDidChangeVisibility(listener: (e: { readonly visible: boolean }) => void): { dispose(): void };
}

export interface StartupDeps {
  readonly clock: Clock;
  /** Every environment shows an earlier window's last known state: its rows are drawn before any read. */
  readonly kept: boolean;
  /** Environments are configured: a view that shows will read them. */
  readonly hasEnvironments: boolean;
  /** Loads the AWS layer without calling AWS. */
  warmUp(): void;
  /** Rows with a status (kept or read) have gone out to VS Code. */
  readonly rowsDrawn: Milestone;
  /** Rows with what this window read have gone out. */
  readonly freshRowsDrawn: Milestone;
  readonly views: readonly WatchedView[];
  /** The store polls while a view is visible: telling it a view shows is what starts the first read. */
  setViewVisible(id: string, visible: boolean): void;
  /** Starts Git (once; the sequence never calls it twice) and resolves when it is ready. */
  startGit(): Promise<void>;
  /** Whether Git has not answered yet (nobody asked, or it is starting). */
  gitPending(): boolean;
  mark?(step: string): void;
}

/**
 * A window with nothing kept loads the AWS layer right after activation, while VS Code is still showing the view
 * (0.8-1 s measured), and reads as soon as a view shows: its first rows wait for that read anyway. Loading the
 * layer when the view showed put it between VS Code's request for the rows and their answer (0.3-0.5 s). A window
 * that shows every environment's last known state draws those rows first and reads after them (3 s at the
 * latest). Git is asked for once rows with this window's versions have gone out (5 s at the latest), or sooner by
 * whoever needs it (`gitAsked`).
 */
export class StartupSequence {
  private reading: boolean;
  private readTimer: unknown;
  private warmUpTimer: unknown;
  private readonly gitTimer: unknown;
  private gitStarting: Promise<void> | undefined;
  private disposed = false;
  private readonly subscriptions: { dispose(): void }[] = [];

  constructor(private readonly deps: StartupDeps) {
    const { clock } = deps;
    this.reading = !deps.kept;
    // No AWS call: the layer only (about 4 MB of heap kept), in a window that reads as soon as a view shows.
    if (!deps.kept && deps.hasEnvironments) this.warmUpTimer = clock.setTimeout(() => deps.warmUp(), 0);
    if (deps.kept) this.readTimer = clock.setTimeout(() => this.startReading(), KEPT_READ_AT_LATEST_MS);
    void deps.rowsDrawn.whenReached.then(() => this.later(() => this.startReading()));
    for (const view of deps.views) {
      if (this.reading && view.visible) deps.setViewVisible(view.id, true);
      this.subscriptions.push(
        view.onDidChangeVisibility((e) => {
          if (e.visible) deps.mark?.(`${view.id} view visible`);
          // Before reading starts, a view that shows is told when reading starts (its visibility read then).
          if (this.reading || !e.visible) deps.setViewVisible(view.id, e.visible);
        }),
      );
    }
    void deps.freshRowsDrawn.whenReached.then(() => this.later(() => void this.startGit()));
    this.gitTimer = clock.setTimeout(() => void this.startGit(), GIT_AT_LATEST_MS);
  }

  /** Starts Git if nobody has and waits for it, at most `atMostMs`: "no repository is open" would not be true. */
  async gitAsked(atMostMs: number): Promise<void> {
    if (!this.deps.gitPending()) return;
    let timer: unknown;
    await Promise.race([this.startGit(), new Promise<void>((resolve) => (timer = this.deps.clock.setTimeout(resolve, atMostMs)))]);
    this.deps.clock.clearTimeout(timer);
  }

  dispose(): void {
    this.disposed = true;
    this.deps.clock.clearTimeout(this.warmUpTimer);
    this.deps.clock.clearTimeout(this.readTimer);
    this.deps.clock.clearTimeout(this.gitTimer);
    for (const s of this.subscriptions) s.dispose();
  }

  private later(step: () => void): void {
    if (!this.disposed) this.deps.clock.setTimeout(step, AFTER_ROWS_MS);
  }

  private startReading(): void {
    if (this.reading || this.disposed) return;
    this.reading = true;
    this.deps.clock.clearTimeout(this.readTimer);
    for (const view of this.deps.views) this.deps.setViewVisible(view.id, view.visible);
  }

  private startGit(): Promise<void> {
    if (this.gitStarting) return this.gitStarting;
    this.deps.clock.clearTimeout(this.gitTimer);
    return (this.gitStarting = this.deps.startGit());
  }
}
