// Test helpers: a store with two users, a server on 127.0.0.1 port 0, and a raw line client.

import { once } from 'node:events';
import { connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { createImapServer, type ImapServerOptions } from '../../../../src/sandbox/imap/server.js';
import { createMemoryStore } from '../../../../src/sandbox/store/memory-store.js';
import type { MailStore, SandboxUser } from '../../../../src/sandbox/store/types.js';

export const USERS: SandboxUser[] = [
  { username: 'alice', password: 'alice-pw', addresses: ['alice@example.test'] },
  { username: 'bob', password: 'bob-pw', addresses: ['bob@example.test'] },
];

export interface Running {
  store: MailStore;
  server: Server;
  port: number;
  stop(): Promise<void>;
}

export async function startServer(options: ImapServerOptions = {}, store?: MailStore): Promise<Running> {
  const s = store ?? createMemoryStore({ users: USERS });
  const server = createImapServer(s, options);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    store: s,
    server,
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A raw client: sends lines, collects everything the server says. */
export class RawClient {
  private data = '';
  private waiters: Array<() => void> = [];
  private tagCounter = 0;
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.data += chunk;
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('error', () => undefined);
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const client = new RawClient(socket);
    await client.waitFor(/^\* OK .*\r\n/m);
    client.take();
    return client;
  }

  /** Waits until the buffered text matches, and returns the buffer (without consuming it). */
  async waitFor(re: RegExp, timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!re.test(this.data)) {
      if (this.closed) throw new Error(`connection closed while waiting for ${re}; got:\n${this.data}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${re}; got:\n${this.data}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.data;
  }

  take(): string {
    const d = this.data;
    this.data = '';
    return d;
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Sends `tag command` and returns everything up to and including the tagged reply. */
  async command(command: string): Promise<string> {
    const tag = `t${++this.tagCounter}`;
    this.send(`${tag} ${command}\r\n`);
    return this.tagged(tag);
  }

  async tagged(tag: string): Promise<string> {
    await this.waitFor(new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)[^\\r\\n]*\\r\\n`));
    return this.take();
  }

  async login(user = 'alice', pass = 'alice-pw'): Promise<void> {
    const r = await this.command(`LOGIN ${user} ${pass}`);
    if (!/ OK /.test(r)) throw new Error(`login failed: ${r}`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.socket.end();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([once(this.socket, 'close'), new Promise((r) => (timer = setTimeout(r, 1000)))]);
    clearTimeout(timer);
    this.socket.destroy();
  }
}

export function message(
  opts: { subject?: string; from?: string; to?: string; body?: string; extra?: string } = {},
): Buffer {
  return Buffer.from(
    `From: ${opts.from ?? 'Sender <sender@example.test>'}\r\n` +
      `To: ${opts.to ?? 'alice@example.test'}\r\n` +
      `Subject: ${opts.subject ?? 'hello'}\r\n` +
      'Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n' +
      'Message-ID: <m1@example.test>\r\n' +
      (opts.extra ?? '') +
      '\r\n' +
      (opts.body ?? 'Hello there\r\n'),
  );
}
