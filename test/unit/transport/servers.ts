// Local servers for transport tests: 127.0.0.1, port 0, and everything they open is closed.

import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';

export interface TestServer {
  readonly port: number;
  /** Sockets accepted so far. */
  readonly sockets: Socket[];
  /** Closes the server and destroys every accepted socket. */
  close(): Promise<void>;
}

async function listen(server: Server, sockets: Socket[]): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A plain TCP server; `onSocket` sees each connection. */
export function tcpServer(onSocket: (socket: Socket) => void = () => undefined): Promise<TestServer> {
  const sockets: Socket[] = [];
  const server = createNetServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  return listen(server, sockets);
}

/** An implicit-TLS server with the given options; handshake errors are ignored (tests look at the client). */
export function tlsServer(
  options: TlsOptions,
  onSocket: (socket: Socket) => void = () => undefined,
): Promise<TestServer> {
  const sockets: Socket[] = [];
  const server = createTlsServer(options, (socket) => {
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  server.on('connection', (socket: Socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
  });
  server.on('tlsClientError', () => undefined);
  return listen(server, sockets);
}

/** Resolves when `socket` has received `text` (as latin1), with everything received so far. */
export function waitFor(socket: Socket, text: string): Promise<string> {
  return new Promise((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('latin1');
      if (seen.includes(text)) {
        socket.off('data', onData);
        resolve(seen);
      }
    };
    socket.on('data', onData);
  });
}
