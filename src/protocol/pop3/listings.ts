// STAT, LIST and UIDL results (RFC 1939 section 5 and 7).

export interface ListEntry {
  readonly message: number;
  readonly size: number;
}
export interface UidlEntry {
  readonly message: number;
  readonly uid: string;
}

/** `+OK 2 320` (STAT) or `+OK 2 200` (LIST n): two numbers, text may follow. */
export function parseTwoNumbers(text: string): readonly [number, number] | null {
  const m = /^(\d{1,15}) (\d{1,15})(?:\s|$)/.exec(text);
  return m === null ? null : [Number(m[1]), Number(m[2])];
}

/** `1 abc` (UIDL): a message number and a unique id of 0x21..0x7E characters. */
export function parseUidlLine(text: string): UidlEntry | null {
  const m = /^(\d{1,15}) ([\x21-\x7e]+)\s*$/.exec(text);
  return m === null ? null : { message: Number(m[1]), uid: m[2]! };
}

export function parseListLine(text: string): ListEntry | null {
  const n = parseTwoNumbers(text);
  return n === null ? null : { message: n[0], size: n[1] };
}
