// Typed FETCH data: ENVELOPE (with typed addresses), BODYSTRUCTURE (nested multipart and
// message/rfc822), BODY[section]<origin> values and the simple items. Unknown items are kept.

import { Buffer } from 'node:buffer';
import type { Mutable, PayloadRef } from '../types.js';
import { ImapString, ParseError, Reader, tokenBigInt, tokenNumber, tokenText, type Token } from './parser.js';

const LPAREN = 0x28;

export interface Address {
  /** Display name (as sent; RFC 2047 encoded words are not decoded). */
  readonly name: string | null;
  /** Source route (obsolete), usually null. */
  readonly adl: string | null;
  /** Local part; with a null host it starts (name of the group) or ends (null) a group. */
  readonly mailbox: string | null;
  readonly host: string | null;
  /** `mailbox@host` when both are present. */
  readonly address: string | null;
}

export interface Envelope {
  readonly date: string | null;
  readonly subject: string | null;
  readonly from: readonly Address[];
  readonly sender: readonly Address[];
  readonly replyTo: readonly Address[];
  readonly to: readonly Address[];
  readonly cc: readonly Address[];
  readonly bcc: readonly Address[];
  readonly inReplyTo: string | null;
  readonly messageId: string | null;
}

export interface Disposition {
  readonly type: string;
  readonly params: Readonly<Record<string, string>>;
}

interface BodyExtensions {
  readonly disposition?: Disposition | null;
  readonly language?: readonly string[] | null;
  readonly location?: string | null;
  /** Extension data beyond what RFC 9051 defines, kept as tokens. */
  readonly extra?: readonly Token[];
}

export interface MultipartBody extends BodyExtensions {
  readonly kind: 'multipart';
  /** Lower-case subtype, e.g. `mixed`. */
  readonly subtype: string;
  readonly parts: readonly BodyStructure[];
  readonly params?: Readonly<Record<string, string>>;
}

export interface SinglePartBody extends BodyExtensions {
  readonly kind: 'single';
  /** Lower-case media type and subtype, e.g. `text` / `plain`. */
  readonly type: string;
  readonly subtype: string;
  /** Parameter names lower-cased. */
  readonly params: Readonly<Record<string, string>>;
  readonly id: string | null;
  readonly description: string | null;
  readonly encoding: string;
  readonly size: number;
  /** Line count, for text/* and message/rfc822. */
  readonly lines?: number;
  /** For message/rfc822 (and message/global): the enclosed message. */
  readonly envelope?: Envelope;
  readonly body?: BodyStructure;
  readonly md5?: string | null;
}

export type BodyStructure = MultipartBody | SinglePartBody;

/** BODY[section]<origin>, BINARY[section], RFC822, RFC822.HEADER, RFC822.TEXT. */
export interface FetchSection {
  /** The item as the server named it, e.g. `BODY[HEADER.FIELDS (FROM)]<0>`. */
  readonly item: string;
  readonly kind: 'BODY' | 'BINARY' | 'RFC822' | 'RFC822.HEADER' | 'RFC822.TEXT';
  /** Section spec between the brackets (upper-cased keywords as sent), '' for the whole message. */
  readonly section: string;
  readonly origin?: number;
  /** The bytes, a streamed payload (see payload events), or null for NIL. */
  readonly value: Uint8Array | PayloadRef | null;
}

export interface FetchData {
  readonly seq: number;
  readonly uid?: number;
  readonly flags?: readonly string[];
  readonly internalDate?: string;
  readonly size?: number;
  readonly envelope?: Envelope;
  readonly bodyStructure?: BodyStructure;
  readonly modseq?: bigint;
  readonly sections?: readonly FetchSection[];
  /** Items this parser does not type (X-GM-LABELS, EMAILID, BINARY.SIZE[...], ...), name upper-cased. */
  readonly other?: Readonly<Record<string, Token>>;
}

/** Parses `(item value ...)` straight from the reader; the common items skip generic tokens. */
export function readFetch(r: Reader, seq: number): FetchData {
  const data: Mutable<FetchData> = { seq };
  const acc: Accumulator = { data };
  r.expect(LPAREN, '( to open FETCH data');
  while (!r.closes()) {
    const item = r.atom();
    const name = isUpper(item) ? item : item.toUpperCase();
    r.sp();
    r.spaces();
    switch (name) {
      case 'UID':
        data.uid = r.number();
        break;
      case 'RFC822.SIZE':
        data.size = r.number();
        break;
      case 'FLAGS':
        data.flags = readFlags(r);
        break;
      case 'ENVELOPE':
        data.envelope = readEnvelope(r);
        break;
      case 'INTERNALDATE':
        data.internalDate = r.nstringText() ?? bad('INTERNALDATE');
        break;
      default:
        applyItem(acc, item, name, r.value(1));
    }
  }
  if (acc.sections) data.sections = acc.sections;
  if (acc.other) data.other = acc.other;
  return data;
}

