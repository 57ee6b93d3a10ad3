// A tiny raw line client for driving the sandbox servers in tests: send a line, read replies.
import net from 'node:net';
import tls from 'node:tls';

export class LineClient {
  private buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(public socket: net.Socket) {
    this.listen(socket);
  }

  static connect(port: number, options: { tls?: boolean } = {}): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = options.tls
        ? tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false })
        : net.connect({ port, host: '127.0.0.1' });
      socket.once(options.tls ? 'secureConnect' : 'connect', () => resolve(new LineClient(socket)));
      socket.once('error', reject);
    });
  }

  private listen(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async waitFor<T>(take: () => T | undefined, what: string): Promise<T> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const value = take();
      if (value !== undefined) return value;
      if (this.closed)
        throw new Error(
          `connection closed while waiting for ${what}; got ${JSON.stringify(this.buffer.toString('latin1'))}`,
        );
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next line, without CRLF. */
  line(): Promise<string> {
    return this.waitFor(() => {
      const i = this.buffer.indexOf('\r\n');
      if (i === -1) return undefined;
      const line = this.buffer.subarray(0, i).toString('latin1');
      this.buffer = this.buffer.subarray(i + 2);
      return line;
    }, 'a line');
  }

  /** Bytes up to and including the `.` terminator line of a POP3 multi-line body. */
  multiline(): Promise<string> {
    return this.waitFor(() => {
      const text = this.buffer.toString('latin1');
      const end = text.startsWith('.\r\n') ? 0 : text.indexOf('\r\n.\r\n');
      if (end === -1) return undefined;
      const stop = end === 0 ? 3 : end + 5;
      this.buffer = this.buffer.subarray(stop);
      return text.slice(0, stop);
    }, 'a multi-line body');
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  async command(line: string): Promise<string> {
    this.send(line + '\r\n');
    return this.line();
  }

  /** Waits until the server closes the connection. */
  async closedByServer(): Promise<void> {
    await this.waitFor(() => (this.closed ? true : undefined), 'the server to close');
  }

  /** Upgrades to TLS in place (STLS/STARTTLS). */
  async startTls(): Promise<void> {
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('close');
    const secure = tls.connect({ socket: this.socket, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    this.socket = secure;
    this.listen(secure);
  }

  close(): void {
    this.socket.destroy();
  }
}
