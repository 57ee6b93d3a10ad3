// Small byte helpers shared by the SASL mechanisms (no I/O, no clock).

import { Buffer } from 'node:buffer';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

/** Decodes UTF-8, or returns undefined for invalid bytes (a hostile or broken challenge). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * A short, printable excerpt of server text for an error message: hostile input must not flood
 * the UI or smuggle control characters into it.
 */
export function excerpt(text: string, max = 60): string {
  const clipped = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(clipped);
}

/** Excerpt of raw bytes, shown as text when they are UTF-8, else as hex. */
export function excerptBytes(bytes: Uint8Array, max = 60): string {
  const text = decodeUtf8(bytes);
  if (text !== undefined) return excerpt(text, max);
  const hex = Buffer.from(bytes.subarray(0, max)).toString('hex');
  return `0x${hex}${bytes.length > max ? '…' : ''}`;
}

/** Strict base64 (RFC 4648 alphabet, canonical padding); undefined when malformed. */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  // Node ignores junk silently; a round trip proves the text was canonical.
  if (bytes.toString('base64') !== text) return undefined;
  return new Uint8Array(bytes);
}
