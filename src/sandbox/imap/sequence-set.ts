// Sequence sets (RFC 3501 section 9, `sequence-set`): `1:3,7,10:*`. `*` means the largest number
// in use: the message count for sequence numbers, the highest UID for UID sets.

import { ParseError } from './parser.js';

/** Ranges with `*` as Infinity until resolved against a mailbox. */
export type SequenceSet = ReadonlyArray<readonly [number, number]>;

const NUMBER = /^[1-9]\d{0,9}$/;
/** Keeps a hostile `1:4294967295` from turning into a four-billion-element loop anywhere. */
const MAX_NUMBER = 4294967295;

export function isSequenceSet(text: string): boolean {
  return /^(\d+|\*)(:(\d+|\*))?(,(\d+|\*)(:(\d+|\*))?)*$/.test(text);
}

export function parseSequenceSet(text: string): SequenceSet {
  if (!isSequenceSet(text))
    throw new ParseError(`bad sequence set ${JSON.stringify(text.slice(0, 40))}: expected e.g. 1:3,5,7:*`);
  return text.split(',').map((range) => {
    const [a, b] = range.split(':') as [string, string | undefined];
    const from = bound(a);
    const to = b === undefined ? from : bound(b);
    return from <= to ? ([from, to] as const) : ([to, from] as const);
  });
}

function bound(text: string): number {
  if (text === '*') return Infinity;
  if (!NUMBER.test(text) || Number(text) > MAX_NUMBER)
    throw new ParseError(`bad number ${text} in sequence set: use 1 to ${MAX_NUMBER} or *`);
  return Number(text);
}

/** True when `n` is in the set, `*` standing for `largest`. */
export function inSet(set: SequenceSet, n: number, largest: number): boolean {
  for (const [from, to] of set) {
    const lo = from === Infinity ? largest : from;
    const hi = to === Infinity ? largest : to;
    // `5:*` with largest 3 means 3:5 (RFC 3501: the order of a range does not matter).
    if (n >= Math.min(lo, hi) && n <= Math.max(lo, hi)) return true;
  }
  return false;
}

/** The largest explicit number in the set (0 for sets made of `*` only). */
export function largestExplicit(set: SequenceSet): number {
  let max = 0;
  for (const [from, to] of set) for (const n of [from, to]) if (n !== Infinity && n > max) max = n;
  return max;
}

/** Compact form for response codes: sorted, ranges merged (`1:3,5`). */
export function formatSet(numbers: readonly number[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < numbers.length) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    out.push(i === j ? String(numbers[i]) : `${numbers[i]}:${numbers[j]}`);
    i = j + 1;
  }
  return out.join(',');
}
