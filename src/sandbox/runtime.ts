// What the sandbox's parts share: the clock, the ids, the world, the engine that moves it, the AWS services over
// it, and the timer that wakes the engine when its next step is due. A reset replaces the world and the engine.
import { randomUUID } from 'node:crypto';
import { codebuildService } from './codebuild';
import { createCodePipelineService } from './codepipeline';
import { ecrService } from './ecr';
import { ecsService } from './ecs';
import { logsService } from './logs';
import { PipelineEngine } from './pipelineEngine';
import type { ServiceDefinition } from './protocol';
import { ssmService } from './ssm';
import type { Ids, ShiftableClock, World } from './world';

export class SandboxRuntime {
  private currentWorld: World;
  private currentEngine: PipelineEngine;
  private currentServices: ServiceDefinition[] = [];
  private currentWorldId = randomUUID();
  private wakeTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly clock: ShiftableClock,
    readonly ids: Ids,
    initialWorld: World,
    stageMs: number,
    private readonly freshWorld: () => World,
    /** Called after every change of the world (the engine's and the operations'). */
    readonly changed: () => void,
  ) {
    this.currentWorld = initialWorld;
    this.currentEngine = this.createEngine(stageMs);
  }

  get world(): World {
    return this.currentWorld;
  }

  /**
   * Names this world instance: new at every start (a loaded --state file included) and every reset. A world
   * reuses the ARNs of another (a fresh world registers `family:2` again, with other images), never its own: the
   * CLI keeps task definition images of a sandbox across runs under this id (GET /_sandbox/health).
   */
  get worldId(): string {
    return this.currentWorldId;
  }

  get engine(): PipelineEngine {
    return this.currentEngine;
  }

  get services(): readonly ServiceDefinition[] {
    return this.currentServices;
  }

  /** Back to a fresh default world, keeping the stage duration. */
  reset(): void {
    const stageMs = this.currentEngine.stageMs;
    // A clock advanced by an earlier test (an approval left to expire) would date the fresh world's executions
    // days after the user's clock: "in 7 days" in the History.
    this.clock.toRealTime();
    this.currentWorld = this.freshWorld();
    this.currentWorldId = randomUUID();
    this.currentEngine = this.createEngine(stageMs);
    this.changed();
    this.scheduleWake();
  }

  /** Processes every step due by now. */
  sync(): void {
    this.currentEngine.sync();
  }

  /** (Re)arms the timer for the engine's next due step, so pipelines move without anyone asking. */
  scheduleWake(): void {
    this.cancelWake();
    const due = this.currentEngine.nextDue();
    if (due === undefined) return;
    this.wakeTimer = setTimeout(
      () => {
        this.currentEngine.sync();
        this.scheduleWake();
      },
      Math.min(Math.max(0, due - this.clock.now()), 2 ** 31 - 1),
    );
    this.wakeTimer.unref();
  }

  cancelWake(): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
  }

  private createEngine(stageMs: number): PipelineEngine {
    const engine = new PipelineEngine(this.currentWorld, this.clock, this.ids, { stageMs, onChange: this.changed });
    this.currentServices = [ssmService, createCodePipelineService(engine), ecsService, ecrService, codebuildService, logsService];
    return engine;
  }
}
