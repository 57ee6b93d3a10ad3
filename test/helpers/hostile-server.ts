// A scriptable fake mail server on 127.0.0.1 for hostile-server tests: each connection runs a
// script that can send any bytes, in any split, at any speed, read the client's lines, upgrade to
// TLS (test CA certificate) and cut the connection. Everything it opens is closed by `close()`.
//
//   const server = await startHostileServer(async (c) => {
//     await c.send('* OK hi\r\n');
//     const line = await c.readLine();          // 'A1 CAPABILITY'
//     await c.send('* CAPABILITY IMAP4rev1\r\nA1 OK done\r\n', { chunkSize: 1, delayMs: 5 });
//   });
//   ... openSession({ url: `imap://127.0.0.1:${server.port}` }) ...
//   await server.close();

import net from 'node:net';
import tls from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { getTestCertificates, type TestKeyPair } from './tls-certs.js';

export interface SendOptions {
  /** Split the bytes into writes of this size (default: one write). */
  readonly chunkSize?: number;
  /** Pause between chunks. */
  readonly delayMs?: number;
}

export interface HostileConnection {
  /** Every byte this connection wrote to the client (plaintext and TLS payload alike). */
  readonly sentBytes: () => Buffer;
  /** Lines received from the client, without CRLF, in order. */
  readonly lines: readonly string[];
  readonly closed: boolean;
  readonly secure: boolean;
  /** Writes bytes; resolves once they are handed to the socket (false if the socket is gone). */
  send(data: string | Uint8Array, options?: SendOptions): Promise<boolean>;
  /** The next client line (without CRLF), or undefined if the client closed or `timeoutMs` passed. */
  readLine(timeoutMs?: number): Promise<string | undefined>;
  /**
   * Upgrades to TLS as a server: by default with the test CA's certificate for 127.0.0.1; `options`
   * may pick another key pair (expired, wrong host...) or old protocol versions. Call it first
   * thing for an implicit-TLS (imaps, pop3s, smtps) server. Rejects if the handshake fails.
   */
  startTls(options?: HostileTlsOptions): Promise<void>;
  /** Cuts the connection at once (RST-like). */
  destroy(): void;
  /** Waits until the client closes, or `timeoutMs` passes. */
  waitClosed(timeoutMs?: number): Promise<void>;
}

export interface HostileTlsOptions {
  readonly keyPair?: TestKeyPair;
  readonly minVersion?: tls.SecureVersion;
  readonly maxVersion?: tls.SecureVersion;
  /** OpenSSL cipher list, e.g. 'DEFAULT@SECLEVEL=0' to allow TLS 1.0 at all. */
  readonly ciphers?: string;
}

export type HostileScript = (connection: HostileConnection) => Promise<void>;

export interface HostileServer {
  readonly port: number;
  readonly url: (scheme: string, query?: string) => string;
  /** Connections so far, in order of arrival. */
  readonly connections: readonly HostileConnection[];
  /** Errors thrown by scripts (a test may assert there were none). */
  readonly scriptErrors: readonly unknown[];
  /** Destroys every socket mid-session (a killed server). */
  destroyAll(): void;
  /** Destroys every socket and stops listening. */
  close(): Promise<void>;
}

class Connection implements HostileConnection {
  readonly lines: string[] = [];
  private socket: net.Socket | tls.TLSSocket;
  private readonly raw: net.Socket;
  private buffer = '';
  private readonly sent: Buffer[] = [];
  private lineWaiters: Array<(line: string | undefined) => void> = [];
  private closeWaiters: Array<() => void> = [];
  private isClosed = false;
  private isSecure = false;
  private readonly onData = (chunk: Buffer) => this.take(chunk);

  constructor(socket: net.Socket) {
    this.raw = socket;
    this.socket = socket;
    socket.on('data', this.onData);
    socket.on('error', () => undefined);
    socket.on('close', () => this.markClosed());
  }

  get closed(): boolean {
    return this.isClosed;
  }
  get secure(): boolean {
    return this.isSecure;
  }

