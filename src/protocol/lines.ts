// Splits server bytes into lines for the line-based protocols (SMTP, POP3).
//
// - A line ends at LF; a CR before it is part of the terminator (bare LF is tolerated because
//   real servers send it, and the raw bytes keep what was actually sent).
// - Every byte pushed comes out exactly once, in order, in some item's `raw` (or in `drain()`).
// - Chunks are kept as a list and scanned once, so a long line arriving in many small chunks
//   costs linear time, not quadratic.
// - A line longer than the limit is not held: it comes out as `overlong` pieces as bytes arrive.
// - Items are views of the pushed chunks (a whole chunk when it is one line), never copies unless
//   a line spans chunks: callers must not change a chunk after pushing it.

import { Buffer } from 'node:buffer';
import { LIMITS } from './limits.js';
import { asBuffer } from './text.js';

/** A complete line. `content` is `raw` without its CRLF or LF, made when asked for. */
export class SplitLine {
  readonly kind = 'line' as const;
  constructor(
    readonly raw: Buffer,
    readonly contentLength: number,
  ) {}

  get content(): Buffer {
    return this.raw.subarray(0, this.contentLength);
  }
}

export type SplitItem =
  | SplitLine
  /**
   * Part of a line longer than the limit. `final` is true for the piece that includes the line's
   * terminator; the next item starts a fresh line.
   */
  | { readonly kind: 'overlong'; readonly raw: Buffer; readonly final: boolean };

const LF = 0x0a;
const CR = 0x0d;

export class LineSplitter {
  private chunks: Buffer[] = [];
  /** Offset of the first unconsumed byte in chunks[0]. */
  private headOffset = 0;
  /** Unconsumed bytes in all chunks. */
  private unconsumed = 0;
  /** Where the LF search resumes: chunk index and offset (bytes before it hold no LF). */
  private scanChunk = 0;
  private scanOffset = 0;
  /** Unconsumed bytes before the scan position (the current line's length so far). */
  private scanned = 0;
  /** True while skipping through the rest of an over-long line. */
  private inOverlong = false;

  constructor(private readonly maxLineLength: number = LIMITS.maxLineLength) {}

  /** Bytes waiting for a line end. */
  get buffered(): number {
    return this.unconsumed;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const buf = asBuffer(chunk);
    this.chunks.push(buf);
    this.unconsumed += buf.length;
  }

  /** The next complete line (or over-long piece), or null when more bytes are needed. */
  next(): SplitItem | null {
    const end = this.findLineEnd();
    if (end !== null) {
      const raw = this.take(end);
      if (this.inOverlong) {
        this.inOverlong = false;
        return { kind: 'overlong', raw, final: true };
      }
      const termLen = raw.length >= 2 && raw[raw.length - 2] === CR ? 2 : 1;
      if (raw.length - termLen > this.maxLineLength) return { kind: 'overlong', raw, final: true };
      return new SplitLine(raw, raw.length - termLen);
    }
    // No line end yet. Keep at most the limit (plus a possible CR) of one line in memory.
    if (this.inOverlong ? this.unconsumed > 0 : this.unconsumed > this.maxLineLength + 1) {
      this.inOverlong = true;
      return { kind: 'overlong', raw: this.take(this.unconsumed), final: false };
    }
    return null;
  }

  /** Every unconsumed byte, in order (used after STARTTLS: these bytes are never parsed). */
  drain(): Buffer {
    const out = this.take(this.unconsumed);
    this.inOverlong = false;
    return out;
  }

  /** Number of bytes up to and including the next LF, or null. Resumes where it last stopped. */
  private findLineEnd(): number | null {
    while (this.scanChunk < this.chunks.length) {
      const chunk = this.chunks[this.scanChunk]!;
      const from = this.scanChunk === 0 ? Math.max(this.scanOffset, this.headOffset) : this.scanOffset;
      const at = chunk.indexOf(LF, from);
      if (at >= 0) return this.scanned + (at - from) + 1;
      this.scanned += chunk.length - from;
      this.scanChunk++;
      this.scanOffset = 0;
    }
    return null;
  }

  /** Removes and returns the first `n` unconsumed bytes. Copies only when they span chunks. */
  private take(n: number): Buffer {
    let out: Buffer;
    const first = this.chunks[0];
    if (first !== undefined && this.headOffset === 0 && first.length === n) {
      // The whole chunk is the line (one reply per read, the usual case): no view to make.
      out = first;
      this.chunks.shift();
    } else if (first !== undefined && first.length - this.headOffset >= n) {
      out = first.subarray(this.headOffset, this.headOffset + n);
      this.headOffset += n;
      if (this.headOffset === first.length) {
        this.chunks.shift();
        this.headOffset = 0;
      }
    } else {
      // Walk the chunks by index and drop the used ones in one splice (shift() per chunk is quadratic).
      const parts: Buffer[] = [];
      let left = n;
      let i = 0;
      let offset = this.headOffset;
      while (left > 0) {
        const chunk = this.chunks[i]!;
        const avail = chunk.length - offset;
        if (avail <= left) {
          parts.push(chunk.subarray(offset));
          i++;
          offset = 0;
          left -= avail;
        } else {
          parts.push(chunk.subarray(offset, offset + left));
          offset += left;
          left = 0;
        }
      }
      this.chunks.splice(0, i);
      this.headOffset = offset;
      out = Buffer.concat(parts, n);
    }
    this.unconsumed -= n;
    this.scanChunk = 0;
    this.scanOffset = this.headOffset;
    this.scanned = 0;
    return out;
  }
}
