// Typed IMAP responses (RFC 3501, RFC 9051 and the common extensions): untagged data, tagged
// completions, continuation requests and response codes. Unknown responses and codes are kept.

import { Buffer } from 'node:buffer';
import type { PayloadPlacement } from '../types.js';
import { upperCase } from '../text.js';
import { readFetch, atomList, type FetchData } from './fetch.js';
import { ImapString, ParseError, Reader, tokenBigInt, tokenNumber, tokenText, type Token } from './parser.js';

export type ResponseCode =
  /** A code without arguments: ALERT, READ-ONLY, READ-WRITE, TRYCREATE, PARSE, CLOSED, ... */
  | { readonly kind: 'flag'; readonly name: string }
  | { readonly kind: 'CAPABILITY'; readonly capabilities: readonly string[] }
  | { readonly kind: 'PERMANENTFLAGS'; readonly flags: readonly string[] }
  | { readonly kind: 'UIDVALIDITY' | 'UIDNEXT' | 'UNSEEN'; readonly value: number }
  | { readonly kind: 'HIGHESTMODSEQ'; readonly value: bigint }
  | { readonly kind: 'APPENDUID'; readonly uidValidity: number; readonly uids: string }
  | {
      readonly kind: 'COPYUID';
      readonly uidValidity: number;
      readonly sourceUids: string;
      readonly destinationUids: string;
    }
  | { readonly kind: 'BADCHARSET'; readonly charsets: readonly string[] }
  /** A code this parser does not type (or whose arguments did not parse), with its argument text. */
  | { readonly kind: 'other'; readonly name: string; readonly text: string };

export type Status = 'OK' | 'NO' | 'BAD';

export interface NamespaceEntry {
  readonly prefix: string;
  readonly delimiter: string | null;
}

export type UntaggedResponse =
  | {
      readonly kind: 'status';
      readonly status: Status | 'BYE' | 'PREAUTH';
      readonly code?: ResponseCode;
      readonly text: string;
    }
  | { readonly kind: 'capability'; readonly capabilities: readonly string[] }
  | { readonly kind: 'enabled'; readonly capabilities: readonly string[] }
  | { readonly kind: 'flags'; readonly flags: readonly string[] }
  | {
      readonly kind: 'list' | 'lsub';
      readonly attributes: readonly string[];
      readonly delimiter: string | null;
      /** Mailbox name as sent (modified UTF-7 is not decoded). */
      readonly mailbox: string;
      /** Extended data (RFC 5258), e.g. CHILDINFO, kept as tokens. */
      readonly extended?: readonly Token[];
    }
  | {
      readonly kind: 'mailbox-status';
      readonly mailbox: string;
      /** Attribute name (upper case) to value: MESSAGES, UIDNEXT, UNSEEN, HIGHESTMODSEQ, ... */
      readonly attributes: Readonly<Record<string, number | bigint>>;
    }
  | { readonly kind: 'search'; readonly numbers: readonly number[]; readonly modseq?: bigint }
  | {
      readonly kind: 'esearch';
      readonly tag?: string;
      readonly uid: boolean;
      readonly min?: number;
      readonly max?: number;
      readonly count?: number;
      /** Sequence set, e.g. `1:3,7`. */
      readonly all?: string;
      readonly modseq?: bigint;
      /** Other return data, name upper-cased. */
      readonly other?: Readonly<Record<string, Token>>;
    }
  | { readonly kind: 'exists' | 'recent' | 'expunge'; readonly number: number }
  | { readonly kind: 'vanished'; readonly earlier: boolean; readonly uids: string }
  | { readonly kind: 'fetch'; readonly seq: number; readonly data: FetchData }
  | {
      readonly kind: 'namespace';
      readonly personal: readonly NamespaceEntry[] | null;
      readonly otherUsers: readonly NamespaceEntry[] | null;
      readonly shared: readonly NamespaceEntry[] | null;
    }
  | { readonly kind: 'id'; readonly params: Readonly<Record<string, string | null>> | null }
  /** Anything else, e.g. `* QUOTA ...`: name upper-cased, the rest as tokens. */
  | { readonly kind: 'unknown'; readonly name: string; readonly tokens: readonly Token[] };

