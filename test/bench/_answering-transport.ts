// An in-memory transport that answers every line it is sent the way the sandbox answers a NOOP,
// in the next microtask, for benchmarks of a session's own cost (no network, no server).
import { MemoryTransport, openMemorySession } from '../helpers/memory-transport.js';
import type { MailSession } from '../../src/session/session.js';

export class AnsweringTransport extends MemoryTransport {
  constructor(private readonly answer: (line: string) => string) {
    super();
  }

  override write(bytes: Uint8Array): Promise<void> {
    const reply = this.answer(Buffer.from(bytes).toString('latin1'));
    queueMicrotask(() => this.serverSends(reply));
    return Promise.resolve();
  }
}

export type NoopProtocol = 'imap' | 'pop3';

/**
 * A session whose every NOOP is answered OK, greeted and ready. It knows a password, as every
 * logged-in session does: each line it writes is then searched for it before it is recorded.
 */
export async function answeringSession(protocol: NoopProtocol): Promise<MailSession> {
  const transport = new AnsweringTransport((sent) =>
    protocol === 'imap' ? `${sent.slice(0, sent.indexOf(' '))} OK NOOP completed\r\n` : '+OK\r\n',
  );
  const { session } = await openMemorySession(protocol, transport);
  transport.serverSends(protocol === 'imap' ? '* OK ready\r\n' : '+OK ready\r\n');
  session.addSecrets(['alice-password']);
  return session;
}

/** The i-th NOOP line (IMAP tags repeat every 1,000 so lines stay the same length). */
export function noopLine(protocol: NoopProtocol, i: number): string {
  return protocol === 'imap' ? `n${i % 1000} NOOP` : 'NOOP';
}
