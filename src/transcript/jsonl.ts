// The transcript file format: JSON Lines, one event per line, bytes in base64 (already redacted).
// A first line `{"mailwire":1,...}` describes the session. Large payloads live in a sidecar file
// (`<name>.payloads`) and are referenced by id, offset and size.
import { Buffer } from 'node:buffer';
import type { NoteEvent, NoteKind, NoteLevel, StoredPayload, TranscriptEvent, WireEvent } from './events.js';

export interface TranscriptHeader {
  readonly mailwire: 1;
  readonly protocol: string;
  readonly target: string;
  readonly started: number;
}

type WireLine = {
  seq: number;
  time: number;
  dir: 'C' | 'S';
  b64: string;
  redacted?: true;
  payloads?: StoredPayload[];
  clientPayload?: true;
  commandId?: number;
  latencyMs?: number;
  malformed?: string;
};

export function eventToJson(event: TranscriptEvent): string {
  if (event.dir === 'L') {
    const { seq, time, dir, level, kind, text } = event;
    return JSON.stringify({ seq, time, dir, level, kind, text });
  }
  const line: WireLine = {
    seq: event.seq,
    time: event.time,
    dir: event.dir,
    b64: Buffer.from(event.bytes).toString('base64'),
  };
  if (event.redacted) line.redacted = true;
  if (event.payloads?.length) line.payloads = [...event.payloads];
  if (event.clientPayload) line.clientPayload = true;
  if (event.commandId !== undefined) line.commandId = event.commandId;
  if (event.latencyMs !== undefined) line.latencyMs = event.latencyMs;
  if (event.malformed) line.malformed = event.malformed;
  return JSON.stringify(line);
}

const LEVELS: readonly NoteLevel[] = ['info', 'warn', 'error'];

/** Parses a transcript file's text. Bad lines are reported, not fatal: a file may be cut short. */
export function parseTranscriptJsonl(text: string): {
  header: TranscriptHeader | undefined;
  events: TranscriptEvent[];
  errors: string[];
} {
  const events: TranscriptEvent[] = [];
  const errors: string[] = [];
  let header: TranscriptHeader | undefined;
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      errors.push(`line ${index + 1}: not JSON`);
      return;
    }
    if (!isRecord(value)) {
      errors.push(`line ${index + 1}: not an object`);
      return;
    }
    if (value['mailwire'] === 1) {
      header = {
        mailwire: 1,
        protocol: typeof value['protocol'] === 'string' ? value['protocol'] : '',
        target: typeof value['target'] === 'string' ? value['target'] : '',
        started: typeof value['started'] === 'number' ? value['started'] : 0,
      };
      return;
    }
    const event = toEvent(value);
    if (event) events.push(event);
    else errors.push(`line ${index + 1}: not a transcript event`);
  });
  return { header, events, errors };
}

function toEvent(v: Record<string, unknown>): TranscriptEvent | undefined {
  const seq = v['seq'];
  const time = v['time'];
  if (typeof seq !== 'number' || typeof time !== 'number') return undefined;
  if (v['dir'] === 'L') {
    const level = LEVELS.find((l) => l === v['level']) ?? 'info';
    const note: NoteEvent = {
      seq,
      time,
      dir: 'L',
      level,
      kind: (typeof v['kind'] === 'string' ? v['kind'] : 'info') as NoteKind,
      text: typeof v['text'] === 'string' ? v['text'] : '',
    };
    return note;
  }
  if ((v['dir'] !== 'C' && v['dir'] !== 'S') || typeof v['b64'] !== 'string') return undefined;
  const event: WireEvent = {
    seq,
    time,
    dir: v['dir'],
    bytes: Buffer.from(v['b64'], 'base64'),
    ...(v['redacted'] === true ? { redacted: true } : {}),
    ...(Array.isArray(v['payloads']) ? { payloads: v['payloads'].filter(isPayload) } : {}),
    ...(v['clientPayload'] === true ? { clientPayload: true } : {}),
    ...(typeof v['commandId'] === 'number' ? { commandId: v['commandId'] } : {}),
    ...(typeof v['latencyMs'] === 'number' ? { latencyMs: v['latencyMs'] } : {}),
    ...(typeof v['malformed'] === 'string' ? { malformed: v['malformed'] } : {}),
  };
  return event;
}

function isPayload(p: unknown): p is StoredPayload {
  return (
    isRecord(p) &&
    typeof p['id'] === 'number' &&
    typeof p['size'] === 'number' &&
    typeof p['offset'] === 'number'
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
