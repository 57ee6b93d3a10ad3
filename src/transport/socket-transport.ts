// The Transport over Node `net`/`tls`: plain TCP, implicit TLS, and STARTTLS upgrades.
//
// Life cycle (one table, checked by `state`):
//   connecting -> plain            (tls none/starttls: TCP connected)
//   connecting -> tls              (implicit: handshake done and certificate accepted)
//   plain      -> upgrading -> tls (startTls)
//   any        -> closed           (the TCP socket closed; the `close` event fires once)
//
// STARTTLS runs TLS over a small bridge stream instead of handing the raw socket to `tls`, so the
// transport sees every byte that arrives after `startTls()`: bytes before the server's first TLS
// record are plaintext that nobody may act on (RFC 3207 section 4.2) and are returned as
// `discarded`; from the first TLS record on, bytes go to the TLS layer.

import { Buffer } from 'node:buffer';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { Duplex } from 'node:stream';
import { LIMITS, limitMessage } from '../protocol/limits.js';
import { describeSocketError, formatEndpoint, formatSeconds, type Phase } from './errors.js';
import { peerChain, verificationError } from './certificates.js';
import { clientSecureContext } from './secure-context.js';
import {
  TransportError,
  type TlsInfo,
  type TlsPolicy,
  type Transport,
  type TransportEvents,
  type TransportOptions,
} from './types.js';

const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
/** After close(), how long a peer gets to finish the graceful shutdown before the socket is destroyed. */
const CLOSE_GRACE_MS = 2_000;

type State = 'connecting' | 'plain' | 'upgrading' | 'tls' | 'closed';

/** TLS record content types 20-23 followed by major version 3: where a TLS stream starts. */
function tlsRecordStart(chunk: Buffer): number {
  for (let i = 0; i < chunk.length; i++) {
    const byte = chunk[i] ?? 0;
    if (byte >= 0x14 && byte <= 0x17 && (i + 1 === chunk.length || chunk[i + 1] === 0x03)) return i;
  }
  return -1;
}

type Listeners = { [E in keyof TransportEvents]: Array<TransportEvents[E]> };

export class SocketTransport implements Transport {
  private state: State = 'connecting';
  private readonly raw: Socket;
  /** Where writes go and decrypted data comes from: the raw socket, or the TLS socket on top. */
  private active: Socket;
  private tlsInfo: TlsInfo | undefined;
  private inCount = 0;
  private outCount = 0;
  private readonly listeners: Listeners = { data: [], close: [] };
  /** Data that arrived before anyone listened: kept, never dropped. */
  private readonly pendingData: Buffer[] = [];
  private lastError: TransportError | undefined;
  private closeEmitted = false;
  private closeRequested = false;
  private destroyTimer: NodeJS.Timeout | undefined;
  /** Told when a send() fails: the handler given to the latest send (the session's is one). */
  private sendFailed: ((error: TransportError) => void) | undefined;
  /** Raw bytes go here during and after a STARTTLS upgrade (set by startTls). */
  private rawSink: ((chunk: Buffer) => void) | undefined;
  private readonly options: TransportOptions;
  private readonly policy: TlsPolicy;
  private readonly servername: string;
  private readonly timeoutMs: number;

  constructor(options: TransportOptions) {
    this.options = options;
    this.policy = options.tlsPolicy ?? {};
    this.servername = this.policy.servername ?? options.host;
    this.timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.raw =
      options.tls === 'implicit'
        ? tlsConnect({ host: options.host, port: options.port, ...this.tlsOptions() })
        : netConnect({ host: options.host, port: options.port });
    this.active = this.raw;
    // Commands are small and interactive: send each at once rather than waiting on Nagle.
    this.raw.setNoDelay(true);
    this.raw.on('data', (chunk: Buffer) => this.onRawData(chunk));
    this.raw.on('error', (error: Error) =>
      this.recordError(error, this.state === 'connecting' ? 'connect' : 'open'),
    );
    this.raw.on('close', () => this.onClosed());
  }

  get tls(): TlsInfo | undefined {
    return this.tlsInfo;
  }

  /** Bytes delivered as `data` (decrypted when TLS is on; discarded bytes are not counted). */
  get bytesIn(): number {
    return this.inCount;
  }

  /** Bytes handed to `write` (before encryption). */
  get bytesOut(): number {
    return this.outCount;
  }

