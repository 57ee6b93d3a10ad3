// Shared pieces of the hostile-server tests: a line-answering script and session bookkeeping.
import {
  startHostileServer,
  type HostileConnection,
  type HostileServer,
} from '../../helpers/hostile-server.js';
import { getTestCertificates } from '../../helpers/tls-certs.js';
import { openSession } from '../../../src/session/open.js';
import type { MailSession } from '../../../src/session/session.js';
import type { SessionTimeouts } from '../../../src/session/session.js';

/** What to do with a client line: return bytes to send, or act on the connection yourself. */
export type Answer = (tag: string, c: HostileConnection, line: string) => Promise<string | void> | string;

/** A server that greets, then answers each client line with the first matching rule. */
export function answering(greeting: string, rules: Array<[RegExp, Answer]>): Promise<HostileServer> {
  return startHostileServer(async (c) => {
    await c.send(greeting);
    for (;;) {
      const line = await c.readLine(10_000);
      if (line === undefined) return;
      const rule = rules.find(([re]) => re.test(line));
      if (!rule) continue;
      const tag = /^(\S+) /.exec(line)?.[1] ?? '';
      const out = await rule[1](tag, c, line);
      if (typeof out === 'string') await c.send(out);
    }
  });
}

export interface Tracked {
  readonly sessions: MailSession[];
  readonly servers: HostileServer[];
}

export function tracker(): Tracked & { cleanup: () => Promise<void> } {
  const sessions: MailSession[] = [];
  const servers: HostileServer[] = [];
  return {
    sessions,
    servers,
    cleanup: async () => {
      for (const s of sessions.splice(0)) {
        s.close();
        s.transcript.dispose();
      }
      for (const s of servers.splice(0)) await s.close();
    },
  };
}

export async function openTracked(
  t: Tracked,
  server: HostileServer,
  scheme: string,
  query = '',
  timeouts: SessionTimeouts = { greetingMs: 5_000, replyMs: 5_000 },
): Promise<MailSession> {
  if (!t.servers.includes(server)) t.servers.push(server);
  const certs = await getTestCertificates();
  const session = await openSession({ url: server.url(scheme, query), ca: [certs.ca], timeouts });
  t.sessions.push(session);
  return session;
}
