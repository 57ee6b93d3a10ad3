// Test helpers: recorded dialogues (fixture files) and the "nothing dropped" reassembly.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawBytes } from '../../../src/protocol/types.js';

export interface Step {
  readonly from: 'S' | 'C';
  readonly line: string;
}

/** Reads `test/fixtures/<name>`: `S: text` lines are server lines, `C: text` client lines. */
export function loadDialogue(name: string): Step[] {
  const path = join(__dirname, '..', '..', 'fixtures', name);
  const steps: Step[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([SC]): ?(.*)$/.exec(line);
    if (m !== null) steps.push({ from: m[1] as 'S' | 'C', line: m[2]! });
  }
  return steps;
}

/** All server bytes of a dialogue, CRLF-terminated. */
export function serverBytes(steps: readonly Step[]): Buffer {
  return Buffer.from(
    steps
      .filter((s) => s.from === 'S')
      .map((s) => s.line + '\r\n')
      .join(''),
  );
}

type AnyEvent = { readonly type: string } & Partial<RawBytes> & {
    readonly chunk?: Uint8Array;
    readonly payload?: unknown;
  };

/**
 * Rebuilds the server byte stream from events: each event's `raw` with its streamed payloads put
 * back at their offsets. `restuff` maps a payload's bytes back to wire form (POP3 unstuffs them).
 */
export function reassemble(events: readonly AnyEvent[], restuff: (b: Buffer) => Buffer = (b) => b): Buffer {
  const payloads = new Map<number, Buffer[]>();
  const parts: Buffer[] = [];
  for (const e of events) {
    if (e.type === 'payload-chunk' && typeof e.payload === 'number' && e.chunk) {
      const list = payloads.get(e.payload) ?? [];
      list.push(Buffer.from(e.chunk));
      payloads.set(e.payload, list);
      continue;
    }
    if (e.raw === undefined) continue;
    const raw = Buffer.from(e.raw);
    let at = 0;
    for (const p of e.payloads ?? []) {
      parts.push(raw.subarray(at, p.offset), restuff(Buffer.concat(payloads.get(p.payload) ?? [])));
      payloads.delete(p.payload);
      at = p.offset;
    }
    parts.push(raw.subarray(at));
  }
  if (payloads.size > 0) throw new Error(`payloads never placed: ${[...payloads.keys()].join(', ')}`);
  return Buffer.concat(parts);
}

/** Splits `bytes` at the given cut points (sorted, deduplicated, clamped). */
export function splitAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => Math.max(0, Math.min(bytes.length, c))))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

/** A scripted SASL mechanism: answers challenges from a table, records what it saw. */
export class ScriptedMechanism {
  readonly challenges: string[] = [];
  readonly verified: Array<string | null> = [];
  constructor(
    readonly name: string,
    private readonly initial: string | null,
    private readonly answers: Readonly<Record<string, string>>,
    private readonly verifyResult: string | null = null,
  ) {}
  initialResponse(): Uint8Array | null {
    return this.initial === null ? null : Buffer.from(this.initial);
  }
  respond(
    challenge: Uint8Array,
  ): { kind: 'respond'; response: Uint8Array } | { kind: 'abort'; reason: string } {
    const c = Buffer.from(challenge).toString();
    this.challenges.push(c);
    const a = this.answers[c];
    return a === undefined
      ? { kind: 'abort', reason: `unexpected challenge` }
      : { kind: 'respond', response: Buffer.from(a) };
  }
  verifySuccess(data: Uint8Array | null): string | null {
    this.verified.push(data === null ? null : Buffer.from(data).toString());
    return this.verifyResult;
  }
}

/** The text of outgoing bytes. */
export function wire(out: ReadonlyArray<{ readonly bytes: Uint8Array }>): string {
  return out.map((o) => Buffer.from(o.bytes).toString()).join('');
}
