// A session's transcript: the ordered events, listeners for live views, an optional file that is
// written as the session runs (so a crash loses at most the last flush interval), and the store
// of large payloads. Events are kept in columns (event-store.ts); readers get objects made on read.
import { Buffer } from 'node:buffer';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { NoteKind, NoteLevel, StoredPayload, TranscriptEvent, WireEvent, NoteEvent } from './events.js';
import { eventToJson, type TranscriptHeader } from './jsonl.js';
import { CLIENT_PAYLOAD, EventStore, REDACTED } from './event-store.js';
import { PayloadStore } from './payload-store.js';
import { renderEvents, type RenderOptions } from './render.js';

export interface TranscriptOptions {
  /** Write events as JSON Lines to this file while the session runs (payloads beside it). */
  readonly file?: string;
  readonly protocol: string;
  readonly target: string;
  /** Milliseconds between flushes of the file; default 250. */
  readonly flushIntervalMs?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

export type TranscriptListener = (event: TranscriptEvent) => void;

/** A wire event before the transcript numbers it: seq and time are placeholders until record(). */
export type WireDraft = { -readonly [K in keyof WireEvent]: WireEvent[K] };

export class Transcript {
  readonly payloads: PayloadStore;
  readonly started: number;
  private readonly store = new EventStore();
  private seq = 0;
  /** Copy on write, like the session's emitter: push() walks it for every event. */
  private listeners: readonly TranscriptListener[] = [];
  private fd: number | undefined;
  private pending: string[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(readonly options: TranscriptOptions) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
    this.payloads = new PayloadStore(options.file ? options.file + '.payloads' : undefined);
    if (options.file) {
      this.fd = openSync(options.file, 'w', 0o600);
      const header: TranscriptHeader = {
        mailwire: 1,
        protocol: options.protocol,
        target: options.target,
        started: this.started,
      };
      writeSync(this.fd, JSON.stringify(header) + '\n');
    }
  }

  /**
   * Every event so far, oldest first, as new objects: a snapshot, which later events do not
   * extend. Reading all of them costs an object per event; `length` and `at()` read a few.
   */
  get events(): readonly TranscriptEvent[] {
    return this.store.slice();
  }

  /** How many events were recorded. */
  get length(): number {
    return this.store.length;
  }

  /** The event at `index` (0-based: its seq is index + 1), or undefined. */
  at(index: number): TranscriptEvent | undefined {
    return this.store.at(index);
  }

  /** Records wire bytes. `bytes` must already be redacted. */
  wire(fields: Omit<WireEvent, 'seq' | 'time'>): WireEvent {
    return this.record({ seq: 0, time: 0, ...fields });
  }

  /** Records a wire event the caller built and hands over: `seq` and `time` are filled in here. */
  record(event: WireDraft): WireEvent {
    event.seq = ++this.seq;
    event.time = this.now();
    this.store.add(event);
    this.announce(event);
    return event;
  }

  /**
   * Records wire bytes from their fields: the session's path for every command and response.
   * `time` comes from the caller, which reads the clock once for all it records at that moment.
   * The store takes the fields as they are (reading them back from objects of many shapes cost
   * more than storing them), and the object is made once, for listeners and the file.
   */
  recordWire(
    time: number,
    dir: 'C' | 'S',
    bytes: Uint8Array,
    flags: number,
    commandId: number | undefined,
    latencyMs: number | undefined,
    payloads?: readonly StoredPayload[],
    malformed?: string,
  ): void {
    this.store.addWire(time, dir, bytes, flags, commandId, latencyMs, payloads, malformed);
    const seq = ++this.seq;
    // Nobody to hand an object to: the store has the event, the object would be garbage.
    if (this.listeners.length === 0 && this.fd === undefined) return;
    const event: WireDraft = { seq, time, dir, bytes };
    if (flags & REDACTED) event.redacted = true;
    if (payloads?.length) event.payloads = payloads;
    if (flags & CLIENT_PAYLOAD) event.clientPayload = true;
    if (commandId !== undefined) event.commandId = commandId;
    if (latencyMs !== undefined) event.latencyMs = latencyMs;
    if (malformed) event.malformed = malformed;
    this.announce(event);
  }

  note(text: string, kind: NoteKind = 'info', level: NoteLevel = 'info'): NoteEvent {
    const event: NoteEvent = { seq: ++this.seq, time: this.now(), dir: 'L', level, kind, text };
    this.store.addNote(event.time, level, kind, text);
    this.announce(event);
    return event;
  }

  /** Subscribes to new events; returns the unsubscribe function. Listener errors are contained. */
  subscribe(listener: TranscriptListener): () => void {
    if (!this.listeners.includes(listener)) this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  render(options?: RenderOptions): string {
    return renderEvents(this.events, options);
  }

  /** Reassembles the exact (redacted) bytes of one direction, payloads included. */
  bytesOf(dir: 'C' | 'S'): Buffer {
    const parts: Buffer[] = [];
    for (let i = 0; i < this.store.length; i++) {
      const e = this.store.at(i) as TranscriptEvent;
      if (e.dir !== dir) continue;
      parts.push(...this.expand(e));
    }
    return Buffer.concat(parts);
  }

  /** The event's bytes with its stored payloads put back in place. */
  expand(e: WireEvent): Buffer[] {
    const bytes = Buffer.from(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength);
    if (!e.payloads?.length) return [bytes];
    const parts: Buffer[] = [];
    let at = 0;
    for (const p of e.payloads as StoredPayload[]) {
      parts.push(bytes.subarray(at, p.offset), this.payloads.read(p.id));
      at = p.offset;
    }
    parts.push(bytes.subarray(at));
    return parts;
  }

  /** Writes pending lines to the file now. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.fd === undefined || this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    writeSync(this.fd, text);
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.listeners = [];
  }

  /** Closes the file and removes temporary payload storage. */
  dispose(): void {
    this.close();
    this.payloads.close();
  }

  /** Writes a recorded event to the file and tells the listeners. */
  private announce(event: TranscriptEvent): void {
    if (this.fd !== undefined) {
      this.pending.push(eventToJson(event) + '\n');
      if (!this.flushTimer) {
        this.flushTimer = setTimeout(() => this.flush(), this.options.flushIntervalMs ?? 250);
        this.flushTimer.unref();
      }
    }
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        (listeners[i] as TranscriptListener)(event);
      } catch {
        // A broken view must not break the session; views report their own errors.
      }
    }
  }
}
