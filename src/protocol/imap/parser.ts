// Byte-level tokenizer for one framed IMAP response: atoms, numbers, quoted strings (with escapes),
// literals (inline or streamed), NIL, nested lists, response-code brackets and section specs such as
// `BODY[HEADER.FIELDS (FROM)]<0>` (read as one atom). Errors are thrown as ParseError and turned
// into protocol-error events by the codec; nothing here is exposed to a socket.

import { Buffer } from 'node:buffer';
import { LIMITS, limitMessage, type LimitName } from '../limits.js';
import type { PayloadPlacement, PayloadRef } from '../types.js';
import { latin1Text, upperCase, utf8Slice, utf8Text } from '../text.js';

export class ParseError extends Error {
  constructor(
    message: string,
    readonly limit?: LimitName,
  ) {
    // Parse errors are expected input (a hostile server can send one per line) and are reported
    // by message: skipping the stack trace makes each one far cheaper.
    const depth = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = depth;
  }
}

/** A quoted string or literal. Decoded lazily: most values are only ever read as text once. */
export class ImapString {
  constructor(
    private readonly src: Buffer,
    private readonly from: number,
    private readonly to: number,
    private readonly escaped: boolean,
    /** Set when the literal was streamed: its bytes came as payload events, not here. */
    readonly payload?: PayloadRef,
  ) {}

  get bytes(): Buffer {
    if (!this.escaped) return this.src.subarray(this.from, this.to);
    const out = Buffer.allocUnsafe(this.to - this.from);
    let n = 0;
    for (let i = this.from; i < this.to; i++) {
      let c = this.src[i] ?? 0;
      if (c === BACKSLASH && i + 1 < this.to) c = this.src[++i] ?? 0;
      out[n++] = c;
    }
    return out.subarray(0, n);
  }

  get text(): string {
    return this.escaped ? this.bytes.toString('utf8') : utf8Slice.call(this.src, this.from, this.to);
  }
}

/** A generic token: atom (string), NIL (null), string, or parenthesized list. */
export type Token = string | null | ImapString | Token[];

const SP = 0x20;
const CR = 0x0d;
const LF = 0x0a;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const LPAREN = 0x28;
const RPAREN = 0x29;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const TILDE = 0x7e;

/** 1 for bytes that may appear in an atom (lenient: 8-bit bytes and `\`, `%`, `*`, `]` allowed). */
const ATOM = new Uint8Array(256);
for (let c = 0x21; c < 256; c++) ATOM[c] = 1;
for (const c of [0x7f, LPAREN, RPAREN, LBRACE, DQUOTE, LBRACKET]) ATOM[c] = 0;

export class Reader {
  pos = 0;
  private readonly end: number;
  private payloadIndex = 0;

  constructor(
    readonly buf: Buffer,
    private readonly payloads: readonly PayloadPlacement[] = [],
  ) {
    // The framer guarantees the response ends with LF; the content stops before CRLF.
    let end = buf.length;
    if (end > 0 && buf[end - 1] === LF) end--;
    if (end > 0 && buf[end - 1] === CR) end--;
    this.end = end;
  }

