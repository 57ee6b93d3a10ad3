// POP3 command lines and what their +OK response looks like.

import { Buffer } from 'node:buffer';
import { LIMITS } from '../limits.js';
import { upperCase } from '../text.js';

export type Pop3ResponseShape =
  /** Single line, no parsed data. */
  | 'status'
  /** Single line `+OK count size`. */
  | 'stat'
  /** LIST n / UIDL n: one entry on the status line. */
  | 'list-one'
  | 'uidl-one'
  /** Multi-line on +OK. */
  | 'capa'
  | 'list'
  | 'uidl'
  | 'message'
  /** Multi-line, kept as text lines (e.g. AUTH without a mechanism lists mechanisms). */
  | 'lines';

export type Built =
  | { readonly ok: true; readonly verb: string; readonly line: string; readonly shape: Pop3ResponseShape }
  | { readonly ok: false; readonly error: string };

/** The response shape of a command line, from its verb and argument count (also for raw lines). */
export function shapeOf(verb: string, args: readonly string[]): Pop3ResponseShape {
  switch (verb) {
    case 'STAT':
      return 'stat';
    case 'CAPA':
      return 'capa';
    case 'LIST':
      return args.length === 0 ? 'list' : 'list-one';
    case 'UIDL':
      return args.length === 0 ? 'uidl' : 'uidl-one';
    case 'RETR':
    case 'TOP':
      return 'message';
    case 'AUTH':
      return args.length === 0 ? 'lines' : 'status';
    default:
      return 'status';
  }
}

/** The verb (upper case, or `(raw)`) and arguments of a command line. */
export function splitCommand(text: string): { verb: string; args: string[] } {
  // One scan (this runs for every typed line): the words between spaces, before a final (CR)LF.
  let end = text.length;
  if (text.charCodeAt(end - 1) === 0x0a) end -= text.charCodeAt(end - 2) === 0x0d ? 2 : 1;
  let first = '';
  const args: string[] = [];
  for (let i = 0; i < end;) {
    if (text.charCodeAt(i) === 0x20) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < end && text.charCodeAt(j) !== 0x20) j++;
    if (first === '') first = text.slice(i, j);
    else args.push(text.slice(i, j));
    i = j;
  }
  return isVerbWord(first) ? { verb: upperCase(first), args } : { verb: '(raw)', args: [] };
}

/** `/^[A-Za-z][A-Za-z0-9-]*$/` as a loop (it runs for every typed line). */
export function isVerbWord(word: string): boolean {
  if (word.length === 0) return false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (i === 0 ? !letter : !letter && !(c >= 0x30 && c <= 0x39) && c !== 0x2d) return false;
  }
  return true;
}

export function build(verb: string, ...args: string[]): Built {
  for (const a of args) {
    if (a === '' || /[\s\0]/.test(a))
      return {
        ok: false,
        error: `${verb}: arguments must be non-empty and contain no spaces or line breaks`,
      };
  }
  const line = [verb, ...args].join(' ');
  if (Buffer.byteLength(line) + 2 > LIMITS.maxClientLineLength) {
    return {
      ok: false,
      error: `${verb}: command line longer than ${LIMITS.maxClientLineLength} bytes (maxClientLineLength)`,
    };
  }
  return { ok: true, verb, line, shape: shapeOf(verb, args) };
}

/** A message number argument: a positive integer. */
export function messageNumber(verb: string, n: number): string | { error: string } {
  return Number.isSafeInteger(n) && n >= 1
    ? String(n)
    : { error: `${verb}: message number must be a positive integer` };
}