  sentBytes = (): Buffer => Buffer.concat(this.sent);

  async send(data: string | Uint8Array, options: SendOptions = {}): Promise<boolean> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
    const size = options.chunkSize && options.chunkSize > 0 ? options.chunkSize : bytes.length || 1;
    for (let at = 0; at < bytes.length; at += size) {
      if (this.isClosed) return false;
      const piece = bytes.subarray(at, at + size);
      const ok = await new Promise<boolean>((resolve) => {
        this.socket.write(piece, (error) => resolve(!error));
      });
      if (!ok) return false;
      this.sent.push(piece);
      if (options.delayMs && at + size < bytes.length) await sleep(options.delayMs);
    }
    return !this.isClosed;
  }

  readLine(timeoutMs = 5_000): Promise<string | undefined> {
    const line = this.shiftLine();
    if (line !== undefined) return Promise.resolve(line);
    if (this.isClosed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.lineWaiters = this.lineWaiters.filter((w) => w !== waiter);
        resolve(undefined);
      }, timeoutMs);
      const waiter = (l: string | undefined) => {
        clearTimeout(timer);
        resolve(l);
      };
      this.lineWaiters.push(waiter);
    });
  }

  async startTls(options: HostileTlsOptions = {}): Promise<void> {
    const keyPair = options.keyPair ?? (await getTestCertificates()).valid;
    this.raw.removeListener('data', this.onData);
    this.buffer = '';
    const context = tls.createSecureContext({
      ...keyPair,
      ...(options.minVersion ? { minVersion: options.minVersion } : {}),
      ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
      ...(options.ciphers ? { ciphers: options.ciphers } : {}),
    });
    const secure = new tls.TLSSocket(this.raw, { isServer: true, secureContext: context });
    secure.on('error', () => undefined);
    secure.on('data', this.onData);
    this.socket = secure;
    await new Promise<void>((resolve, reject) => {
      secure.once('secure', () => resolve());
      secure.once('error', reject);
      secure.once('close', () => reject(new Error('closed during the TLS handshake')));
    });
    this.isSecure = true;
  }

  destroy(): void {
    this.socket.destroy();
    this.raw.destroy();
  }

  waitClosed(timeoutMs = 5_000): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.closeWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private take(chunk: Buffer): void {
    this.buffer += chunk.toString('latin1');
    for (;;) {
      const waiter = this.lineWaiters[0];
      if (!waiter) {
        // Keep complete lines for later readLine() calls, but don't let the buffer grow unbounded.
        if (this.buffer.length > 16 * 1024 * 1024) this.buffer = this.buffer.slice(-1024);
        return;
      }
      const line = this.shiftLine();
      if (line === undefined) return;
      this.lineWaiters.shift();
      waiter(line);
    }
  }

  private shiftLine(): string | undefined {
    const end = this.buffer.indexOf('\n');
    if (end < 0) return undefined;
    const line = this.buffer.slice(0, end).replace(/\r$/, '');
    this.buffer = this.buffer.slice(end + 1);
    this.lines.push(line);
    return line;
  }

  private markClosed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const w of this.lineWaiters.splice(0)) w(undefined);
    for (const w of this.closeWaiters.splice(0)) w();
  }
}

export async function startHostileServer(script: HostileScript): Promise<HostileServer> {
  const connections: Connection[] = [];
  const scriptErrors: unknown[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const connection = new Connection(socket);
    connections.push(connection);
    script(connection).catch((error: unknown) => {
      if (!connection.closed) scriptErrors.push(error);
      connection.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('hostile server: no port');
  const port = address.port;
  const destroyAll = () => {
    for (const c of connections) c.destroy();
    for (const s of sockets) s.destroy();
  };
  return {
    port,
    url: (scheme, query = '') => `${scheme}://127.0.0.1:${port}${query}`,
    connections,
    scriptErrors,
    destroyAll,
    close: async () => {
      destroyAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