  fail(what: string): never {
    const at = this.pos < this.end ? `at byte ${this.pos}` : 'at end of line';
    throw new ParseError(`${what} ${at}`);
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  peek(): number {
    return this.pos < this.end ? (this.buf[this.pos] ?? -1) : -1;
  }

  sp(): void {
    if (this.buf[this.pos] !== SP || this.pos >= this.end) this.fail('expected a space');
    this.pos++;
  }

  /** Skips one space when present (tolerates servers that omit or double spaces). */
  optionalSp(): boolean {
    if (this.pos < this.end && this.buf[this.pos] === SP) {
      this.pos++;
      return true;
    }
    return false;
  }

  /** Accepts the end of the response, tolerating trailing spaces. */
  expectEnd(): void {
    while (this.pos < this.end && this.buf[this.pos] === SP) this.pos++;
    if (this.pos < this.end) this.fail('unexpected data');
  }

  /** The rest of the line as text (UTF-8), e.g. human-readable response text. */
  rest(): string {
    const s = this.pos < this.end ? utf8Text(this.buf, this.pos, this.end) : '';
    this.pos = this.end;
    return s;
  }

  /** An atom; inside a response code `]` ends it. `[...]` sections are kept whole. */
  atom(inCode = false): string {
    const buf = this.buf;
    const start = this.pos;
    let i = start;
    let high = 0;
    while (i < this.end) {
      const c = buf[i] ?? 0;
      if (ATOM[c] === 1) {
        if (c === RBRACKET && inCode) break;
        high |= c;
        i++;
      } else if (c === LBRACKET && i > start) {
        i = this.sectionEnd(i);
      } else break;
    }
    if (i === start) this.fail('expected an atom');
    this.pos = i;
    return high & 0x80 ? utf8Slice.call(buf, start, i) : latin1Text(buf, start, i);
  }

  /**
   * A tagged response's status word, upper-cased. Servers write OK, NO and BAD in upper case:
   * those are matched on the bytes and returned as constants, without decoding a string; any
   * other word is read as an atom, as before. The position moves exactly as atom() moves it.
   */
  statusWord(): string {
    const buf = this.buf;
    const p = this.pos;
    const c0 = buf[p];
    const c1 = buf[p + 1];
    let word: string | undefined;
    if (c0 === 0x4f && c1 === 0x4b) word = 'OK';
    else if (c0 === 0x4e && c1 === 0x4f) word = 'NO';
    else if (c0 === 0x42 && c1 === 0x41 && buf[p + 2] === 0x44) word = 'BAD';
    if (word !== undefined) {
      const end = p + word.length;
      // The word ends where atom() would end it: at the end, or at a byte that is neither an
      // atom byte nor the `[` of a section. (Its letters cannot run into the CRLF after the end.)
      const next = end < this.end ? (buf[end] as number) : -1;
      if (next === -1 || (ATOM[next] !== 1 && next !== LBRACKET)) {
        this.pos = end;
        return word;
      }
    }
    return upperCase(this.atom());
  }

  /** Index after the `]` matching the `[` at `i` (section specs hold spaces and lists). */
  private sectionEnd(i: number): number {
    let depth = 0;
    for (; i < this.end; i++) {
      const c = this.buf[i];
      if (c === LBRACKET) depth++;
      else if (c === RBRACKET && --depth === 0) return i + 1;
    }
    this.pos = i;
    return this.fail('unterminated [section]');
  }

  number(): number {
    const buf = this.buf;
    const start = this.pos;
    let n = 0;
    let i = start;
    while (i < this.end) {
      const c = buf[i] ?? 0;
      if (c < 0x30 || c > 0x39) break;
      n = n * 10 + (c - 0x30);
      i++;
    }
    if (i === start) this.fail('expected a number');
    if (i - start > 15) this.fail('number too large');
    this.pos = i;
    return n;
  }

  bigNumber(): bigint {
    const start = this.pos;
    while (this.pos < this.end && isDigit(this.buf[this.pos] ?? 0)) this.pos++;
    if (this.pos === start || this.pos - start > 20) this.fail('expected a 64-bit number');
    return BigInt(this.buf.toString('latin1', start, this.pos));
  }

  /** A quoted string or a literal. */
  string(): ImapString {
    const c = this.peek();
    if (c === DQUOTE) return this.quoted();
    if (c === LBRACE || c === TILDE) return this.literal();
    return this.fail('expected a string');
  }

  /** Astring: atom or string; atoms come back as plain strings. */
  astring(): string | ImapString {
    const c = this.peek();
    if (c === DQUOTE || c === LBRACE || c === TILDE) return this.string();
    return this.atom();
  }

  private quoted(): ImapString {
    const buf = this.buf;
    const start = ++this.pos;
    let escaped = false;
    for (let i = start; i < this.end; i++) {
      const c = buf[i];
      if (c === DQUOTE) {
        this.pos = i + 1;
        return new ImapString(buf, start, i, escaped);
      }
      if (c === BACKSLASH) {
        escaped = true;
        i++;
      }
    }
    this.pos = this.end;
    return this.fail('unterminated quoted string');
  }

  private literal(): ImapString {
    const buf = this.buf;
    if (buf[this.pos] === TILDE) this.pos++;
    if (buf[this.pos] !== LBRACE) this.fail('expected a literal');
    this.pos++;
    const size = this.number();
    if (buf[this.pos] === 0x2b /* + */) this.pos++;
    if (buf[this.pos] !== RBRACE) this.fail('expected } after the literal size');
    this.pos++;
    if (buf[this.pos] === CR) this.pos++;
    if (buf[this.pos] !== LF) this.fail('expected CRLF after a literal size');
    this.pos++;
    const placed = this.payloads[this.payloadIndex];
    if (placed !== undefined && placed.offset === this.pos) {
      this.payloadIndex++;
      return new ImapString(buf, this.pos, this.pos, false, { payload: placed.payload, size: placed.size });
    }
    const start = this.pos;
    // The framer counted the literal, so its bytes are all here (the line after it follows).
    if (start + size > buf.length) this.fail('literal runs past the end of the response');
    this.pos = start + size;
    return new ImapString(buf, start, this.pos, false);
  }

  /** nstring as text (UTF-8) without an intermediate token; atoms accepted leniently. */
  nstringText(): string | null {
    const c = this.peek();
    if (c === DQUOTE) {
      const buf = this.buf;
      const start = this.pos + 1;
      for (let i = start; i < this.end; i++) {
        const b = buf[i];
        if (b === DQUOTE) {
          this.pos = i + 1;
          return utf8Slice.call(buf, start, i);
        }
        if (b === BACKSLASH) {
          this.pos = start - 1;
          return this.quoted().text;
        }
      }
      this.pos = this.end;
      return this.fail('unterminated quoted string');
    }
    if (c === LBRACE || c === TILDE) {
      const s = this.literal();
      if (s.payload) this.fail('a streamed literal where a short string was expected');
      return s.text;
    }
    const a = this.atom();
    return a.length === 3 && a.toUpperCase() === 'NIL' ? null : a;
  }

  /** Skips any spaces. */
  spaces(): void {
    while (this.pos < this.end && this.buf[this.pos] === SP) this.pos++;
  }

  /** Consumes `byte` (after optional spaces) or fails with `what`. */
  expect(byte: number, what: string): void {
    this.spaces();
    if (this.pos >= this.end || this.buf[this.pos] !== byte) this.fail(`expected ${what}`);
    this.pos++;
  }

  /** After optional spaces: true and consumed if the next byte is `)`. */
  closes(): boolean {
    this.spaces();
    if (this.pos < this.end && this.buf[this.pos] === RPAREN) {
      this.pos++;
      return true;
    }
    return false;
  }

  /** True (and consumed) when the next token is NIL. */
  nil(): boolean {
    const b = this.buf;
    const p = this.pos;
    if (
      p + 3 <= this.end &&
      (b[p] === 0x4e || b[p] === 0x6e) &&
      (b[p + 1] === 0x49 || b[p + 1] === 0x69) &&
      (b[p + 2] === 0x4c || b[p + 2] === 0x6c)
    ) {
      const next = b[p + 3];
      if (p + 3 === this.end || next === SP || next === RPAREN) {
        this.pos = p + 3;
        return true;
      }
    }
    return false;
  }

  /** nstring: NIL or a string. */
  nstring(): ImapString | null {
    const c = this.peek();
    if (c === DQUOTE || c === LBRACE || c === TILDE) return this.string();
    const a = this.atom();
    if (a.length === 3 && a.toUpperCase() === 'NIL') return null;
    return this.fail('expected a string or NIL');
  }

  /** Any token: list, string, NIL or atom. */
  value(depth = 0, inCode = false): Token {
    const c = this.peek();
    if (c === LPAREN) return this.list(depth + 1, inCode);
    if (c === DQUOTE || c === LBRACE || (c === TILDE && this.buf[this.pos + 1] === LBRACE))
      return this.string();
    const a = this.atom(inCode);
    return a.length === 3 && (a === 'NIL' || a.toUpperCase() === 'NIL') ? null : a;
  }

  /** A parenthesized list; `depth` counts the nesting for LIMITS.maxImapNesting. */
  list(depth = 1, inCode = false): Token[] {
    if (depth > LIMITS.maxImapNesting) {
      throw new ParseError(limitMessage('list nesting', 'maxImapNesting'), 'maxImapNesting');
    }
    if (this.peek() !== LPAREN) this.fail('expected (');
    this.pos++;
    const out: Token[] = [];
    for (;;) {
      const c = this.peek();
      if (c === RPAREN) {
        this.pos++;
        return out;
      }
      if (c === -1) this.fail('unterminated list');
      if (c === SP) {
        this.pos++;
        continue;
      }
      out.push(this.value(depth, inCode));
    }
  }

  /** Values until `]` (the arguments of a response code), consuming the `]`. */
  codeValues(): Token[] {
    const out: Token[] = [];
    for (;;) {
      const c = this.peek();
      if (c === RBRACKET) {
        this.pos++;
        return out;
      }
      if (c === -1) this.fail('unterminated response code');
      if (c === SP) {
        this.pos++;
        continue;
      }
      out.push(this.value(0, true));
    }
  }

  /** Raw text up to the closing `]` of a response code (for codes we do not know). */
  codeText(): string {
    const start = this.pos;
    const close = this.buf.indexOf(RBRACKET, start);
    if (close === -1 || close >= this.end) this.fail('unterminated response code');
    this.pos = close + 1;
    return this.buf.toString('utf8', start, close);
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Text of a token that should be a string (atoms accepted leniently), null for NIL or a list. */
export function tokenText(t: Token | undefined): string | null {
  if (typeof t === 'string') return t;
  if (t instanceof ImapString) return t.text;
  return null;
}

/** A non-negative integer token, or undefined. */
export function tokenNumber(t: Token | undefined): number | undefined {
  if (typeof t !== 'string' || t.length === 0 || t.length > 15) return undefined;
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return undefined;
    n = n * 10 + c;
  }
  return n;
}

export function tokenBigInt(t: Token | undefined): bigint | undefined {
  if (typeof t !== 'string' || !/^\d{1,20}$/.test(t)) return undefined;
  return BigInt(t);
}
