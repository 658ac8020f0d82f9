// --state: the world is saved to a file (atomically, see saveWorld) and loaded on the next start.
import { saveWorld, type World } from './world';

const SAVE_DEBOUNCE_MS = 250;

/** Saves the world a short while after it changed, so a burst of changes costs one write. */
export class WorldPersistence {
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stateFile: string | undefined,
    private readonly current: () => { world: World; now: number },
  ) {}

  get enabled(): boolean {
    return this.stateFile !== undefined;
  }

  /** The world changed: save it soon. */
  readonly changed = (): void => {
    if (!this.stateFile || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.saveNow(), SAVE_DEBOUNCE_MS);
    this.saveTimer.unref();
  };

  saveNow(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.stateFile) return;
    const { world, now } = this.current();
    saveWorld(this.stateFile, world, now);
  }
}
