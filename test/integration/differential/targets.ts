// The two servers a differential conversation runs against, described the same way: where they
// listen, which CA to trust, and who may log in. Conversations open sessions through `open`, which
// remembers them so the test file can close every one of them in its `after` hook.
import { openSession } from '../../../src/session/open.js';
import type { MailSession } from '../../../src/session/session.js';

export interface Account {
  readonly username: string;
  readonly password: string;
  readonly address: string;
}

export interface Target {
  /** `sandbox` or `real`, for assertion messages. */
  readonly name: string;
  readonly host: string;
  readonly ports: { readonly imap: number; readonly pop3: number; readonly smtp: number };
  readonly ca: string;
  readonly alice: Account;
  readonly bob: Account;
}

const opened: MailSession[] = [];

export async function open(target: Target, protocol: 'imap' | 'pop3' | 'smtp'): Promise<MailSession> {
  const session = await openSession({
    url: `${protocol}://${target.host}:${target.ports[protocol]}`,
    ca: [target.ca],
    timeouts: { greetingMs: 10_000, replyMs: 10_000 },
  });
  opened.push(session);
  if (session.status !== 'open')
    throw new Error(
      `${target.name} ${protocol}: session did not open (${session.closedBecause ?? 'no reason'})`,
    );
  return session;
}

/** Closes every session `open` made (idempotent). */
export function closeAll(): void {
  for (const s of opened.splice(0)) {
    s.close();
    s.transcript.dispose();
  }
}
