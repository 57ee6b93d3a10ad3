// Structured IMAP commands to exact bytes. Strings become atoms, quoted strings or literals as
// their content requires; synchronizing literals split the command into parts that wait for a `+`.

import { Buffer } from 'node:buffer';
import { LIMITS } from '../limits.js';

export type SequenceSetInput = string | readonly (number | '*' | readonly [number | '*', number | '*'])[];

export type ImapArg =
  /** An astring: sent as an atom when possible, else quoted, else as a literal. */
  | string
  | number
  | bigint
  /** A parenthesized list. */
  | readonly ImapArg[]
  /** Sent exactly as given (validated as an atom: no space, quote, paren, brace or control byte). */
  | { readonly atom: string }
  /** A quoted string; refused if it holds CR, LF, NUL or 8-bit characters. */
  | { readonly quoted: string }
  /** A literal (`~{n}` with `binary`, which may hold NUL). */
  | { readonly literal: string | Uint8Array; readonly binary?: boolean }
  /** A sequence set such as `1:4,7,9:*` or [1, [4, 7], [9, '*']]. */
  | { readonly sequence: SequenceSetInput }
  /**
   * Like a plain string, but its bytes are marked secret in Outgoing (passwords). With `atom`,
   * sent as an atom however long (SASL initial responses), refused if it is not one.
   */
  | { readonly secret: string; readonly atom?: boolean }
  /** Text sent as is (e.g. FETCH items `BODY.PEEK[HEADER.FIELDS (FROM)]`); refused if it holds CR, LF or NUL. */
  | { readonly verbatim: string };

/** One piece of a compiled command. `wait` pieces go out only after a continuation request. */
export interface CompiledPart {
  readonly bytes: Buffer;
  readonly secrets?: ReadonlyArray<readonly [number, number]>;
  readonly payload?: boolean;
  readonly wait?: boolean;
}

export interface CompileOptions {
  /** LITERAL+ advertised: every literal may be non-synchronizing. */
  readonly literalPlus?: boolean;
  /** LITERAL- advertised: literals up to 4096 octets may be non-synchronizing. */
  readonly literalMinus?: boolean;
}

export class CompileError extends Error {}

const VERB = /^[A-Za-z][A-Za-z0-9.-]*( [A-Za-z][A-Za-z0-9.-]*)?$/;
const TAG = /^[\x21-\x7e]+$/;
const SEQ_SET = /^(\$|(\d+|\*)(:(\d+|\*))?(,(\d+|\*)(:(\d+|\*))?)*)$/;
const LITERAL_MINUS_MAX = 4096;

/** Atom-safe for an astring (RFC 9051 ASTRING-CHAR: atom chars plus `]`). */
function isAtomSafe(s: string): boolean {
  if (s.length === 0 || s.length > LIMITS.imapMaxQuotedLength) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
    // ( ) { SP CTL % * " \ are atom-specials; `]` is allowed in astrings.
    if (c === 0x28 || c === 0x29 || c === 0x7b || c === 0x25 || c === 0x2a || c === 0x22 || c === 0x5c)
      return false;
  }
  // A bare NIL would be read as NIL, not as the string "NIL".
  return s.toUpperCase() !== 'NIL';
}

/** Quotable: 7-bit, no CR/LF/NUL, not too long. */
function quotable(s: string): boolean {
  if (s.length > LIMITS.imapMaxQuotedLength) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c === 10 || c === 13 || c >= 0x80) return false;
  }
  return true;
}