/** Parses FETCH data already read as tokens. */
export function parseFetch(seq: number, items: Token[]): FetchData {
  const data: Mutable<FetchData> = { seq };
  const acc: Accumulator = { data };
  for (let i = 0; i < items.length; i += 2) {
    const nameTok = items[i];
    if (typeof nameTok !== 'string') throw new ParseError('FETCH item name is not an atom');
    if (i + 1 >= items.length) throw new ParseError(`FETCH item ${nameTok} has no value`);
    applyItem(acc, nameTok, nameTok.toUpperCase(), items[i + 1] ?? null);
  }
  if (acc.sections) data.sections = acc.sections;
  if (acc.other) data.other = acc.other;
  return data;
}

interface Accumulator {
  readonly data: Mutable<FetchData>;
  sections?: FetchSection[];
  other?: Record<string, Token>;
}

function applyItem(acc: Accumulator, item: string, name: string, value: Token): void {
  const data = acc.data;
  switch (name) {
    case 'UID':
      data.uid = requireNumber(value, 'UID');
      return;
    case 'FLAGS':
      data.flags = atomList(value, 'FLAGS');
      return;
    case 'INTERNALDATE':
      data.internalDate = tokenText(value) ?? bad('INTERNALDATE');
      return;
    case 'RFC822.SIZE':
      data.size = requireNumber(value, 'RFC822.SIZE');
      return;
    case 'ENVELOPE':
      data.envelope = parseEnvelope(value);
      return;
    case 'BODYSTRUCTURE':
    case 'BODY':
      data.bodyStructure = parseBodyStructure(value);
      return;
    case 'MODSEQ': {
      const inner = Array.isArray(value) ? value[0] : undefined;
      data.modseq = tokenBigInt(inner) ?? bad('MODSEQ');
      return;
    }
    case 'RFC822':
    case 'RFC822.HEADER':
    case 'RFC822.TEXT':
      (acc.sections ??= []).push({ item, kind: name, section: '', value: sectionValue(value, name) });
      return;
    default: {
      const section = parseSectionItem(item, name, value);
      if (section) (acc.sections ??= []).push(section);
      else (acc.other ??= {})[name] = value;
    }
  }
}

function isUpper(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) return false;
  }
  return true;
}

function readFlags(r: Reader): string[] {
  const flags: string[] = [];
  r.expect(LPAREN, '( to open FLAGS');
  while (!r.closes()) flags.push(r.atom());
  return flags;
}

function readEnvelope(r: Reader): Envelope {
  r.expect(LPAREN, '( to open ENVELOPE');
  r.spaces();
  const date = r.nstringText();
  r.spaces();
  const subject = r.nstringText();
  const from = readAddresses(r);
  const sender = readAddresses(r);
  const replyTo = readAddresses(r);
  const to = readAddresses(r);
  const cc = readAddresses(r);
  const bcc = readAddresses(r);
  r.spaces();
  const inReplyTo = r.nstringText();
  r.spaces();
  const messageId = r.nstringText();
  if (!r.closes()) bad('ENVELOPE (expected 10 fields)');
  return { date, subject, from, sender, replyTo, to, cc, bcc, inReplyTo, messageId };
}

function readAddresses(r: Reader): Address[] {
  r.spaces();
  if (r.nil()) return [];
  const out: Address[] = [];
  r.expect(LPAREN, '( to open an address list');
  while (!r.closes()) {
    r.expect(LPAREN, '( to open an address');
    r.spaces();
    const name = r.nstringText();
    r.spaces();
    const adl = r.nstringText();
    r.spaces();
    const mailbox = r.nstringText();
    r.spaces();
    const host = r.nstringText();
    if (!r.closes()) bad('address (expected 4 fields)');
    out.push({
      name,
      adl,
      mailbox,
      host,
      address: mailbox !== null && host !== null ? `${mailbox}@${host}` : null,
    });
  }
  return out;
}

function parseSectionItem(item: string, upper: string, value: Token): FetchSection | null {
  const kind = upper.startsWith('BODY[') ? 'BODY' : upper.startsWith('BINARY[') ? 'BINARY' : null;
  if (kind === null) return null;
  const open = item.indexOf('[');
  const close = item.lastIndexOf(']');
  if (close < open) throw new ParseError(`bad section in ${item}`);
  const section = item.slice(open + 1, close);
  const tail = item.slice(close + 1);
  let origin: number | undefined;
  if (tail !== '') {
    const m = /^<(\d{1,15})>$/.exec(tail);
    if (!m?.[1]) throw new ParseError(`bad origin in ${item}`);
    origin = Number(m[1]);
  }
  const v = sectionValue(value, item);
  return origin === undefined ? { item, kind, section, value: v } : { item, kind, section, origin, value: v };
}

