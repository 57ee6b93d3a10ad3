// Parses a client command (RFC 3501 section 9 grammar, leniently where clients differ) into a tag,
// a verb and a tree of arguments. `BODY[HEADER.FIELDS (A B)]<0.10>` stays one atom: FETCH reads it.

import { Buffer } from 'node:buffer';
import type { CommandUnit } from './command-reader.js';

export type Arg =
  | { readonly kind: 'atom'; readonly value: string }
  | { readonly kind: 'string'; readonly value: string; readonly bytes: Buffer; readonly literal: boolean }
  | { readonly kind: 'list'; readonly items: readonly Arg[] };

export interface ParsedCommand {
  readonly tag: string;
  /** Upper case; `UID FETCH` etc. for UID commands. */
  readonly name: string;
  readonly uid: boolean;
  readonly args: readonly Arg[];
}

export class ParseError extends Error {
  constructor(
    message: string,
    /** The tag when it could be read, so the reply can be tagged. */
    readonly tag?: string,
  ) {
    super(message);
    this.name = 'ParseError';
  }
}

const TAG = /^[\x21\x23\x24\x26\x27\x2c-\x5b\x5d-\x7a\x7c\x7e]+$/; // ASTRING-CHAR minus "+"
const ATOM_STOP = new Set([' ', '(', ')', '{', '"', '\x7f']);
const MAX_DEPTH = 50;

/** The first line's tag, for error replies, or undefined. */
export function peekTag(unit: CommandUnit): string | undefined {
  const tag = unit.segments[0]?.line.split(' ', 1)[0];
  return tag && TAG.test(tag) ? tag : undefined;
}

export function parseCommand(unit: CommandUnit): ParsedCommand {
  const first = unit.segments[0]?.line ?? '';
  if (first.trim() === '') throw new ParseError('empty command line');
  const tag = peekTag(unit);
  if (!tag)
    throw new ParseError('a command starts with a tag (letters and digits), then a space and the command');
  const tokens = new Tokenizer(unit, tag.length);
  tokens.skipSpace();
  let name = tokens.word().toUpperCase();
  if (!name) throw new ParseError('missing command name after the tag', tag);
  let uid = false;
  if (name === 'UID') {
    tokens.skipSpace();
    const sub = tokens.word().toUpperCase();
    if (!sub) throw new ParseError('UID needs a command: FETCH, SEARCH, STORE, COPY, MOVE or EXPUNGE', tag);
    name = `UID ${sub}`;
    uid = true;
  }
  try {
    const args = tokens.args(0, false);
    return { tag, name, uid, args };
  } catch (e) {
    throw new ParseError(e instanceof Error ? e.message : String(e), tag);
  }
}

class Tokenizer {
  private seg = 0;
  private pos: number;

  constructor(
    private readonly unit: CommandUnit,
    start: number,
  ) {
    this.pos = start;
  }

  private get line(): string {
    return this.unit.segments[this.seg]?.line ?? '';
  }

  skipSpace(): void {
    while (this.line[this.pos] === ' ') this.pos++;
  }

  word(): string {
    const start = this.pos;
    while (this.pos < this.line.length && this.line[this.pos] !== ' ') this.pos++;
    return this.line.slice(start, this.pos);
  }

  args(depth: number, inList: boolean): Arg[] {
    if (depth > MAX_DEPTH) throw new Error(`lists nested deeper than ${MAX_DEPTH}`);
    const out: Arg[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.line.length) {
        if (inList) throw new Error('unbalanced parentheses: missing ")"');
        return out;
      }
      const c = this.line[this.pos]!;
      if (c === ')') {
        if (!inList) throw new Error('unbalanced parentheses: unexpected ")"');
        this.pos++;
        return out;
      }
      if (c === '(') {
        this.pos++;
        out.push({ kind: 'list', items: this.args(depth + 1, true) });
      } else if (c === '"') {
        out.push(this.quoted());
      } else if (c === '{' || c === '~') {
        out.push(this.literal());
      } else {
        out.push({ kind: 'atom', value: this.atom() });
      }
    }
  }

  private quoted(): Arg {
    const line = this.line;
    let i = this.pos + 1;
    let value = '';
    while (i < line.length && line[i] !== '"') {
      if (line[i] === '\\') {
        i++;
        if (line[i] !== '"' && line[i] !== '\\')
          throw new Error('in a quoted string, "\\" may only escape " or \\');
      }
      value += line[i];
      i++;
    }
    if (i >= line.length) throw new Error('quoted string without closing quote');
    this.pos = i + 1;
    return { kind: 'string', value, bytes: Buffer.from(value, 'utf8'), literal: false };
  }

  private literal(): Arg {
    const segment = this.unit.segments[this.seg];
    const rest = this.line.slice(this.pos);
    if (!/^~?\{\d+\+?\}$/.test(rest) || !segment?.literal) {
      throw new Error('a literal {n} must end its line and be followed by exactly n bytes');
    }
    const bytes = segment.literal;
    this.seg++;
    this.pos = 0;
    return { kind: 'string', value: bytes.toString('utf8'), bytes, literal: true };
  }

  private atom(): string {
    const line = this.line;
    const start = this.pos;
    let bracket = 0;
    while (this.pos < line.length) {
      const c = line[this.pos]!;
      if (c === '[') bracket++;
      else if (c === ']') bracket = Math.max(0, bracket - 1);
      else if (bracket === 0 && (ATOM_STOP.has(c) || c === ')')) break;
      this.pos++;
    }
    if (this.pos === start) throw new Error(`unexpected character ${JSON.stringify(line[this.pos])}`);
    return line.slice(start, this.pos);
  }
}

// Helpers handlers use to read arguments with specific error messages.

export function argText(arg: Arg | undefined, what: string): string {
  if (!arg) throw new ParseError(`missing ${what}`);
  if (arg.kind === 'list') throw new ParseError(`${what} must be a string or atom, not a list`);
  return arg.value;
}

export function argList(arg: Arg | undefined, what: string): readonly Arg[] {
  if (!arg) throw new ParseError(`missing ${what}`);
  if (arg.kind !== 'list') throw new ParseError(`${what} must be a parenthesized list`);
  return arg.items;
}

export function expectCount(args: readonly Arg[], min: number, max: number, usage: string): void {
  if (args.length < min || args.length > max)
    throw new ParseError(`wrong number of arguments; usage: ${usage}`);
}
