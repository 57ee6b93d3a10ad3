// Small formatting helpers shared by the command modules.

import { encodeMailboxName } from './mutf7.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'] as const;

export function formatFlags(flags: ReadonlySet<string>, recent: boolean): string {
  const list = [...flags];
  if (recent) list.push('\\Recent');
  return `(${list.join(' ')})`;
}

/** `17-Jul-1996 02:44:25 +0000` (RFC 3501 date-time), always in UTC. */
export function formatInternalDate(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}-${MONTHS[date.getUTCMonth()]}-${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/** Parses an APPEND date-time `"17-Jul-1996 02:44:25 -0700"`; undefined when malformed. */
export function parseDateTime(text: string): Date | undefined {
  const m = /^ ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  const month = MONTHS.findIndex((x) => x.toLowerCase() === m[2]!.toLowerCase());
  if (month < 0) return undefined;
  const offset = (Number(m[8]) * 60 + Number(m[9])) * (m[7] === '-' ? -1 : 1);
  const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  const date = new Date(utc - offset * 60_000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Parses a SEARCH date `1-Feb-1994` to the UTC midnight of that day; undefined when malformed. */
export function parseSearchDate(text: string): number | undefined {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text);
  if (!m) return undefined;
  const month = MONTHS.findIndex((x) => x.toLowerCase() === m[2]!.toLowerCase());
  if (month < 0) return undefined;
  return Date.UTC(Number(m[3]), month, Number(m[1]));
}

/** A quoted string for names and texts we generate (ASCII; escapes `"` and `\`). */
export function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function quoteMailbox(name: string): string {
  return quote(encodeMailboxName(name));
}
