// Base64 for SASL exchanges (RFC 4648 section 4). Decoding is strict: a hostile or broken server
// challenge must be reported, not silently "repaired" by Buffer's lenient decoder.

import { Buffer } from 'node:buffer';

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Decoded bytes, or null when `text` is not canonical padded base64. Empty text decodes to empty. */
export function decodeBase64Strict(text: string): Buffer | null {
  if (!STRICT_BASE64.test(text)) return null;
  return Buffer.from(text, 'base64');
}
