// Splits client bytes into command lines (CRLF, or a bare LF from sloppy clients) without letting a
// client grow the buffer past the line limit.

import { Buffer } from 'node:buffer';

export type NextLine =
  | { readonly kind: 'line'; readonly line: Buffer }
  | { readonly kind: 'too-long' }
  | { readonly kind: 'none' };

export class LineSplitter {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly maxLineLength: number) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
  }

  /** The next complete line (without its line end), or why there is none. */
  next(): NextLine {
    const lf = this.buffer.indexOf(0x0a);
    if (lf === -1) {
      return this.buffer.length > this.maxLineLength ? { kind: 'too-long' } : { kind: 'none' };
    }
    const end = lf > 0 && this.buffer[lf - 1] === 0x0d ? lf - 1 : lf;
    if (end > this.maxLineLength) return { kind: 'too-long' };
    const line = this.buffer.subarray(0, end);
    this.buffer = this.buffer.subarray(lf + 1);
    return { kind: 'line', line };
  }

  /** Forgets buffered bytes: after STLS, anything sent before the handshake is not trusted. */
  discard(): void {
    this.buffer = Buffer.alloc(0);
  }
}
