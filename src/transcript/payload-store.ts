// Large literals and message bodies go to a file as they stream, not into memory, so fetching a
// 200 MB message costs disk, not RSS. One connection streams one payload at a time, so each
// payload is one contiguous range of the file.
import { Buffer } from 'node:buffer';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Range {
  readonly start: number;
  size: number;
}

export class PayloadStore {
  private fd: number | undefined;
  private end = 0;
  private readonly ranges = new Map<number, Range>();
  private current: number | undefined;
  private tempDir: string | undefined;

  /** @param path File to write; when absent a private temporary file is made on first use. */
  constructor(private readonly path?: string) {}

  begin(id: number): void {
    this.current = id;
    this.ranges.set(id, { start: this.end, size: 0 });
  }

  write(id: number, chunk: Uint8Array): void {
    const range = this.ranges.get(id);
    if (!range || this.current !== id || chunk.length === 0) return;
    writeSync(this.file(), chunk, 0, chunk.length, this.end);
    this.end += chunk.length;
    range.size += chunk.length;
  }

  finish(id: number): void {
    if (this.current === id) this.current = undefined;
  }

  has(id: number): boolean {
    return this.ranges.has(id);
  }

  size(id: number): number | undefined {
    return this.ranges.get(id)?.size;
  }

  /** Reads up to `length` bytes of a payload from `offset` (the whole payload by default). */
  read(id: number, offset = 0, length?: number): Buffer {
    const range = this.ranges.get(id);
    if (!range) return Buffer.alloc(0);
    const n = Math.max(0, Math.min(length ?? range.size, range.size - offset));
    const buf = Buffer.alloc(n);
    if (n > 0) readSync(this.file(), buf, 0, n, range.start + offset);
    return buf;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
    this.tempDir = undefined;
  }

  private file(): number {
    if (this.fd === undefined) {
      let path = this.path;
      if (!path) {
        this.tempDir = mkdtempSync(join(tmpdir(), 'mailwire-payloads-'));
        path = join(this.tempDir, 'payloads.bin');
      }
      this.fd = openSync(path, 'w+', 0o600);
    }
    return this.fd;
  }
}
