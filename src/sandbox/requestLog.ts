// The request log: in memory for tests and the control API (bounded), and optionally as JSON lines in a file.
import * as fs from 'node:fs';
import type { RequestLogEntry } from './types';

export const REQUEST_LOG_LIMIT = 20_000;

export class RequestLog {
  private log: RequestLogEntry[] = [];
  private readonly stream: fs.WriteStream | undefined;

  constructor(file: string | undefined) {
    this.stream = file ? fs.createWriteStream(file, { flags: 'a' }) : undefined;
  }

  record(entry: RequestLogEntry): void {
    this.log.push(entry);
    // Halving instead of dropping one at a time keeps recording O(1) amortised under load.
    if (this.log.length > REQUEST_LOG_LIMIT) this.log = this.log.slice(-REQUEST_LOG_LIMIT / 2);
    this.stream?.write(`${JSON.stringify(entry)}\n`);
  }

  entries(): readonly RequestLogEntry[] {
    return this.log;
  }

  clear(): void {
    this.log = [];
  }

  async close(): Promise<void> {
    const stream = this.stream;
    if (stream) await new Promise<void>((resolve) => stream.end(resolve));
  }
}
