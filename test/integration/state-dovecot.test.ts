// The state model against a real Dovecot: one session idles while a second one appends, flags and
// expunges; the idling session's model must follow (EXISTS, unsolicited FETCH, EXPUNGE renumbering)
// and end with the same table a fresh FETCH from the other session reports. Also POP3 DELE/RSET.
// Fails, never skips, when the servers cannot start.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRealServers, type RealServers } from '../helpers/real-servers/index.js';
import { imapCodec, openSession } from '../../src/session/open.js';
import type { AnyEvent, CommandResult, MailSession } from '../../src/session/session.js';
import type { UntaggedResponse } from '../../src/protocol/imap/response.js';
import {
  SessionStateModel,
  type SessionStateSnapshot,
  type SelectedMailboxSnapshot,
} from '../../src/state/index.js';

let servers: RealServers;
const sessions: MailSession[] = [];
const models: SessionStateModel[] = [];

before(async () => {
  servers = await startRealServers();
});
after(async () => {
  for (const m of models) m.dispose();
  for (const s of sessions) {
    s.close();
    s.transcript.dispose();
  }
  await servers?.stop();
});

async function open(scheme: 'imap' | 'pop3', port: number): Promise<MailSession> {
  const session = await openSession({
    url: `${scheme}://127.0.0.1:${port}?tls=starttls`,
    ca: [servers.caCertPem],
    timeouts: { greetingMs: 10_000, replyMs: 10_000 },
  });
  sessions.push(session);
  assert.equal(session.status, 'open', session.closedBecause);
  return session;
}

function ok(r: CommandResult): CommandResult {
  assert.equal(r.outcome, 'ok', `${r.command?.verb ?? '?'}: ${r.text}`);
  return r;
}

