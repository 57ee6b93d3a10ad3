// Pieces the line-based client codecs (SMTP and POP3) share: raw-line normalisation (IMAP's raw
// lines too), the events for bytes that must not be parsed, and failing the commands still
// waiting at close.
import { Buffer } from 'node:buffer';
import type { CommandRef, CommonEvent } from './types.js';
import { utf8Line } from './text.js';

const CRLF = Buffer.from('\r\n');

type ProtocolError = Extract<CommonEvent, { type: 'protocol-error' }>;
type Completed = Extract<CommonEvent, { type: 'completed' }>;

/** A line typed by the user as bytes, with CRLF appended only when it has no line end. */
export function rawLineBytes(line: string | Uint8Array): Buffer {
  // A typed line: one encode with its CRLF instead of an encode and a concatenation.
  if (typeof line === 'string') return utf8Line(line, line.charCodeAt(line.length - 1) !== 0x0a);
  const bytes = Buffer.from(line);
  return bytes[bytes.length - 1] === 0x0a ? bytes : Buffer.concat([bytes, CRLF]);
}

/** Where a line's content ends (before its CRLF or bare LF). */
export function lineContentEnd(bytes: Uint8Array): number {
  let end = bytes.length;
  if (bytes[end - 1] === 0x0a) end--;
  if (bytes[end - 1] === 0x0d) end--;
  return end;
}

/** Bytes that arrived after STARTTLS/STLS was accepted and before TLS: kept, never parsed. */
export function beforeTlsBytes(verb: 'STARTTLS' | 'STLS', chunk: Uint8Array): ProtocolError {
  return {
    type: 'protocol-error',
    message: `bytes received after ${verb} was accepted, before the TLS handshake: not parsed (possible injection)`,
    fatal: false,
    raw: chunk,
  };
}

/** A codec bug must not lose bytes: they go out with the error, and the session closes. */
export function internalCodecError(error: unknown, unparsed: Uint8Array): ProtocolError {
  return {
    type: 'protocol-error',
    message: `internal codec error: ${String(error)}`,
    fatal: true,
    raw: unparsed,
  };
}

/** `completed` (failed) for every command still waiting when the connection closed. */
export function failedAtClose(commands: Iterable<{ readonly ref: CommandRef }>, text: string): Completed[] {
  return [...commands].map((c) => ({ type: 'completed', command: c.ref, ok: false, text }));
}

/**
 * How many answer lines a raw `AUTH mechanism [initial-response]` line will need before the
 * server's verdict, as far as the mechanism is known. Lines the user sends right behind it
 * (pipelined, before any prompt came back) are taken as those answers, and are kept secret.
 */
export function rawSaslAnswers(line: string): number {
  const m = /^\s*AUTH\s+(\S+)(\s+\S+)?/i.exec(line);
  if (!m) return 0;
  const mech = (m[1] ?? '').toUpperCase();
  const initial = m[2] !== undefined;
  // LOGIN asks for the user name then the password; SCRAM needs client-first and client-final.
  const lines = mech === 'LOGIN' || mech.startsWith('SCRAM-') ? 2 : 1;
  return Math.max(0, lines - (initial ? 1 : 0));
}
