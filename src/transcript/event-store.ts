// Where a transcript keeps its events: columns of numbers and one log of bytes, not an object per
// event. A session records two events per command, and keeping them as objects cost more than
// the rest of the command's bookkeeping together: every scavenge copied them, old space filled
// with them, and the writes that put them there paid the GC's barriers. Here an event is
// 21 bytes of typed arrays plus its bytes, invisible to the GC, and it becomes an object again
// only when someone reads it (a document opening, a save, a replay).
import { Buffer } from 'node:buffer';
import type { NoteEvent, NoteKind, NoteLevel, StoredPayload, TranscriptEvent, WireEvent } from './events.js';

const DIR_C = 0;
const DIR_S = 1;
const DIR_L = 2;
/** Flag bits of a wire event. */
export const REDACTED = 1;
export const CLIENT_PAYLOAD = 2;
/** The kind byte: direction in bits 0-1, the flags above, then whether the bytes are a view. */
const FLAGS_SHIFT = 2;
const KEPT_VIEW = 1 << 4;

/** Events per block of columns: blocks are added, never grown or copied. */
const BLOCK_BITS = 12;
const BLOCK = 1 << BLOCK_BITS;
/** First slab of the byte log; each next one doubles, up to SLAB_MAX. */
const SLAB_MIN = 16 * 1024;
const SLAB_MAX = 1024 * 1024;
/** Up to this many bytes a JS loop copies faster than `set()` (about 26 instructions a byte; 200 a call). */
const SMALL_COPY = 7;
/** Bytes this large are kept as the caller's view (no copy), beside the byte log. */
const KEEP_VIEW_OVER = 64 * 1024;
/** In a Uint32 column: 0 is "none", WIDE is "in the wide map" (a value the column cannot hold). */
const NONE = 0;
const WIDE = 0xffffffff;

/** What is rare enough to keep per event in a map: notes' words, payloads, parse failures. */
type Extra =
  | { readonly level: NoteLevel; readonly kind: NoteKind; readonly text: string }
  | { readonly payloads?: readonly StoredPayload[]; readonly malformed?: string };

/**
 * One block's columns share one allocation. 21 bytes an event: every byte kept is fresh memory
 * the machine has to map in, and on a session that is most of what recording costs. Numbers
 * are stored as Uint32 (times as milliseconds after the block's first event, command ids and
 * latencies plus one); one that does not fit (a fraction, a clock gone back, an id of 2^32)
 * is kept exactly in a map instead.
 */
class Block {
  /** The time of the block's first event: times are stored as offsets from it. */
  base = NaN;
  readonly times: Uint32Array;
  readonly commands: Uint32Array;
  readonly latencies: Uint32Array;
  readonly offsets: Uint32Array;
  readonly lengths: Uint32Array;
  readonly kinds: Uint8Array;

  constructor() {
    const memory = new ArrayBuffer(BLOCK * (5 * 4 + 1));
    this.times = new Uint32Array(memory, 0, BLOCK);
    this.commands = new Uint32Array(memory, BLOCK * 4, BLOCK);
    this.latencies = new Uint32Array(memory, BLOCK * 8, BLOCK);
    this.offsets = new Uint32Array(memory, BLOCK * 12, BLOCK);
    this.lengths = new Uint32Array(memory, BLOCK * 16, BLOCK);
    this.kinds = new Uint8Array(memory, BLOCK * 20, BLOCK);
  }
}

/** `value + 1` when it fits a Uint32 column exactly, else WIDE (undefined is NONE). */
function packed(value: number | undefined): number {
  if (value === undefined) return NONE;
  return Number.isInteger(value) && value >= 0 && value < WIDE - 1 ? value + 1 : WIDE;
}

export class EventStore {
  private count = 0;
  private readonly blocks: Block[] = [];
  private readonly extras = new Map<number, Extra>();
  /** Exact values for the events whose time, command id or latency a column cannot hold. */
  private readonly wideTimes = new Map<number, number>();
  private readonly wideCommands = new Map<number, number>();
  private readonly wideLatencies = new Map<number, number>();
  /** Bytes over KEEP_VIEW_OVER, by event index: the caller's views. */
  private readonly views = new Map<number, Uint8Array>();
  /** The byte log's slabs, and the index of the first event stored in each (ascending). */
  private readonly slabs: Buffer[] = [];
  private readonly slabStarts: number[] = [];
  /** The slab new bytes are copied into, and how much of it is used. */
  private slab: Buffer | undefined;
  private slabUsed = 0;

  get length(): number {
    return this.count;
  }

  /** Adds an event object (any producer; the session's path is addWire). */
  add(event: TranscriptEvent): void {
    if (event.dir === 'L') {
      this.addNote(event.time, event.level, event.kind, event.text);
      return;
    }
    const flags = (event.redacted ? REDACTED : 0) | (event.clientPayload ? CLIENT_PAYLOAD : 0);
    this.addWire(
      event.time,
      event.dir,
      event.bytes,
      flags,
      event.commandId,
      event.latencyMs,
      event.payloads,
      event.malformed,
    );
  }

