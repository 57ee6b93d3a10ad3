// Reads a raw command line typed by the user for what the codec must know: its tag and verb
// (correlation and state), the mailbox of SELECT/EXAMINE, a literal announced at its end, and the
// password or SASL initial response to redact. Never changes or refuses the line.

import { Buffer } from 'node:buffer';
import { literalSizeAtEnd } from './stream.js';
import { ImapString, Reader } from './parser.js';
import { upperCase } from '../text.js';

export interface RawLineInfo {
  readonly tag?: string;
  /** Upper-case verb (`UID FETCH`), or `(raw)` when none could be read. */
  readonly verb: string;
  readonly mailbox?: string;
  /** The line ends with `{n}` / `{n+}`: the next raw line carries literal data. */
  readonly literal?: { readonly size: number; readonly sync: boolean };
  readonly secrets: Array<readonly [number, number]>;
  /** LOGIN whose password follows as literal data: the continuation lines are secret. */
  readonly secretContinuation?: boolean;
}

export function analyseRawLine(bytes: Buffer, command = true): RawLineInfo {
  let contentEnd = bytes.length;
  if (bytes[contentEnd - 1] === 0x0a) contentEnd--;
  if (bytes[contentEnd - 1] === 0x0d) contentEnd--;
  const size = literalSizeAtEnd(bytes, 0, contentEnd);
  const literal = size === null ? undefined : { size, sync: bytes[contentEnd - 2] !== 0x2b /* + */ };
  if (!command) return unreadLine(literal);
  // The reader stops before the line's CRLF by itself.
  const r = new Reader(bytes);
  try {
    const tag = r.atom();
    r.sp();
    let verb = upperCase(r.atom());
    if (verb === 'UID' && r.optionalSp()) verb = `UID ${upperCase(r.atom())}`;
    const info: {
      tag: string;
      verb: string;
      mailbox?: string;
      literal?: typeof literal;
      secrets: Array<readonly [number, number]>;
      secretContinuation?: boolean;
    } = {
      tag,
      verb,
      secrets: [],
    };
    if (literal) info.literal = literal;
    if (!isVerb(verb)) return unreadLine(literal);
    try {
      readArguments(r, verb, info, contentEnd);
    } catch {
      // The arguments could not be read (a literal, a typo): the tag and verb still correlate.
    }
    return info;
  } catch {
    // A line we cannot read still goes out exactly as typed; only what was read so far is kept.
    return unreadLine(literal);
  }
}

/** `/^[A-Z][A-Z0-9.-]*( [A-Z][A-Z0-9.-]*)?$/` as a loop (it runs for every typed line). */
export function isVerb(verb: string): boolean {
  let wordStart = true;
  let spaces = 0;
  for (let i = 0; i < verb.length; i++) {
    const c = verb.charCodeAt(i);
    const letter = c >= 0x41 && c <= 0x5a;
    if (wordStart) {
      if (!letter) return false;
      wordStart = false;
    } else if (c === 0x20) {
      if (++spaces > 1) return false;
      wordStart = true;
    } else if (!letter && !(c >= 0x30 && c <= 0x39) && c !== 0x2e && c !== 0x2d) return false;
  }
  return !wordStart;
}

/** What is known of a line whose tag and verb could not be read (or were not asked for). */
function unreadLine(literal: RawLineInfo['literal']): RawLineInfo {
  return literal ? { verb: '(raw)', secrets: [], literal } : { verb: '(raw)', secrets: [] };
}

interface MutableInfo {
  mailbox?: string;
  secrets: Array<readonly [number, number]>;
  secretContinuation?: boolean;
}

function readArguments(r: Reader, verb: string, info: MutableInfo, contentEnd: number): void {
  {
    if ((verb === 'SELECT' || verb === 'EXAMINE') && r.optionalSp()) {
      const name = r.astring();
      info.mailbox = name instanceof ImapString ? name.text : name;
    } else if (verb === 'LOGIN' && r.optionalSp()) {
      // A user name sent as a literal: the password follows in a continuation line, keep it all secret.
      if (r.peek() === 0x7b || r.peek() === 0x7e) {
        info.secretContinuation = true;
        return;
      }
      r.astring();
      if (r.optionalSp()) {
        const start = r.pos;
        if (r.peek() === 0x7b || r.peek() === 0x7e) info.secretContinuation = true;
        else {
          r.astring();
          info.secrets.push([start, r.pos]);
        }
      }
    } else if (verb === 'AUTHENTICATE' && r.optionalSp()) {
      r.atom();
      if (r.optionalSp() && !r.atEnd) info.secrets.push([r.pos, contentEnd]);
    }
  }
}
