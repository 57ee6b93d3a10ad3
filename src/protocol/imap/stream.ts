// Byte framing of the IMAP server stream: splits it into complete responses (a line, or lines joined
// by `{n}` / `~{n}` literals), streams literals over LIMITS.streamPayloadOver as payload events, and
// enforces the line, response and literal limits. Knows nothing about response syntax beyond that.
//
// Pull-based: `push()` bytes, then call `next()` until it returns null. The codec can stop after any
// response and take the untouched rest with `drain()` (STARTTLS).

import { Buffer } from 'node:buffer';
import { LIMITS, limitMessage, formatBytes, type LimitName } from '../limits.js';
import type { PayloadPlacement } from '../types.js';
import { asBuffer } from '../text.js';

export type FrameEvent =
  | { readonly kind: 'response'; readonly raw: Buffer; readonly payloads?: readonly PayloadPlacement[] }
  | { readonly kind: 'payload-start'; readonly payload: number; readonly declaredSize: number }
  | { readonly kind: 'payload-chunk'; readonly payload: number; readonly chunk: Uint8Array }
  | { readonly kind: 'payload-end'; readonly payload: number; readonly size: number }
  | {
      readonly kind: 'error';
      readonly raw: Buffer;
      readonly payloads?: readonly PayloadPlacement[];
      readonly message: string;
      readonly limit?: LimitName;
      readonly fatal: boolean;
    };

type Mode = 'line' | 'literal' | 'stream' | 'dead';
/** After a limit was hit: `line` skips to the next LF, `response` keeps framing but drops nothing. */
type Discard = 'no' | 'line' | 'response';

const LF = 10;
const CR = 13;
const EMPTY = Buffer.alloc(0);
/** More digits than this cannot be a size we accept (maxLiteralBytes has 10); Infinity then. */
const MAX_SIZE_DIGITS = 16;
/** Smallest storage allocation: holds a few 64 KiB socket reads. */
const STORAGE_MIN = 256 * 1024;
/** Chunks up to this size are copied by a loop, and LF is searched by a loop this far. */
const SMALL_COPY = 64;
const SMALL_SCAN = 64;

export class ResponseFramer {
  /** Valid bytes are storage[0, end): a number, not a view, so a push allocates nothing. */
  private storage: Buffer = EMPTY;
  private end = 0;
  /** First byte of the current response still in storage. */
  private start = 0;
  private lineStart = 0;
  /** Where the LF search resumes (bytes before it are known to hold no LF of the current line). */
  private scan = 0;
  private mode: Mode = 'line';
  private discard: Discard = 'no';
  private remaining = 0;
  /** Parts of the current response moved out of `buf` before a streamed literal. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private placements: PayloadPlacement[] = [];
  private streamId = 0;
  private streamSize = 0;
  private nextPayloadId: number;
  private readonly queue: FrameEvent[] = [];

  constructor(firstPayloadId = 1) {
    this.nextPayloadId = firstPayloadId;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.mode === 'stream' && this.start === this.end) {
      // Inside a streamed literal with nothing buffered: the chunk's literal bytes go out as a
      // view of the chunk itself, never copied (a 50 MB attachment would otherwise be copied
      // once more and fill fresh storage at memory speed). Hence receive()'s rule that callers
      // must not change a chunk after giving it.
      const take = Math.min(chunk.length, this.remaining);
      this.queueStreamPiece(chunk.subarray(0, take));
      if (take === chunk.length) return;
      chunk = chunk.subarray(take);
    }
    if (
      this.start === this.end &&
      this.mode === 'line' &&
      this.discard === 'no' &&
      this.heldBytes === 0 &&
      this.placements.length === 0
    ) {
      // Nothing buffered (the last chunk ended with a whole response, the usual case): the chunk
      // itself becomes the storage, and responses are views of it. A later push that must keep
      // a partial line moves it to fresh storage below, so nothing is written into the chunk.
      this.storage = asBuffer(chunk);
      this.start = this.lineStart = this.scan = 0;
      this.end = chunk.length;
      return;
    }
    // Other bytes are copied once into storage and events get views of it. Storage is
    // append-only: a region handed out is never written again, so views stay valid. One
    // allocation serves several chunks (far fewer than one copy per response).
    const storage = this.storage;
    const length = this.end;
    const n = chunk.length;
    if (storage.length - length >= n) {
      // A status line is a few dozen bytes: a loop beats the call into set().
      if (n <= SMALL_COPY) for (let i = 0; i < n; i++) storage[length + i] = chunk[i] as number;
      else storage.set(chunk, length);
      this.end = length + n;
      return;
    }
    const keep = length - this.start;
    const needed = keep + n;
    const target = Buffer.allocUnsafeSlow(Math.max(needed * 2, STORAGE_MIN));
    storage.copy(target, 0, this.start, length);
    target.set(chunk, keep);
    this.storage = target;
    this.end = needed;
    this.rebase(this.start);
  }

  /**
   * Unconsumed bytes (never parsed), e.g. those that followed a STARTTLS OK or an incomplete
   * response at close, with the placement of a literal being streamed. Resets the framer.
   */
  drain(): { raw: Buffer; payloads?: readonly PayloadPlacement[] } {
    const raw = Buffer.concat([...this.held, this.storage.subarray(this.start, this.end)]);
    let placements = this.placements;
    // Cut inside a streamed literal: its placement says how many bytes really came, not how many
    // were declared, so the transcript never claims bytes it does not hold.
    if (this.mode === 'stream') {
      const size = this.streamSize - this.remaining;
      placements = placements.map((p) => (p.payload === this.streamId ? { ...p, size } : p));
    }
    this.reset();
    return placements.length > 0 ? { raw, payloads: placements } : { raw };
  }

