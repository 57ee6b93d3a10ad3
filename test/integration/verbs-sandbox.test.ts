// The palette verbs against the built-in sandbox over real sockets: each sends the command a user
// expects (checked in the transcript), moves the session's state, and the ones that bring a
// message give back its exact bytes. The same verbs run against Dovecot and Postfix in
// verbs-real.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox, type SandboxPorts } from '../../src/sandbox/launcher.js';
import { openSession } from '../../src/session/open.js';
import type { MailSession } from '../../src/session/session.js';
import { availability, verbById, verbStateKey } from '../../src/verbs/catalog.js';
import { autoLogin } from '../../src/verbs/login.js';
import { clientLines, runVerb } from '../helpers/verbs.js';

const ZERO: SandboxPorts = { smtp: 0, smtps: 0, pop3: 0, pop3s: 0, imap: 0, imaps: 0 };
let dir: string;
let sandbox: RunningSandbox;
const sessions: MailSession[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailwire-verbs-'));
  sandbox = await startSandbox({ ports: ZERO, certDir: join(dir, 'cert') });
});
after(async () => {
  for (const s of sessions) {
    s.close();
    s.transcript.dispose();
  }
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function open(url: string): Promise<MailSession> {
  const session = await openSession({
    url,
    acceptUnverified: true,
    timeouts: { greetingMs: 5000, replyMs: 5000 },
  });
  sessions.push(session);
  assert.equal(session.status, 'open', session.closedBecause);
  return session;
}

const MESSAGE = Buffer.from(
  'From: <alice@example.test>\r\nTo: <bob@example.test>\r\nSubject: verbs test\r\n' +
    'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello from the verb test.\r\n.leading dot\r\n',
);

describe('IMAP verbs on the sandbox', () => {
  test('login after connect, then list, select, append, fetch, store, search, copy, expunge, idle/done, logout', async () => {
    const session = await open(`imap://127.0.0.1:${sandbox.ports.imap}?tls=starttls`);
    const login = await autoLogin(session, 'alice', 'alice-password', 'client.test');
    assert.ok(login.ok, login.text);
    assert.equal(login.method, 'LOGIN');
    assert.equal(session.state, 'authenticated');
    assert.equal(verbStateKey(session), 'imap:authenticated');

    // FETCH is not valid before a mailbox is selected: refused with the reason, nothing sent.
    const fetchSpec = verbById('imap.fetch');
    assert.ok(fetchSpec);
    const refused = availability(fetchSpec, session);
    assert.equal(refused.ok, false);
    assert.match(
      refused.ok ? '' : refused.reason,
      /valid only in the selected state; the session is authenticated/,
    );

    assert.equal((await runVerb(session, 'imap.create', { mailbox: 'Verbs' })).result.outcome, 'ok');
    assert.equal((await runVerb(session, 'imap.list', { reference: '', pattern: '*' })).result.outcome, 'ok');
    const append = await runVerb(
      session,
      'imap.append',
      { mailbox: 'INBOX', flags: '\\Flagged' },
      { files: { file: MESSAGE } },
    );
    assert.equal(append.result.outcome, 'ok', append.result.text);
    const select = await runVerb(session, 'imap.select', { mailbox: 'INBOX' });
    assert.equal(select.result.outcome, 'ok');
    assert.equal(verbStateKey(session), 'imap:selected');

    const fetch = await runVerb(session, 'imap.fetch', {
      set: '1:*',
      items: '(UID FLAGS ENVELOPE)',
      uid: 'false',
    });
    assert.equal(fetch.result.outcome, 'ok');
    assert.ok(
      fetch.result.events.some((e) => e.type === 'untagged'),
      'FETCH data arrived',
    );
    assert.equal(fetch.message, undefined, 'headers only: nothing to open');

    const opened = await runVerb(session, 'imap.openMessage', { set: '1', uid: 'false' });
    assert.equal(opened.result.outcome, 'ok');
    assert.ok(opened.message, 'the message comes back for the .eml document');
    assert.deepEqual(Buffer.from(opened.message.bytes), MESSAGE, 'byte for byte what was appended');
    assert.equal(opened.message.name, 'message-1.eml');

    assert.equal(
      (
        await runVerb(session, 'imap.storeFlags', {
          set: '1',
          operation: '+FLAGS',
          flags: '(\\Seen \\Deleted)',
          uid: 'false',
        })
      ).result.outcome,
      'ok',
    );
    const search = await runVerb(session, 'imap.search', { criteria: 'DELETED', uid: 'false' });
    assert.equal(search.result.outcome, 'ok');
    assert.equal(
      (await runVerb(session, 'imap.copy', { set: '1', mailbox: 'Verbs', uid: 'false' })).result.outcome,
      'ok',
    );
    const expunge = await runVerb(session, 'imap.expunge');
    assert.equal(expunge.result.outcome, 'ok');
    assert.ok(
      expunge.result.events.some((e) => (e as { response?: { kind?: string } }).response?.kind === 'expunge'),
    );

    const idle = await runVerb(session, 'imap.idle');
    assert.equal(idle.result.outcome, 'ok', idle.result.text);
    assert.equal(verbStateKey(session), 'imap:idle', 'only Done is offered while idling');
    const done = await runVerb(session, 'imap.done');
    assert.equal(done.result.outcome, 'ok', done.result.text);
    assert.equal(verbStateKey(session), 'imap:selected');

    assert.equal((await runVerb(session, 'imap.close')).result.outcome, 'ok');
    assert.equal(session.state, 'authenticated');
    assert.equal(
      (await runVerb(session, 'imap.rename', { mailbox: 'Verbs', newName: 'Verbs2' })).result.outcome,
      'ok',
    );
    assert.equal((await runVerb(session, 'imap.delete', { mailbox: 'Verbs2' })).result.outcome, 'ok');
    assert.equal((await runVerb(session, 'imap.logout')).result.outcome, 'ok');

    // What the user reads in the transcript is exactly what each verb sent.
    const lines = clientLines(session);
    const sent = (pattern: RegExp) =>
      assert.ok(
        lines.some((l) => pattern.test(l)),
        `${pattern} in\n${lines.join('\n')}`,
      );
    sent(/^\w+ LOGIN alice <redacted>$/);
    sent(/^\w+ CREATE Verbs$/);
    sent(/^\w+ LIST "" "\*"$/);
    sent(/^\w+ APPEND INBOX \(\\Flagged\) \{\d+\+?\}$/);
    sent(/^\w+ SELECT INBOX$/);
    sent(/^\w+ FETCH 1:\* \(UID FLAGS ENVELOPE\)$/);
    sent(/^\w+ FETCH 1 BODY\.PEEK\[\]$/);
    sent(/^\w+ STORE 1 \+FLAGS \(\\Seen \\Deleted\)$/);
    sent(/^\w+ SEARCH DELETED$/);
    sent(/^\w+ COPY 1 Verbs$/);
    sent(/^\w+ EXPUNGE$/);
    sent(/^\w+ IDLE$/);
    sent(/^DONE$/);
    sent(/^\w+ RENAME Verbs Verbs2$/);
    assert.ok(!session.transcript.render().includes('alice-password'), 'the password is never recorded');
  });

  test('a wrong password is reported as the server refusal; a mailbox that does not exist fails SELECT', async () => {
    const session = await open(`imap://127.0.0.1:${sandbox.ports.imap}?tls=starttls`);
    const login = await autoLogin(session, 'alice', 'wrong', 'client.test');
    assert.equal(login.ok, false);
    assert.match(login.text, /^LOGIN failed: /);
    assert.equal(session.state, 'not-authenticated');
    assert.ok((await autoLogin(session, 'alice', 'alice-password', 'client.test')).ok);
    const select = await runVerb(session, 'imap.select', { mailbox: 'Nowhere' });
    assert.equal(select.result.outcome, 'failed');
    assert.equal(session.state, 'authenticated');
  });

  test('arguments are validated before anything is sent', () => {
    const fetch = verbById('imap.fetch');
    const set = fetch?.args.find((a) => a.name === 'set');
    assert.equal(set?.validate?.('1:10'), undefined);
    assert.equal(set?.validate?.('2,4:7,9:*'), undefined);
    assert.match(set?.validate?.('0:3') ?? '', /numbers start at 1/);
    assert.match(set?.validate?.('1 2') ?? '', /sequence set/);
    const items = fetch?.args.find((a) => a.name === 'items');
    assert.match(items?.validate?.('(FLAGS') ?? '', /unbalanced/);
    assert.match(items?.validate?.('FLAGS\r\nA1 LOGOUT') ?? '', /line breaks/);
    const rcpt = verbById('smtp.rcptTo')?.args.find((a) => a.name === 'to');
    assert.match(rcpt?.validate?.('<bob@example.test>') ?? '', /without <, >/);
  });
});

describe('POP3 verbs on the sandbox', () => {
  test('USER/PASS, STAT, LIST, UIDL, TOP and RETR (as .eml), DELE, RSET, DELE, QUIT deletes', async () => {
    // Deliver two messages to bob first, with the SMTP verbs.
    const smtp = await open(`smtp://127.0.0.1:${sandbox.ports.smtp}`);
    for (const subject of ['first', 'second']) {
      const sent = await runVerb(smtp, 'smtp.sendTestMessage', {
        from: 'alice@example.test',
        to: 'bob@example.test',
        subject,
      });
      assert.equal(sent.result.outcome, 'ok', sent.result.text);
    }

    const session = await open(`pop3://127.0.0.1:${sandbox.ports.pop3}?tls=starttls`);
    const login = await autoLogin(session, 'bob', 'bob-password', 'client.test');
    assert.ok(login.ok, login.text);
    assert.equal(login.method, 'USER/PASS');
    assert.equal(verbStateKey(session), 'pop3:transaction');
    const stat = await runVerb(session, 'pop3.stat');
    const count = Number(/^\+OK (\d+)/.exec(stat.result.text)?.[1] ?? /^(\d+)/.exec(stat.result.text)?.[1]);
    assert.ok(count >= 2, `STAT: ${stat.result.text}`);
    assert.equal((await runVerb(session, 'pop3.list', { message: '' })).result.outcome, 'ok');
    assert.equal((await runVerb(session, 'pop3.uidl', { message: '' })).result.outcome, 'ok');
    const top = await runVerb(session, 'pop3.top', { message: '1', lines: '0' });
    assert.ok(top.message, 'TOP opens the headers');
    assert.match(Buffer.from(top.message.bytes).toString(), /^Subject: first\r$/m);
    assert.ok(
      !Buffer.from(top.message.bytes).toString().includes('This is a test message'),
      'TOP 0: no body lines',
    );
    const retr = await runVerb(session, 'pop3.retr', { message: '2' });
    assert.ok(retr.message);
    assert.equal(retr.message.name, 'pop3-message-2.eml');
    assert.match(
      Buffer.from(retr.message.bytes).toString(),
      /Subject: second[\s\S]*This is a test message sent by Mailwire/,
    );

    assert.equal((await runVerb(session, 'pop3.dele', { message: '1' })).result.outcome, 'ok');
    assert.equal(
      (await runVerb(session, 'pop3.retr', { message: '1' })).result.outcome,
      'failed',
      'a deleted message is gone for this session',
    );
    assert.equal((await runVerb(session, 'pop3.rset')).result.outcome, 'ok');
    assert.equal(
      (await runVerb(session, 'pop3.retr', { message: '1' })).result.outcome,
      'ok',
      'RSET brought it back',
    );
    assert.equal((await runVerb(session, 'pop3.dele', { message: '1' })).result.outcome, 'ok');
    assert.equal((await runVerb(session, 'pop3.quit')).result.outcome, 'ok');

    // A second session sees one message fewer: QUIT applied the deletion.
    const again = await open(`pop3://127.0.0.1:${sandbox.ports.pop3}?tls=starttls`);
    assert.ok((await autoLogin(again, 'bob', 'bob-password', 'client.test')).ok);
    const after = await runVerb(again, 'pop3.stat');
    assert.equal(Number(/(\d+) \d+/.exec(after.result.text)?.[1]), count - 1, after.result.text);

    const lines = clientLines(session);
    for (const expected of [
      'USER bob',
      'PASS <redacted>',
      'STAT',
      'LIST',
      'UIDL',
      'TOP 1 0',
      'RETR 2',
      'DELE 1',
      'RSET',
      'QUIT',
    ])
      assert.ok(lines.includes(expected), `${expected} in\n${lines.join('\n')}`);
  });
});

describe('SMTP verbs on the sandbox', () => {
  test('EHLO, MAIL FROM, RCPT TO (one refused), DATA from bytes, RSET, VRFY, NOOP, QUIT', async () => {
    const session = await open(`smtp://127.0.0.1:${sandbox.ports.smtp}`);
    assert.equal(verbStateKey(session), 'smtp:greeted');
    assert.equal((await runVerb(session, 'smtp.ehlo', { domain: 'client.test' })).result.outcome, 'ok');
    assert.equal(verbStateKey(session), 'smtp:ready');
    assert.equal(
      (await runVerb(session, 'smtp.mailFrom', { from: 'alice@example.test', params: 'BODY=8BITMIME' }))
        .result.outcome,
      'ok',
    );
    assert.equal(verbStateKey(session), 'smtp:mail');
    assert.equal(
      (await runVerb(session, 'smtp.rcptTo', { to: 'bob@example.test', params: '' })).result.outcome,
      'ok',
    );
    assert.equal(verbStateKey(session), 'smtp:rcpt');
    const data = await runVerb(session, 'smtp.data', {}, { files: { body: MESSAGE } });
    assert.equal(data.result.outcome, 'ok', data.result.text);
    assert.equal(verbStateKey(session), 'smtp:ready');
    assert.equal(
      (await runVerb(session, 'smtp.mailFrom', { from: '' })).result.outcome,
      'ok',
      'the null sender <>',
    );
    assert.equal((await runVerb(session, 'smtp.rset')).result.outcome, 'ok');
    assert.equal(verbStateKey(session), 'smtp:ready');
    const vrfy = await runVerb(session, 'smtp.vrfy', { target: 'bob' });
    assert.notEqual(vrfy.result.outcome, 'not-sent');
    assert.equal((await runVerb(session, 'smtp.noop')).result.outcome, 'ok');
    assert.equal((await runVerb(session, 'smtp.quit')).result.outcome, 'ok');
    const lines = clientLines(session);
    for (const expected of [
      'EHLO client.test',
      'MAIL FROM:<alice@example.test> BODY=8BITMIME',
      'RCPT TO:<bob@example.test>',
      'DATA',
      'MAIL FROM:<>',
      'RSET',
      'VRFY bob',
      'NOOP',
      'QUIT',
    ])
      assert.ok(lines.includes(expected), `${expected} in\n${lines.join('\n')}`);
    // The body went out dot-stuffed: the ".leading dot" line was doubled on the wire.
    assert.ok(lines.includes('..leading dot'), lines.join('\n'));
  });
});
