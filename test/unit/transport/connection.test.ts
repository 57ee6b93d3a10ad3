import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { connectTransport, TransportError, type Transport } from '../../../src/transport/index.js';
import { tcpServer, waitFor, type TestServer } from './servers.js';

const servers: TestServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(onSocket: Parameters<typeof tcpServer>[0]): Promise<TestServer> {
  const server = await tcpServer(onSocket);
  servers.push(server);
  return server;
}

/** A port nothing listens on: bind one, then close it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function closed(transport: Transport): Promise<TransportError | undefined> {
  return new Promise((resolve) => transport.on('close', resolve));
}

describe('connection errors', () => {
  test('connection refused', async () => {
    const port = await freePort();
    const error = await connectTransport({ host: '127.0.0.1', port, tls: 'none' }).catch((e: unknown) => e);
    assert.ok(error instanceof TransportError);
    assert.equal(error.kind, 'refused');
    assert.equal(error.message, `Connection refused by 127.0.0.1:${port}`);
  });

  test('implicit TLS handshake that never gets an answer times out', async () => {
    const server = await serve(() => undefined);
    const started = Date.now();
    const error = await connectTransport({
      host: '127.0.0.1',
      port: server.port,
      tls: 'implicit',
      connectTimeoutMs: 200,
    }).catch((e: unknown) => e);
    assert.ok(error instanceof TransportError);
    assert.equal(error.kind, 'timeout');
    assert.equal(error.message, `TLS handshake with 127.0.0.1:${server.port} timed out after 0.2 s`);
    assert.ok(Date.now() - started < 2000);
  });

  test('peer reset is reported on close', async () => {
    const server = await serve((socket) => {
      socket.write('+OK hi\r\n');
      setTimeout(() => socket.resetAndDestroy(), 20);
    });
    const transport = await connectTransport({ host: '127.0.0.1', port: server.port, tls: 'none' });
    const error = await closed(transport);
    assert.ok(error instanceof TransportError);
    assert.equal(error.kind, 'reset');
    assert.equal(error.message, `Connection reset by 127.0.0.1:${server.port}`);
  });

  test('a clean close by the peer has no error, fires once, and keeps early data', async () => {
    const server = await serve((socket) => socket.end('220 bye\r\n'));
    const transport = await connectTransport({ host: '127.0.0.1', port: server.port, tls: 'none' });
    // Listen late, after the data and the close may have arrived: nothing is lost.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const chunks: Buffer[] = [];
    let closes = 0;
    let closeError: TransportError | undefined;
    transport.on('data', (chunk) => chunks.push(Buffer.from(chunk)));
    transport.on('close', (error) => {
      closes += 1;
      closeError = error;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(Buffer.concat(chunks).toString(), '220 bye\r\n');
    assert.equal(closes, 1);
    assert.equal(closeError, undefined);
    transport.close();
    await assert.rejects(transport.write(new Uint8Array([1])), { kind: 'closed' });
  });
});

describe('open connection', () => {
  test('close() is idempotent and the close event fires exactly once', async () => {
    const server = await serve(() => undefined);
    const transport = await connectTransport({ host: '127.0.0.1', port: server.port, tls: 'none' });
    let closes = 0;
    transport.on('close', () => {
      closes += 1;
    });
    const done = closed(transport);
    transport.close();
    transport.close();
    assert.equal(await done, undefined);
    transport.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(closes, 1);
  });

  test('a throwing listener does not break delivery or crash the process', async () => {
    const server = await serve((socket) => socket.end('one\r\n'));
    const transport = await connectTransport({ host: '127.0.0.1', port: server.port, tls: 'none' });
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.message);
    };
    process.on('warning', onWarning);
    const received: string[] = [];
    transport.on('data', () => {
      throw new Error('listener bug');
    });
    transport.on('data', (chunk) => received.push(Buffer.from(chunk).toString()));
    await closed(transport);
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    assert.deepEqual(received, ['one\r\n']);
    assert.ok(warnings.some((w) => w.includes('listener bug')));
  });

  test('write waits for the peer to read (backpressure) and counts bytes', async () => {
    let serverSocket: import('node:net').Socket | undefined;
    const server = await serve((socket) => {
      serverSocket = socket;
      socket.pause();
    });
    const transport = await connectTransport({ host: '127.0.0.1', port: server.port, tls: 'none' });
    const size = 32 * 1024 * 1024;
    let flushed = false;
    const writing = transport.write(new Uint8Array(size)).then(() => {
      flushed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(flushed, false, 'a 32 MiB write cannot flush while the peer does not read');
    assert.equal(transport.bytesOut, size);
    let received = 0;
    serverSocket?.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    serverSocket?.resume();
    await writing;
    assert.equal(flushed, true);
    transport.close();
    await closed(transport);
    assert.ok(received > 0);
  });

  test('data from the server arrives in order and is counted', async () => {
    const server = await serve((socket) => {
      void waitFor(socket, 'QUIT\r\n').then(() => socket.end('+OK bye\r\n'));
      socket.write('+OK ready\r\n');
    });
    const transport = await connectTransport({ host: '127.0.0.1', port: server.port, tls: 'none' });
    let text = '';
    transport.on('data', (chunk) => {
      text += Buffer.from(chunk).toString();
    });
    await transport.write(Buffer.from('QUIT\r\n'));
    await closed(transport);
    assert.equal(text, '+OK ready\r\n+OK bye\r\n');
    assert.equal(transport.bytesIn, text.length);
    assert.equal(transport.bytesOut, 6);
  });
});

describe('send (the session path, without promises)', () => {
  test('bytes arrive in order; on a closed connection the failure comes later, to the handler', async () => {
    let got = '';
    const server = await serve((socket) => {
      socket.on('data', (chunk: Buffer) => {
        got += chunk.toString();
      });
    });
    const transport = await connectTransport({ host: '127.0.0.1', port: server.port, tls: 'none' });
    const failures: TransportError[] = [];
    for (const line of ['A1 NOOP\r\n', 'A2 NOOP\r\n', 'A3 LOGOUT\r\n']) {
      transport.send(Buffer.from(line), (e) => failures.push(e));
    }
    while (got.length < 29) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(got, 'A1 NOOP\r\nA2 NOOP\r\nA3 LOGOUT\r\n');
    assert.equal(transport.bytesOut, 29);
    transport.close();
    transport.send(Buffer.from('A4 NOOP\r\n'), (e) => failures.push(e));
    assert.equal(failures.length, 0, 'not reported from within send()');
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(
      failures.map((e) => e.kind),
      ['closed'],
    );
  });
});
