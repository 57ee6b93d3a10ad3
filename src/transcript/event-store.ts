// Where a transcript keeps its events: columns of numbers and one log of bytes, not an object per
// event. A session records two events per command, and keeping them as objects cost more than
// the rest of the command's bookkeeping together: every scavenge copied them, old space filled
// with them, and the writes that put them there paid the GC's barriers. Here an event is about
// 30 bytes of typed arrays plus its bytes, invisible to the GC, and it becomes an object again
// only when someone reads it (a document opening, a save, a replay).
import type { NoteEvent, NoteKind, NoteLevel, StoredPayload, TranscriptEvent, WireEvent } from './events.js';

const DIR_C = 0;
const DIR_S = 1;
const DIR_L = 2;
const REDACTED = 1;
const CLIENT_PAYLOAD = 2;

/** First slab of the byte log; each next one doubles, up to SLAB_MAX. */
const SLAB_MIN = 16 * 1024;
const SLAB_MAX = 1024 * 1024;
/** Bytes this large are kept as the caller's view (as before this store) instead of copied. */
const KEEP_VIEW_OVER = 64 * 1024;
const FIRST_CAPACITY = 256;

/** What is rare enough to keep per event in a map: notes' words, payloads, parse failures. */
type Extra =
  | { readonly level: NoteLevel; readonly kind: NoteKind; readonly text: string }
  | { readonly payloads?: readonly StoredPayload[]; readonly malformed?: string };

export class EventStore {
  private count = 0;
  private capacity = 0;
  private times = new Float64Array(0);
  private dirs = new Uint8Array(0);
  private flags = new Uint8Array(0);
  /** NaN when the event has no command, or no latency. */
  private commands = new Float64Array(0);
  private latencies = new Float64Array(0);
  private slabOf = new Uint32Array(0);
  private offsets = new Uint32Array(0);
  private lengths = new Uint32Array(0);
  private readonly extras = new Map<number, Extra>();
  private readonly slabs: Uint8Array[] = [];
  /** The slab new bytes are copied into, and how much of it is used. */
  private slab: Uint8Array | undefined;
  private slabIndex = -1;
  private slabUsed = 0;

  get length(): number {
    return this.count;
  }

  add(event: TranscriptEvent): void {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    this.times[i] = event.time;
    if (event.dir === 'L') {
      this.dirs[i] = DIR_L;
      this.flags[i] = 0;
      this.commands[i] = NaN;
      this.latencies[i] = NaN;
      this.slabOf[i] = this.offsets[i] = this.lengths[i] = 0;
      this.extras.set(i, { level: event.level, kind: event.kind, text: event.text });
      return;
    }
    this.dirs[i] = event.dir === 'C' ? DIR_C : DIR_S;
    this.flags[i] = (event.redacted ? REDACTED : 0) | (event.clientPayload ? CLIENT_PAYLOAD : 0);
    this.commands[i] = event.commandId ?? NaN;
    this.latencies[i] = event.latencyMs ?? NaN;
    this.storeBytes(i, event.bytes);
    if (event.payloads?.length || event.malformed) {
      const extra: { payloads?: readonly StoredPayload[]; malformed?: string } = {};
      if (event.payloads?.length) extra.payloads = event.payloads;
      if (event.malformed) extra.malformed = event.malformed;
      this.extras.set(i, extra);
    }
  }

  /** The event at `index` (0-based; its seq is index + 1), as a new object. */
  at(index: number): TranscriptEvent | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    const seq = index + 1;
    const time = this.times[index] as number;
    const dir = this.dirs[index];
    const extra = this.extras.get(index);
    if (dir === DIR_L) {
      const note = extra as { level: NoteLevel; kind: NoteKind; text: string };
      const event: NoteEvent = { seq, time, dir: 'L', level: note.level, kind: note.kind, text: note.text };
      return event;
    }
    const slab = this.slabs[this.slabOf[index] as number] as Uint8Array;
    const offset = this.offsets[index] as number;
    const event: { -readonly [K in keyof WireEvent]: WireEvent[K] } = {
      seq,
      time,
      dir: dir === DIR_C ? 'C' : 'S',
      bytes: slab.subarray(offset, offset + (this.lengths[index] as number)),
    };
    const flags = this.flags[index] as number;
    if (flags & REDACTED) event.redacted = true;
    const wire = extra as { payloads?: readonly StoredPayload[]; malformed?: string } | undefined;
    if (wire?.payloads) event.payloads = wire.payloads;
    if (flags & CLIENT_PAYLOAD) event.clientPayload = true;
    const command = this.commands[index] as number;
    if (!Number.isNaN(command)) event.commandId = command;
    const latency = this.latencies[index] as number;
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

  private storeBytes(i: number, bytes: Uint8Array): void {
    const n = bytes.length;
    if (n > KEEP_VIEW_OVER) {
      // A big response or body: a slab of its own, the caller's bytes as they are (no copy).
      this.slabs.push(bytes);
      this.slabOf[i] = this.slabs.length - 1;
      this.offsets[i] = 0;
      this.lengths[i] = n;
      return;
    }
    let slab = this.slab;
    if (slab === undefined || slab.length - this.slabUsed < n) {
      const size = Math.min(SLAB_MAX, Math.max(SLAB_MIN, slab === undefined ? 0 : slab.length * 2));
      // A Buffer, so events read back with Buffer views as they were recorded (the codecs' are).
      // Unfilled: only bytes written are ever handed out.
      slab = this.slab = Buffer.allocUnsafeSlow(Math.max(size, n));
      this.slabs.push(slab);
      this.slabIndex = this.slabs.length - 1;
      this.slabUsed = 0;
    }
    slab.set(bytes, this.slabUsed);
    this.slabOf[i] = this.slabIndex;
    this.offsets[i] = this.slabUsed;
    this.lengths[i] = n;
    this.slabUsed += n;
  }

  private grow(): void {
    const capacity = this.capacity === 0 ? FIRST_CAPACITY : this.capacity * 2;
    this.times = grown(this.times, new Float64Array(capacity));
    this.dirs = grown(this.dirs, new Uint8Array(capacity));
    this.flags = grown(this.flags, new Uint8Array(capacity));
    this.commands = grown(this.commands, new Float64Array(capacity));
    this.latencies = grown(this.latencies, new Float64Array(capacity));
    this.slabOf = grown(this.slabOf, new Uint32Array(capacity));
    this.offsets = grown(this.offsets, new Uint32Array(capacity));
    this.lengths = grown(this.lengths, new Uint32Array(capacity));
    this.capacity = capacity;
  }
}

function grown<T extends Float64Array | Uint8Array | Uint32Array>(old: T, next: T): T {
  next.set(old);
  return next;
}
