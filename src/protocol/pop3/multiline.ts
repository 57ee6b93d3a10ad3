// The body of a POP3 multi-line response (RFC 1939 section 3): lines up to a lone ".", with a
// leading "." removed from other lines that start with one ("byte-stuffing").
//
// Message bodies (RETR, TOP) are held until they pass LIMITS.streamPayloadOver, then stream as
// payload-start / payload-chunk / payload-end carrying the bytes as sent (still dot-stuffed). Lists (CAPA, LIST, UIDL)
// are held to be parsed as a whole, up to LIMITS.maxPop3MultilineBytes; past it the held part
// goes out in a protocol-error and the result is marked truncated.

import { Buffer } from 'node:buffer';
import { LIMITS, limitMessage } from '../limits.js';
import type { CommonEvent } from '../types.js';

const DOT = 0x2e;
/** Streamed bytes are handed out in chunks of about this size (fewer, larger events). */
const STREAM_CHUNK = 64 * 1024;

export type MultilineResult =
  | { readonly kind: 'held'; readonly raw: Buffer; readonly body: Buffer; readonly truncated: boolean }
  | {
      readonly kind: 'streamed';
      /** The terminator line; the payload's bytes came out as payload-chunk events. */
      readonly raw: Buffer;
      readonly payload: number;
      readonly size: number;
    };

type PayloadEvent = Extract<
  CommonEvent,
  { type: 'payload-start' | 'payload-chunk' | 'payload-end' | 'protocol-error' }
>;
/** Where payload events go (the codec's event list). */
export interface PayloadSink {
  push(event: PayloadEvent): unknown;
}

export class MultilineBody {
  private raws: Buffer[] = [];
  private rawBytes = 0;
  private body: Buffer[] = [];
  private bodyBytes = 0;
  private payload: number | undefined;
  private streamedBytes = 0;
  /** False while inside an over-long line, whose later pieces are never stuffed. */
  private atLineStart = true;
  private truncated = false;

  constructor(
    private readonly streamable: boolean,
    private readonly newPayloadId: () => number,
    /** Most bytes of a list response held (a parameter so tests can use a small one). */
    private readonly maxHeldBytes: number = LIMITS.maxPop3MultilineBytes,
  ) {}

  /** Adds a complete line; returns the result at the terminator, else null. */
  line(raw: Buffer, content: Buffer, events: PayloadSink): MultilineResult | null {
    if (this.atLineStart && content.length === 1 && content[0] === DOT) return this.finish(raw, events);
    this.add(raw, this.atLineStart && raw[0] === DOT ? raw.subarray(1) : raw, events);
    this.atLineStart = true;
    return null;
  }

  /** Adds a piece of an over-long line (message bodies may carry them: the data is the user's). */
  piece(raw: Buffer, final: boolean, events: PayloadSink): void {
    this.add(raw, this.atLineStart && raw[0] === DOT ? raw.subarray(1) : raw, events);
    this.atLineStart = final;
  }

  /** Hands out streamed bytes gathered so far (called at the end of each receive). */
  flush(events: PayloadSink): void {
    if (this.payload === undefined || this.bodyBytes === 0) return;
    const chunk = Buffer.concat(this.body, this.bodyBytes);
    events.push({ type: 'payload-chunk', payload: this.payload, chunk });
    this.streamedBytes += chunk.length;
    this.body = [];
    this.bodyBytes = 0;
  }

  /**
   * The connection closed before the terminator: the raw bytes still held, and the payload
   * already streamed (whose bytes belong right before those raw bytes), if any.
   */
  abandon(events: PayloadSink): { raw: Buffer; streamed?: { payload: number; size: number } } {
    this.flush(events);
    const raw = Buffer.concat(this.raws, this.rawBytes);
    if (this.payload === undefined) return { raw };
    events.push({ type: 'payload-end', payload: this.payload, size: this.streamedBytes });
    return { raw, streamed: { payload: this.payload, size: this.streamedBytes } };
  }

  private add(raw: Buffer, unstuffed: Buffer, events: PayloadSink): void {
    // Once streaming, the payload carries the bytes exactly as sent (dot-stuffing kept), so the
    // transcript holds what crossed the wire; held bodies keep raw and unstuffed text apart.
    const kept = this.payload === undefined ? unstuffed : raw;
    this.body.push(kept);
    this.bodyBytes += kept.length;
    if (this.payload === undefined) {
      this.raws.push(raw);
      this.rawBytes += raw.length;
      if (!this.streamable && this.rawBytes > this.maxHeldBytes) {
        events.push({
          type: 'protocol-error',
          message: limitMessage('POP3 multi-line response', 'maxPop3MultilineBytes'),
          limit: 'maxPop3MultilineBytes',
          fatal: false,
          raw: Buffer.concat(this.raws, this.rawBytes),
        });
        this.raws = [];
        this.rawBytes = 0;
        this.body = [];
        this.bodyBytes = 0;
        this.truncated = true;
      }
      if (this.streamable && this.bodyBytes > LIMITS.streamPayloadOver) {
        this.payload = this.newPayloadId();
        events.push({ type: 'payload-start', payload: this.payload });
        // From here on, the wire bytes travel in payload chunks instead of the response's raw.
        this.body = this.raws;
        this.bodyBytes = this.rawBytes;
        this.raws = [];
        this.rawBytes = 0;
        this.flush(events);
      }
    } else if (this.bodyBytes >= STREAM_CHUNK) this.flush(events);
  }

  private finish(terminator: Buffer, events: PayloadSink): MultilineResult {
    if (this.payload === undefined) {
      this.raws.push(terminator);
      return {
        kind: 'held',
        raw: Buffer.concat(this.raws, this.rawBytes + terminator.length),
        body: Buffer.concat(this.body, this.bodyBytes),
        truncated: this.truncated,
      };
    }
    this.flush(events);
    events.push({ type: 'payload-end', payload: this.payload, size: this.streamedBytes });
    return { kind: 'streamed', raw: terminator, payload: this.payload, size: this.streamedBytes };
  }
}
