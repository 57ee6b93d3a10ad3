// Test certificates for TLS tests, generated on the fly (EC P-256, fast) and cached per process.
//
//   const certs = await getTestCertificates();
//   tls.createServer({ ...certs.valid }) ;          // key + cert, CA-signed, for 127.0.0.1/localhost/::1
//   connectTransport({ ..., tlsPolicy: { ca: [certs.ca] } });  // trust the test CA
//
// Every leaf except `selfSigned` is signed by `ca`, so the only fault a client sees is the one
// the name says. Nothing is written to disk.

import { generate } from 'selfsigned';

/** A server's private key and certificate (PEM), ready to spread into tls.createServer options. */
export interface TestKeyPair {
  readonly key: string;
  readonly cert: string;
}

export interface TestCertificates {
  /** The test CA certificate (PEM): pass it as an extra trusted CA. */
  readonly ca: string;
  /** CA-signed, valid now, for 127.0.0.1, ::1 and localhost. */
  readonly valid: TestKeyPair;
  /** Self-signed (not from the CA), otherwise valid for 127.0.0.1/localhost. */
  readonly selfSigned: TestKeyPair;
  /** CA-signed, expired: valid 2023-01-01T00:00:00Z to 2024-01-01T00:00:00Z. */
  readonly expired: TestKeyPair;
  /** CA-signed, not valid before `notYetValidFrom` (about a year from now). */
  readonly notYetValid: TestKeyPair;
  readonly notYetValidFrom: Date;
  /** CA-signed, valid now, but only for `mail.example` (not 127.0.0.1 or localhost). */
  readonly wrongHost: TestKeyPair;
  /** A second, unrelated CA's leaf for 127.0.0.1/localhost: "signed by an unknown authority". */
  readonly unknownCa: TestKeyPair;
}

const LOCAL_NAMES = [
  { type: 2 as const, value: 'localhost' },
  { type: 7 as const, ip: '127.0.0.1' },
  { type: 7 as const, ip: '::1' },
];

interface LeafSpec {
  readonly commonName: string;
  readonly altNames: typeof LOCAL_NAMES | Array<{ type: 2; value: string }>;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly issuer?: TestKeyPair;
}

async function makeCa(commonName: string): Promise<TestKeyPair> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 24 * 3600 * 1000),
    notAfterDate: new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

async function makeLeaf(spec: LeafSpec): Promise<TestKeyPair> {
  const notBefore = spec.notBefore ?? new Date(Date.now() - 3600 * 1000);
  const pems = await generate([{ name: 'commonName', value: spec.commonName }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: spec.notAfter ?? new Date(notBefore.getTime() + 365 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...spec.altNames] },
    ],
    ...(spec.issuer ? { ca: spec.issuer } : {}),
  });
  return { key: pems.private, cert: pems.cert };
}

async function build(): Promise<TestCertificates> {
  const [ca, otherCa] = await Promise.all([makeCa('Mailwire Test CA'), makeCa('Mailwire Unknown CA')]);
  const notYetValidFrom = new Date(Math.floor(Date.now() / 1000) * 1000 + 365 * 24 * 3600 * 1000);
  const [valid, selfSigned, expired, notYetValid, wrongHost, unknownCa] = await Promise.all([
    makeLeaf({ commonName: 'localhost', altNames: LOCAL_NAMES, issuer: ca }),
    makeLeaf({ commonName: 'localhost', altNames: LOCAL_NAMES }),
    makeLeaf({
      commonName: 'localhost',
      altNames: LOCAL_NAMES,
      notBefore: new Date('2023-01-01T00:00:00Z'),
      notAfter: new Date('2024-01-01T00:00:00Z'),
      issuer: ca,
    }),
    makeLeaf({ commonName: 'localhost', altNames: LOCAL_NAMES, notBefore: notYetValidFrom, issuer: ca }),
    makeLeaf({ commonName: 'mail.example', altNames: [{ type: 2, value: 'mail.example' }], issuer: ca }),
    makeLeaf({ commonName: 'localhost', altNames: LOCAL_NAMES, issuer: otherCa }),
  ]);
  return { ca: ca.cert, valid, selfSigned, expired, notYetValid, notYetValidFrom, wrongHost, unknownCa };
}

let cached: Promise<TestCertificates> | undefined;

/** The test certificates, generated once per process (about 100 ms). */
export function getTestCertificates(): Promise<TestCertificates> {
  cached ??= build();
  return cached;
}
