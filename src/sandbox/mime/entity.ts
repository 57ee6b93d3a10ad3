// Splits a raw message into its MIME entities with exact byte offsets, which IMAP needs for
// BODY[section], sizes and line counts. Header values are parsed with libmime; the splitting is
// ours, because a parser that decodes cannot tell where the original bytes were.

import { Buffer } from 'node:buffer';
import libmime from 'libmime';
import { LIMITS } from '../../protocol/limits.js';

export interface HeaderField {
  /** Name as written. */
  readonly name: string;
  /** Lower-case name, for lookups. */
  readonly key: string;
  /** Byte range of the whole field, folding lines and final line end included. */
  readonly start: number;
  readonly end: number;
  /** Unfolded value (UTF-8), surrounding white space trimmed; encoded words left encoded. */
  readonly value: string;
}

export interface ContentType {
  /** Lower case, e.g. `text`, `multipart`. */
  readonly type: string;
  readonly subtype: string;
  /** Parameters in order; names lower case, values decoded (RFC 2231). */
  readonly params: ReadonlyArray<readonly [string, string]>;
}

export interface Entity {
  /** Start of the header (for the top-level message: 0). */
  readonly start: number;
  /** Start of the body (after the blank line that ends the header). */
  readonly bodyStart: number;
  /** End of the entity (exclusive). */
  readonly end: number;
  readonly headers: readonly HeaderField[];
  readonly contentType: ContentType;
  /** Parts of a multipart entity, in order. */
  readonly children: readonly Entity[];
  /** The encapsulated message of a message/rfc822 entity. */
  readonly message?: Entity;
}

const cache = new WeakMap<Buffer, Entity>();

/** The parsed structure of a message, cached per raw buffer (stored messages never change). */
export function parseMessage(raw: Buffer): Entity {
  let entity = cache.get(raw);
  if (!entity) {
    entity = parseEntity(raw, 0, raw.length, 0, defaultType('text', 'plain'));
    cache.set(raw, entity);
  }
  return entity;
}

export function header(entity: Entity, name: string): string | undefined {
  const key = name.toLowerCase();
  return entity.headers.find((h) => h.key === key)?.value;
}

function defaultType(type: string, subtype: string): ContentType {
  return { type, subtype, params: type === 'text' ? [['charset', 'us-ascii']] : [] };
}

function parseEntity(raw: Buffer, start: number, end: number, depth: number, fallback: ContentType): Entity {
  const { headers, bodyStart } = parseHeaderBlock(raw, start, end);
  const ctValue = headers.find((h) => h.key === 'content-type')?.value;
  const contentType = ctValue ? (parseContentType(ctValue) ?? fallback) : fallback;
  let children: Entity[] = [];
  let message: Entity | undefined;
  // Beyond the nesting limit, deeper structure is left unparsed: the entity becomes a leaf.
  if (depth < LIMITS.maxImapNesting) {
    if (contentType.type === 'multipart') {
      const boundary = contentType.params.find(([k]) => k === 'boundary')?.[1];
      if (boundary) {
        const childDefault =
          contentType.subtype === 'digest' ? defaultType('message', 'rfc822') : defaultType('text', 'plain');
        children = splitMultipart(raw, bodyStart, end, boundary).map(([s, e]) =>
          parseEntity(raw, s, e, depth + 1, childDefault),
        );
      }
    } else if (isMessageType(contentType)) {
      message = parseEntity(raw, bodyStart, end, depth + 1, defaultType('text', 'plain'));
    }
  }
  return { start, bodyStart, end, headers, contentType, children, ...(message ? { message } : {}) };
}

export function isMessageType(ct: ContentType): boolean {
  return ct.type === 'message' && (ct.subtype === 'rfc822' || ct.subtype === 'global');
}

function parseContentType(value: string): ContentType | undefined {
  const parsed = libmime.parseHeaderValue(value);
  const [type, subtype] = parsed.value.toLowerCase().split('/');
  if (!type || !subtype) return undefined;
  const params: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(parsed.params)) {
    if (typeof v === 'string') params.push([k.toLowerCase(), v]);
  }
  return { type: type.trim(), subtype: subtype.trim(), params };
}

/** Parses a header block; `bodyStart` is just past the empty line, or `end` when there is none. */
export function parseHeaderBlock(
  raw: Buffer,
  start: number,
  end: number,
): { headers: HeaderField[]; bodyStart: number } {
  const headers: HeaderField[] = [];
  let pos = start;
  let current: { name: string; start: number; end: number } | undefined;
  const flush = (): void => {
    if (!current) return;
    const text = raw.toString('utf8', current.start, current.end);
    const colon = text.indexOf(':');
    const value = text
      .slice(colon + 1)
      .replace(/\r?\n/g, '')
      .trim();
    headers.push({
      name: current.name,
      key: current.name.toLowerCase(),
      start: current.start,
      end: current.end,
      value,
    });
    current = undefined;
  };
  while (pos < end) {
    const lf = raw.indexOf(0x0a, pos);
    const lineEnd = lf < 0 || lf >= end ? end : lf + 1;
    const contentEnd =
      lineEnd > pos && raw[lineEnd - 1] === 0x0a
        ? raw[lineEnd - 2] === 0x0d
          ? lineEnd - 2
          : lineEnd - 1
        : lineEnd;
    if (contentEnd === pos && lineEnd > pos) {
      flush();
      return { headers: headers.filter((h) => h.name !== ''), bodyStart: lineEnd };
    }
    const first = raw[pos];
    if ((first === 0x20 || first === 0x09) && current) {
      current.end = lineEnd; // folded continuation
    } else {
      flush();
      const line = raw.toString('latin1', pos, contentEnd);
      const colon = line.indexOf(':');
      // A line without a colon is not a header; keep it attached to the block so no byte is lost.
      const name = colon > 0 ? line.slice(0, colon).trim() : '';
      current = { name, start: pos, end: lineEnd };
    }
    pos = lineEnd;
  }
  flush();
  return { headers: headers.filter((h) => h.name !== ''), bodyStart: end };
}

/** Byte ranges of the parts of a multipart body. The line end before a delimiter belongs to it. */
function splitMultipart(raw: Buffer, start: number, end: number, boundary: string): Array<[number, number]> {
  const delimiter = Buffer.from(`--${boundary}`, 'utf8');
  const parts: Array<[number, number]> = [];
  let partStart = -1;
  let pos = start;
  while (pos < end) {
    const lf = raw.indexOf(0x0a, pos);
    const lineEnd = lf < 0 || lf >= end ? end : lf + 1;
    if (raw.compare(delimiter, 0, delimiter.length, pos, Math.min(pos + delimiter.length, end)) === 0) {
      const rest = raw.toString('latin1', pos + delimiter.length, lineEnd).replace(/\r?\n$/, '');
      const closing = rest.startsWith('--');
      if (closing || rest.trim() === '') {
        if (partStart >= 0) {
          // The CRLF before the delimiter line is part of the delimiter (RFC 2046 5.1.1).
          let partEnd = pos;
          if (partEnd > partStart && raw[partEnd - 1] === 0x0a) partEnd--;
          if (partEnd > partStart && raw[partEnd - 1] === 0x0d) partEnd--;
          parts.push([partStart, Math.max(partStart, partEnd)]);
        }
        if (closing) return parts;
        partStart = lineEnd;
      }
    }
    pos = lineEnd;
  }
  // No closing delimiter: the last part runs to the end.
  if (partStart >= 0) parts.push([partStart, end]);
  return parts;
}
