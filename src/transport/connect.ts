import { SocketTransport } from './socket-transport.js';
import { TransportError, type Transport, type TransportOptions } from './types.js';

/**
 * Opens a connection: plain TCP (`none`, `starttls`: call `startTls()` later) or implicit TLS.
 * Rejects with a TransportError (refused, timeout, dns, tls-certificate, tls-version, ...).
 */
export async function connectTransport(options: TransportOptions): Promise<Transport> {
  let transport: SocketTransport;
  try {
    transport = new SocketTransport(options);
  } catch (error) {
    // Bad options (e.g. a TLS setting OpenSSL refuses) throw synchronously in net/tls.
    const reason = error instanceof Error ? error.message : String(error);
    throw new TransportError(`Cannot set up the connection: ${reason}`, 'other');
  }
  await transport.open();
  return transport;
}
