// IMAP ENVELOPE (RFC 3501 section 7.4.2). Values are the header text as written: encoded words
// stay encoded, as real servers send them; clients decode.

import { header, type Entity } from './entity.js';
import type { ImapValue } from './imap-value.js';

export interface ParsedAddress {
  readonly name: string | null;
  /** Source route, e.g. `@relay1,@relay2`, rarely present. */
  readonly adl: string | null;
  readonly mailbox: string | null;
  readonly host: string | null;
}

export function buildEnvelope(entity: Entity): ImapValue {
  const from = addressList(header(entity, 'from'));
  const sender = addressList(header(entity, 'sender'));
  const replyTo = addressList(header(entity, 'reply-to'));
  return [
    nstring(header(entity, 'date')),
    nstring(header(entity, 'subject')),
    from,
    // RFC 3501: sender and reply-to default to from when absent.
    sender ?? from,
    replyTo ?? from,
    addressList(header(entity, 'to')),
    addressList(header(entity, 'cc')),
    addressList(header(entity, 'bcc')),
    nstring(header(entity, 'in-reply-to')),
    nstring(header(entity, 'message-id')),
  ];
}

function nstring(value: string | undefined): string | null {
  return value === undefined ? null : value;
}

function addressList(value: string | undefined): ImapValue {
  if (value === undefined || value.trim() === '') return null;
  const list = parseAddressList(value);
  // RFC 3501: `"(" 1*address ")"`, addresses back to back.
  return list.length === 0 ? null : [{ adjacent: list.map((a) => [a.name, a.adl, a.mailbox, a.host]) }];
}

type Token =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'quoted'; readonly text: string }
  | { readonly kind: 'comment'; readonly text: string }
  | { readonly kind: 'angle'; readonly text: string }
  | { readonly kind: ':' | ';' | ',' };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
    } else if (c === '"') {
      let text = '';
      i++;
      while (i < input.length && input[i] !== '"') {
        if (input[i] === '\\' && i + 1 < input.length) i++;
        text += input[i];
        i++;
      }
      i++;
      tokens.push({ kind: 'quoted', text });
    } else if (c === '(') {
      let depth = 1;
      let text = '';
      i++;
      while (i < input.length && depth > 0) {
        const d = input[i]!;
        if (d === '\\' && i + 1 < input.length) {
          text += input[i + 1];
          i += 2;
          continue;
        }
        if (d === '(') depth++;
        if (d === ')') depth--;
        if (depth > 0) text += d;
        i++;
      }
      tokens.push({ kind: 'comment', text });
    } else if (c === '<') {
      const close = input.indexOf('>', i);
      const stop = close < 0 ? input.length : close;
      tokens.push({ kind: 'angle', text: input.slice(i + 1, stop).trim() });
      i = stop + 1;
    } else if (c === ':' || c === ';' || c === ',') {
      tokens.push({ kind: c });
      i++;
    } else {
      let j = i;
      while (j < input.length && !' \t\r\n"(<:;,'.includes(input[j]!)) j++;
      // A stray '>' or ')' would otherwise loop forever; it is kept as part of a word.
      if (j === i) j++;
      tokens.push({ kind: 'word', text: input.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

/** Parses an address list with groups (`team: a@x, b@y;`) into ENVELOPE address structures. */
export function parseAddressList(input: string): ParsedAddress[] {
  const out: ParsedAddress[] = [];
  let phrase: string[] = [];
  let words: string[] = [];
  let comment: string | undefined;
  let angle: string | undefined;
  let inGroup = false;

  const flush = (): void => {
    if (angle !== undefined) {
      out.push(makeAddress(phrase.length ? phrase.join(' ') : (comment ?? null), angle));
    } else if (words.length) {
      // Legacy `user@host (Name)` form: the comment is the name.
      out.push(makeAddress(comment ?? null, words.join('')));
    }
    phrase = [];
    words = [];
    comment = undefined;
    angle = undefined;
  };

  for (const t of tokenize(input)) {
    switch (t.kind) {
      case 'word':
        phrase.push(t.text);
        words.push(t.text);
        break;
      case 'quoted':
        phrase.push(t.text);
        words.push(t.text.includes('@') ? `"${t.text}"` : t.text);
        break;
      case 'comment':
        comment ??= t.text;
        break;
      case 'angle':
        angle = t.text;
        break;
      case ':':
        if (!inGroup && angle === undefined) {
          out.push({ name: null, adl: null, mailbox: phrase.join(' '), host: null });
          inGroup = true;
          phrase = [];
          words = [];
          comment = undefined;
        } else {
          words.push(':');
        }
        break;
      case ';':
        flush();
        if (inGroup) out.push({ name: null, adl: null, mailbox: null, host: null });
        inGroup = false;
        break;
      case ',':
        flush();
        break;
    }
  }
  flush();
  if (inGroup) out.push({ name: null, adl: null, mailbox: null, host: null });
  return out;
}

function makeAddress(name: string | null, spec: string): ParsedAddress {
  let adl: string | null = null;
  let addr = spec;
  if (addr.startsWith('@') && addr.includes(':')) {
    const colon = addr.indexOf(':');
    adl = addr.slice(0, colon);
    addr = addr.slice(colon + 1);
  }
  const at = addr.lastIndexOf('@');
  // A missing domain is sent as an empty host: NIL there would mean "group marker".
  const mailbox = at < 0 ? addr : addr.slice(0, at);
  const host = at < 0 ? '' : addr.slice(at + 1);
  return { name: name === '' ? null : name, adl, mailbox, host };
}