  /** The literal being streamed when the stream stopped short, with the bytes it got. */
  get cutPayload(): { readonly payload: number; readonly size: number } | undefined {
    return this.mode === 'stream'
      ? { payload: this.streamId, size: this.streamSize - this.remaining }
      : undefined;
  }

  /** Bytes of an incomplete response, for `closed()`. */
  get buffered(): number {
    return this.heldBytes + this.end - this.start;
  }

  reset(): void {
    this.storage = EMPTY;
    this.end = 0;
    this.start = this.lineStart = this.scan = 0;
    this.mode = 'line';
    this.discard = 'no';
    this.held = [];
    this.heldBytes = 0;
    this.placements = [];
    this.queue.length = 0;
  }

  next(): FrameEvent | null {
    const queued = this.queue.shift();
    if (queued !== undefined) return queued;
    for (;;) {
      switch (this.mode) {
        case 'dead':
          if (this.start === this.end) return null;
          return this.takeError(
            this.end,
            'bytes after an unrecoverable framing error (the stream cannot be resynchronised)',
            true,
          );
        case 'stream':
          return this.streamStep();
        case 'literal': {
          const take = Math.min(this.end - this.scan, this.remaining);
          this.scan += take;
          this.remaining -= take;
          if (this.remaining > 0) {
            const over = this.checkResponseSize();
            if (over) return over;
            return this.needMore();
          }
          this.mode = 'line';
          this.lineStart = this.scan;
          continue;
        }
        case 'line': {
          const ev = this.lineStep();
          if (ev === 'continue') continue;
          return ev;
        }
      }
    }
  }

  private lineStep(): FrameEvent | null | 'continue' {
    const buf = this.storage;
    const valid = this.end;
    const lf = indexOfLf(buf, this.scan, valid);
    if (lf === -1) {
      this.scan = valid;
      if (this.discard === 'no' && valid - this.lineStart > LIMITS.maxLineLength) {
        this.discard = 'line';
        return this.takeError(valid, limitMessage('server line', 'maxLineLength'), false, 'maxLineLength');
      }
      const over = this.checkResponseSize();
      if (over) return over;
      return this.needMore();
    }
    const end = lf + 1;
    if (this.discard === 'line') {
      this.discard = 'no';
      return this.finishError(end, 'rest of an over-long line skipped');
    }
    const contentEnd = lf > this.lineStart && buf[lf - 1] === CR ? lf - 1 : lf;
    if (this.discard === 'no' && contentEnd - this.lineStart > LIMITS.maxLineLength) {
      return this.finishError(end, limitMessage('server line', 'maxLineLength'), 'maxLineLength');
    }
    const size = literalSizeAtEnd(buf, this.lineStart, contentEnd);
    if (size === null) {
      if (this.discard !== 'no') {
        return this.finishError(end, 'end of an over-size response skipped');
      }
      return this.finishResponse(end);
    }
    if (size > LIMITS.maxLiteralBytes) {
      this.mode = 'dead';
      const open = buf.lastIndexOf(0x7b /* { */, contentEnd);
      const digits = buf.toString('latin1', open + 1, contentEnd - 1).replace('+', '');
      const declared = digits.length <= 40 ? `${digits} octets` : `a ${digits.length}-digit size`;
      return this.takeError(
        end,
        `server literal declares ${declared}, over the ${formatBytes(LIMITS.maxLiteralBytes)} limit ` +
          `(limit maxLiteralBytes); the connection cannot be resynchronised`,
        true,
        'maxLiteralBytes',
      );
    }
    if (size > LIMITS.streamPayloadOver && this.discard === 'no') {
      this.holdUpTo(end);
      this.mode = 'stream';
      this.remaining = size;
      this.streamId = this.nextPayloadId++;
      this.streamSize = size;
      this.placements.push({ payload: this.streamId, size, offset: this.heldBytes });
      return { kind: 'payload-start', payload: this.streamId, declaredSize: size };
    }
    this.mode = 'literal';
    this.remaining = size;
    this.scan = end;
    return 'continue';
  }

  private streamStep(): FrameEvent | null {
    const avail = this.end - this.start;
    if (avail === 0) return null;
    const take = Math.min(avail, this.remaining);
    const chunk = view(this.storage, this.start, this.start + take);
    this.start += take;
    this.queueStreamPiece(chunk);
    return this.queue.shift() ?? null;
  }