/** Resolves when the model's snapshot satisfies `check`; rejects with the last snapshot after 10 s. */
function waitFor(
  model: SessionStateModel,
  what: string,
  check: (s: SessionStateSnapshot) => boolean,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check(model.snapshot())) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(model.snapshot()).slice(0, 2000)}`));
    }, 10_000);
    const off = model.onChange(() => {
      if (!check(model.snapshot())) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

function selected(s: SessionStateSnapshot): SelectedMailboxSnapshot | undefined {
  return s.protocol === 'imap' ? s.imap.selected : undefined;
}

const message = (subject: string) =>
  `From: Bob <bob@example.test>\r\nTo: alice@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@example.test>\r\n\r\nbody of ${subject}\r\n`;

/** Flags without \Recent, which only one session sees. */
const flagsOf = (flags: readonly string[] | undefined) =>
  (flags ?? []).filter((f) => f !== '\\Recent').sort();

test("IMAP: an idling session follows another session's APPEND, STORE and EXPUNGE", async () => {
  const alice = servers.users[0]!;
  const watcher = await open('imap', servers.imap.port);
  // Attached after STARTTLS, as in the editor: the greeting and capabilities come from the transcript.
  const model = new SessionStateModel(watcher);
  models.push(model);
  const before = model.snapshot();
  assert.ok(
    before.protocol === 'imap' && before.imap.capabilities.includes('IMAP4REV1'),
    'capabilities after STARTTLS',
  );
  assert.equal(before.common.security.tls, true);
  assert.equal(before.common.security.verified, true);
  assert.match(before.common.security.protocol ?? '', /^TLSv1\.[23]$/);
  assert.ok(before.common.security.chain.length >= 1);
  assert.deepEqual(model.saslMechanisms(), ['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256']);

  ok(await watcher.sendRaw(`w1 LOGIN ${alice.username} ${alice.password}`, [alice.password]));
  ok(await watcher.sendRaw('w2 LIST "" "*"'));
  assert.ok(model.mailboxNames().includes('INBOX'));
  ok(await watcher.sendRaw('w3 SELECT INBOX'));
  const start = selected(model.snapshot());
  assert.equal(start?.name, 'INBOX');
  assert.equal(start?.readOnly, false);
  assert.ok(start?.uidValidity !== undefined && start.uidNext !== undefined);
  const initial = start.exists ?? -1;

  const idle = watcher.sendRaw('w4 IDLE');
  await waitFor(model, 'IDLE to start', (s) => s.protocol === 'imap' && s.imap.idling);

  const other = await open('imap', servers.imap.port);
  ok(await other.sendRaw(`o1 LOGIN ${alice.username} ${alice.password}`, [alice.password]));
  const codec = imapCodec(other);
  assert.ok(codec);
  for (const subject of ['state-one', 'state-two', 'state-three']) {
    ok(await other.run(() => codec.command('APPEND', ['INBOX', { literal: message(subject) }])));
  }
  await waitFor(model, 'EXISTS for three appended messages', (s) => selected(s)?.exists === initial + 3);

  watcher.sendRaw('DONE').catch(() => undefined);
  ok(await idle);
  ok(await watcher.sendRaw('w5 FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)'));
  const filled = selected(model.snapshot());
  assert.equal(filled?.messages.length, initial + 3);
  assert.deepEqual(
    filled?.messages.slice(initial).map((m) => m.subject),
    ['state-one', 'state-two', 'state-three'],
  );
  assert.equal(filled?.messages[initial]?.from, 'Bob <bob@example.test>');
  assert.ok((filled?.messages[initial]?.size ?? 0) > 50);

  // The other session flags message 2 and expunges message 1 while the watcher idles.
  const idle2 = watcher.sendRaw('w6 IDLE');
  await waitFor(model, 'the second IDLE', (s) => s.protocol === 'imap' && s.imap.idling);
  ok(await other.sendRaw('o2 SELECT INBOX'));
  const first = initial + 1;
  ok(await other.sendRaw(`o3 STORE ${first + 1} +FLAGS (\\Flagged)`));
  await waitFor(model, 'the unsolicited FETCH with \\Flagged', (s) =>
    (selected(s)?.messages.find((m) => m.seq === first + 1)?.flags ?? []).includes('\\Flagged'),
  );
  const uidOfSecond = selected(model.snapshot())?.messages.find((m) => m.seq === first + 1)?.uid;
  ok(await other.sendRaw(`o4 STORE ${first} +FLAGS (\\Deleted)`));
  ok(await other.sendRaw('o5 EXPUNGE'));
  await waitFor(model, 'EXPUNGE', (s) => selected(s)?.exists === initial + 2);
  const afterExpunge = selected(model.snapshot());
  assert.equal(
    afterExpunge?.messages.find((m) => m.seq === first)?.uid,
    uidOfSecond,
    'the message after the expunged one moved down to its number',
  );
  watcher.sendRaw('DONE').catch(() => undefined);
  ok(await idle2);

  // The watcher's own EXPUNGE of the last message, then: the table equals a fresh FETCH elsewhere.
  ok(await watcher.sendRaw(`w7 STORE ${initial + 2} +FLAGS (\\Deleted)`));
  ok(await watcher.sendRaw('w8 EXPUNGE'));
  ok(await other.sendRaw('o6 NOOP'));
  const fresh = ok(await other.sendRaw('o7 FETCH 1:* (UID FLAGS)'));
  const expected = fresh.events
    .map((e: AnyEvent) => (e as { response?: UntaggedResponse }).response)
    .filter((r): r is Extract<UntaggedResponse, { kind: 'fetch' }> => r?.kind === 'fetch')
    .map((r) => [r.seq, r.data.uid, flagsOf(r.data.flags)]);
  const table = selected(model.snapshot())?.messages.map((m) => [m.seq, m.uid, flagsOf(m.flags)]);
  assert.deepEqual(table, expected);
  assert.equal(model.messageCount(), initial + 1);
  assert.equal(expected.length, initial + 1);

  const snap = model.snapshot();
  assert.ok(!JSON.stringify(snap).includes(alice.password), 'no password in the state');
  const login = snap.common.commands.find((c) => c.line.startsWith('w1 LOGIN'));
  assert.ok(login?.line.includes('<redacted>'), login?.line);
  assert.ok(snap.common.commands.every((c) => c.outcome !== 'pending'));
  assert.ok(
    snap.common.commands.some((c) => c.latencyMs !== undefined),
    'latency per command',
  );
  assert.ok(snap.common.bytesIn > 0 && snap.common.bytesOut > 0);
});

test('POP3: STAT, LIST, UIDL, DELE then RSET against Dovecot; a dropped connection keeps the mail', async () => {
  const alice = servers.users[0]!;
  const imap = await open('imap', servers.imap.port);
  ok(await imap.sendRaw(`p1 LOGIN ${alice.username} ${alice.password}`, [alice.password]));
  const codec = imapCodec(imap);
  assert.ok(codec);
  for (const subject of ['pop-one', 'pop-two'])
    ok(await imap.run(() => codec.command('APPEND', ['INBOX', { literal: message(subject) }])));
  ok(await imap.sendRaw('p2 LOGOUT'));
  const session = await open('pop3', servers.pop3.port);
  const model = new SessionStateModel(session);
  models.push(model);
  assert.deepEqual(
    model.saslMechanisms(),
    ['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256'],
    'CAPA from after STLS, replayed',
  );
  ok(await session.sendRaw(`USER ${alice.username}`));
  ok(await session.sendRaw(`PASS ${alice.password}`, [alice.password]));
  ok(await session.sendRaw('STAT'));
  const count = model.messageCount() ?? 0;
  assert.ok(count >= 2, `two messages were appended: ${count}`);
  ok(await session.sendRaw('LIST'));
  ok(await session.sendRaw('UIDL'));
  ok(await session.sendRaw('DELE 1'));
  assert.deepEqual(model.pop3MessageNumbers().slice(0, 1), [2]);
  ok(await session.sendRaw('STAT'));
  assert.equal(model.messageCount(), count - 1);
  const s = model.snapshot();
  assert.ok(s.protocol === 'pop3');
  assert.equal(s.pop3.stat?.count, count - 1, 'the server leaves the marked message out of STAT');
  assert.ok(s.pop3.messages.every((m) => m.uid !== undefined && m.size !== undefined));
  ok(await session.sendRaw('RSET'));
  assert.equal(model.pop3MessageNumbers().length, count);
  ok(await session.sendRaw('DELE 2'));
  session.close('dropped by the test');
  await new Promise((r) => setImmediate(r));
  const end = model.snapshot();
  assert.ok(end.protocol === 'pop3');
  assert.match(end.pop3.keepOrDelete, /without a successful QUIT.*keeps all messages/);
  assert.equal(servers.inboxCount(alice), count, 'Dovecot kept every message');
});
