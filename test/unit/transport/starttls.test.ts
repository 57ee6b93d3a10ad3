import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TLSSocket, createSecureContext } from 'node:tls';
import type { Socket } from 'node:net';
import { connectTransport, TransportError, type Transport } from '../../../src/transport/index.js';
import { getTestCertificates, type TestCertificates, type TestKeyPair } from '../../helpers/tls-certs.js';
import { tcpServer, waitFor, type TestServer } from './servers.js';

let certs: TestCertificates;
const servers: TestServer[] = [];
before(async () => {
  certs = await getTestCertificates();
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/**
 * A STARTTLS server: greets, answers STARTTLS with `220`, then (after a pause, so the client has
 * already called startTls) injects a plaintext line before upgrading, then speaks over TLS.
 */
async function starttlsServer(pair: TestKeyPair, inject: string): Promise<TestServer> {
  const server = await tcpServer((socket: Socket) => {
    socket.write('220 ready\r\n');
    void waitFor(socket, 'STARTTLS\r\n').then(() => {
      socket.pause();
      socket.removeAllListeners('data');
      socket.write('220 go ahead\r\n');
      setTimeout(() => {
        if (inject !== '') socket.write(inject);
        const secure = new TLSSocket(socket, {
          isServer: true,
          secureContext: createSecureContext({ ...pair }),
        });
        secure.on('error', () => undefined);
        secure.on('secure', () => secure.write('250 secure hello\r\n'));
        void waitFor(secure, 'QUIT\r\n').then(() => secure.end('221 bye\r\n'));
      }, 60);
    });
  });
  servers.push(server);
  return server;
}

/** Connects, sends STARTTLS, and calls startTls() the moment `220 go ahead` is seen. */
async function upgrade(
  port: number,
  ca: string[],
): Promise<{ transport: Transport; received: string[]; result: Promise<{ discarded: Uint8Array }> }> {
  const transport = await connectTransport({ host: '127.0.0.1', port, tls: 'starttls', tlsPolicy: { ca } });
  const received: string[] = [];
  let resolveResult: (value: Promise<{ discarded: Uint8Array }>) => void = () => undefined;
  const result = new Promise<{ discarded: Uint8Array }>((resolve) => {
    resolveResult = resolve;
  });
  let text = '';
  transport.on('data', (chunk) => {
    const piece = Buffer.from(chunk).toString('latin1');
    received.push(piece);
    text += piece;
    if (text.includes('220 go ahead\r\n') && text.includes('220 ready\r\n')) {
      text = '';
      resolveResult(transport.startTls());
    }
  });
  await transport.write(Buffer.from('STARTTLS\r\n'));
  return { transport, received, result };
}

test('STARTTLS: bytes injected before the handshake are discarded, never delivered', async () => {
  const server = await starttlsServer(certs.valid, '250 INJECTED\r\n');
  const { transport, received, result } = await upgrade(server.port, [certs.ca]);
  const { discarded } = await result;
  assert.equal(Buffer.from(discarded).toString(), '250 INJECTED\r\n');
  assert.equal(transport.tls?.verified, true);
  assert.equal(transport.tls?.servername, '127.0.0.1');
  const closedPromise = new Promise<TransportError | undefined>((resolve) => transport.on('close', resolve));
  await transport.write(Buffer.from('QUIT\r\n'));
  assert.equal(await closedPromise, undefined);
  const all = received.join('');
  assert.equal(all, '220 ready\r\n220 go ahead\r\n250 secure hello\r\n221 bye\r\n');
  assert.equal(transport.bytesIn, all.length);
});

test('STARTTLS without injection returns nothing discarded', async () => {
  const server = await starttlsServer(certs.valid, '');
  const { transport, result } = await upgrade(server.port, [certs.ca]);
  const { discarded } = await result;
  assert.equal(discarded.length, 0);
  await assert.rejects(transport.startTls(), /Cannot start TLS: TLS is already on/);
  transport.close();
});

test('STARTTLS with a bad certificate fails with the reason and closes with it', async () => {
  const server = await starttlsServer(certs.selfSigned, '');
  const { transport, result } = await upgrade(server.port, [certs.ca]);
  const closedPromise = new Promise<TransportError | undefined>((resolve) => transport.on('close', resolve));
  const error = await result.then(
    () => assert.fail('should not verify'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof TransportError);
  assert.equal(error.kind, 'tls-certificate');
  assert.equal(error.message, 'self-signed certificate (not trusted)');
  assert.equal((await closedPromise)?.message, 'self-signed certificate (not trusted)');
});

test('writes during the upgrade are refused (no plaintext after STARTTLS)', async () => {
  const server = await starttlsServer(certs.valid, '');
  const { transport, result } = await upgrade(server.port, [certs.ca]);
  // This listener runs after the one in upgrade(), so startTls() has just been called.
  const refused = new Promise<unknown>((resolve) => {
    transport.on('data', (chunk) => {
      if (Buffer.from(chunk).toString().includes('220 go ahead')) {
        transport.write(Buffer.from('NOOP\r\n')).then(() => resolve(undefined), resolve);
      }
    });
  });
  const error = await refused;
  assert.ok(error instanceof TransportError);
  assert.match(error.message, /Cannot write while the TLS upgrade is in progress/);
  await result;
  transport.close();
});

test('a server that keeps sending plaintext after its go-ahead is cut off at the limit', async () => {
  const server = await starttlsServer(certs.valid, '250 '.repeat(20 * 1024));
  const { transport, result } = await upgrade(server.port, [certs.ca]);
  const closedPromise = new Promise<TransportError | undefined>((resolve) => transport.on('close', resolve));
  const error = await result.then(
    () => assert.fail('should not upgrade'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof TransportError);
  assert.equal(error.kind, 'tls-handshake');
  assert.equal(
    error.message,
    'plaintext sent by the server after accepting STARTTLS exceeds 64 KiB (limit starttlsMaxDiscardedBytes)',
  );
  assert.equal((await closedPromise)?.kind, 'tls-handshake');
});
