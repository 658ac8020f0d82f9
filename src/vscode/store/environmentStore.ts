// The one source of live data: polls EnvironmentService.status() per environment, never from getChildren.
// Fast while something runs or is watched, slow when idle, paused when nobody looks; at most one refresh per
// environment at a time (a refresh asked for while one runs is queued once, never stacked).

import type * as vscode from 'vscode';
import type { EnvironmentService } from '../../core/api';
import { createCoreCaches } from '../../core/caches';
import { createEnvironmentService } from '../../core/environmentService';
import { DeployError, toDeployError } from '../../core/errors';
import { keepLastKnown, stalePart } from '../../core/lastKnown';
import type { EnvironmentConfig, EnvironmentStatus } from '../../core/model';
import type { AwsPortsFactory } from '../../core/ports';
import { markUnreachable } from '../../core/snapshot';
import type { EnvironmentStore } from './contract';
import type { LastKnownStatuses } from './lastKnownFile';
import { Emitter, systemClock, type Clock } from './events';
import { duePolls, environmentIntervalMs, isBusy, nextPoll, type PollPlan } from './pollPolicy';
import { detectTransitions, type StatusTransition } from './transitions';
import { computeViewState, type ViewState } from './viewState';

export type LoadedEnvironments = { readonly environments: readonly EnvironmentConfig[]; readonly error?: undefined } | { readonly environments: readonly []; readonly error: DeployError };

export interface EnvironmentStoreDeps {
  readonly log: vscode.LogOutputChannel;
  readonly loadEnvironments: () => LoadedEnvironments;
  /** Loads the AWS bundle on first call. */
  readonly portsFactory: () => AwsPortsFactory;
  readonly intervals: () => { readonly activeMs: number; readonly idleMs: number };
  /** Time and timers (default: the system's); tests pass a clock they advance. */
  readonly clock?: Clock;
  /** Marks the first read's steps in the log (see startupTimeline). */
  readonly timeline?: { mark(step: string, detail?: string): void };
  /**
   * What an earlier window last read (seeds each environment's status until its first read here answers) and where
   * this window's reads are kept for the next one.
   */
  readonly lastKnown?: LastKnownStatuses;
}

export class PollingEnvironmentStore implements EnvironmentStore, vscode.Disposable {
  private loaded: LoadedEnvironments;
  private readonly caches = createCoreCaches();
  private readonly services = new Map<string, EnvironmentService>();
  private readonly statuses = new Map<string, EnvironmentStatus>();
  /** Environments whose status (its pipeline at least) is still the one an earlier window saved. */
  private readonly seeded = new Set<string>();
  private readonly errors = new Map<string, DeployError>();
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly queued = new Map<string, Promise<void>>();
  private readonly watchers = new Map<string, number>();
  private readonly visibleViews = new Set<string>();
  private windowFocused = true;
  private engaged = false;
  private timer: unknown;
  private readonly clock: Clock;
  /** When each environment's last refresh started: each one polls at its own rate. */
  private readonly lastPolledAt = new Map<string, number>();
  private generation = 0;
  private disposed = false;
  /** AWS status calls made, for the idle-cost benchmark and tests. */
  refreshCount = 0;

  private readonly changeEmitter = new Emitter<string>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly environmentsEmitter = new Emitter<void>();
  /** The list of environments (or the settings error) changed. */
  readonly onDidChangeEnvironments = this.environmentsEmitter.event;
  private readonly transitionEmitter = new Emitter<StatusTransition>();
  readonly onDidTransition = this.transitionEmitter.event;

  constructor(private readonly deps: EnvironmentStoreDeps) {
    this.loaded = deps.loadEnvironments();
    this.clock = deps.clock ?? systemClock;
    this.seed();
  }

  /** Environments without a status show what an earlier window last read, marked stale, until they are read here. */
  private seed(): void {
    for (const env of this.loaded.environments) {
      if (this.statuses.has(env.name)) continue;
      const saved = this.deps.lastKnown?.load(env);
      if (!saved) continue;
      this.statuses.set(env.name, saved);
      this.seeded.add(env.name);
    }
  }

  environments(): readonly EnvironmentConfig[] {
    return this.loaded.environments;
  }

  configError(): DeployError | undefined {
    return this.loaded.error;
  }

  environment(name: string): EnvironmentConfig | undefined {
    return this.loaded.environments.find((e) => e.name === name);
  }