export type ParsedResponse =
  | { readonly type: 'untagged'; readonly response: UntaggedResponse }
  | {
      readonly type: 'tagged';
      readonly tag: string;
      readonly status: Status;
      readonly code?: ResponseCode;
      readonly text: string;
    }
  | { readonly type: 'continuation'; readonly text: string; readonly code?: ResponseCode };

/** Parses one framed response. Throws ParseError with a specific message on malformed input. */
export function parseResponse(raw: Buffer, payloads?: readonly PayloadPlacement[]): ParsedResponse {
  const r = new Reader(raw, payloads);
  const first = r.peek();
  if (first === 0x2b /* + */) {
    r.pos++;
    r.optionalSp();
    if (r.peek() === 0x5b) {
      const { code, text } = respText(r);
      return code ? { type: 'continuation', text, code } : { type: 'continuation', text };
    }
    return { type: 'continuation', text: r.rest() };
  }
  if (first === 0x2a /* * */) {
    r.pos++;
    r.sp();
    return { type: 'untagged', response: untagged(r) };
  }
  if (first === -1) throw new ParseError('empty line');
  const tag = r.atom();
  if (hasBracket(tag)) throw new ParseError(`invalid tag ${tag}`);
  r.sp();
  const status = r.statusWord();
  if (status !== 'OK' && status !== 'NO' && status !== 'BAD') {
    throw new ParseError(`tagged response with status ${status} (expected OK, NO or BAD)`);
  }
  const { code, text } = respText(r);
  return code ? { type: 'tagged', tag, status, code, text } : { type: 'tagged', tag, status, text };
}

/** Whether a tag holds `[` or `]` (a loop: tags are short, and this runs for every reply). */
function hasBracket(tag: string): boolean {
  for (let i = 0; i < tag.length; i++) {
    const c = tag.charCodeAt(i);
    if (c === 0x5b || c === 0x5d) return true;
  }
  return false;
}

function respText(r: Reader): { code?: ResponseCode; text: string } {
  r.optionalSp();
  if (r.peek() !== 0x5b /* [ */) return { text: r.rest() };
  r.pos++;
  const code = responseCode(r);
  r.optionalSp();
  return { code, text: r.rest() };
}

function responseCode(r: Reader): ResponseCode {
  const name = upperCase(r.atom(true));
  if (r.peek() === 0x5d) {
    r.pos++;
    return { kind: 'flag', name };
  }
  r.sp();
  const start = r.pos;
  try {
    switch (name) {
      case 'CAPABILITY':
        return { kind: 'CAPABILITY', capabilities: upper(strings(r.codeValues(), name)) };
      case 'PERMANENTFLAGS': {
        const v = r.codeValues();
        return { kind: 'PERMANENTFLAGS', flags: atomList(v[0] ?? null, name) };
      }
      case 'UIDVALIDITY':
      case 'UIDNEXT':
      case 'UNSEEN':
        return { kind: name, value: num(r.codeValues()[0], name) };
      case 'HIGHESTMODSEQ': {
        const value = tokenBigInt(r.codeValues()[0]);
        if (value === undefined) throw new ParseError('malformed HIGHESTMODSEQ');
        return { kind: 'HIGHESTMODSEQ', value };
      }
      case 'APPENDUID': {
        const v = r.codeValues();
        return { kind: 'APPENDUID', uidValidity: num(v[0], name), uids: seqSet(v[1], name) };
      }
      case 'COPYUID': {
        const v = r.codeValues();
        return {
          kind: 'COPYUID',
          uidValidity: num(v[0], name),
          sourceUids: seqSet(v[1], name),
          destinationUids: seqSet(v[2], name),
        };
      }
      case 'BADCHARSET': {
        const v = r.codeValues();
        return { kind: 'BADCHARSET', charsets: Array.isArray(v[0]) ? strings(v[0], name) : [] };
      }
    }
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    // Keep the code as text rather than losing the whole response to an odd argument.
    r.pos = start;
  }
  return { kind: 'other', name, text: r.codeText() };
}

