// Certificates and TLS versions a hostile server might offer: refused by default with the reason;
// accepting an unverified certificate is explicit and recorded in the transcript.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSession } from '../../../src/session/open.js';
import { startHostileServer, type HostileTlsOptions } from '../../helpers/hostile-server.js';
import { getTestCertificates, type TestCertificates } from '../../helpers/tls-certs.js';
import { tracker } from './common.js';

const t = tracker();
after(() => t.cleanup());

/** An implicit-TLS IMAP server that greets once the handshake succeeds. */
async function imapsServer(pick: (certs: TestCertificates) => HostileTlsOptions) {
  const certs = await getTestCertificates();
  const server = await startHostileServer(async (c) => {
    await c.startTls(pick(certs));
    await c.send('* OK ready\r\n');
    await c.waitClosed(5_000);
  });
  t.servers.push(server);
  return { server, certs };
}

async function open(url: string, ca: string, acceptUnverified = false) {
  const session = await openSession({
    url,
    ca: [ca],
    ...(acceptUnverified ? { acceptUnverified: true } : {}),
    timeouts: { greetingMs: 5_000, replyMs: 5_000, connectMs: 5_000 },
  });
  t.sessions.push(session);
  return session;
}

for (const [label, pick, reason] of [
  [
    'an expired certificate',
    (c: TestCertificates) => ({ keyPair: c.expired }),
    /certificate expired on 2024-01-01/,
  ],
  [
    'a self-signed certificate',
    (c: TestCertificates) => ({ keyPair: c.selfSigned }),
    /self-signed certificate/,
  ],
  [
    'a certificate for another host',
    (c: TestCertificates) => ({ keyPair: c.wrongHost }),
    /mail\.example is not valid for 127\.0\.0\.1/,
  ],
] as const) {
  test(`${label} is refused by default with the reason`, async () => {
    const { server, certs } = await imapsServer(pick);
    const session = await open(server.url('imaps'), certs.ca);
    assert.equal(session.status, 'closed');
    assert.match(session.closedBecause ?? '', reason);
    assert.equal(session.transcript.bytesOf('S').length, 0, 'nothing from the server was parsed');
  });
}

test('accepting an expired certificate is explicit and recorded', async () => {
  const { server, certs } = await imapsServer((c) => ({ keyPair: c.expired }));
  const session = await open(server.url('imaps'), certs.ca, true);
  assert.equal(session.status, 'open', session.closedBecause);
  assert.equal(session.tls?.verified, false);
  assert.match(
    session.transcript.render({ timestamps: false }),
    /accepted without verification by explicit choice/,
  );
});

for (const version of ['TLSv1', 'TLSv1.1'] as const) {
  test(`a server that only speaks ${version} is refused by default`, async () => {
    const { server, certs } = await imapsServer((c) => ({
      keyPair: c.valid,
      minVersion: version,
      maxVersion: version,
      ciphers: 'DEFAULT@SECLEVEL=0',
    }));
    const session = await open(server.url('imaps'), certs.ca);
    assert.equal(session.status, 'closed');
    assert.match(session.closedBecause ?? '', /TLS version refused.*TLSv1\.2 or newer/);
  });
}
