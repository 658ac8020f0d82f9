// The last known status of each environment on disk (core/snapshot decides what is in it and what is believed):
// read once, synchronously, when the extension activates (a few KB, before any AWS call and before the AWS layer
// loads), written after successful refreshes at most every few seconds, and once more when the window closes.
// A file in the extension's global storage, not globalState: it lives beside the extension host (code-server's
// server, not the browser), so any browser that opens the workspace sees it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { EnvironmentConfig, EnvironmentStatus } from '../../core/model';
import { decodeSnapshot, encodeSnapshot, mergeEntries, seedStatus, snapshotKey, type SnapshotEntry } from '../../core/snapshot';

/** What the store asks of the last known state (environmentStore.ts). */
export interface LastKnownStatuses {
  /** The status an earlier window saved for this environment, marked stale as of its reads; undefined if none fits. */
  load(env: EnvironmentConfig): EnvironmentStatus | undefined;
  /** Keeps a status a refresh read. */
  save(env: EnvironmentConfig, status: EnvironmentStatus): void;
}

export class LastKnownFile implements LastKnownStatuses, vscode.Disposable {
  private entries: SnapshotEntry[];
  private dirty = false;
  private lastWrite = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();

  /** `file` undefined: nothing is kept (global storage is not on this machine's disk). */
  constructor(
    private readonly file: string | undefined,
    private readonly ambientProfile: string | undefined,
    private readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>,
    private readonly minIntervalMs = 5_000,
  ) {
    this.entries = this.read();
  }

  private read(): SnapshotEntry[] {
    if (!this.file) return [];
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const { entries, dropped } = decodeSnapshot(text, new Date());
    if (dropped.length) this.log.warn(`[last known] ${this.file}: not used: ${dropped.join('; ')}`);
    return [...entries];
  }

  load(env: EnvironmentConfig): EnvironmentStatus | undefined {
    return seedStatus(this.entries, env, snapshotKey(env, this.ambientProfile));
  }

  save(env: EnvironmentConfig, status: EnvironmentStatus): void {
    if (!this.file) return;
    this.entries = mergeEntries([{ key: snapshotKey(env, this.ambientProfile), savedAt: new Date(), status }], this.entries);
    this.dirty = true;
    if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), Math.max(0, this.lastWrite + this.minIntervalMs - Date.now()));
  }

  /** Another window may have written meanwhile: its newer entries are kept beside this one's. */
  private text(): string {
    return encodeSnapshot(mergeEntries(this.entries, this.read()));
  }

  private flush(): void {
    this.timer = undefined;
    if (!this.dirty || !this.file) return;
    this.dirty = false;
    this.lastWrite = Date.now();
    const file = this.file;
    const temp = `${file}.${process.pid}.tmp`;
    this.writing = this.writing
      .then(async () => {
        await fs.promises.mkdir(path.dirname(file), { recursive: true });
        await fs.promises.writeFile(temp, this.text(), { mode: 0o600 });
        await fs.promises.rename(temp, file);
      })
      .catch((e: unknown) => this.log.warn(`[last known] not saved to ${file}: ${e instanceof Error ? e.message : String(e)}`));
  }

  /** Saved now (the window closes): synchronously, so it is on disk before the extension host goes. */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty || !this.file) return;
    this.dirty = false;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(this.file, this.text(), { mode: 0o600 });
    } catch (e) {
      this.log.warn(`[last known] not saved to ${this.file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
