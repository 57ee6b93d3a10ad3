// The sandbox's TLS certificate: self-signed for localhost, 127.0.0.1 and ::1, generated on first
// start and kept on disk so a user can inspect and trust it, and so its fingerprint stays stable.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface SandboxCertificate {
  /** PEM private key. */
  readonly key: string;
  /** PEM certificate. */
  readonly cert: string;
  /** SHA-256 fingerprint, colon-separated upper-case hex. */
  readonly fingerprint256: string;
  /** Path of the certificate file (the key sits next to it). */
  readonly path: string;
}

export const CERT_FILE = 'sandbox-cert.pem';
export const KEY_FILE = 'sandbox-key.pem';

export function defaultCertificateDir(): string {
  return join(homedir(), '.mailwire', 'sandbox');
}

/** Reads the certificate kept in `dir`, or creates one there when none is usable. */
export async function loadOrCreateSandboxCertificate(
  dir: string = defaultCertificateDir(),
): Promise<SandboxCertificate> {
  const certPath = join(dir, CERT_FILE);
  const keyPath = join(dir, KEY_FILE);
  const existing = await readExisting(certPath, keyPath);
  if (existing) return existing;

  await mkdir(dir, { recursive: true });
  const now = new Date();
  const notAfter = new Date(now.getTime() + 825 * 24 * 3600 * 1000); // the longest lifetime browsers accept
  const pems = await generate([{ name: 'commonName', value: 'Mailwire sandbox (localhost)' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  // The key first, private to the user: a half-written pair is regenerated on the next start.
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  await chmod(keyPath, 0o600);
  await writeFile(certPath, pems.cert);
  return {
    key: pems.private,
    cert: pems.cert,
    fingerprint256: new X509Certificate(pems.cert).fingerprint256,
    path: certPath,
  };
}

async function readExisting(certPath: string, keyPath: string): Promise<SandboxCertificate | undefined> {
  let cert: string;
  let key: string;
  try {
    [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  } catch {
    return undefined; // missing: create
  }
  try {
    const x509 = new X509Certificate(cert);
    // Regenerate a day before expiry rather than serve a certificate that is about to fail.
    if (Date.parse(x509.validTo) - Date.now() < 24 * 3600 * 1000) return undefined;
    if (!x509.checkPrivateKey(createPrivateKey(key))) return undefined;
    return { key, cert, fingerprint256: x509.fingerprint256, path: certPath };
  } catch {
    return undefined; // unreadable or mismatched: replace
  }
}
