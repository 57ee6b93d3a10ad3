// TLS client contexts, cached: adding extra CAs means loading the whole bundled root store into a
// new context (about 50 ms), which should not be paid on every connection.

import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import type { TlsPolicy } from './types.js';

type Version = NonNullable<TlsPolicy['minVersion']>;

const MAX_CACHED = 8;
const cache = new Map<string, SecureContext>();

/** A client context trusting the bundled roots plus `extraCa`, refusing versions below `minVersion`. */
export function clientSecureContext(minVersion: Version, extraCa: readonly string[] = []): SecureContext {
  const key = JSON.stringify([minVersion, extraCa]);
  const cached = cache.get(key);
  if (cached) return cached;
  const legacy = minVersion === 'TLSv1' || minVersion === 'TLSv1.1';
  const context = createSecureContext({
    // `ca` replaces the default roots, so the bundled ones are listed too.
    ...(extraCa.length > 0 ? { ca: [...rootCertificates, ...extraCa] } : {}),
    minVersion,
    // OpenSSL 3 disables TLS 1.0/1.1 at its default security level; an explicit opt-in lowers it.
    ...(legacy ? { ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
  });
  if (cache.size >= MAX_CACHED) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, context);
  return context;
}
