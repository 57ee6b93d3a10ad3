import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connectTransport, TransportError, type TlsPolicy } from '../../../src/transport/index.js';
import { getTestCertificates, type TestCertificates, type TestKeyPair } from '../../helpers/tls-certs.js';
import { tlsServer, type TestServer } from './servers.js';

let certs: TestCertificates;
const servers: TestServer[] = [];

before(async () => {
  certs = await getTestCertificates();
});

after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(pair: TestKeyPair): Promise<number> {
  const server = await tlsServer({ ...pair }, (socket) => socket.end('hello\r\n'));
  servers.push(server);
  return server.port;
}

async function connectError(
  port: number,
  policy: TlsPolicy = {},
  host = '127.0.0.1',
): Promise<TransportError> {
  const error: unknown = await connectTransport({
    host,
    port,
    tls: 'implicit',
    tlsPolicy: { ca: [certs.ca], ...policy },
  }).then(
    () => assert.fail('connection should have been refused'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof TransportError, String(error));
  return error;
}

describe('certificate verification (implicit TLS)', () => {
  test('a CA-signed certificate for 127.0.0.1 verifies; TlsInfo describes the session', async () => {
    const port = await serve(certs.valid);
    const transport = await connectTransport({
      host: '127.0.0.1',
      port,
      tls: 'implicit',
      tlsPolicy: { ca: [certs.ca] },
    });
    const info = transport.tls;
    assert.ok(info);
    assert.equal(info.verified, true);
    assert.equal(info.acceptedUnverified, false);
    assert.equal(info.verifyError, undefined);
    assert.equal(info.servername, '127.0.0.1');
    assert.match(info.protocol, /^TLSv1\.[23]$/);
    assert.ok(info.cipher.length > 0);
    const leaf = info.chain[0];
    assert.ok(leaf);
    assert.equal(leaf.subject, 'CN=localhost');
    assert.equal(leaf.issuer, 'CN=Mailwire Test CA');
    assert.deepEqual(leaf.subjectAltNames.slice(0, 2), ['localhost', '127.0.0.1']);
    assert.match(leaf.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.match(leaf.validTo, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const data: Buffer[] = [];
    await new Promise<void>((resolve) => {
      transport.on('data', (chunk) => data.push(Buffer.from(chunk)));
      transport.on('close', () => resolve());
    });
    assert.equal(Buffer.concat(data).toString(), 'hello\r\n');
    assert.equal(transport.bytesIn, 7);
  });

  test('localhost by name verifies too, and is sent as SNI', async () => {
    let sni: string | false | null | undefined;
    const server = await tlsServer({ ...certs.valid }, (socket) => {
      sni = (socket as import('node:tls').TLSSocket).servername;
      socket.end();
    });
    servers.push(server);
    const port = server.port;
    const transport = await connectTransport({
      host: 'localhost',
      port,
      tls: 'implicit',
      tlsPolicy: { ca: [certs.ca] },
    });
    assert.equal(transport.tls?.verified, true);
    assert.equal(transport.tls?.servername, 'localhost');
    await new Promise<void>((resolve) => transport.on('close', () => resolve()));
    assert.equal(sni, 'localhost');
  });

  test('wrong host', async () => {
    const error = await connectError(await serve(certs.wrongHost));
    assert.equal(error.kind, 'tls-certificate');
    assert.equal(error.message, 'certificate for mail.example is not valid for 127.0.0.1');
  });

  test('expired', async () => {
    const error = await connectError(await serve(certs.expired));
    assert.equal(error.kind, 'tls-certificate');
    assert.equal(error.message, 'certificate expired on 2024-01-01T00:00:00Z');
  });

  test('not yet valid', async () => {
    const error = await connectError(await serve(certs.notYetValid));
    assert.equal(error.kind, 'tls-certificate');
    const from = certs.notYetValidFrom.toISOString().replace('.000Z', 'Z');
    assert.equal(error.message, `certificate not yet valid (valid from ${from})`);
  });

  test('self-signed', async () => {
    const error = await connectError(await serve(certs.selfSigned));
    assert.equal(error.kind, 'tls-certificate');
    assert.equal(error.message, 'self-signed certificate (not trusted)');
  });

  test('unknown authority (also without the extra CA)', async () => {
    const port = await serve(certs.unknownCa);
    const error = await connectError(port);
    assert.equal(error.kind, 'tls-certificate');
    assert.equal(error.message, 'certificate signed by an unknown authority (issuer CN=Mailwire Unknown CA)');
    const withoutCa = await connectTransport({ host: '127.0.0.1', port, tls: 'implicit' }).catch(
      (e: unknown) => e,
    );
    assert.ok(withoutCa instanceof TransportError);
    assert.match(withoutCa.message, /^certificate signed by an unknown authority/);
  });

  test('a servername override is used for SNI and the host check', async () => {
    const port = await serve(certs.wrongHost);
    const transport = await connectTransport({
      host: '127.0.0.1',
      port,
      tls: 'implicit',
      tlsPolicy: { ca: [certs.ca], servername: 'mail.example' },
    });
    assert.equal(transport.tls?.verified, true);
    assert.equal(transport.tls?.servername, 'mail.example');
    transport.close();
  });

  test('acceptUnverified connects and reports why the certificate did not verify', async () => {
    const port = await serve(certs.expired);
    const transport = await connectTransport({
      host: '127.0.0.1',
      port,
      tls: 'implicit',
      tlsPolicy: { ca: [certs.ca], acceptUnverified: true },
    });
    assert.equal(transport.tls?.verified, false);
    assert.equal(transport.tls?.acceptedUnverified, true);
    assert.equal(transport.tls?.verifyError, 'certificate expired on 2024-01-01T00:00:00Z');
    transport.close();
  });
});

describe('TLS versions', () => {
  test('a server limited to TLS 1.1 is refused by default', async () => {
    const server = await tlsServer({
      ...certs.valid,
      minVersion: 'TLSv1.1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    servers.push(server);
    const error = await connectError(server.port);
    assert.equal(error.kind, 'tls-version');
    assert.match(error.message, /^TLS version refused: 127\.0\.0\.1:\d+ does not offer TLSv1\.2 or newer/);
  });

  test('an explicit minVersion opt-in reaches a TLS 1.1 server', async () => {
    const server = await tlsServer({
      ...certs.valid,
      minVersion: 'TLSv1.1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    servers.push(server);
    const transport = await connectTransport({
      host: '127.0.0.1',
      port: server.port,
      tls: 'implicit',
      tlsPolicy: { ca: [certs.ca], minVersion: 'TLSv1.1' },
    });
    assert.equal(transport.tls?.protocol, 'TLSv1.1');
    transport.close();
  });

  test('a plaintext server on a TLS port gives a readable handshake error', async () => {
    const { tcpServer } = await import('./servers.js');
    const server = await tcpServer((socket) => socket.write('* OK IMAP ready\r\n'));
    servers.push(server);
    const error = await connectError(server.port);
    assert.equal(error.kind, 'tls-handshake');
    assert.match(error.message, /did not answer with TLS \(is this a plaintext port\?/);
  });
});