  /** Adds a wire event from its fields: no object to read them from on the hot path. */
  addWire(
    time: number,
    dir: 'C' | 'S',
    bytes: Uint8Array,
    flags: number,
    commandId: number | undefined,
    latencyMs: number | undefined,
    payloads?: readonly StoredPayload[],
    malformed?: string,
  ): void {
    const i = this.count++;
    const block = this.blockFor(i);
    const j = i & (BLOCK - 1);
    this.storeTime(block, i, j, time);
    const command = packed(commandId);
    block.commands[j] = command;
    if (command === WIDE) this.wideCommands.set(i, commandId as number);
    const latency = packed(latencyMs);
    block.latencies[j] = latency;
    if (latency === WIDE) this.wideLatencies.set(i, latencyMs as number);
    const kind = (dir === 'C' ? DIR_C : DIR_S) | ((flags & (REDACTED | CLIENT_PAYLOAD)) << FLAGS_SHIFT);
    block.kinds[j] = this.storeBytes(block, i, j, bytes) ? kind | KEPT_VIEW : kind;
    if (payloads?.length || malformed) {
      const extra: { payloads?: readonly StoredPayload[]; malformed?: string } = {};
      if (payloads?.length) extra.payloads = payloads;
      if (malformed) extra.malformed = malformed;
      this.extras.set(i, extra);
    }
  }

  addNote(time: number, level: NoteLevel, kind: NoteKind, text: string): void {
    const i = this.count++;
    const block = this.blockFor(i);
    const j = i & (BLOCK - 1);
    this.storeTime(block, i, j, time);
    block.kinds[j] = DIR_L;
    block.commands[j] = block.latencies[j] = NONE;
    this.extras.set(i, { level, kind, text });
  }

  /** The event at `index` (0-based; its seq is index + 1), as a new object. */
  at(index: number): TranscriptEvent | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    const block = this.blocks[index >>> BLOCK_BITS] as Block;
    const j = index & (BLOCK - 1);
    const seq = index + 1;
    const storedTime = block.times[j] as number;
    const time = storedTime === WIDE ? (this.wideTimes.get(index) as number) : block.base + storedTime;
    const kind = block.kinds[j] as number;
    const extra = this.extras.get(index);
    if ((kind & 3) === DIR_L) {
      const note = extra as { level: NoteLevel; kind: NoteKind; text: string };
      const event: NoteEvent = { seq, time, dir: 'L', level: note.level, kind: note.kind, text: note.text };
      return event;
    }
    const event: { -readonly [K in keyof WireEvent]: WireEvent[K] } = {
      seq,
      time,
      dir: (kind & 3) === DIR_C ? 'C' : 'S',
      bytes: kind & KEPT_VIEW ? (this.views.get(index) as Uint8Array) : this.bytesAt(index, block, j),
    };
    const flags = kind >>> FLAGS_SHIFT;
    if (flags & REDACTED) event.redacted = true;
    const wire = extra as { payloads?: readonly StoredPayload[]; malformed?: string } | undefined;
    if (wire?.payloads) event.payloads = wire.payloads;
    if (flags & CLIENT_PAYLOAD) event.clientPayload = true;
    const command = block.commands[j] as number;
    if (command !== NONE) event.commandId = command === WIDE ? this.wideCommands.get(index) : command - 1;
    const latency = block.latencies[j] as number;
    if (latency !== NONE) event.latencyMs = latency === WIDE ? this.wideLatencies.get(index) : latency - 1;
    if (wire?.malformed) event.malformed = wire.malformed;
    return event;
  }

  /** Events from `from` (0-based) to the end, as new objects. */
  slice(from = 0): TranscriptEvent[] {
    const out: TranscriptEvent[] = [];
    for (let i = Math.max(0, from); i < this.count; i++) out.push(this.at(i) as TranscriptEvent);
    return out;
  }

  private blockFor(i: number): Block {
    const b = i >>> BLOCK_BITS;
    if (b === this.blocks.length) this.blocks.push(new Block());
    return this.blocks[b] as Block;
  }

  private storeTime(block: Block, i: number, j: number, time: number): void {
    if (j === 0) block.base = time;
    const offset = time - block.base;
    if (Number.isInteger(offset) && offset >= 0 && offset < WIDE) block.times[j] = offset;
    else {
      block.times[j] = WIDE;
      this.wideTimes.set(i, time);
    }
  }

  /** A wire event's bytes from the byte log: the slab is the last one started at or before it. */
  private bytesAt(index: number, block: Block, j: number): Uint8Array {
    const starts = this.slabStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    const offset = block.offsets[j] as number;
    // Every wire event not kept as a view went into a slab, so there is one.
    const slab = this.slabs[lo] as Buffer;
    return slab.subarray(offset, offset + (block.lengths[j] as number));
  }

  /** Stores the bytes; true when they are kept as the caller's view. */
  private storeBytes(block: Block, i: number, j: number, bytes: Uint8Array): boolean {
    const n = bytes.length;
    block.lengths[j] = n;
    if (n > KEEP_VIEW_OVER) {
      // A big response or body: the caller's bytes as they are.
      this.views.set(i, bytes);
      block.offsets[j] = 0;
      return true;
    }
    let slab = this.slab;
    if (slab === undefined || slab.length - this.slabUsed < n) {
      const size = Math.min(SLAB_MAX, Math.max(SLAB_MIN, slab === undefined ? 0 : slab.length * 2));
      // A Buffer, so events read back with Buffer views as the codecs record them. Unfilled:
      // only bytes written are ever handed out.
      slab = this.slab = Buffer.allocUnsafeSlow(Math.max(size, n));
      this.slabs.push(slab);
      this.slabStarts.push(i);
      this.slabUsed = 0;
    }
    const at = this.slabUsed;
    // A POP3 status line or NOOP is a few bytes: for those a loop beats the call into set().
    if (n <= SMALL_COPY) for (let k = 0; k < n; k++) slab[at + k] = bytes[k] as number;
    else slab.set(bytes, at);
    block.offsets[j] = at;
    this.slabUsed = at + n;
    return false;
  }
}