  /** Resolves once connected (and, for implicit TLS, once the certificate is accepted). */
  open(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const endpoint = formatEndpoint(this.options);
      let tcpConnected = false;
      const timer = setTimeout(() => {
        const message = tcpConnected
          ? `TLS handshake with ${endpoint} timed out after ${formatSeconds(this.timeoutMs)}`
          : `Connection to ${endpoint} timed out after ${formatSeconds(this.timeoutMs)}`;
        fail(new TransportError(message, 'timeout'));
      }, this.timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.raw.off('connect', onConnect);
        this.raw.off('secureConnect', onSecure);
        this.raw.off('error', onError);
        this.raw.off('close', onClose);
      };
      const fail = (error: TransportError): void => {
        cleanup();
        this.lastError ??= error;
        this.raw.destroy();
        reject(error);
      };
      const onConnect = (): void => {
        tcpConnected = true;
        if (this.options.tls === 'implicit') return;
        cleanup();
        this.state = 'plain';
        resolve();
      };
      const onSecure = (): void => {
        const error = this.acceptHandshake(this.raw as TLSSocket);
        if (error) return fail(error);
        cleanup();
        this.state = 'tls';
        resolve();
      };
      const onError = (error: Error): void => {
        fail(this.describe(error, tcpConnected && this.options.tls === 'implicit' ? 'handshake' : 'connect'));
      };
      const onClose = (): void => {
        const message = tcpConnected
          ? `Connection closed by ${endpoint} during the TLS handshake`
          : `Connection to ${endpoint} closed before it was established`;
        fail(this.lastError ?? new TransportError(message, tcpConnected ? 'tls-handshake' : 'closed'));
      };
      this.raw.on('connect', onConnect);
      this.raw.on('secureConnect', onSecure);
      this.raw.on('error', onError);
      this.raw.on('close', onClose);
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    const refused = this.writeRefusal();
    if (refused) return Promise.reject(refused);
    this.outCount += bytes.length;
    const socket = this.active;
    return new Promise<void>((resolve, reject) => {
      socket.write(bytes, (error?: Error | null) => {
        if (error) reject(this.lastError ?? this.describe(error, 'open'));
        else resolve();
      });
    });
  }

  send(bytes: Uint8Array, onError: (error: TransportError) => void): void {
    const refused = this.writeRefusal();
    if (refused) {
      queueMicrotask(() => onError(refused));
      return;
    }
    this.outCount += bytes.length;
    this.sendFailed = onError;
    this.active.write(bytes, this.afterSend);
  }

  /** Why a write cannot happen now, or undefined when it can. */
  private writeRefusal(): TransportError | undefined {
    if (this.state === 'closed' || this.closeRequested) {
      return new TransportError(`Connection to ${formatEndpoint(this.options)} is closed`, 'closed');
    }
    if (this.state === 'upgrading' || this.state === 'connecting') {
      const what = this.state === 'upgrading' ? 'TLS upgrade' : 'connection';
      return new TransportError(`Cannot write while the ${what} is in progress`, 'other');
    }
    return undefined;
  }

  /** One callback for every send (a closure per write would be garbage per command). */
  private readonly afterSend = (error?: Error | null): void => {
    if (error) this.sendFailed?.(this.lastError ?? this.describe(error, 'open'));
  };

