// Helpers for the IMAP codec tests: load recorded-style dialogues (`S:` server lines, `C:` raw
// client lines) and rebuild the server stream from events to check that nothing was dropped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapClientCodec, type ImapEvent } from '../../../src/protocol/imap/index.js';

export type Step =
  { readonly from: 'server'; readonly bytes: Buffer } | { readonly from: 'client'; readonly line: string };

/** Steps of a fixture; consecutive server lines are joined into one chunk. */
export function loadDialogue(name: string): Step[] {
  const path = join(__dirname, '../../fixtures/imap', name);
  const steps: Step[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('S: ')) {
      const bytes = Buffer.from(line.slice(3) + '\r\n', 'utf8');
      const last = steps[steps.length - 1];
      if (last?.from === 'server')
        steps[steps.length - 1] = { from: 'server', bytes: Buffer.concat([last.bytes, bytes]) };
      else steps.push({ from: 'server', bytes });
    } else if (line.startsWith('C: ')) {
      steps.push({ from: 'client', line: line.slice(3) });
    }
  }
  return steps;
}

export const FIXTURES = ['session.txt', 'idle.txt', 'starttls.txt', 'bye.txt', 'malformed.txt'];

export interface DialogueResult {
  readonly events: ImapEvent[];
  readonly sent: Buffer;
  readonly received: Buffer;
  readonly codec: ImapClientCodec;
}

/**
 * Plays a dialogue. `split` cuts each server chunk into pieces (default: whole chunks).
 */
export function play(
  steps: readonly Step[],
  split: (bytes: Buffer) => Buffer[] = (b) => [b],
  codec = new ImapClientCodec(),
): DialogueResult {
  const events: ImapEvent[] = [];
  const sent: Buffer[] = [];
  const received: Buffer[] = [];
  for (const step of steps) {
    if (step.from === 'client') {
      codec.sendRaw(step.line);
      for (const o of codec.takeOutgoing()) sent.push(Buffer.from(o.bytes));
    } else {
      received.push(step.bytes);
      for (const piece of split(step.bytes)) events.push(...codec.receive(piece));
      for (const o of codec.takeOutgoing()) sent.push(Buffer.from(o.bytes));
    }
  }
  return { events, sent: Buffer.concat(sent), received: Buffer.concat(received), codec };
}

/** The server bytes as the events tell them: raw, with streamed payload chunks put back in place. */
export function rebuild(events: readonly ImapEvent[]): Buffer {
  const chunks = new Map<number, Buffer[]>();
  const out: Buffer[] = [];
  for (const ev of events) {
    if (ev.type === 'payload-chunk') {
      const list = chunks.get(ev.payload) ?? [];
      list.push(Buffer.from(ev.chunk));
      chunks.set(ev.payload, list);
    } else if ('raw' in ev) {
      let pos = 0;
      for (const p of ev.payloads ?? []) {
        out.push(Buffer.from(ev.raw.subarray(pos, p.offset)));
        out.push(...(chunks.get(p.payload) ?? []));
        chunks.delete(p.payload);
        pos = p.offset;
      }
      out.push(Buffer.from(ev.raw.subarray(pos)));
    }
  }
  if (chunks.size > 0) throw new Error(`payload chunks never placed: ${[...chunks.keys()].join(',')}`);
  return Buffer.concat(out);
}

/** Cuts `bytes` at the given offsets (sorted, deduplicated, in range). */
export function cutAt(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const cuts = [...new Set(offsets.map((o) => Math.min(Math.max(0, o), bytes.length)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let pos = 0;
  for (const c of cuts) {
    pieces.push(bytes.subarray(pos, c));
    pos = c;
  }
  pieces.push(bytes.subarray(pos));
  return pieces;
}

export function ofType<T extends ImapEvent['type']>(
  events: readonly ImapEvent[],
  type: T,
): Extract<ImapEvent, { type: T }>[] {
  return events.filter((e): e is Extract<ImapEvent, { type: T }> => e.type === type);
}
