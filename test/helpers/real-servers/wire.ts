// A raw socket client for talking to the real servers byte for byte: write exactly what a test
// says, read until a pattern, and keep every chunk in both directions (for recorded dialogues).
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

export interface WireChunk {
  readonly dir: 'C' | 'S';
  readonly bytes: Buffer;
}

export interface WireOptions {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS with this CA (PEM) trusted. */
  readonly tlsCa?: string;
  /** Milliseconds to wait for any single read. Default 5000. */
  readonly timeoutMs?: number;
}

export class Wire {
  /** Every chunk sent and received, in order; only while the connection is plaintext or `recordTls`. */
  readonly chunks: WireChunk[] = [];
  private socket: Socket | TLSSocket;
  private received = Buffer.alloc(0);
  private consumed = 0;
  private closed = false;
  private error: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly timeoutMs: number;
  private recording = true;

  private constructor(socket: Socket | TLSSocket, timeoutMs: number) {
    this.socket = socket;
    this.timeoutMs = timeoutMs;
    this.attach(socket);
  }

  static async open(options: WireOptions): Promise<Wire> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const socket = await new Promise<Socket | TLSSocket>((resolve, reject) => {
      const s = options.tlsCa
        ? tlsConnect({
            host: options.host,
            port: options.port,
            ca: [options.tlsCa],
            servername: 'mx.example.test',
          })
        : netConnect({ host: options.host, port: options.port });
      s.once(options.tlsCa ? 'secureConnect' : 'connect', () => resolve(s));
      s.once('error', (err: Error) =>
        reject(new Error(`cannot connect to ${options.host}:${options.port}: ${err.message}`)),
      );
    });
    return new Wire(socket, timeoutMs);
  }

  get isTls(): boolean {
    return 'encrypted' in this.socket;
  }

  /** The TLS socket after an implicit-TLS open or `startTls`. */
  get tlsSocket(): TLSSocket | undefined {
    return 'encrypted' in this.socket ? this.socket : undefined;
  }

  private attach(socket: Socket | TLSSocket): void {
    socket.on('data', (chunk: Buffer) => {
      if (this.recording) this.chunks.push({ dir: 'S', bytes: Buffer.from(chunk) });
      this.received = Buffer.concat([this.received, chunk]);
      this.wake?.();
    });
    socket.on('error', (err: Error) => {
      this.error = err;
      this.wake?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
  }

  /** Sends text (latin1, so every byte is exact) or bytes, as one chunk. */
  async send(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
    if (this.recording) this.chunks.push({ dir: 'C', bytes });
    await new Promise<void>((resolve, reject) =>
      this.socket.write(bytes, (err) => (err ? reject(err) : resolve())),
    );
  }

  /**
   * Waits until the unread bytes (as latin1 text) match `pattern`, then returns them up to the
   * end of the match and marks them read.
   */
  async readUntil(pattern: RegExp, timeoutMs = this.timeoutMs): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.received.subarray(this.consumed).toString('latin1');
      const match = pattern.exec(text);
      if (match) {
        const end = match.index + match[0].length;
        this.consumed += end;
        return text.slice(0, end);
      }
      if (this.error)
        throw new Error(
          `connection failed while waiting for ${pattern}: ${this.error.message}; unread: ${JSON.stringify(text)}`,
        );
      if (this.closed)
        throw new Error(`connection closed while waiting for ${pattern}; unread: ${JSON.stringify(text)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${pattern} within ${timeoutMs} ms; unread: ${JSON.stringify(text)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
      });
    }
  }

  /** Reads one CRLF-terminated line. */
  readLine(timeoutMs?: number): Promise<string> {
    return this.readUntil(/\r\n/, timeoutMs);
  }

  /** Sends a line (CRLF added) and reads until `until`. */
  async command(line: string, until: RegExp, timeoutMs?: number): Promise<string> {
    await this.send(`${line}\r\n`);
    return this.readUntil(until, timeoutMs);
  }

  /**
   * Upgrades to TLS after a server said yes to STARTTLS/STLS. Recording stops here unless asked:
   * recorded dialogues hold the plaintext parts only.
   */
  async startTls(ca: string, keepRecording = false): Promise<TLSSocket> {
    if (this.received.length > this.consumed) {
      throw new Error(
        `unread plaintext before TLS: ${JSON.stringify(this.received.subarray(this.consumed).toString('latin1'))}`,
      );
    }
    this.recording = keepRecording;
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    const secure = await new Promise<TLSSocket>((resolve, reject) => {
      const s = tlsConnect({ socket: plain, ca: [ca], servername: 'mx.example.test' });
      s.once('secureConnect', () => resolve(s));
      s.once('error', (err: Error) => reject(new Error(`TLS handshake failed: ${err.message}`)));
    });
    this.received = Buffer.alloc(0);
    this.consumed = 0;
    this.socket = secure;
    this.attach(secure);
    return secure;
  }

  /** Waits for the server to close (after QUIT/LOGOUT), then makes sure the socket is gone. */
  async waitClosed(timeoutMs = this.timeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.wake = () => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
      });
    }
    this.close();
  }

  close(): void {
    this.socket.destroy();
  }
}