  startTls(): Promise<{ info: TlsInfo; discarded: Uint8Array }> {
    if (this.state !== 'plain') {
      const why = this.state === 'tls' ? 'TLS is already on' : `the connection is ${this.state}`;
      return Promise.reject(
        new TransportError(`Cannot start TLS: ${why}`, this.state === 'closed' ? 'closed' : 'other'),
      );
    }
    let options: ConnectionOptions;
    try {
      options = this.tlsOptions();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return Promise.reject(new TransportError(`Cannot start TLS: ${reason}`, 'other'));
    }
    this.state = 'upgrading';
    const raw = this.raw;
    const discarded: Buffer[] = [];
    let beforeTls = true;
    const bridge = new Duplex({
      read: () => {
        raw.resume();
      },
      write: (chunk: Buffer, _encoding, callback) => {
        raw.write(chunk, (error?: Error | null) => callback(error ?? null));
      },
      final: (callback) => {
        raw.end();
        callback();
      },
      destroy: (error, callback) => {
        raw.destroy();
        callback(error);
      },
    });
    let discardedBytes = 0;
    let failUpgrade: ((error: TransportError) => void) | undefined;
    const discard = (bytes: Buffer): void => {
      discarded.push(bytes);
      discardedBytes += bytes.length;
      if (discardedBytes > LIMITS.starttlsMaxDiscardedBytes) {
        // A server that keeps talking plaintext is not starting TLS; don't buffer it forever.
        failUpgrade?.(
          new TransportError(
            limitMessage(
              'plaintext sent by the server after accepting STARTTLS',
              'starttlsMaxDiscardedBytes',
            ),
            'tls-handshake',
          ),
        );
      }
    };
    this.rawSink = (chunk) => {
      let rest = chunk;
      if (beforeTls) {
        const start = tlsRecordStart(chunk);
        if (start === -1) {
          discard(chunk);
          return;
        }
        if (start > 0) discard(chunk.subarray(0, start));
        rest = chunk.subarray(start);
        beforeTls = false;
      }
      if (!bridge.push(rest)) raw.pause();
    };
    // Failures surface on the raw socket and on the TLS socket; the bridge must not emit unheard.
    bridge.on('error', () => undefined);
    raw.on('end', () => bridge.push(null));
    const secure = tlsConnect({ socket: bridge, ...options });

    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        fail(
          new TransportError(
            `TLS handshake with ${formatEndpoint(this.options)} timed out after ${formatSeconds(this.timeoutMs)}`,
            'timeout',
          ),
        );
      }, this.timeoutMs);
      const fail = (error: TransportError): void => {
        failUpgrade = undefined;
        clearTimeout(timer);
        this.lastError ??= error;
        secure.destroy();
        raw.destroy();
        reject(error);
      };
      failUpgrade = fail;
      secure.on('error', (error: Error) => {
        const mapped = this.describe(error, this.state === 'upgrading' ? 'handshake' : 'open');
        if (this.state === 'upgrading') fail(mapped);
        else this.lastError ??= mapped;
      });
      secure.on('close', () => {
        if (this.state === 'upgrading') {
          fail(
            new TransportError(
              `Connection closed by ${formatEndpoint(this.options)} during the TLS handshake`,
              'tls-handshake',
            ),
          );
        }
      });
      secure.once('secureConnect', () => {
        const error = this.acceptHandshake(secure);
        if (error) return fail(error);
        clearTimeout(timer);
        this.state = 'tls';
        this.active = secure;
        secure.on('data', (chunk: Buffer) => this.deliver(chunk));
        const info = this.tlsInfo;
        if (!info)
          return fail(new TransportError('TLS handshake finished without TLS details', 'tls-handshake'));
        resolve({ info, discarded: new Uint8Array(Buffer.concat(discarded)) });
      });
    });
  }

  close(): void {
    if (this.closeRequested || this.state === 'closed') return;
    this.closeRequested = true;
    this.active.end();
    this.destroyTimer = setTimeout(() => this.raw.destroy(), CLOSE_GRACE_MS);
    this.destroyTimer.unref();
  }

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    (this.listeners[event] as Array<TransportEvents[E]>).push(listener);
    if (event === 'data' && this.pendingData.length > 0) {
      const queued = this.pendingData.splice(0);
      queueMicrotask(() => queued.forEach((chunk) => this.deliver(chunk)));
    }
    if (event === 'close' && this.closeEmitted) {
      // Late listener: it still hears about the close, exactly once.
      const error = this.lastError;
      queueMicrotask(() => this.call(() => (listener as TransportEvents['close'])(error)));
    }
  }

  private tlsOptions(): ConnectionOptions {
    return {
      // SNI carries host names only (RFC 6066 section 3).
      ...(isIP(this.servername) === 0 ? { servername: this.servername } : {}),
      secureContext: clientSecureContext(this.policy.minVersion ?? 'TLSv1.2', this.policy.ca),
      // Verification is done in acceptHandshake, so a failure gets a readable reason and
      // acceptUnverified can let it through.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    };
  }

  /** Verifies the peer and records TlsInfo; returns the error that should abort, if any. */
  private acceptHandshake(socket: TLSSocket): TransportError | undefined {
    const verifyError = verificationError(socket, this.servername);
    const accept = this.policy.acceptUnverified === true;
    if (verifyError !== undefined && !accept) return new TransportError(verifyError, 'tls-certificate');
    this.tlsInfo = {
      protocol: socket.getProtocol() ?? 'unknown',
      cipher: socket.getCipher().standardName,
      chain: peerChain(socket),
      verified: verifyError === undefined,
      ...(verifyError !== undefined ? { verifyError } : {}),
      acceptedUnverified: verifyError !== undefined,
      servername: this.servername,
    };
    return undefined;
  }

  private describe(error: unknown, phase: Phase): TransportError {
    return describeSocketError(error, this.options, phase, this.policy.minVersion ?? 'TLSv1.2');
  }

  private recordError(error: Error, phase: Phase): void {
    // After close() the peer may reset instead of closing gracefully: that is not a failure.
    if (this.closeRequested) return;
    this.lastError ??= this.describe(error, phase);
  }

  private onRawData(chunk: Buffer): void {
    if (this.rawSink) this.rawSink(chunk);
    else this.deliver(chunk);
  }

  private deliver(chunk: Buffer): void {
    if (this.listeners.data.length === 0) {
      this.pendingData.push(chunk);
      return;
    }
    this.inCount += chunk.length;
    // Not through call(): this runs for every chunk, and a closure per chunk and listener adds up.
    for (const listener of this.listeners.data) {
      try {
        listener(chunk);
      } catch (error) {
        this.warnListenerThrew(error);
      }
    }
  }

  private onClosed(): void {
    const wasOpen = this.state !== 'connecting';
    this.state = 'closed';
    if (this.destroyTimer) clearTimeout(this.destroyTimer);
    if (!wasOpen || this.closeEmitted) return;
    this.closeEmitted = true;
    const error = this.lastError;
    for (const listener of this.listeners.close) this.call(() => listener(error));
  }

  /** Listeners must never break the transport: a throw becomes a process warning. */
  private call(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.warnListenerThrew(error);
    }
  }

  private warnListenerThrew(error: unknown): void {
    process.emitWarning(
      `Mailwire transport listener threw: ${error instanceof Error ? error.message : String(error)}`,
      'MailwireTransportWarning',
    );
  }
}