  status(envName: string): EnvironmentStatus | undefined {
    return this.statuses.get(envName);
  }

  /** The error of the environment's last refresh, cleared by the next successful one. */
  error(envName: string): DeployError | undefined {
    return this.errors.get(envName);
  }

  viewState(): ViewState {
    return computeViewState({
      configError: this.loaded.error,
      environments: this.loaded.environments.map((e) => e.name),
      hasStatus: (e) => this.statuses.has(e),
      error: (e) => this.errors.get(e),
    });
  }

  isRefreshing(envName: string): boolean {
    return this.inflight.has(envName);
  }

  async service(envName: string): Promise<EnvironmentService> {
    return this.bound(envName);
  }

  private bound(envName: string): EnvironmentService {
    const existing = this.services.get(envName);
    if (existing) return existing;
    const config = this.environment(envName);
    if (!config) throw new DeployError('invalid-settings', `There is no environment "${envName}" in the sprykerDeploy.environments setting.`);
    const ports = this.deps.portsFactory()({ name: config.name, profile: config.profile, region: config.region, endpoint: config.endpoint });
    const service = createEnvironmentService(config, ports, { caches: this.caches });
    this.services.set(envName, service);
    return service;
  }

  /** Re-reads the settings; statuses of environments whose configuration changed are dropped. */
  reload(): void {
    const before = new Map(this.loaded.environments.map((e) => [e.name, JSON.stringify(e)]));
    this.loaded = this.deps.loadEnvironments();
    this.generation++;
    for (const name of [...this.statuses.keys(), ...this.errors.keys(), ...this.services.keys()]) {
      const now = this.environment(name);
      if (!now || before.get(name) !== JSON.stringify(now)) {
        this.statuses.delete(name);
        this.seeded.delete(name);
        this.errors.delete(name);
        this.services.delete(name);
      }
    }
    this.seed();
    this.environmentsEmitter.fire();
    // A settings change while nobody looks costs nothing: the overdue poll runs as soon as someone does.
    if (this.engaged && !this.isPaused()) void this.refresh();
    else this.reschedule();
  }

  /** Forgets the services (credentials changed: a new profile, a fresh SSO session) and refreshes. */
  resetCredentials(): Promise<void> {
    this.services.clear();
    this.generation++;
    return this.refresh();
  }

  refresh(envName?: string): Promise<void> {
    this.engaged = true;
    const names = envName ? [envName] : this.loaded.environments.map((e) => e.name);
    return Promise.all(names.map((n) => this.refreshOne(n, true))).then(() => this.reschedule());
  }

  watch(envName: string): vscode.Disposable {
    this.watchers.set(envName, (this.watchers.get(envName) ?? 0) + 1);
    this.reschedule();
    let done = false;
    return {
      dispose: () => {
        if (done) return;
        done = true;
        const left = (this.watchers.get(envName) ?? 1) - 1;
        if (left <= 0) this.watchers.delete(envName);
        else this.watchers.set(envName, left);
        this.reschedule();
      },
    };
  }

  setViewVisible(viewId: string, visible: boolean): void {
    if (visible) {
      this.visibleViews.add(viewId);
      this.engaged = true;
    } else {
      this.visibleViews.delete(viewId);
    }
    this.reschedule();
  }

  setWindowFocused(focused: boolean): void {
    this.windowFocused = focused;
    this.reschedule();
  }

  /** Is polling currently paused (nobody looks and nothing is watched). */
  isPaused(): boolean {
    return this.plan() === undefined;
  }

  private plan(): PollPlan | undefined {
    const { activeMs, idleMs } = this.deps.intervals();
    const names = this.loaded.environments.map((e) => e.name);
    const anyWatched = names.some((n) => this.isWatched(n));
    const anyActive = anyWatched || names.some((n) => isBusy(this.statuses.get(n)));
    return nextPoll({
      viewVisible: this.visibleViews.size > 0,
      windowFocused: this.windowFocused,
      engaged: this.engaged,
      anyActive,
      anyWatched,
      activeMs,
      idleMs,
    });
  }

  private isWatched(envName: string): boolean {
    return (this.watchers.get(envName) ?? 0) > 0;
  }