  /** Queues a piece of the streamed literal (and its end, when it is the last piece). */
  private queueStreamPiece(chunk: Uint8Array): void {
    this.remaining -= chunk.length;
    const payload = this.streamId;
    this.queue.push({ kind: 'payload-chunk', payload, chunk });
    if (this.remaining === 0) {
      this.mode = 'line';
      this.lineStart = this.scan = this.start;
      this.queue.push({ kind: 'payload-end', payload, size: this.streamSize });
    }
  }

  /** At a point where more bytes are needed: while discarding, hand out what we have now. */
  private needMore(): FrameEvent | null {
    if (this.discard !== 'no' && this.scan > this.start) {
      return this.takeError(this.scan, 'part of an over-size response skipped', false);
    }
    return null;
  }

  private checkResponseSize(): FrameEvent | null {
    if (this.discard !== 'no') return null;
    if (this.heldBytes + this.scan - this.start <= LIMITS.maxImapResponseBytes) return null;
    this.discard = this.mode === 'line' ? 'line' : 'response';
    return this.takeError(
      this.scan,
      limitMessage('server response', 'maxImapResponseBytes'),
      false,
      'maxImapResponseBytes',
    );
  }

  private finishResponse(end: number): FrameEvent {
    const raw = this.collect(end);
    const placements = this.placements;
    this.resetResponse(end);
    return placements.length > 0
      ? { kind: 'response', raw, payloads: placements }
      : { kind: 'response', raw };
  }

  private finishError(end: number, message: string, limit?: LimitName): FrameEvent {
    const ev = this.takeError(end, message, false, limit);
    this.resetResponse(end);
    return ev;
  }

  /** An error event holding the current response's bytes up to `end`; the response goes on. */
  private takeError(end: number, message: string, fatal: boolean, limit?: LimitName): FrameEvent {
    const raw = this.collect(end);
    const placements = this.placements;
    this.placements = [];
    this.start = end;
    if (this.scan < end) this.scan = end;
    if (this.lineStart < end && this.mode !== 'line') this.lineStart = end;
    const base = { kind: 'error' as const, raw, message, fatal };
    const withLimit = limit === undefined ? base : { ...base, limit };
    return placements.length > 0 ? { ...withLimit, payloads: placements } : withLimit;
  }

  private collect(end: number): Buffer {
    const tail = view(this.storage, this.start, end);
    if (this.held.length === 0) return tail;
    const raw = Buffer.concat([...this.held, tail]);
    this.held = [];
    this.heldBytes = 0;
    return raw;
  }

  private holdUpTo(end: number): void {
    this.held.push(view(this.storage, this.start, end));
    this.heldBytes += end - this.start;
    this.start = this.lineStart = this.scan = end;
  }

  private resetResponse(end: number): void {
    this.start = this.lineStart = this.scan = end;
    this.mode = 'line';
    this.discard = 'no';
    this.placements = [];
    this.held = [];
    this.heldBytes = 0;
  }

  private rebase(by: number): void {
    this.start -= by;
    this.lineStart -= by;
    this.scan -= by;
  }
}

/**
 * Where the next LF is in buf[from, to), or -1. Short spans (a status line) are scanned here,
 * longer ones by indexOf on a view bounded at `to` (bytes past it are stale storage).
 */
function indexOfLf(buf: Buffer, from: number, to: number): number {
  const near = Math.min(to, from + SMALL_SCAN);
  for (let i = from; i < near; i++) if (buf[i] === LF) return i;
  if (near === to) return -1;
  const at = buf.subarray(near, to).indexOf(LF);
  return at === -1 ? -1 : near + at;
}

/** A view: storage regions before `start` are never written again (see push). */
function view(buf: Buffer, start: number, end: number): Buffer {
  // The whole buffer (a socket read that is one response): itself, no new view.
  return start === 0 && end === buf.length ? buf : buf.subarray(start, end);
}

/**
 * The size of the literal announced at the end of a line (`{n}`, `{n+}`, `~{n}`), null when the line
 * does not end with one, Infinity when the number has more than 16 digits (refused anyway).
 */
export function literalSizeAtEnd(buf: Uint8Array, lineStart: number, contentEnd: number): number | null {
  let i = contentEnd - 1;
  if (i <= lineStart || buf[i] !== 0x7d /* } */) return null;
  i--;
  if (buf[i] === 0x2b /* + */) i--;
  const digitsEnd = i + 1;
  while (i >= lineStart) {
    const c = buf[i] ?? 0;
    if (c < 0x30 || c > 0x39) break;
    i--;
  }
  if (i < lineStart || buf[i] !== 0x7b /* { */ || i + 1 === digitsEnd) return null;
  if (digitsEnd - (i + 1) > MAX_SIZE_DIGITS) return Infinity;
  let n = 0;
  for (let j = i + 1; j < digitsEnd; j++) n = n * 10 + ((buf[j] ?? 0x30) - 0x30);
  return n;
}
