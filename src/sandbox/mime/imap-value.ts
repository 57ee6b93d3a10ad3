// IMAP data items as a small tree, and their wire encoding. Strings choose quoted or literal form
// by content, so a hostile header can never break out of a quoted string.

import { Buffer } from 'node:buffer';

export type ImapValue =
  | null
  | number
  | string
  | Buffer
  | { readonly atom: string }
  /** Items written back to back, no separator, no parentheses (body parts, address lists). */
  | { readonly adjacent: readonly ImapValue[] }
  | readonly ImapValue[];

export const atom = (text: string): { readonly atom: string } => ({ atom: text });

/** Longest string sent quoted; longer ones go as literals to keep lines short. */
const MAX_QUOTED = 1000;

export function encodeValue(value: ImapValue): Buffer {
  const chunks: Buffer[] = [];
  write(value, chunks);
  return Buffer.concat(chunks);
}

function write(value: ImapValue, out: Buffer[]): void {
  if (value === null) out.push(Buffer.from('NIL'));
  else if (typeof value === 'number') out.push(Buffer.from(String(value)));
  else if (typeof value === 'string') out.push(encodeString(value));
  else if (Buffer.isBuffer(value)) out.push(literal(value));
  else if (isList(value)) {
    out.push(Buffer.from('('));
    value.forEach((v, i) => {
      if (i > 0) out.push(Buffer.from(' '));
      write(v, out);
    });
    out.push(Buffer.from(')'));
  } else if ('adjacent' in value) {
    for (const v of value.adjacent) write(v, out);
  } else out.push(Buffer.from(value.atom));
}

function isList(value: ImapValue): value is readonly ImapValue[] {
  return Array.isArray(value);
}

export function encodeString(text: string): Buffer {
  // Quoted strings are 7-bit, no CR/LF/NUL (RFC 3501 section 4.3).
  if (text.length <= MAX_QUOTED && /^[\x01-\x09\x0b\x0c\x0e-\x7f]*$/.test(text)) {
    return Buffer.from(`"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`, 'latin1');
  }
  return literal(Buffer.from(text, 'utf8'));
}

function literal(bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`{${bytes.length}}\r\n`), bytes]);
}
