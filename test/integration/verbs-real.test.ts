// The palette verbs against real Dovecot and Postfix on loopback: login after connect over
// STARTTLS, the IMAP verbs a user clicks through (incl. IDLE seeing another session's APPEND),
// POP3 keep versus delete, and Send Test Message through Postfix into Dovecot. Fails, never
// skips, when the servers can't start.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRealServers, type RealServers } from '../helpers/real-servers/index.js';
import { openSession } from '../../src/session/open.js';
import type { MailSession } from '../../src/session/session.js';
import { secretForms } from '../../src/transcript/redact.js';
import { verbStateKey } from '../../src/verbs/catalog.js';
import { autoLogin } from '../../src/verbs/login.js';
import { clientLines, runVerb } from '../helpers/verbs.js';

let servers: RealServers;
const sessions: MailSession[] = [];

before(async () => {
  servers = await startRealServers();
});
after(async () => {
  for (const s of sessions) {
    s.close();
    s.transcript.dispose();
  }
  await servers?.stop();
});

async function open(scheme: string, port: number, query = '?tls=starttls'): Promise<MailSession> {
  const session = await openSession({
    url: `${scheme}://127.0.0.1:${port}${query}`,
    ca: [servers.caCertPem],
    timeouts: { greetingMs: 10_000, replyMs: 10_000 },
  });
  sessions.push(session);
  assert.equal(session.status, 'open', session.closedBecause);
  assert.equal(session.tls?.verified, true);
  return session;
}

function assertNoSecret(session: MailSession, password: string): void {
  const text = session.transcript.render() + session.transcript.bytesOf('C').toString('latin1');
  for (const form of secretForms(password))
    assert.ok(!text.includes(form), 'the transcript leaks a form of the password');
}

const alice = () => servers.users[0]!;
const bob = () => servers.users[1]!;

const message = (subject: string) =>
  Buffer.from(
    `From: <${alice().address}>\r\nTo: <${alice().address}>\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@example.test>\r\n\r\nbody of ${subject}\r\n`,
  );

describe('IMAP verbs against Dovecot', () => {
  test('login, create, append, select, fetch, open, store, search, move, expunge, and IDLE sees a second session', async () => {
    const session = await open('imap', servers.imap.port);
    const login = await autoLogin(session, alice().username, alice().password, 'client.test');
    assert.ok(login.ok, login.text);
    assert.equal(session.state, 'authenticated');
    assert.equal((await runVerb(session, 'imap.namespace')).result.outcome, 'ok');
    assert.equal((await runVerb(session, 'imap.id', { fields: 'name=Mailwire' })).result.outcome, 'ok');
    assert.equal((await runVerb(session, 'imap.enable', { capabilities: 'CONDSTORE' })).result.outcome, 'ok');
    assert.equal((await runVerb(session, 'imap.create', { mailbox: 'Archive' })).result.outcome, 'ok');
    assert.equal((await runVerb(session, 'imap.subscribe', { mailbox: 'Archive' })).result.outcome, 'ok');
    assert.equal((await runVerb(session, 'imap.lsub', { reference: '', pattern: '*' })).result.outcome, 'ok');
    const first = message('verbs-one');
    assert.equal(
      (await runVerb(session, 'imap.append', { mailbox: 'INBOX', flags: '' }, { files: { file: first } }))
        .result.outcome,
      'ok',
    );
    const status = await runVerb(session, 'imap.status', { mailbox: 'INBOX', items: '(MESSAGES UIDNEXT)' });
    assert.equal(status.result.outcome, 'ok');
    assert.equal((await runVerb(session, 'imap.select', { mailbox: 'INBOX' })).result.outcome, 'ok');
    const fetch = await runVerb(session, 'imap.fetch', {
      set: '1:*',
      items: '(UID FLAGS RFC822.SIZE ENVELOPE)',
      uid: 'false',
    });
    assert.equal(fetch.result.outcome, 'ok');
    const opened = await runVerb(session, 'imap.openMessage', { set: '1', uid: 'false' });
    assert.ok(opened.message, opened.result.text);
    assert.deepEqual(Buffer.from(opened.message.bytes), first, 'Dovecot gives back the appended bytes');

    // IDLE: a second session's APPEND shows up as EXISTS while the first is idling.
    const idle = await runVerb(session, 'imap.idle');
    assert.equal(idle.result.outcome, 'ok', idle.result.text);
    assert.equal(verbStateKey(session), 'imap:idle');
    const exists = new Promise<number>((resolve) => {
      const off = session.events.on('protocol', (e) => {
        const r = (e as { response?: { kind?: string; number?: number } }).response;
        if (r?.kind === 'exists' && (r.number ?? 0) >= 2) {
          off();
          resolve(r.number ?? 0);
        }
      });
    });
    const other = await open('imap', servers.imap.port);
    assert.ok((await autoLogin(other, alice().username, alice().password, 'client.test')).ok);
    assert.equal(
      (
        await runVerb(
          other,
          'imap.append',
          { mailbox: 'INBOX', flags: '\\Seen' },
          { files: { file: message('verbs-two') } },
        )
      ).result.outcome,
      'ok',
    );
    assert.equal(await exists, 2);
    assert.equal((await runVerb(session, 'imap.done')).result.outcome, 'ok');
    assert.equal(verbStateKey(session), 'imap:selected');

    assert.equal(
      (
        await runVerb(session, 'imap.storeFlags', {
          set: '1',
          operation: '+FLAGS',
          flags: '\\Flagged',
          uid: 'false',
        })
      ).result.outcome,
      'ok',
    );
    const search = await runVerb(session, 'imap.search', { criteria: 'FLAGGED', uid: 'false' });
    assert.ok(
      search.result.events.some((e) =>
        (e as { response?: { kind?: string; numbers?: number[] } }).response?.numbers?.includes(1),
      ),
    );
    assert.equal(
      (await runVerb(session, 'imap.move', { set: '2', mailbox: 'Archive', uid: 'false' })).result.outcome,
      'ok',
    );
    assert.equal(
      (
        await runVerb(session, 'imap.storeFlags', {
          set: '1',
          operation: '+FLAGS.SILENT',
          flags: '\\Deleted',
          uid: 'false',
        })
      ).result.outcome,
      'ok',
    );
    const expunge = await runVerb(session, 'imap.expunge');
    assert.ok(
      expunge.result.events.some((e) => (e as { response?: { kind?: string } }).response?.kind === 'expunge'),
    );
    assert.equal((await runVerb(session, 'imap.unselect')).result.outcome, 'ok');
    assert.equal((await runVerb(session, 'imap.examine', { mailbox: 'Archive' })).result.outcome, 'ok');
    assert.equal((await runVerb(session, 'imap.close')).result.outcome, 'ok');
    assert.equal((await runVerb(session, 'imap.logout')).result.outcome, 'ok');
    const lines = clientLines(session);
    for (const pattern of [
      / MOVE 2 Archive$/,
      /^DONE$/,
      / STORE 1 \+FLAGS\.SILENT \(\\Deleted\)$/,
      / EXAMINE Archive$/,
      / ENABLE CONDSTORE$/,
    ])
      assert.ok(
        lines.some((l) => pattern.test(l)),
        `${pattern} in\n${lines.join('\n')}`,
      );
    assertNoSecret(session, alice().password);
  });
});

