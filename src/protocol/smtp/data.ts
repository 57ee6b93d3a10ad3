// DATA body transparency (RFC 5321 section 4.5.2): a line starting with "." gets another ".",
// and the body ends with CRLF "." CRLF.
//
// A "line start" is the body start and every position after an LF, bare or not: a server that
// treats bare LF as a line end must never see an unstuffed "." there (SMTP smuggling). Bare LFs
// themselves are sent as given; the body is the user's to shape.

import { Buffer } from 'node:buffer';

const DOT = 0x2e;
const LF = 0x0a;
const CR = 0x0d;

/** The body with every line-start "." doubled. `dotUnstuff(dotStuff(b))` equals `b`. */
export function dotStuff(body: Uint8Array): Buffer {
  const src = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const parts: Buffer[] = [];
  let start = 0;
  let lineStart = 0;
  while (lineStart < src.length) {
    if (src[lineStart] === DOT) {
      parts.push(src.subarray(start, lineStart), DOT_BUF);
      start = lineStart;
    }
    const lf = src.indexOf(LF, lineStart);
    if (lf < 0) break;
    lineStart = lf + 1;
  }
  if (parts.length === 0) return src;
  parts.push(src.subarray(start));
  return Buffer.concat(parts);
}

/** Reverses `dotStuff`: removes one "." at each line start that has one. */
export function dotUnstuff(stuffed: Uint8Array): Buffer {
  const src = Buffer.from(stuffed.buffer, stuffed.byteOffset, stuffed.byteLength);
  const parts: Buffer[] = [];
  let start = 0;
  let lineStart = 0;
  while (lineStart < src.length) {
    if (src[lineStart] === DOT) {
      parts.push(src.subarray(start, lineStart));
      start = lineStart + 1;
    }
    const lf = src.indexOf(LF, lineStart);
    if (lf < 0) break;
    lineStart = lf + 1;
  }
  if (parts.length === 0) return src;
  parts.push(src.subarray(start));
  return Buffer.concat(parts);
}

/** What goes on the wire after 354: the stuffed body, a CRLF if it lacks one, then ".\r\n". */
export function encodeDataBody(body: Uint8Array): Buffer {
  const stuffed = dotStuff(body);
  const n = stuffed.length;
  const endsWithCrlf = n >= 2 && stuffed[n - 2] === CR && stuffed[n - 1] === LF;
  return Buffer.concat([stuffed, endsWithCrlf || n === 0 ? TERMINATOR : CRLF_TERMINATOR]);
}

/**
 * Splits wire DATA bytes at the first CRLF.CRLF terminator (the body's leading CRLF counts):
 * the unstuffed body and the number of bytes consumed, or null when no terminator yet.
 */
export function decodeDataBody(wire: Uint8Array): { body: Buffer; consumed: number } | null {
  const src = Buffer.from(wire.buffer, wire.byteOffset, wire.byteLength);
  let end: number;
  if (src.subarray(0, 3).equals(TERMINATOR)) end = 0;
  else {
    const at = src.indexOf(CRLF_TERMINATOR);
    if (at < 0) return null;
    end = at + 2;
  }
  return { body: dotUnstuff(src.subarray(0, end)), consumed: end + 3 };
}

const DOT_BUF = Buffer.from('.');
const TERMINATOR = Buffer.from('.\r\n');
const CRLF_TERMINATOR = Buffer.from('\r\n.\r\n');
