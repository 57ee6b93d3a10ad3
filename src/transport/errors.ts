// Turns Node socket and OpenSSL errors into specific, readable TransportErrors.

import { isIPv6 } from 'node:net';
import { TransportError } from './types.js';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** `host:port`, with brackets around an IPv6 address. */
export function formatEndpoint({ host, port }: Endpoint): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `15 s`, `0.2 s`. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

interface NodeError {
  readonly code?: unknown;
  readonly reason?: unknown;
  readonly message?: unknown;
}

function field(error: unknown, key: keyof NodeError): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const value = (error as NodeError)[key];
  return typeof value === 'string' ? value : undefined;
}

/** Where the connection was when the error happened; changes the wording and the kind. */
export type Phase = 'connect' | 'handshake' | 'open';

const TLS_VERSION_REASONS = /unsupported protocol|protocol version|no protocols available|version too low/i;
const NOT_TLS_REASONS =
  /wrong version number|packet length too long|http request|record layer failure|unknown protocol/i;
const NO_COMMON_REASONS = /handshake failure|no shared cipher|no suitable|no cipher/i;

/** Maps an error from `net`/`tls` to a TransportError with a message a user can act on. */
export function describeSocketError(
  error: unknown,
  endpoint: Endpoint,
  phase: Phase,
  minVersion = 'TLSv1.2',
): TransportError {
  if (error instanceof TransportError) return error;
  const where = formatEndpoint(endpoint);
  const code = field(error, 'code') ?? '';
  const message = field(error, 'message') ?? String(error);
  const reason = field(error, 'reason') ?? message;

  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO') {
    if (TLS_VERSION_REASONS.test(reason) || TLS_VERSION_REASONS.test(code)) {
      return new TransportError(
        `TLS version refused: ${where} does not offer ${minVersion} or newer, and older versions are not allowed (OpenSSL: ${reason})`,
        'tls-version',
      );
    }
    if (NOT_TLS_REASONS.test(reason)) {
      return new TransportError(
        `TLS handshake with ${where} failed: the server did not answer with TLS (is this a plaintext port? OpenSSL: ${reason})`,
        'tls-handshake',
      );
    }
    if (NO_COMMON_REASONS.test(reason)) {
      return new TransportError(
        `TLS handshake with ${where} failed: no cipher or key exchange in common (OpenSSL: ${reason})`,
        'tls-handshake',
      );
    }
    return new TransportError(`TLS handshake with ${where} failed: ${reason}`, 'tls-handshake');
  }

  switch (code) {
    case 'ERR_STREAM_DESTROYED':
    case 'ERR_STREAM_WRITE_AFTER_END':
      return new TransportError(`Connection to ${where} is closed`, 'closed');
    case 'ECONNREFUSED':
      return new TransportError(`Connection refused by ${where}`, 'refused');
    case 'ENOTFOUND':
      return new TransportError(`Host ${endpoint.host} not found (DNS)`, 'dns');
    case 'EAI_AGAIN':
      return new TransportError(
        `DNS lookup for ${endpoint.host} failed temporarily (EAI_AGAIN); try again`,
        'dns',
      );
    case 'ECONNRESET':
    case 'EPIPE':
      if (phase === 'handshake') {
        return new TransportError(`Connection closed by ${where} during the TLS handshake`, 'tls-handshake');
      }
      return new TransportError(`Connection reset by ${where}`, 'reset');
    case 'ETIMEDOUT':
      return new TransportError(`Connection to ${where} timed out (ETIMEDOUT)`, 'timeout');
    case 'EHOSTUNREACH':
      return new TransportError(`Host ${endpoint.host} is unreachable`, 'other');
    case 'ENETUNREACH':
      return new TransportError(`Network unreachable for ${where}`, 'other');
    case 'EADDRNOTAVAIL':
      return new TransportError(`Cannot connect to ${where}: address not available`, 'other');
    default:
      return new TransportError(
        `Connection to ${where} failed: ${message}${code !== '' && !message.includes(code) ? ` (${code})` : ''}`,
        'other',
      );
  }
}
