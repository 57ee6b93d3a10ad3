// Builders for specification references, so every URL has the same form:
// https://www.rfc-editor.org/rfc/rfcNNNN#section-X.Y (the RFC Editor's anchors).
import type { SpecRef } from './types.js';

export function rfc(number: number, section = ''): SpecRef {
  const base = `https://www.rfc-editor.org/rfc/rfc${number}`;
  return { spec: `RFC ${number}`, section, url: section ? `${base}#section-${section}` : base };
}

/** A reference to a document that is not an RFC (a draft or a vendor page). */
export function doc(spec: string, url: string, section = ''): SpecRef {
  return { spec, section, url };
}

/** `RFC 9051 section 6.3.2` (for plain text). */
export function refText(ref: SpecRef): string {
  return ref.section ? `${ref.spec} section ${ref.section}` : ref.spec;
}
