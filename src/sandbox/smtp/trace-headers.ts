// The trace fields a delivering MTA prepends (RFC 5321 section 4.4): Return-Path from the envelope
// sender, and a Received line saying who handed the message over, how, and for whom.

import { Buffer } from 'node:buffer';

export interface TraceInfo {
  /** Envelope sender; empty for the null reverse-path `<>` (bounces). */
  readonly mailFrom: string;
  /** The recipient this copy is delivered for. */
  readonly rcptTo: string;
  /** The name the client gave in HELO/EHLO, if any. */
  readonly heloName: string | undefined;
  readonly remoteAddress: string;
  /** Our host name. */
  readonly hostname: string;
  /** `ESMTP`, `ESMTPS`, `ESMTPSA`, ... (RFC 3848). */
  readonly protocol: string;
  /** A queue id, for matching log lines. */
  readonly id: string;
  readonly date: Date;
}

/** Header lines (each ending CRLF) to put on top of a delivered message. */
export function traceHeaders(t: TraceInfo): string {
  const helo = t.heloName ? sanitize(t.heloName) : 'unknown';
  const ip = t.remoteAddress.replace(/^::ffff:/, '');
  const literal = ip.includes(':') ? `IPv6:${ip}` : ip;
  return (
    `Return-Path: <${sanitize(t.mailFrom)}>\r\n` +
    `Received: from ${helo} ([${literal}])\r\n` +
    `\tby ${sanitize(t.hostname)} (Mailwire sandbox) with ${t.protocol} id ${t.id}\r\n` +
    `\tfor <${sanitize(t.rcptTo)}>; ${rfc5322Date(t.date)}\r\n`
  );
}

/** Client-given text must not break our header: keep it to one line of visible characters. */
function sanitize(s: string): string {
  return s.replace(/[\x00-\x20\x7f<>]/g, '?').slice(0, 255);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Sun, 22 Nov 2026 04:25:02 +0000` (UTC, so the sandbox's output does not depend on the zone). */
export function rfc5322Date(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()] ?? 'Sun'}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? 'Jan'} ${d.getUTCFullYear()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}

/** Store messages have CRLF line ends; a client sending bare LF (or CR) gets them normalized. */
export function toCrlf(raw: Buffer): Buffer {
  if (!raw.includes(0x0a) && !raw.includes(0x0d)) return raw;
  let bare = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === 0x0d ? raw[i + 1] !== 0x0a : c === 0x0a && raw[i - 1] !== 0x0d) {
      bare = true;
      break;
    }
  }
  if (!bare) return raw;
  return Buffer.from(raw.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n'), 'latin1');
}
