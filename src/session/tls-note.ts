// The one-line TLS summary the transcript shows after every handshake.
import type { TlsInfo } from '../transport/types.js';

export function describeTls(info: TlsInfo): string {
  const leaf = info.chain[0];
  const verification = info.verified
    ? 'certificate verified'
    : `certificate NOT verified: ${info.verifyError ?? 'unknown reason'}`;
  const parts = [`TLS established: ${info.protocol}, ${info.cipher}, ${verification}`];
  if (leaf) {
    parts.push(
      `  server certificate: ${leaf.subject}; issuer ${leaf.issuer}; valid ${leaf.validFrom} to ${leaf.validTo}`,
    );
    if (leaf.subjectAltNames.length) parts.push(`  names: ${leaf.subjectAltNames.join(', ')}`);
    parts.push(`  SHA-256 ${leaf.fingerprint256}`);
  }
  return parts.join('\n');
}
