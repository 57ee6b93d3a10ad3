// Secrets are removed before anything is recorded, so no rendering, file, log or view can leak
// them: the transcript simply never holds them.
import { Buffer } from 'node:buffer';
import { asBuffer } from '../protocol/text.js';
import { REDACTION_MARK } from './events.js';

const MARK_BYTES = Buffer.from(REDACTION_MARK, 'latin1');

/**
 * Returns `bytes` with each secret range replaced by the redaction mark. Ranges may be unsorted or
 * overlap; out-of-range ends are clamped. Returns the input unchanged when there are none.
 */
export function redactRanges(
  bytes: Uint8Array,
  secrets: ReadonlyArray<readonly [number, number]> | undefined,
): { bytes: Uint8Array; redacted: boolean } {
  if (!secrets || secrets.length === 0) return { bytes, redacted: false };
  const ranges = secrets
    .map(
      ([s, e]) => [Math.max(0, Math.min(s, bytes.length)), Math.max(0, Math.min(e, bytes.length))] as const,
    )
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  if (ranges.length === 0) return { bytes, redacted: false };
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (end <= at) continue;
    if (start > at) parts.push(bytes.subarray(at, start));
    parts.push(MARK_BYTES);
    at = end;
  }
  if (at < bytes.length) parts.push(bytes.subarray(at));
  return { bytes: Buffer.concat(parts), redacted: true };
}

/** Haystacks up to this length are searched in JS: a call into Buffer's C++ costs more. */
const SHORT_HAYSTACK = 256;

/**
 * The ranges where any of `needles` occurs in `bytes` (each needle's occurrences without
 * overlap, searched from the left), or undefined when none does. Called for every line a session
 * writes once it knows a secret, so the common case (a short line, no secret) allocates nothing.
 */
export function occurrences(
  bytes: Uint8Array,
  needles: readonly Uint8Array[],
): Array<[number, number]> | undefined {
  let ranges: Array<[number, number]> | undefined;
  const h = bytes.length;
  for (let k = 0; k < needles.length; k++) {
    const needle = needles[k] as Uint8Array;
    const n = needle.length;
    if (n === 0 || n > h) continue;
    if (h <= SHORT_HAYSTACK) {
      const first = needle[0];
      for (let at = 0; at <= h - n; at++) {
        if (bytes[at] !== first) continue;
        let j = 1;
        while (j < n && bytes[at + j] === needle[j]) j++;
        if (j < n) continue;
        (ranges ??= []).push([at, at + n]);
        at += n - 1;
      }
    } else {
      const haystack = asBuffer(bytes);
      for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + n)) {
        (ranges ??= []).push([at, at + n]);
      }
    }
  }
  return ranges;
}

/**
 * Replaces every occurrence of the given secret strings (and their base64 forms) in `text`.
 * A second line of defence for text that did not come from the codecs (script output, errors).
 */
export function redactKnownSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 3) continue;
    for (const form of secretForms(secret)) out = out.split(form).join(REDACTION_MARK);
  }
  return out;
}

/** The forms a secret takes on the wire that a careless renderer might print. */
export function secretForms(secret: string): string[] {
  const b64 = Buffer.from(secret, 'utf8').toString('base64');
  return [secret, b64, b64.replace(/=+$/, '')];
}
