// IMAP BODY and BODYSTRUCTURE (RFC 3501 section 7.4.2), the latter with extension data.

import { Buffer } from 'node:buffer';
import libmime from 'libmime';
import { header, isMessageType, type Entity } from './entity.js';
import { buildEnvelope } from './envelope.js';
import type { ImapValue } from './imap-value.js';

/** `extended` true gives BODYSTRUCTURE; false gives the non-extensible BODY form. */
export function buildBodyStructure(raw: Buffer, entity: Entity, extended: boolean): ImapValue {
  const ct = entity.contentType;
  if (ct.type === 'multipart') {
    // A multipart with no parsable parts still needs one body part to be valid syntax.
    const parts: ImapValue[] =
      entity.children.length > 0
        ? entity.children.map((c) => buildBodyStructure(raw, c, extended))
        : [emptyTextPart(extended)];
    // RFC 3501 body-type-mpart: `1*body SP media-subtype`, the parts back to back.
    const out: ImapValue[] = [{ adjacent: parts }, ct.subtype];
    if (extended)
      out.push(
        params(ct.params),
        disposition(entity),
        language(entity),
        nstring(header(entity, 'content-location')),
      );
    return out;
  }
  const size = entity.end - entity.bodyStart;
  const out: ImapValue[] = [
    ct.type,
    ct.subtype,
    params(
      ct.type === 'text' && !ct.params.some(([k]) => k === 'charset')
        ? [['charset', 'us-ascii'], ...ct.params]
        : ct.params,
    ),
    nstring(header(entity, 'content-id')),
    nstring(header(entity, 'content-description')),
    header(entity, 'content-transfer-encoding') ?? '7BIT',
    size,
  ];
  if (entity.message && isMessageType(ct)) {
    out.push(
      buildEnvelope(entity.message),
      buildBodyStructure(raw, entity.message, extended),
      countLines(raw, entity.bodyStart, entity.end),
    );
  } else if (ct.type === 'text') {
    out.push(countLines(raw, entity.bodyStart, entity.end));
  }
  if (extended) {
    out.push(
      nstring(header(entity, 'content-md5')),
      disposition(entity),
      language(entity),
      nstring(header(entity, 'content-location')),
    );
  }
  return out;
}

function emptyTextPart(extended: boolean): ImapValue {
  const part: ImapValue[] = ['text', 'plain', ['charset', 'us-ascii'], null, null, '7BIT', 0, 0];
  if (extended) part.push(null, null, null, null);
  return part;
}

function params(list: ReadonlyArray<readonly [string, string]>): ImapValue {
  return list.length === 0 ? null : list.flatMap(([k, v]) => [k, v]);
}

function nstring(value: string | undefined): ImapValue {
  return value === undefined ? null : value;
}

function disposition(entity: Entity): ImapValue {
  const value = header(entity, 'content-disposition');
  if (!value) return null;
  const parsed = libmime.parseHeaderValue(value);
  const list: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(parsed.params))
    if (typeof v === 'string') list.push([k.toLowerCase(), v]);
  return [parsed.value.trim().toLowerCase(), params(list)];
}

function language(entity: Entity): ImapValue {
  const value = header(entity, 'content-language');
  if (!value) return null;
  const tags = value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return tags.length === 0 ? null : tags;
}

/** Lines of a body: line ends, plus a final unterminated line. */
export function countLines(raw: Buffer, start: number, end: number): number {
  let lines = 0;
  for (let i = start; i < end; i++) if (raw[i] === 0x0a) lines++;
  if (end > start && raw[end - 1] !== 0x0a) lines++;
  return lines;
}
