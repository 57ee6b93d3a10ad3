// Where a transcript keeps its events: columns of numbers and one log of bytes, not an object per
// event. A session records two events per command, and keeping them as objects cost more than
// the rest of the command's bookkeeping together: every scavenge copied them, old space filled
// with them, and the writes that put them there paid the GC's barriers. Here an event is about
// 30 bytes of typed arrays plus its bytes, invisible to the GC, and it becomes an object again
// only when someone reads it (a document opening, a save, a replay).
import { Buffer } from 'node:buffer';
import type { NoteEvent, NoteKind, NoteLevel, StoredPayload, TranscriptEvent, WireEvent } from './events.js';

const DIR_C = 0;
const DIR_S = 1;
const DIR_L = 2;
/** Flag bits of a wire event. */
export const REDACTED = 1;
export const CLIENT_PAYLOAD = 2;

/** Events per block of columns: blocks are added, never grown or copied. */
const BLOCK_BITS = 12;
const BLOCK = 1 << BLOCK_BITS;
/** First slab of the byte log; each next one doubles, up to SLAB_MAX. */
const SLAB_MIN = 16 * 1024;
const SLAB_MAX = 1024 * 1024;
const SMALL_COPY = 64;
/** Bytes this large are kept as the caller's view (no copy) in a slab of their own. */
const KEEP_VIEW_OVER = 64 * 1024;

/** What is rare enough to keep per event in a map: notes' words, payloads, parse failures. */
type Extra =
  | { readonly level: NoteLevel; readonly kind: NoteKind; readonly text: string }
  | { readonly payloads?: readonly StoredPayload[]; readonly malformed?: string };

/** One block's columns share one allocation (eight typed arrays each cost one). */
class Block {
  readonly times: Float64Array;
  /** NaN when the event has no command, or no latency. */
  readonly commands: Float64Array;
  readonly latencies: Float64Array;
  readonly slabOf: Uint32Array;
  readonly offsets: Uint32Array;
  readonly lengths: Uint32Array;
  readonly dirs: Uint8Array;
  readonly flags: Uint8Array;

  constructor() {
    const memory = new ArrayBuffer(BLOCK * (3 * 8 + 3 * 4 + 2));
    let at = 0;
    const f64 = (): Float64Array => {
      const a = new Float64Array(memory, at, BLOCK);
      at += BLOCK * 8;
      return a;
    };
    const u32 = (): Uint32Array => {
      const a = new Uint32Array(memory, at, BLOCK);
      at += BLOCK * 4;
      return a;
    };
    this.times = f64();
    this.commands = f64();
    this.latencies = f64();
    this.slabOf = u32();
    this.offsets = u32();
    this.lengths = u32();
    this.dirs = new Uint8Array(memory, at, BLOCK);
    this.flags = new Uint8Array(memory, at + BLOCK, BLOCK);
  }
}

export class EventStore {
  private count = 0;
  private readonly blocks: Block[] = [];
  private readonly extras = new Map<number, Extra>();
  private readonly slabs: Uint8Array[] = [];
  /** The slab new bytes are copied into, and how much of it is used. */
  private slab: Buffer | undefined;
  private slabIndex = -1;
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
    block.times[j] = time;
    block.dirs[j] = dir === 'C' ? DIR_C : DIR_S;
    block.flags[j] = flags;
    block.commands[j] = commandId ?? NaN;
    block.latencies[j] = latencyMs ?? NaN;
    this.storeBytes(block, j, bytes);
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
    block.times[j] = time;
    block.dirs[j] = DIR_L;
    block.commands[j] = block.latencies[j] = NaN;
    this.extras.set(i, { level, kind, text });
  }

  /** The event at `index` (0-based; its seq is index + 1), as a new object. */
  at(index: number): TranscriptEvent | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    const block = this.blocks[index >>> BLOCK_BITS] as Block;
    const j = index & (BLOCK - 1);
    const seq = index + 1;
    const time = block.times[j] as number;
    const dir = block.dirs[j];
    const extra = this.extras.get(index);
    if (dir === DIR_L) {
      const note = extra as { level: NoteLevel; kind: NoteKind; text: string };
      const event: NoteEvent = { seq, time, dir: 'L', level: note.level, kind: note.kind, text: note.text };
      return event;
    }
    const slab = this.slabs[block.slabOf[j] as number] as Uint8Array;
    const offset = block.offsets[j] as number;
    const event: { -readonly [K in keyof WireEvent]: WireEvent[K] } = {
      seq,
      time,
      dir: dir === DIR_C ? 'C' : 'S',
      bytes: slab.subarray(offset, offset + (block.lengths[j] as number)),
    };
    const flags = block.flags[j] as number;
    if (flags & REDACTED) event.redacted = true;
    const wire = extra as { payloads?: readonly StoredPayload[]; malformed?: string } | undefined;
    if (wire?.payloads) event.payloads = wire.payloads;
    if (flags & CLIENT_PAYLOAD) event.clientPayload = true;
    const command = block.commands[j] as number;
    if (!Number.isNaN(command)) event.commandId = command;
    const latency = block.latencies[j] as number;
    if (!Number.isNaN(latency)) event.latencyMs = latency;
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

  private storeBytes(block: Block, j: number, bytes: Uint8Array): void {
    const n = bytes.length;
    if (n > KEEP_VIEW_OVER) {
      // A big response or body: a slab of its own, the caller's bytes as they are.
      this.slabs.push(bytes);
      block.slabOf[j] = this.slabs.length - 1;
      block.offsets[j] = 0;
      block.lengths[j] = n;
      return;
    }
    let slab = this.slab;
    if (slab === undefined || slab.length - this.slabUsed < n) {
      const size = Math.min(SLAB_MAX, Math.max(SLAB_MIN, slab === undefined ? 0 : slab.length * 2));
      // A Buffer, so events read back with Buffer views as the codecs record them. Unfilled:
      // only bytes written are ever handed out.
      slab = this.slab = Buffer.allocUnsafeSlow(Math.max(size, n));
      this.slabs.push(slab);
      this.slabIndex = this.slabs.length - 1;
      this.slabUsed = 0;
    }
    const at = this.slabUsed;
    // A command or status line is a few dozen bytes: a loop beats the call into set().
    if (n <= SMALL_COPY) for (let k = 0; k < n; k++) slab[at + k] = bytes[k] as number;
    else slab.set(bytes, at);
    block.slabOf[j] = this.slabIndex;
    block.offsets[j] = this.slabUsed;
    block.lengths[j] = n;
    this.slabUsed += n;
  }
}