describe('POP3 verbs against Dovecot', () => {
  test('keep versus delete: RETR keeps, DELE + QUIT deletes, RSET undoes', async () => {
    const imap = await open('imap', servers.imap.port);
    assert.ok((await autoLogin(imap, bob().username, bob().password, 'client.test')).ok);
    for (const s of ['pop-one', 'pop-two'])
      assert.equal(
        (await runVerb(imap, 'imap.append', { mailbox: 'INBOX', flags: '' }, { files: { file: message(s) } }))
          .result.outcome,
        'ok',
      );
    await runVerb(imap, 'imap.logout');

    const pop = await open('pop3', servers.pop3.port);
    const login = await autoLogin(pop, bob().username, bob().password, 'client.test');
    assert.ok(login.ok, login.text);
    assert.equal((await runVerb(pop, 'pop3.capa')).result.outcome, 'ok');
    const retr = await runVerb(pop, 'pop3.retr', { message: '1' });
    assert.ok(retr.message);
    assert.deepEqual(Buffer.from(retr.message.bytes), message('pop-one'));
    const top = await runVerb(pop, 'pop3.top', { message: '2', lines: '0' });
    assert.ok(top.message);
    assert.match(Buffer.from(top.message.bytes).toString(), /^Subject: pop-two\r$/m);
    assert.equal((await runVerb(pop, 'pop3.dele', { message: '1' })).result.outcome, 'ok');
    assert.equal((await runVerb(pop, 'pop3.rset')).result.outcome, 'ok');
    assert.equal((await runVerb(pop, 'pop3.dele', { message: '2' })).result.outcome, 'ok');
    assert.equal((await runVerb(pop, 'pop3.quit')).result.outcome, 'ok');
    assert.equal(servers.inboxCount(bob()), 1, 'QUIT deleted only the message still marked');
    assertNoSecret(pop, bob().password);
  });
});

describe('SMTP verbs against Postfix', () => {
  test('STARTTLS, AUTH after connect, Send Test Message delivered into Dovecot, a refused recipient reported', async () => {
    const before = servers.inboxCount(bob());
    const smtp = await open('smtp', servers.smtp.port);
    const login = await autoLogin(smtp, alice().username, alice().password, 'client.test');
    assert.ok(login.ok, login.text);
    assert.match(login.method ?? '', /^AUTH /);
    const sent = await runVerb(smtp, 'smtp.sendTestMessage', {
      from: alice().address,
      to: `${bob().address}, nobody@example.test`,
      subject: 'hello from the palette',
    });
    assert.equal(sent.result.outcome, 'ok', sent.result.text);
    assert.match(sent.notice ?? '', /accepted for 1 of 2 recipients/);
    assert.ok(
      sent.steps?.some((s) => s.outcome === 'failed'),
      'the unknown recipient was refused',
    );
    await servers.waitForDelivery(bob(), before + 1);
    assert.equal((await runVerb(smtp, 'smtp.quit')).result.outcome, 'ok');
    assertNoSecret(smtp, alice().password);
  });
});
