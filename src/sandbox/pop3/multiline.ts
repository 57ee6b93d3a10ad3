// RFC 1939 section 3 multi-line bodies: dot-stuffing and the CRLF.CRLF terminator.

import { Buffer } from 'node:buffer';

/** `lines` (CRLF-separated message bytes) dot-stuffed and terminated, ready to follow a +OK line. */
export function multilineBody(content: Buffer): Buffer {
  // latin1 maps every byte to one char and back, so 8-bit and binary content survives.
  let text = content.toString('latin1').replace(/(^|\n)\./g, '$1..');
  if (text.length > 0 && !text.endsWith('\r\n')) text += text.endsWith('\r') ? '\n' : '\r\n';
  return Buffer.from(text + '.\r\n', 'latin1');
}

/** A multi-line response made of text lines (CAPA, LIST, UIDL). */
export function multilineLines(lines: readonly string[]): Buffer {
  return multilineBody(Buffer.from(lines.map((l) => l + '\r\n').join(''), 'latin1'));
}

/** Headers, the blank line and the first `bodyLines` lines of the body (TOP). */
export function topOf(raw: Buffer, bodyLines: number): Buffer {
  const headerEnd = raw.indexOf('\r\n\r\n');
  if (headerEnd === -1) return raw; // all header, no body
  let end = headerEnd + 4;
  for (let i = 0; i < bodyLines && end < raw.length; i++) {
    const lf = raw.indexOf(0x0a, end);
    end = lf === -1 ? raw.length : lf + 1;
  }
  return raw.subarray(0, end);
}
