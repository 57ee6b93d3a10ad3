// BODY[section] extraction (RFC 3501 section 6.4.5): exact bytes of headers, texts and parts of
// nested multiparts and message/rfc822 entities.

import { Buffer } from 'node:buffer';
import { isMessageType, parseMessage, type Entity } from './entity.js';

export type SectionText = 'HEADER' | 'TEXT' | 'MIME' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT';

export interface SectionSpec {
  /** Part numbers, e.g. [2, 1] for `2.1`; empty for the whole message. */
  readonly path: readonly number[];
  readonly text?: SectionText;
  /** Field names for HEADER.FIELDS and HEADER.FIELDS.NOT. */
  readonly fields?: readonly string[];
}

/** The bytes of a section; an empty buffer when the part does not exist (as common servers do). */
export function extractSection(raw: Buffer, spec: SectionSpec): Buffer {
  const root = parseMessage(raw);
  const part = resolvePart(root, spec.path);
  if (!part) return Buffer.alloc(0);
  if (spec.text === 'MIME') {
    if (spec.path.length === 0) return Buffer.alloc(0);
    return raw.subarray(part.start, part.bodyStart);
  }
  if (spec.text === undefined) {
    return spec.path.length === 0 ? raw : raw.subarray(part.bodyStart, part.end);
  }
  // HEADER and TEXT refer to a message: the root, or the message inside a message/rfc822 part.
  const message =
    spec.path.length === 0
      ? root
      : part.message && isMessageType(part.contentType)
        ? part.message
        : undefined;
  if (!message) return Buffer.alloc(0);
  switch (spec.text) {
    case 'HEADER':
      return raw.subarray(message.start, message.bodyStart);
    case 'TEXT':
      return raw.subarray(message.bodyStart, message.end);
    case 'HEADER.FIELDS':
    case 'HEADER.FIELDS.NOT':
      return headerFields(raw, message, spec.fields ?? [], spec.text === 'HEADER.FIELDS.NOT');
  }
}

export function resolvePart(root: Entity, path: readonly number[]): Entity | undefined {
  let current: Entity | undefined = root;
  for (const n of path) {
    if (!current) return undefined;
    current = child(current, n);
  }
  return current;
}

function child(entity: Entity, n: number): Entity | undefined {
  if (entity.contentType.type === 'multipart') return entity.children[n - 1];
  // Part numbers inside a message/rfc822 part address the encapsulated message's parts.
  if (entity.message && isMessageType(entity.contentType)) return child(entity.message, n);
  // A non-multipart message has one part: its body.
  return n === 1 ? entity : undefined;
}

function headerFields(raw: Buffer, message: Entity, fields: readonly string[], not: boolean): Buffer {
  const wanted = new Set(fields.map((f) => f.toLowerCase()));
  const chunks: Buffer[] = [];
  for (const h of message.headers) {
    if (wanted.has(h.key) !== not) {
      const bytes = raw.subarray(h.start, h.end);
      chunks.push(bytes);
      // A last field without its line end still needs one before the blank line.
      if (bytes[bytes.length - 1] !== 0x0a) chunks.push(Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from('\r\n'));
  return Buffer.concat(chunks);
}