function untagged(r: Reader): UntaggedResponse {
  const c = r.peek();
  if (c >= 0x30 && c <= 0x39) return numbered(r);
  const name = r.atom().toUpperCase();
  switch (name) {
    case 'OK':
    case 'NO':
    case 'BAD':
    case 'BYE':
    case 'PREAUTH': {
      const { code, text } = respText(r);
      return code ? { kind: 'status', status: name, code, text } : { kind: 'status', status: name, text };
    }
    case 'CAPABILITY':
    case 'ENABLED':
      return { kind: name === 'CAPABILITY' ? 'capability' : 'enabled', capabilities: upper(atomsToEnd(r)) };
    case 'FLAGS': {
      r.sp();
      const flags = atomList(r.list(), name);
      r.expectEnd();
      return { kind: 'flags', flags };
    }
    case 'LIST':
    case 'LSUB':
      return list(r, name === 'LIST' ? 'list' : 'lsub');
    case 'STATUS':
      return mailboxStatus(r);
    case 'SEARCH':
      return search(r);
    case 'ESEARCH':
      return esearch(r);
    case 'VANISHED':
      return vanished(r);
    case 'NAMESPACE':
      return namespace(r);
    case 'ID':
      return id(r);
  }
  const tokens: Token[] = [];
  while (!r.atEnd) {
    if (r.optionalSp()) continue;
    tokens.push(r.value());
  }
  return { kind: 'unknown', name, tokens };
}

function numbered(r: Reader): UntaggedResponse {
  const n = r.number();
  r.sp();
  const name = r.atom().toUpperCase();
  switch (name) {
    case 'EXISTS':
    case 'RECENT':
    case 'EXPUNGE':
      r.expectEnd();
      return { kind: name === 'EXISTS' ? 'exists' : name === 'RECENT' ? 'recent' : 'expunge', number: n };
    case 'FETCH': {
      const data = readFetch(r, n);
      r.expectEnd();
      return { kind: 'fetch', seq: n, data };
    }
  }
  const tokens: Token[] = [n.toString()];
  while (!r.atEnd) {
    if (r.optionalSp()) continue;
    tokens.push(r.value());
  }
  return { kind: 'unknown', name, tokens };
}

function list(r: Reader, kind: 'list' | 'lsub'): UntaggedResponse {
  r.sp();
  const attributes = atomList(r.list(), 'LIST attributes');
  r.sp();
  const delimTok = r.value();
  if (Array.isArray(delimTok)) throw new ParseError('malformed LIST delimiter');
  const delimiter = tokenText(delimTok);
  r.sp();
  const mailbox = astringText(r.astring());
  if (r.optionalSp() && !r.atEnd) {
    const extended = r.list();
    r.expectEnd();
    return { kind, attributes, delimiter, mailbox, extended };
  }
  r.expectEnd();
  return { kind, attributes, delimiter, mailbox };
}

function mailboxStatus(r: Reader): UntaggedResponse {
  r.sp();
  const mailbox = astringText(r.astring());
  r.optionalSp();
  const items = r.list();
  r.expectEnd();
  const attributes: Record<string, number | bigint> = {};
  for (let i = 0; i + 1 < items.length; i += 2) {
    const key = (tokenText(items[i]) ?? '').toUpperCase();
    const big = tokenBigInt(items[i + 1]);
    if (key === '' || big === undefined) throw new ParseError('malformed STATUS item');
    attributes[key] = big <= BigInt(Number.MAX_SAFE_INTEGER) && key !== 'HIGHESTMODSEQ' ? Number(big) : big;
  }
  return { kind: 'mailbox-status', mailbox, attributes };
}

function search(r: Reader): UntaggedResponse {
  const numbers: number[] = [];
  let modseq: bigint | undefined;
  while (!r.atEnd) {
    if (r.optionalSp()) continue;
    if (r.peek() === 0x28) {
      const m = r.list();
      if ((tokenText(m[0]) ?? '').toUpperCase() !== 'MODSEQ') throw new ParseError('malformed SEARCH');
      modseq = tokenBigInt(m[1]);
      continue;
    }
    numbers.push(r.number());
  }
  return modseq === undefined ? { kind: 'search', numbers } : { kind: 'search', numbers, modseq };
}