  /** Each environment's interval now (busy or watched: active; else idle; undefined: not polled). */
  private pollSchedule(): { name: string; intervalMs: number | undefined; lastPolledAt: number | undefined }[] {
    const { activeMs, idleMs } = this.deps.intervals();
    const inputs = { viewVisible: this.visibleViews.size > 0, windowFocused: this.windowFocused, engaged: this.engaged, activeMs, idleMs };
    return this.loaded.environments.map(({ name }) => ({
      name,
      intervalMs: environmentIntervalMs(inputs, { busy: isBusy(this.statuses.get(name)), watched: this.isWatched(name) }),
      lastPolledAt: this.lastPolledAt.get(name),
    }));
  }

  /** Plans the next poll from now; a poll that is overdue (e.g. the view was just shown) runs at once. */
  private reschedule(): void {
    if (this.disposed) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const { nextAt } = duePolls(this.clock.now(), this.pollSchedule());
    if (nextAt === undefined) return;
    this.timer = this.clock.setTimeout(() => void this.poll(), Math.max(0, nextAt - this.clock.now()));
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    // Decided when the timer fires, not when it was set: a view shown or a watch released meanwhile counts.
    const { due } = duePolls(this.clock.now(), this.pollSchedule());
    await Promise.all(due.map((n) => this.refreshOne(n, false)));
    this.reschedule();
  }

  /**
   * `fresh`: the caller needs data newer than the call (after a deploy): queue one more refresh behind a
   * running one. A timer poll just joins the running one.
   */
  private refreshOne(name: string, fresh: boolean): Promise<void> {
    const running = this.inflight.get(name);
    if (running) {
      if (!fresh) return running;
      let queued = this.queued.get(name);
      if (!queued) {
        queued = running.then(() => {
          this.queued.delete(name);
          return this.refreshOne(name, false);
        });
        this.queued.set(name, queued);
      }
      return queued;
    }
    this.lastPolledAt.set(name, this.clock.now());
    const started = this.load(name).finally(() => this.inflight.delete(name));
    this.inflight.set(name, started);
    return started;
  }

  private async load(name: string): Promise<void> {
    const generation = this.generation;
    const startedAt = this.clock.now();
    let next: EnvironmentStatus | undefined;
    let error: DeployError | undefined;
    this.deps.timeline?.mark('first read started', name);
    try {
      const service = await this.service(name);
      this.refreshCount++;
      next = await service.status();
      this.deps.timeline?.mark('first status answered', `${name} in ${this.clock.now() - startedAt} ms`);
    } catch (e) {
      error = toDeployError(e);
    }
    // Settings or credentials changed while this ran: its result describes something that no longer is.
    if (generation !== this.generation || this.disposed) return;
    if (next) {
      const prev = this.statuses.get(name);
      // Parts AWS could not be reached for keep what the last read said, marked stale (core/lastKnown).
      next = keepLastKnown(prev, next);
      this.statuses.set(name, next);
      this.errors.delete(name);
      const env = this.environment(name);
      if (env) this.deps.lastKnown?.save(env, next);
      const partErrors = next.errors.map((p) => `${p.part}: ${p.code}`).join(', ');
      this.deps.log.trace(`[store] ${name} refreshed in ${this.clock.now() - startedAt} ms${partErrors ? ` (partial: ${partErrors})` : ''}`);
      this.changeEmitter.fire(name);
      // What an earlier window saw is not news: the first pipeline read here is a first look (an approval waiting
      // is told, an execution that ended meanwhile is history); while the pipeline is still the saved one, nothing is.
      const pipelineRead = stalePart(next, 'pipeline') === undefined;
      const fromEarlierWindow = this.seeded.has(name);
      if (fromEarlierWindow && pipelineRead) this.seeded.delete(name);
      if (!fromEarlierWindow || pipelineRead) for (const t of detectTransitions(fromEarlierWindow ? undefined : prev, next)) this.transitionEmitter.fire(t);
    } else if (error) {
      const known = this.errors.get(name);
      // The parts still shown from an earlier window now say why they were not read again.
      const shown = this.statuses.get(name);
      if (shown) this.statuses.set(name, markUnreachable(shown, error));
      this.errors.set(name, error);
      if (known?.message !== error.message) this.deps.log.warn(`[store] ${name}: ${error.kind}: ${error.message}`);
      this.changeEmitter.fire(name);
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.changeEmitter.dispose();
    this.environmentsEmitter.dispose();
    this.transitionEmitter.dispose();
  }
}
