// Renders transcript events to the text a user reads, in the C:/S: notation of the RFCs' own
// examples: `12:00:01.123 C: a1 LOGIN alice <redacted>`. Local notes use `--`.
// Lines are capped so the editor keeps coloring them (it stops past 20,000 characters).
import { Buffer } from 'node:buffer';
import { asBuffer, utf8Text } from '../protocol/text.js';
import type { TranscriptEvent, WireEvent, NoteEvent } from './events.js';

export interface RenderOptions {
  /** Prefix each line with `HH:MM:SS.mmm ` (UTC). Default true. */
  readonly timestamps?: boolean;
  /** Client payloads (message bodies, literals) up to this size are shown in full. */
  readonly inlinePayloadMax?: number;
  /** Longest rendered line before it is cut with a `[+N bytes]` mark. */
  readonly maxLineChars?: number;
}

/**
 * `1234567` as `1,234,567`, exactly as `toLocaleString('en-US')` writes an integer, without
 * loading ICU: its first call takes about 30 ms, which would land in a live document's update.
 */
export function groupDigits(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  let digits = String(Math.abs(n));
  let grouped = '';
  while (digits.length > 3) {
    grouped = `,${digits.slice(-3)}${grouped}`;
    digits = digits.slice(0, -3);
  }
  return `${n < 0 ? '-' : ''}${digits}${grouped}`;
}

const DEFAULTS = { timestamps: true, inlinePayloadMax: 64 * 1024, maxLineChars: 4000 };
const NO_OPTIONS: RenderOptions = {};

function isEmpty(options: RenderOptions): boolean {
  for (const key in options) if ((options as Record<string, unknown>)[key] !== undefined) return false;
  return true;
}

/** The `HH:MM:SS.` of the last second formatted: a busy session has many events per second. */
let cachedSecond = Number.NaN;
let cachedSecondText = '';

export function formatTime(time: number): string {
  const ms = Math.floor(time);
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    const d = new Date(second * 1000);
    cachedSecondText = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.`;
    cachedSecond = second;
  }
  const millis = ms - second * 1000;
  return cachedSecondText + (millis < 10 ? '00' : millis < 100 ? '0' : '') + String(millis);
}

function pad2(n: number): string {
  return n < 10 ? '0' + String(n) : String(n);
}

/** Renders one event to one or more lines (without line terminators). */
export function renderEvent(event: TranscriptEvent, options: RenderOptions = NO_OPTIONS): string[] {
  // Merged only when the caller sets something: this runs for every event of a live document.
  const opts = options === NO_OPTIONS || isEmpty(options) ? DEFAULTS : { ...DEFAULTS, ...options };
  const stamp = opts.timestamps ? formatTime(event.time) + ' ' : '';
  if (event.dir === 'L') return renderNote(event, stamp);
  return renderWire(event, stamp, opts);
}

export function renderEvents(events: Iterable<TranscriptEvent>, options: RenderOptions = {}): string {
  const lines: string[] = [];
  for (const e of events) for (const l of renderEvent(e, options)) lines.push(l);
  return lines.length ? lines.join('\n') + '\n' : '';
}

function renderNote(event: NoteEvent, stamp: string): string[] {
  const level = event.level === 'info' ? '' : event.level === 'warn' ? 'warning: ' : 'error: ';
  return event.text.split('\n').map((line) => `${stamp}-- ${level}${line}`);
}

function renderWire(event: WireEvent, stamp: string, opts: typeof DEFAULTS): string[] {
  const prefix = `${stamp}${event.dir}: `;
  if (event.clientPayload && event.bytes.length > opts.inlinePayloadMax) {
    return [`${prefix}[message body: ${groupDigits(event.bytes.length)} bytes]`];
  }
  const out: string[] = [];
  const lines = splitLines(wireText(event));
  for (const line of lines) out.push(prefix + capLine(line, opts.maxLineChars));
  if (event.malformed) out.push(`${stamp}-- warning: ${event.malformed}`);
  return out;
}

/** The event's bytes as visible text, each stored payload replaced by a `[literal: ...]` mark. */
function wireText(event: WireEvent): string {
  const bytes = asBuffer(event.bytes);
  if (!event.payloads || event.payloads.length === 0) return visibleText(bytes, 0, bytes.length);
  let text = '';
  let at = 0;
  for (const p of event.payloads) {
    text += visibleText(bytes, at, p.offset);
    text += `[literal: ${groupDigits(p.size)} bytes, payload ${p.id}]`;
    at = p.offset;
  }
  return text + visibleText(bytes, at, bytes.length);
}

/**
 * Splits on LF; a CR before the LF is the normal terminator and is dropped; a bare LF is shown.
 * Most events are one line ending in CRLF: that case is found without splitting.
 */
function splitLines(text: string): string[] {
  const n = text.length;
  if (n >= 2 && text.charCodeAt(n - 1) === 0x0a && text.charCodeAt(n - 2) === 0x0d) {
    const body = text.slice(0, n - 2);
    if (body.indexOf('\n') < 0 && body.indexOf('\r') < 0) return [body];
  }
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? '';
    const last = i === lines.length - 1;
    if (last) {
      if (line === '') break; // text ended with a line terminator
      out.push(line + ' [no line end]');
      break;
    }
    if (line.endsWith('\r')) line = line.slice(0, -1);
    else line += ' [bare LF]';
    out.push(line.includes('\r') ? line.replace(/\r/g, '\\r') : line);
  }
  return out;
}

function capLine(line: string, max: number): string {
  if (line.length <= max) return line;
  return `${line.slice(0, max)} [+${groupDigits(line.length - max)} characters]`;
}

/**
 * Decodes UTF-8 where valid and shows control bytes and invalid sequences as `\xNN`, so what the
 * server really sent is visible and nothing can break the editor's rendering.
 */
export function bytesToVisible(bytes: Uint8Array): string {
  return visibleText(asBuffer(bytes), 0, bytes.length);
}

/** Control characters besides CR, LF and TAB, and the replacement character of bad UTF-8. */
const NOT_PLAIN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;

/** `bytesToVisible` of `buf[from, to)`, without making views of it first. */
function visibleText(buf: Buffer, from: number, to: number): string {
  // Bounds as subarray() would take them (a payload offset past the end shows nothing more).
  const end = Math.min(Math.max(to, 0), buf.length);
  const start = Math.min(Math.max(from, 0), end);
  const text = utf8Text(buf, start, end);
  // Fast path: plain text, decoded once.
  if (!NOT_PLAIN.test(text)) return text;
  return escapedText(buf.subarray(start, end));
}

function escapedText(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      out +=
        b === 0x0a || b === 0x0d || b === 0x09 || (b >= 0x20 && b < 0x7f) ? String.fromCharCode(b) : hex(b);
      i++;
      continue;
    }
    const len = b >= 0xf0 && b < 0xf5 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
    const seq = len ? bytes.subarray(i, i + len) : undefined;
    const decoded = seq && seq.length === len ? Buffer.from(seq).toString('utf8') : '\ufffd';
    if (decoded.includes('\ufffd') || decoded.length === 0) {
      out += hex(b);
      i++;
    } else {
      out += decoded;
      i += len;
    }
  }
  return out;
}

function hex(b: number): string {
  return '\\x' + b.toString(16).padStart(2, '0');
}
