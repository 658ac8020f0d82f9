// The request log: in memory for tests and the control API (bounded), and optionally as JSON lines in a file
// (bounded too: at `fileLimitBytes` the file moves to `<file>.1`, replacing the one before, and a new file starts,
// so a sandbox left running for weeks keeps at most twice the limit on disk).
import * as fs from 'node:fs';
import type { RequestLogEntry } from './types';

export const REQUEST_LOG_LIMIT = 20_000;
export const REQUEST_LOG_FILE_LIMIT = 10 * 1024 * 1024;

export class RequestLog {
  private log: RequestLogEntry[] = [];
  private stream: fs.WriteStream | undefined;
  private bytes = 0;
  private readonly closing: Promise<void>[] = [];

  constructor(
    private readonly file: string | undefined,
    private readonly fileLimitBytes = REQUEST_LOG_FILE_LIMIT,
  ) {
    if (file) this.open(file);
  }

  private open(file: string): void {
    this.bytes = fs.existsSync(file) ? fs.statSync(file).size : 0;
    this.stream = fs.createWriteStream(file, { flags: 'a' });
  }

  record(entry: RequestLogEntry): void {
    this.log.push(entry);
    // Halving instead of dropping one at a time keeps recording O(1) amortised under load.
    if (this.log.length > REQUEST_LOG_LIMIT) this.log = this.log.slice(-REQUEST_LOG_LIMIT / 2);
    if (!this.stream || !this.file) return;
    const line = `${JSON.stringify(entry)}\n`;
    if (this.bytes > 0 && this.bytes + Buffer.byteLength(line) > this.fileLimitBytes) this.rotate(this.file);
    this.stream?.write(line);
    this.bytes += Buffer.byteLength(line);
  }

  /** The full file becomes `<file>.1` (its pending writes still land there: the descriptor moves with it). */
  private rotate(file: string): void {
    const full = this.stream;
    if (full) this.closing.push(new Promise<void>((resolve) => full.end(resolve)));
    fs.renameSync(file, `${file}.1`);
    this.open(file);
  }

  entries(): readonly RequestLogEntry[] {
    return this.log;
  }

  clear(): void {
    this.log = [];
  }

  async close(): Promise<void> {
    const stream = this.stream;
    if (stream) this.closing.push(new Promise<void>((resolve) => stream.end(resolve)));
    this.stream = undefined;
    await Promise.all(this.closing);
  }
}