function quote(s: string): string {
  return '"' + s.replace(/[\\"]/g, '\\$&') + '"';
}

class Builder {
  readonly parts: CompiledPart[] = [];
  private chunks: Buffer[] = [];
  private length = 0;
  private lineLength = 0;
  private secrets: [number, number][] = [];
  private nextWaits = false;

  constructor(private readonly options: CompileOptions) {}

  text(s: string, secret = false): void {
    const b = Buffer.from(s, 'utf8');
    if (secret) this.secrets.push([this.length, this.length + b.length]);
    this.chunks.push(b);
    this.length += b.length;
    this.lineLength += b.length;
    if (this.lineLength > LIMITS.maxClientLineLength) {
      throw new CompileError(
        `command line longer than ${LIMITS.maxClientLineLength} bytes (limit maxClientLineLength)`,
      );
    }
  }

  literal(bytes: Buffer, binary: boolean, secret: boolean): void {
    const nonSync =
      this.options.literalPlus === true ||
      (this.options.literalMinus === true && bytes.length <= LITERAL_MINUS_MAX);
    this.text(`${binary ? '~' : ''}{${bytes.length}${nonSync ? '+' : ''}}\r\n`);
    this.flush(false);
    // The literal's bytes travel as their own part (transcripts summarise them); after a
    // synchronizing literal they wait for the server's `+`.
    this.nextWaits = !nonSync;
    if (secret) this.secrets.push([0, bytes.length]);
    this.chunks.push(bytes);
    this.length = bytes.length;
    this.flush(!secret);
    this.lineLength = 0;
  }

  private flush(payload: boolean): void {
    const bytes =
      this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.length);
    const part: {
      bytes: Buffer;
      secrets?: [number, number][];
      payload?: boolean;
      wait?: boolean;
    } = { bytes };
    if (this.secrets.length > 0) part.secrets = this.secrets;
    if (payload) part.payload = true;
    if (this.nextWaits) part.wait = true;
    this.parts.push(part);
    this.nextWaits = false;
    this.chunks = [];
    this.length = 0;
    this.secrets = [];
  }

  finish(): CompiledPart[] {
    this.text('\r\n');
    this.flush(false);
    return this.parts;
  }
}

/** Compiles `tag verb args...` CRLF. Throws CompileError with a readable reason. */
export function compileCommand(
  tag: string,
  verb: string,
  args: readonly ImapArg[],
  options: CompileOptions = {},
): CompiledPart[] {
  if (!TAG.test(tag) || /[(){%*"\\\]+]/.test(tag))
    throw new CompileError(`invalid tag ${JSON.stringify(tag)}`);
  if (!VERB.test(verb)) throw new CompileError(`invalid command verb ${JSON.stringify(verb)}`);
  const b = new Builder(options);
  b.text(`${tag} ${verb.toUpperCase()}`);
  for (const arg of args) {
    b.text(' ');
    emit(b, arg, options);
  }
  return b.finish();
}

function emit(b: Builder, arg: ImapArg, options: CompileOptions): void {
  if (typeof arg === 'string') return astring(b, arg, false, options);
  if (typeof arg === 'number') {
    if (!Number.isSafeInteger(arg) || arg < 0) throw new CompileError(`invalid number ${arg}`);
    return b.text(String(arg));
  }
  if (typeof arg === 'bigint') {
    if (arg < 0n) throw new CompileError(`invalid number ${arg}`);
    return b.text(arg.toString());
  }
  if (isArgList(arg)) {
    b.text('(');
    arg.forEach((a, i) => {
      if (i > 0) b.text(' ');
      emit(b, a, options);
    });
    return b.text(')');
  }
  if ('atom' in arg && !('secret' in arg)) {
    if (!/^[\x21-\x7e]+$/.test(arg.atom) || /[(){"]/.test(arg.atom)) {
      throw new CompileError(`not an atom: ${JSON.stringify(arg.atom)}`);
    }
    return b.text(arg.atom);
  }
  if ('quoted' in arg) {
    if (!quotable(arg.quoted)) {
      throw new CompileError(
        `cannot send as a quoted string (CR, LF, NUL, 8-bit or over ${LIMITS.imapMaxQuotedLength} characters); use a literal`,
      );
    }
    return b.text(quote(arg.quoted));
  }
  if ('literal' in arg) {
    const bytes =
      typeof arg.literal === 'string' ? Buffer.from(arg.literal, 'utf8') : Buffer.from(arg.literal);
    if (arg.binary !== true && bytes.includes(0)) {
      throw new CompileError(
        'a literal holds a NUL byte; use a binary literal (~{n}) where the server allows it',
      );
    }
    return literal(b, bytes, arg.binary === true, false);
  }
  if ('sequence' in arg) return b.text(sequenceSet(arg.sequence));
  if ('secret' in arg) {
    if (arg.atom !== true) return astring(b, arg.secret, true, options);
    if (!/^[\x21-\x7e]+$/.test(arg.secret) || /[(){"]/.test(arg.secret)) {
      throw new CompileError('a secret that must be an atom holds characters an atom cannot');
    }
    return b.text(arg.secret, true);
  }
  if (/[\r\n\0]/.test(arg.verbatim)) throw new CompileError('verbatim text holds CR, LF or NUL');
  return b.text(arg.verbatim);
}

function isArgList(arg: ImapArg): arg is readonly ImapArg[] {
  return Array.isArray(arg);
}

function astring(b: Builder, s: string, secret: boolean, _options: CompileOptions): void {
  if (isAtomSafe(s)) return b.text(s, secret);
  if (quotable(s)) return b.text(quote(s), secret);
  const bytes = Buffer.from(s, 'utf8');
  if (bytes.includes(0)) throw new CompileError('a string holds a NUL byte, which IMAP cannot send');
  literal(b, bytes, false, secret);
}

function literal(b: Builder, bytes: Buffer, binary: boolean, secret: boolean): void {
  b.literal(bytes, binary, secret);
}

/** Formats and validates a sequence set. */
export function sequenceSet(input: SequenceSetInput): string {
  if (typeof input === 'string') {
    if (!SEQ_SET.test(input)) throw new CompileError(`invalid sequence set ${JSON.stringify(input)}`);
    return input;
  }
  if (input.length === 0) throw new CompileError('empty sequence set');
  const one = (n: number | '*'): string => {
    if (n !== '*' && (!Number.isSafeInteger(n) || n < 1))
      throw new CompileError(`invalid sequence number ${n}`);
    return String(n);
  };
  return input.map((x) => (typeof x === 'object' ? `${one(x[0])}:${one(x[1])}` : one(x))).join(',');
}

/** Expands a sequence set of numbers (no `*`) into ranges, e.g. for VANISHED or COPYUID. */
export function parseSequenceSet(set: string): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = [];
  for (const piece of set.split(',')) {
    const [a, b] = piece.split(':');
    const from = Number(a);
    const to = b === undefined ? from : Number(b);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to))
      throw new CompileError(`invalid sequence set ${set}`);
    out.push(from <= to ? [from, to] : [to, from]);
  }
  return out;
}
