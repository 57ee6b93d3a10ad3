// Certificate verification and description: readable reasons for verification failures, and the
// peer chain as CertificateInfo.

import {
  checkServerIdentity,
  type DetailedPeerCertificate,
  type PeerCertificate,
  type TLSSocket,
} from 'node:tls';
import type { CertificateInfo } from './types.js';

/** OpenSSL dates ("Jan  1 00:00:00 2024 GMT") as ISO 8601 without milliseconds. */
export function isoDate(openSslDate: string): string {
  const date = new Date(openSslDate);
  return Number.isNaN(date.getTime()) ? openSslDate : date.toISOString().replace('.000Z', 'Z');
}

/** `CN=localhost, O=Example` from Node's parsed name object. */
function formatName(name: Record<string, string | string[] | undefined> | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${key}=${v ?? ''}`))
    .join(', ');
}

/** DNS names and IP addresses from Node's `subjectaltname` string (values may be quoted). */
export function parseSubjectAltNames(subjectaltname: string | undefined): string[] {
  if (!subjectaltname) return [];
  const names: string[] = [];
  const pattern = /(DNS|IP Address):("(?:[^"\\]|\\.)*"|[^,]*)/g;
  for (const match of subjectaltname.matchAll(pattern)) {
    const value = (match[2] ?? '').trim();
    if (value.startsWith('"')) {
      try {
        names.push(String(JSON.parse(value)));
      } catch {
        names.push(value);
      }
    } else {
      names.push(value);
    }
  }
  return names;
}

function describeCertificate(cert: PeerCertificate): CertificateInfo {
  return {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    subjectAltNames: parseSubjectAltNames(cert.subjectaltname),
    validFrom: isoDate(cert.valid_from),
    validTo: isoDate(cert.valid_to),
    fingerprint256: cert.fingerprint256,
  };
}

function hasCertificate(cert: PeerCertificate | undefined): cert is DetailedPeerCertificate {
  return cert !== undefined && cert !== null && typeof cert.fingerprint256 === 'string';
}

/** The peer chain, leaf first (stops at a self-issued root or a loop). */
export function peerChain(socket: TLSSocket): CertificateInfo[] {
  const chain: CertificateInfo[] = [];
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (hasCertificate(cert) && !seen.has(cert.fingerprint256) && chain.length < 16) {
    seen.add(cert.fingerprint256);
    chain.push(describeCertificate(cert));
    cert = cert.issuerCertificate;
  }
  return chain;
}

/** The names a certificate is valid for, for the host-mismatch message. */
function certificateNames(cert: PeerCertificate): string {
  const names = parseSubjectAltNames(cert.subjectaltname);
  if (names.length > 0) return names.join(', ');
  const cn = (cert.subject as unknown as Record<string, unknown> | undefined)?.['CN'];
  return typeof cn === 'string' ? cn : '(no name)';
}

function issuerName(cert: DetailedPeerCertificate): string {
  let top = cert;
  for (let i = 0; i < 16 && hasCertificate(top.issuerCertificate) && top.issuerCertificate !== top; i++) {
    top = top.issuerCertificate;
  }
  return formatName(top.issuer);
}

function errorCode(error: Error): string {
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? code : error.message;
}

/** A readable reason for an OpenSSL verification error code. */
function describeChainError(code: string, cert: DetailedPeerCertificate): string {
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return `certificate expired on ${isoDate(cert.valid_to)}`;
    case 'CERT_NOT_YET_VALID':
      return `certificate not yet valid (valid from ${isoDate(cert.valid_from)})`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'self-signed certificate (not trusted)';
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return `certificate signed by an unknown authority (issuer ${issuerName(cert)})`;
    case 'CERT_SIGNATURE_FAILURE':
      return 'certificate signature does not verify (damaged or forged certificate)';
    case 'CERT_REVOKED':
      return 'certificate has been revoked';
    case 'INVALID_CA':
      return 'certificate chain contains a certificate that is not a valid CA';
    case 'CERT_CHAIN_TOO_LONG':
      return 'certificate chain is too long';
    case 'INVALID_PURPOSE':
      return 'certificate is not meant for TLS servers (wrong key usage)';
    default:
      return `certificate not trusted (${code})`;
  }
}

/**
 * Checks the peer's chain (OpenSSL's verdict) and the host name (`checkServerIdentity`, which also
 * matches IP addresses). Returns a readable reason, or undefined when the certificate verifies.
 */
export function verificationError(socket: TLSSocket, servername: string): string | undefined {
  const cert = socket.getPeerCertificate(true);
  if (!hasCertificate(cert)) return 'server sent no certificate';
  if (!socket.authorized) {
    const raw: unknown = socket.authorizationError;
    const code = typeof raw === 'string' ? raw : raw instanceof Error ? errorCode(raw) : 'unknown error';
    return describeChainError(code, cert);
  }
  if (checkServerIdentity(servername, cert) !== undefined) {
    return `certificate for ${certificateNames(cert)} is not valid for ${servername}`;
  }
  return undefined;
}
