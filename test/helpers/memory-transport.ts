// An in-memory Transport for session unit tests: the test plays the server by calling
// `serverSends`, and reads what the client wrote from `written`.
import type { TlsInfo, Transport, TransportEvents } from '../../src/transport/types.js';
import { TransportError } from '../../src/transport/types.js';
import type { Protocol } from '../../src/protocol/types.js';
import { MailSession } from '../../src/session/session.js';
import { createCodec } from '../../src/session/open.js';

export const FAKE_TLS: TlsInfo = {
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_256_GCM_SHA384',
  chain: [],
  verified: true,
  acceptedUnverified: false,
  servername: 'localhost',
};

export class MemoryTransport implements Transport {
  tls: TlsInfo | undefined;
  bytesIn = 0;
  bytesOut = 0;
  readonly written: Buffer[] = [];
  closed = false;
  /** Bytes the "server" sends during the handshake; startTls returns them as discarded. */
  duringHandshake: Buffer = Buffer.alloc(0);
  failHandshake: string | undefined;
  private readonly listeners: { [K in keyof TransportEvents]: Array<TransportEvents[K]> } = {
    data: [],
    close: [],
  };

  serverSends(text: string | Buffer): void {
    const chunk = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
    this.bytesIn += chunk.length;
    for (const l of this.listeners.data) l(chunk);
  }

  serverCloses(error?: TransportError): void {
    this.closed = true;
    for (const l of this.listeners.close) l(error);
  }

  writtenText(): string {
    return Buffer.concat(this.written).toString('latin1');
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new TransportError('connection closed', 'closed'));
    this.written.push(Buffer.from(bytes));
    this.bytesOut += bytes.length;
    return Promise.resolve();
  }

  /** Through write(), so tests that replace write() see every send. */
  send(bytes: Uint8Array, onError: (error: TransportError) => void): void {
    void this.write(bytes).catch(onError);
  }

  startTls(): Promise<{ info: TlsInfo; discarded: Uint8Array }> {
    if (this.failHandshake) return Promise.reject(new TransportError(this.failHandshake, 'tls-certificate'));
    this.tls = FAKE_TLS;
    return Promise.resolve({ info: FAKE_TLS, discarded: this.duringHandshake });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.listeners.close) l(undefined);
  }

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    (this.listeners[event] as Array<TransportEvents[E]>).push(listener);
  }
}

/** A session on `transport` (a fresh MemoryTransport by default) with the protocol's real codec. */
export async function openMemorySession<T extends MemoryTransport = MemoryTransport>(
  protocol: Protocol,
  transport: T = new MemoryTransport() as T,
): Promise<{ transport: T; session: MailSession }> {
  const session = await MailSession.open({
    protocol,
    transport: { host: '127.0.0.1', port: 1, tls: 'none' },
    codec: createCodec(protocol),
    connect: () => Promise.resolve(transport),
  });
  return { transport, session };
}
