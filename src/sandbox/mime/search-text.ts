// Decoded text for SEARCH: headers with encoded words decoded (libmime), bodies with their
// transfer encoding and charset undone, so `SEARCH SUBJECT café` finds `=?utf-8?Q?caf=C3=A9?=`.

import { Buffer } from 'node:buffer';
import libmime from 'libmime';
import { header, parseMessage, type Entity } from './entity.js';

const bodyCache = new WeakMap<Buffer, string>();

/** Every value of a header, decoded; empty when absent. */
export function decodedHeaders(raw: Buffer, name: string): string[] {
  const key = name.toLowerCase();
  return parseMessage(raw)
    .headers.filter((h) => h.key === key)
    .map((h) => safeDecodeWords(h.value));
}

export function decodedHeaderBlock(raw: Buffer): string {
  return parseMessage(raw)
    .headers.map((h) => `${h.name}: ${safeDecodeWords(h.value)}`)
    .join('\n');
}

/** The decoded text of every text part (and of non-text parts as plain bytes would be useless). */
export function decodedBodyText(raw: Buffer): string {
  let text = bodyCache.get(raw);
  if (text === undefined) {
    const parts: string[] = [];
    collect(raw, parseMessage(raw), parts, true);
    text = parts.join('\n');
    bodyCache.set(raw, text);
  }
  return text;
}

function collect(raw: Buffer, entity: Entity, out: string[], isRoot: boolean): void {
  if (entity.contentType.type === 'multipart') {
    for (const c of entity.children) collect(raw, c, out, false);
    return;
  }
  if (entity.message) {
    out.push(decodedHeaderBlock(raw.subarray(entity.message.start, entity.message.end)));
    collect(raw, entity.message, out, false);
    return;
  }
  if (entity.contentType.type !== 'text' && !isRoot) return;
  const body = raw.subarray(entity.bodyStart, entity.end);
  const encoding = (header(entity, 'content-transfer-encoding') ?? '7bit').toLowerCase();
  const bytes =
    encoding === 'base64'
      ? Buffer.from(body.toString('latin1'), 'base64')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : body;
  const charset = entity.contentType.params.find(([k]) => k === 'charset')?.[1] ?? 'utf-8';
  out.push(decodeCharset(bytes, charset));
}

function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return bytes.toString('utf8'); // unknown charset label: UTF-8 is the best guess
  }
}

function decodeQuotedPrintable(body: Buffer): Buffer {
  const text = body.toString('latin1').replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c);
  }
  return Buffer.from(out);
}

function safeDecodeWords(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}
