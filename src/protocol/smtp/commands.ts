// SMTP command lines, one builder per verb. Builders check arguments and never throw: a bad
// argument comes back as an error message and nothing is sent.

import { Buffer } from 'node:buffer';
import { LIMITS } from '../limits.js';

export type Built =
  | { readonly ok: true; readonly verb: string; readonly line: string }
  | { readonly ok: false; readonly error: string };

/** ESMTP parameters for MAIL/RCPT: `{ SIZE: 1000, BODY: '8BITMIME', SMTPUTF8: true }`. */
export type SmtpParams = Readonly<Record<string, string | number | true>>;

const KEYWORD = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
// esmtp-value: any printable except "=" and space (RFC 5321 section 4.1.2); UTF-8 allowed (RFC 6531).
const VALUE = /^[^\s=\x00-\x1f\x7f]+$/u;

function hasLineBreakOrNul(s: string): boolean {
  return /[\r\n\0]/.test(s);
}

function line(verb: string, text: string): Built {
  if (hasLineBreakOrNul(text))
    return { ok: false, error: `${verb}: arguments must not contain CR, LF or NUL` };
  if (Buffer.byteLength(text) + 2 > LIMITS.maxClientLineLength) {
    return {
      ok: false,
      error: `${verb}: command line longer than ${LIMITS.maxClientLineLength} bytes (maxClientLineLength)`,
    };
  }
  return { ok: true, verb, line: text };
}

function params(verb: string, p: SmtpParams | undefined): string | { error: string } {
  if (p === undefined) return '';
  let out = '';
  for (const [k, v] of Object.entries(p)) {
    if (!KEYWORD.test(k)) return { error: `${verb}: bad parameter name ${JSON.stringify(k)}` };
    if (v === true) out += ` ${k.toUpperCase()}`;
    else {
      const value = String(v);
      if (!VALUE.test(value)) return { error: `${verb}: bad value for parameter ${k.toUpperCase()}` };
      out += ` ${k.toUpperCase()}=${value}`;
    }
  }
  return out;
}

function domainArg(verb: string, domain: string): Built | null {
  if (domain === '' || /\s/.test(domain)) return { ok: false, error: `${verb}: the domain must be one word` };
  return null;
}

function path(verb: string, address: string): string | { error: string } {
  if (/[<>\s]/.test(address)) return { error: `${verb}: the address must not contain <, > or spaces` };
  return `<${address}>`;
}

export function ehlo(domain: string): Built {
  return domainArg('EHLO', domain) ?? line('EHLO', `EHLO ${domain}`);
}

export function helo(domain: string): Built {
  return domainArg('HELO', domain) ?? line('HELO', `HELO ${domain}`);
}

/** `MAIL FROM:<address>` with parameters; an empty address is the null reverse path `<>`. */
export function mailFrom(address: string, p?: SmtpParams): Built {
  const a = path('MAIL', address);
  const q = params('MAIL', p);
  if (typeof a !== 'string') return { ok: false, error: a.error };
  if (typeof q !== 'string') return { ok: false, error: q.error };
  return line('MAIL', `MAIL FROM:${a}${q}`);
}

export function rcptTo(address: string, p?: SmtpParams): Built {
  if (address === '') return { ok: false, error: 'RCPT: the address must not be empty' };
  const a = path('RCPT', address);
  const q = params('RCPT', p);
  if (typeof a !== 'string') return { ok: false, error: a.error };
  if (typeof q !== 'string') return { ok: false, error: q.error };
  return line('RCPT', `RCPT TO:${a}${q}`);
}

export function bdat(size: number, last: boolean): Built {
  return line('BDAT', `BDAT ${size}${last ? ' LAST' : ''}`);
}

/** Verbs with an optional free-text argument. */
export function simple(
  verb: 'DATA' | 'RSET' | 'NOOP' | 'QUIT' | 'STARTTLS' | 'HELP' | 'VRFY' | 'EXPN',
  arg?: string,
): Built {
  if ((verb === 'VRFY' || verb === 'EXPN') && (arg === undefined || arg === '')) {
    return { ok: false, error: `${verb}: an argument is required` };
  }
  return line(verb, arg === undefined || arg === '' ? verb : `${verb} ${arg}`);
}

/** `AUTH mech [initial]`; the caller marks the initial response secret. */
export function auth(mechanism: string, initial: string | null): Built {
  if (!KEYWORD.test(mechanism.replace(/_/g, '-')))
    return { ok: false, error: `AUTH: bad mechanism name ${JSON.stringify(mechanism)}` };
  return line('AUTH', initial === null ? `AUTH ${mechanism}` : `AUTH ${mechanism} ${initial}`);
}

/** The upper-case verb of a raw command line, or `(raw)`. */
export function verbOf(text: string): string {
  const m = /^\s*([A-Za-z][A-Za-z0-9-]*)/.exec(text);
  return m?.[1] !== undefined ? m[1].toUpperCase() : '(raw)';
}
