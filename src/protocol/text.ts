// Decoding and case helpers for the codecs' per-line work. Short tokens (tags, status words,
// verbs) are most of what is decoded, and for a few bytes the call into Buffer's C++ decoder
// costs several times the decoding; these do the short ASCII cases in JS and defer to Buffer
// (or to toUpperCase) for everything else, so results are always what those give.
import { Buffer } from 'node:buffer';

/** `bytes` as a Buffer over the same memory (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

type Slicer = (this: Buffer, start: number, end: number) => string;
/** Buffer's own slice decoders skip toString()'s argument checks. */
const proto = Buffer.prototype as unknown as { latin1Slice?: Slicer; utf8Slice?: Slicer };
export const latin1Slice: Slicer =
  proto.latin1Slice ??
  function (this: Buffer, start: number, end: number): string {
    return this.toString('latin1', start, end);
  };
export const utf8Slice: Slicer =
  proto.utf8Slice ??
  function (this: Buffer, start: number, end: number): string {
    return this.toString('utf8', start, end);
  };

/** Bytes `start..end` of `buf` as latin1 (callers check `end <= buf.length`). */
export function latin1Text(buf: Buffer, start: number, end: number): string {
  const b = buf;
  switch (end - start) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(b[start] as number);
    case 2:
      return String.fromCharCode(b[start] as number, b[start + 1] as number);
    case 3:
      return String.fromCharCode(b[start] as number, b[start + 1] as number, b[start + 2] as number);
    case 4:
      return String.fromCharCode(
        b[start] as number,
        b[start + 1] as number,
        b[start + 2] as number,
        b[start + 3] as number,
      );
    case 5:
      return String.fromCharCode(
        b[start] as number,
        b[start + 1] as number,
        b[start + 2] as number,
        b[start + 3] as number,
        b[start + 4] as number,
      );
    case 6:
      return String.fromCharCode(
        b[start] as number,
        b[start + 1] as number,
        b[start + 2] as number,
        b[start + 3] as number,
        b[start + 4] as number,
        b[start + 5] as number,
      );
    default:
      return latin1Slice.call(buf, start, end);
  }
}

/** Bytes `start..end` of `buf` as UTF-8: short ASCII in JS, the rest by Buffer. */
export function utf8Text(buf: Buffer, start: number, end: number): string {
  if (end - start <= 6) {
    let high = 0;
    for (let i = start; i < end; i++) high |= buf[i] as number;
    if ((high & 0x80) === 0) return latin1Text(buf, start, end);
  }
  return utf8Slice.call(buf, start, end);
}

/**
 * `s.toUpperCase()`, without the call when `s` is upper-case ASCII already (verbs, statuses and
 * code names usually are). Anything else goes to toUpperCase, so the result is always the same.
 */
export function upperCase(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x61) return s.toUpperCase();
  }
  return s;
}

/** Longest text encoded by the JS loop in utf8Line; longer text goes to Buffer in one call. */
const SHORT_LINE = 128;

/**
 * `text` as UTF-8, with CRLF appended when `crlf`: one Buffer, no concatenation. Short ASCII
 * lines (nearly every command) are copied in JS; Buffer.from costs two calls into C++.
 */
export function utf8Line(text: string, crlf: boolean): Buffer {
  const n = text.length;
  if (n <= SHORT_LINE) {
    const out = Buffer.allocUnsafe(crlf ? n + 2 : n);
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      out[i] = c;
    }
    if (i === n) {
      if (crlf) {
        out[n] = 0x0d;
        out[n + 1] = 0x0a;
      }
      return out;
    }
  }
  return Buffer.from(crlf ? text + '\r\n' : text, 'utf8');
}
