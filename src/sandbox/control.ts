// The control handle: faults, stage duration, the clock and reset, for tests and (through the control API) the demo.
import { checkFault, type FaultRule } from './faults';
import type { SandboxRuntime } from './runtime';
import { checkScenario } from './scenarios';
import { checkShapes } from './shapes';
import type { SandboxControl } from './types';

/** The active faults, shared by the control handle (which changes them) and the AWS dispatcher (which applies them). */
export class FaultSet {
  private rules: FaultRule[];
  constructor(initial: readonly (string | FaultRule)[]) {
    this.rules = initial.map(checkFault);
  }
  get current(): readonly FaultRule[] {
    return this.rules;
  }
  set(list: readonly (string | FaultRule)[]): void {
    this.rules = list.map(checkFault);
  }
  add(fault: string | FaultRule): void {
    this.rules = [...this.rules, checkFault(fault)];
  }
  clear(): void {
    this.rules = [];
  }
}

/** Replaces where a fresh world takes its commits from (throws, changing nothing, when the repository is unusable). */
export type CommitSourceSetter = (repo: string | null) => void;

/** The real-world shapes the next fresh world produces; undefined: those the sandbox started with. */
export type ShapesSetter = (shapes: readonly unknown[] | undefined) => void;

export function createControl(runtime: SandboxRuntime, faults: FaultSet, setCommitSource: CommitSourceSetter, setShapes: ShapesSetter): SandboxControl {
  return {
    faults: () => [...faults.current],
    setFaults: (list) => faults.set(list),
    addFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    stageSeconds: () => runtime.engine.stageMs / 1000,
    setStageSeconds: (seconds) => {
      if (typeof seconds !== 'number' || !(seconds > 0) || seconds > 3600) throw new Error('Stage seconds must be a number above 0 and at most 3600.');
      runtime.engine.setStageMs(seconds * 1000);
      runtime.scheduleWake();
    },
    advance: (ms) => {
      if (typeof ms !== 'number' || !(ms >= 0) || ms > 365 * 24 * 3600_000) throw new Error('Advance takes a number of ms between 0 and a year.');
      runtime.clock.advance(ms);
      runtime.sync();
      runtime.scheduleWake();
    },
    reset: (options) => {
      // Shapes are checked first and the repository read next, so a bad one of either changes nothing.
      if (options?.shapes !== undefined) checkShapes(options.shapes);
      if (options?.repo !== undefined) setCommitSource(options.repo);
      setShapes(options?.shapes);
      runtime.reset();
    },
    // Scenarios live in the world: they survive --state and a reset clears them.
    scenarios: () => [...(runtime.world.scenarios ?? [])],
    setScenarios: (list) => {
      const checked = list.map((s) => checkScenario(runtime.world, s));
      runtime.world.scenarios = checked;
      runtime.changed();
    },
    addScenario: (scenario) => {
      runtime.world.scenarios = [...(runtime.world.scenarios ?? []), checkScenario(runtime.world, scenario)];
      runtime.changed();
    },
  };
}
