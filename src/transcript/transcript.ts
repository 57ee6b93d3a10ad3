// A session's transcript: the ordered events, listeners for live views, an optional file that is
// written as the session runs (so a crash loses at most the last flush interval), and the store
// of large payloads.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { NoteKind, NoteLevel, StoredPayload, TranscriptEvent, WireEvent, NoteEvent } from './events.js';
import { eventToJson, type TranscriptHeader } from './jsonl.js';
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

export class Transcript {
  readonly events: TranscriptEvent[] = [];
  readonly payloads: PayloadStore;
  readonly started: number;
  private seq = 0;
  private readonly listeners = new Set<TranscriptListener>();
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

  /** Records wire bytes. `bytes` must already be redacted. */
  wire(fields: Omit<WireEvent, 'seq' | 'time'>): WireEvent {
    const event: WireEvent = { seq: ++this.seq, time: this.now(), ...fields };
    this.push(event);
    return event;
  }

  note(text: string, kind: NoteKind = 'info', level: NoteLevel = 'info'): NoteEvent {
    const event: NoteEvent = { seq: ++this.seq, time: this.now(), dir: 'L', level, kind, text };
    this.push(event);
    return event;
  }

  /** Subscribes to new events; returns the unsubscribe function. Listener errors are contained. */
  subscribe(listener: TranscriptListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  render(options?: RenderOptions): string {
    return renderEvents(this.events, options);
  }

  /** Reassembles the exact (redacted) bytes of one direction, payloads included. */
  bytesOf(dir: 'C' | 'S'): Buffer {
    const parts: Buffer[] = [];
    for (const e of this.events) {
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
    this.listeners.clear();
  }

  /** Closes the file and removes temporary payload storage. */
  dispose(): void {
    this.close();
    this.payloads.close();
  }

  private push(event: TranscriptEvent): void {
    this.events.push(event);
    if (this.fd !== undefined) {
      this.pending.push(eventToJson(event) + '\n');
      if (!this.flushTimer) {
        this.flushTimer = setTimeout(() => this.flush(), this.options.flushIntervalMs ?? 250);
        this.flushTimer.unref();
      }
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken view must not break the session; views report their own errors.
      }
    }
  }
}
