// The sandbox's pipeline engine on a manual clock, for unit tests: a generated world, the engine over it, and a
// way to run the clock until something is true.
import * as assert from 'node:assert/strict';
import { createWorld, generatedCommits } from '../../../src/sandbox/defaultWorld';
import { PipelineEngine } from '../../../src/sandbox/pipelineEngine';
import type { RealWorldShape } from '../../../src/sandbox/shapes';
import { Ids, ManualClock, type World } from '../../../src/sandbox/world';

export const NOW = Date.UTC(2025, 4, 12, 9, 0, 0);
/** How long each stage takes, in ms of the manual clock. */
export const STAGE = 1000;
export const PIPELINE = 'NORMAL_Deploy_Spryker_spryker-prod';

export interface EngineFixture {
  world: World;
  clock: ManualClock;
  engine: PipelineEngine;
}

/** A world generated at NOW (ids from `seed`, real-world `shapes` if given), a manual clock at NOW and the engine with STAGE-long stages. */
export function engineAt(seed: number, prepare: (world: World) => void = () => undefined, shapes: readonly RealWorldShape[] = []): EngineFixture {
  const ids = new Ids(seed);
  const world = createWorld({ commits: generatedCommits(NOW), now: NOW, ids, shapes });
  prepare(world);
  const clock = new ManualClock(NOW);
  return { world, clock, engine: new PipelineEngine(world, clock, ids, { stageMs: STAGE }) };
}

/** Advances the clock a tenth of a stage at a time until `done`; fails after `limitMs` of the clock. */
export function runUntil(clock: ManualClock, engine: PipelineEngine, done: () => boolean, limitMs = 60 * STAGE): void {
  const end = clock.now() + limitMs;
  while (!done()) {
    assert.ok(clock.now() < end, 'the pipeline did not get there in time');
    clock.advance(STAGE / 10);
    engine.sync();
  }
}
