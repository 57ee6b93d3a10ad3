// Secrets are removed before anything is recorded, so no rendering, file, log or view can leak
// them: the transcript simply never holds them.
import { Buffer } from 'node:buffer';
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
