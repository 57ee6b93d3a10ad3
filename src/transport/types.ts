// The transport moves bytes between a socket and a codec. It is the only layer (with the sandbox
// servers) that imports `net` and `tls`. It knows nothing about mail protocols.

export type TlsMode = 'none' | 'implicit' | 'starttls';

export interface TlsPolicy {
  /**
   * Accept a certificate that does not verify (self-signed, expired, wrong host). An explicit,
   * per-connection choice; the transcript records it. Default false.
   */
  readonly acceptUnverified?: boolean;
  /** Lowest TLS version allowed. Default `TLSv1.2`: TLS 1.0 and 1.1 are refused. */
  readonly minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  /** Extra trusted CA certificates (PEM), added to the system store. */
  readonly ca?: readonly string[];
  /** Server name for SNI and host name verification; defaults to the host connected to. */
  readonly servername?: string;
}

export interface TransportOptions {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS starts with a handshake; `starttls` and `none` start in plaintext. */
  readonly tls: TlsMode;
  readonly tlsPolicy?: TlsPolicy;
  /** Milliseconds to wait for the TCP connection (and the implicit TLS handshake). Default 15000. */
  readonly connectTimeoutMs?: number;
}

export interface CertificateInfo {
  readonly subject: string;
  readonly issuer: string;
  /** DNS names and IP addresses from subjectAltName. */
  readonly subjectAltNames: readonly string[];
  readonly validFrom: string;
  readonly validTo: string;
  /** SHA-256 fingerprint, colon-separated upper-case hex. */
  readonly fingerprint256: string;
}

export interface TlsInfo {
  /** e.g. `TLSv1.3`. */
  readonly protocol: string;
  /** e.g. `TLS_AES_256_GCM_SHA384`. */
  readonly cipher: string;
  /** Peer chain, leaf first. */
  readonly chain: readonly CertificateInfo[];
  readonly verified: boolean;
  /** Why verification failed, in words a user understands, when `verified` is false. */
  readonly verifyError?: string;
  /** True when the certificate did not verify and the user chose to accept it anyway. */
  readonly acceptedUnverified: boolean;
  readonly servername: string;
}

export interface TransportEvents {
  /** Bytes from the peer, in order. */
  data(chunk: Uint8Array): void;
  /** The connection ended; `error` is a readable reason when it was not a clean close. */
  close(error?: TransportError): void;
}

export interface Transport {
  /** TLS details once a handshake is done (implicit TLS or after `startTls`). */
  readonly tls: TlsInfo | undefined;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Writes bytes; resolves when they are flushed to the kernel (backpressure). */
  write(bytes: Uint8Array): Promise<void>;
  /**
   * Writes bytes without waiting: a failure goes to `onError`, later, never from this call.
   * The same as write() without the two promises per call, for a session's every command.
   */
  send(bytes: Uint8Array, onError: (error: TransportError) => void): void;
  /**
   * Upgrades the plaintext connection to TLS (STARTTLS). Bytes that arrive after this call and
   * before the handshake completes are never delivered as data; they are returned so the caller
   * can report them as a possible injection.
   */
  startTls(): Promise<{ info: TlsInfo; discarded: Uint8Array }>;
  /** Closes the connection (graceful end, then destroy after a short grace period). */
  close(): void;
  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void;
}

/** A readable, specific reason, e.g. `Connection refused by 127.0.0.1:1143`. */
export class TransportError extends Error {
  constructor(
    message: string,
    /** Machine-readable kind for tests and UI decisions. */
    readonly kind:
      | 'refused'
      | 'timeout'
      | 'dns'
      | 'reset'
      | 'tls-certificate'
      | 'tls-handshake'
      | 'tls-version'
      | 'closed'
      | 'other',
  ) {
    super(message);
    this.name = 'TransportError';
  }
}