function sectionValue(value: Token, what: string): Uint8Array | PayloadRef | null {
  if (value === null) return null;
  if (value instanceof ImapString) return value.payload ?? value.bytes;
  // Lenient: some servers send a bare atom for an empty or short value.
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return bad(what);
}

export function parseEnvelope(t: Token): Envelope {
  if (!Array.isArray(t) || t.length < 10) return bad('ENVELOPE');
  return {
    date: tokenText(t[0]),
    subject: tokenText(t[1]),
    from: addresses(t[2]),
    sender: addresses(t[3]),
    replyTo: addresses(t[4]),
    to: addresses(t[5]),
    cc: addresses(t[6]),
    bcc: addresses(t[7]),
    inReplyTo: tokenText(t[8]),
    messageId: tokenText(t[9]),
  };
}

function addresses(t: Token | undefined): Address[] {
  if (t === null || t === undefined) return [];
  if (!Array.isArray(t)) return bad('address list');
  const out: Address[] = [];
  for (const a of t) {
    if (!Array.isArray(a) || a.length < 4) return bad('address');
    const mailbox = tokenText(a[2]);
    const host = tokenText(a[3]);
    out.push({
      name: tokenText(a[0]),
      adl: tokenText(a[1]),
      mailbox,
      host,
      address: mailbox !== null && host !== null ? `${mailbox}@${host}` : null,
    });
  }
  return out;
}

export function parseBodyStructure(t: Token): BodyStructure {
  if (!Array.isArray(t) || t.length === 0) return bad('BODYSTRUCTURE');
  if (Array.isArray(t[0])) {
    const parts: BodyStructure[] = [];
    let i = 0;
    while (i < t.length && Array.isArray(t[i])) parts.push(parseBodyStructure(t[i++] ?? null));
    const subtype = (tokenText(t[i++]) ?? bad('multipart subtype')).toLowerCase();
    const body: Mutable<MultipartBody> = { kind: 'multipart', subtype, parts };
    if (i < t.length) body.params = params(t[i++]);
    extensions(body, t, i);
    return body;
  }
  if (t.length < 7) return bad('body part');
  const type = (tokenText(t[0]) ?? bad('body type')).toLowerCase();
  const subtype = (tokenText(t[1]) ?? bad('body subtype')).toLowerCase();
  const body: Mutable<SinglePartBody> = {
    kind: 'single',
    type,
    subtype,
    params: params(t[2]),
    id: tokenText(t[3]),
    description: tokenText(t[4]),
    encoding: tokenText(t[5]) ?? '7BIT',
    size: requireNumber(t[6] ?? null, 'body size'),
  };
  let i = 7;
  if (type === 'message' && (subtype === 'rfc822' || subtype === 'global') && t.length >= 10) {
    body.envelope = parseEnvelope(t[7] ?? null);
    body.body = parseBodyStructure(t[8] ?? null);
    body.lines = requireNumber(t[9] ?? null, 'body lines');
    i = 10;
  } else if (type === 'text' && t.length > 7) {
    body.lines = requireNumber(t[7] ?? null, 'body lines');
    i = 8;
  }
  if (i < t.length) body.md5 = tokenText(t[i++]);
  extensions(body, t, i);
  return body;
}

function extensions(body: Mutable<BodyExtensions>, t: Token[], i: number): void {
  if (i < t.length) body.disposition = disposition(t[i++]);
  if (i < t.length) {
    const lang = t[i++];
    body.language =
      lang === null
        ? null
        : Array.isArray(lang)
          ? lang.map((l) => tokenText(l) ?? '')
          : [tokenText(lang) ?? ''];
  }
  if (i < t.length) body.location = tokenText(t[i++]);
  if (i < t.length) body.extra = t.slice(i);
}

function disposition(t: Token | undefined): Disposition | null {
  if (!Array.isArray(t)) return null;
  return { type: (tokenText(t[0]) ?? '').toLowerCase(), params: params(t[1]) };
}

function params(t: Token | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(t)) return out;
  for (let i = 0; i + 1 < t.length; i += 2) {
    const k = tokenText(t[i]);
    if (k !== null) out[k.toLowerCase()] = tokenText(t[i + 1]) ?? '';
  }
  return out;
}

export function atomList(t: Token, what: string): string[] {
  if (!Array.isArray(t)) return bad(what);
  const out: string[] = [];
  for (const x of t) {
    const s = tokenText(x);
    if (s === null) return bad(what);
    out.push(s);
  }
  return out;
}

function requireNumber(t: Token, what: string): number {
  const n = tokenNumber(t);
  return n === undefined ? bad(what) : n;
}

function bad(what: string): never {
  throw new ParseError(`malformed ${what}`);
}