function esearch(r: Reader): UntaggedResponse {
  const out: {
    kind: 'esearch';
    tag?: string;
    uid: boolean;
    min?: number;
    max?: number;
    count?: number;
    all?: string;
    modseq?: bigint;
    other?: Record<string, Token>;
  } = { kind: 'esearch', uid: false };
  r.optionalSp();
  if (r.peek() === 0x28) {
    const corr = r.list();
    if ((tokenText(corr[0]) ?? '').toUpperCase() === 'TAG') out.tag = tokenText(corr[1]) ?? undefined;
  }
  while (!r.atEnd) {
    if (r.optionalSp()) continue;
    const key = r.atom().toUpperCase();
    if (key === 'UID') {
      out.uid = true;
      continue;
    }
    r.sp();
    const v = r.value();
    switch (key) {
      case 'MIN':
      case 'MAX':
      case 'COUNT':
        out[key === 'MIN' ? 'min' : key === 'MAX' ? 'max' : 'count'] = num(v, key);
        break;
      case 'ALL':
        out.all = seqSet(v, key);
        break;
      case 'MODSEQ':
        out.modseq = tokenBigInt(v) ?? badValue(key);
        break;
      default:
        (out.other ??= {})[key] = v;
    }
  }
  return out;
}

function vanished(r: Reader): UntaggedResponse {
  r.sp();
  let earlier = false;
  if (r.peek() === 0x28) {
    const mods = r.list();
    earlier = mods.some((m) => typeof m === 'string' && m.toUpperCase() === 'EARLIER');
    r.sp();
  }
  const uids = seqSet(r.atom(), 'VANISHED');
  r.expectEnd();
  return { kind: 'vanished', earlier, uids };
}

function namespace(r: Reader): UntaggedResponse {
  const groups: (NamespaceEntry[] | null)[] = [];
  for (let i = 0; i < 3; i++) {
    r.sp();
    const t = r.value();
    if (t === null) groups.push(null);
    else if (Array.isArray(t)) {
      groups.push(
        t.map((e) => {
          if (!Array.isArray(e)) throw new ParseError('malformed NAMESPACE entry');
          return { prefix: tokenText(e[0]) ?? '', delimiter: tokenText(e[1]) };
        }),
      );
    } else throw new ParseError('malformed NAMESPACE');
  }
  r.expectEnd();
  return {
    kind: 'namespace',
    personal: groups[0] ?? null,
    otherUsers: groups[1] ?? null,
    shared: groups[2] ?? null,
  };
}

function id(r: Reader): UntaggedResponse {
  r.sp();
  const t = r.value();
  r.expectEnd();
  if (t === null) return { kind: 'id', params: null };
  if (!Array.isArray(t)) throw new ParseError('malformed ID');
  const params: Record<string, string | null> = {};
  for (let i = 0; i + 1 < t.length; i += 2) {
    const k = tokenText(t[i]);
    if (k !== null) params[k] = tokenText(t[i + 1]);
  }
  return { kind: 'id', params };
}

function atomsToEnd(r: Reader): string[] {
  const out: string[] = [];
  while (!r.atEnd) {
    if (r.optionalSp()) continue;
    out.push(r.atom());
  }
  return out;
}

function astringText(v: string | ImapString): string {
  return typeof v === 'string' ? v : v.text;
}

function strings(ts: Token[], what: string): string[] {
  return ts.map((t) => tokenText(t) ?? badValue(what));
}

function upper(xs: string[]): string[] {
  return xs.map((x) => x.toUpperCase());
}

function num(t: Token | undefined, what: string): number {
  return tokenNumber(t) ?? badValue(what);
}

const SEQ_SET = /^(\d+|\*)(:(\d+|\*))?(,(\d+|\*)(:(\d+|\*))?)*$/;

function seqSet(t: Token | undefined, what: string): string {
  if (typeof t !== 'string' || !SEQ_SET.test(t)) return badValue(what);
  return t;
}

function badValue(what: string): never {
  throw new ParseError(`malformed ${what}`);
}
