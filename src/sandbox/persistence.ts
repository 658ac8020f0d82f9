// --state: the world is saved to a file (atomically, see saveWorld) and loaded on the next start.
import { saveWorld, type World } from './world';

const SAVE_DEBOUNCE_MS = 250;

/**
 * Saves the world after it changed. A change made by an AWS or control request is written before the answer
 * leaves (flush), so a kill right after an acknowledged write loses nothing; changes the engine makes on its
 * own timer are saved a short while later, so a burst of them costs one write.
 */
export class WorldPersistence {
  private saveTimer: NodeJS.Timeout | undefined;
  private dirty = false;

  constructor(
    private readonly stateFile: string | undefined,
    private readonly current: () => { world: World; now: number },
    private readonly onBackgroundSaveError: (error: Error) => void = (error) => console.error(`[sandbox] ${error.message}`),
  ) {}

  /** The world changed: save it soon. */
  readonly changed = (): void => {
    if (!this.stateFile) return;
    this.dirty = true;
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      try {
        this.saveNow();
      } catch (e) {
        this.onBackgroundSaveError(e as Error);
      }
    }, SAVE_DEBOUNCE_MS);
    this.saveTimer.unref();
  };

  /** Saves now if anything changed since the last save; throws a StateFileError when the file cannot be written. */
  flush(): void {
    if (this.dirty) this.saveNow();
  }

  saveNow(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.stateFile) return;
    const { world, now } = this.current();
    try {
      saveWorld(this.stateFile, world, now);
    } catch (e) {
      throw new StateFileError(`Cannot write the state file ${this.stateFile}: ${(e as Error).message}. Choose a writable path for --state.`, { cause: e });
    }
    this.dirty = false;
  }
}

export class StateFileError extends Error {}
