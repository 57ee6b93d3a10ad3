// Sessions against real Dovecot (IMAP, POP3) and Postfix (SMTP through Dovecot SASL, LMTP into
// Dovecot), started by the suite on loopback. These fail, never skip, when the servers can't start.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRealServers, type RealServers } from '../helpers/real-servers/index.js';
import { openSession, imapCodec, pop3Codec, smtpCodec, runTyped } from '../../src/session/open.js';
import type { MailSession } from '../../src/session/session.js';
import { createMechanism } from '../../src/protocol/sasl/index.js';
import { secretForms } from '../../src/transcript/redact.js';

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

function url(scheme: string, port: number, query = ''): string {
  return `${scheme}://127.0.0.1:${port}${query}`;
}

async function open(
  u: string,
  extra: { trust?: boolean; acceptUnverified?: boolean } = {},
): Promise<MailSession> {
  const session = await openSession({
    url: u,
    ...(extra.trust === false ? {} : { ca: [servers.caCertPem] }),
    ...(extra.acceptUnverified ? { acceptUnverified: true } : {}),
    timeouts: { greetingMs: 10_000, replyMs: 10_000 },
  });
  sessions.push(session);
  return session;
}

function assertNoSecret(session: MailSession, password: string): void {
  const text = session.transcript.render() + session.transcript.bytesOf('C').toString('latin1');
  for (const form of secretForms(password))
    assert.ok(!text.includes(form), `transcript leaks a form of the password`);
}

const alice = () => servers.users[0]!;
const bob = () => servers.users[1]!;

describe('IMAP against Dovecot', () => {
  for (const mode of ['plain', 'starttls', 'implicit'] as const) {
    test(`${mode}: login, LIST and SELECT INBOX move the state and record every byte`, async () => {
      const u =
        mode === 'implicit'
          ? url('imaps', servers.imaps.port)
          : url('imap', servers.imap.port, mode === 'starttls' ? '?tls=starttls' : '');
      const session = await open(u);
      assert.equal(session.status, 'open', session.closedBecause);
      const imap = imapCodec(session)!;
      if (mode !== 'plain') {
        assert.equal(session.tls?.verified, true);
        assert.match(session.tls?.protocol ?? '', /TLSv1\.[23]/);
      }
      if (mode === 'starttls') {
        // Capabilities were asked again after the upgrade: STARTTLS is no longer offered.
        assert.ok(imap.capabilities.has('IMAP4REV1') || imap.capabilities.has('IMAP4rev1'.toUpperCase()));
        assert.ok(!imap.capabilities.has('STARTTLS'));
      }
      const login = await runTyped(session, imap, (c) => c.login(alice().username, alice().password));
      assert.equal(login.outcome, 'ok', login.text);
      assert.equal(session.state, 'authenticated');
      const list = await session.sendRaw('L1 LIST "" "*"');
      assert.equal(list.outcome, 'ok');
      const select = await runTyped(session, imap, (c) => c.select('INBOX'));
      assert.equal(select.outcome, 'ok', select.text);
      assert.equal(session.state, 'selected');
      assert.equal(imap.selected, 'INBOX');
      assert.match(session.transcript.render({ timestamps: false }), /S: \* LIST \([^)]*\) "[./]" INBOX/);
      assertNoSecret(session, alice().password);
      await session.sendRaw('Z1 LOGOUT');
    });
  }

  for (const mechanism of ['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256']) {
    test(`AUTHENTICATE ${mechanism} succeeds and leaves no trace of the password`, async () => {
      const session = await open(url('imap', servers.imap.port));
      const mech = createMechanism(mechanism, { username: alice().username, password: alice().password });
      assert.ok(mech);
      const result = await runTyped(session, imapCodec(session), (c) => c.authenticate(mech));
      assert.equal(result.outcome, 'ok', result.text);
      assert.equal(session.state, 'authenticated');
      assertNoSecret(session, alice().password);
      session.close();
    });
  }

  test('a wrong password is a NO with the server text, and the session stays usable', async () => {
    const session = await open(url('imap', servers.imap.port));
    const result = await runTyped(session, imapCodec(session), (c) =>
      c.login(alice().username, 'wrong-password'),
    );
    assert.equal(result.outcome, 'failed');
    assert.match(result.text, /AUTHENTICATIONFAILED|Authentication failed/i);
    assert.equal(session.state, 'not-authenticated');
    const retry = await runTyped(session, imapCodec(session), (c) =>
      c.login(alice().username, alice().password),
    );
    assert.equal(retry.outcome, 'ok');
    session.close();
  });

  test('an untrusted certificate is refused with the reason, and accepting it is recorded', async () => {
    const refused = await open(url('imaps', servers.imaps.port), { trust: false });
    assert.equal(refused.status, 'closed');
    assert.match(refused.closedBecause ?? '', /self-signed/i);
    const accepted = await open(url('imaps', servers.imaps.port), { trust: false, acceptUnverified: true });
    assert.equal(accepted.status, 'open');
    assert.equal(accepted.tls?.verified, false);
    assert.equal(accepted.tls?.acceptedUnverified, true);
    assert.match(
      accepted.transcript.render(),
      /certificate accepted without verification by explicit choice/,
    );
    accepted.close();
  });
});

describe('POP3 against Dovecot', () => {
  for (const mode of ['plain', 'starttls', 'implicit'] as const) {
    test(`${mode}: USER/PASS then STAT reach the transaction state`, async () => {
      const u =
        mode === 'implicit'
          ? url('pop3s', servers.pop3s.port)
          : url('pop3', servers.pop3.port, mode === 'starttls' ? '?tls=starttls' : '');
      const session = await open(u);
      assert.equal(session.status, 'open', session.closedBecause);
      const pop3 = pop3Codec(session)!;
      assert.equal((await runTyped(session, pop3, (c) => c.user(alice().username))).outcome, 'ok');
      const pass = await runTyped(session, pop3, (c) => c.pass(alice().password));
      assert.equal(pass.outcome, 'ok', pass.text);
      assert.equal(session.state, 'transaction');
      assert.equal((await runTyped(session, pop3, (c) => c.stat())).outcome, 'ok');
      assertNoSecret(session, alice().password);
      await runTyped(session, pop3, (c) => c.quit());
    });
  }

  test('AUTH SCRAM-SHA-256 over POP3', async () => {
    const session = await open(url('pop3', servers.pop3.port));
    const mech = createMechanism('SCRAM-SHA-256', { username: alice().username, password: alice().password });
    const result = await runTyped(session, pop3Codec(session), (c) => c.authenticate(mech!));
    assert.equal(result.outcome, 'ok', result.text);
    assert.equal(session.state, 'transaction');
    assertNoSecret(session, alice().password);
    session.close();
  });
});

describe('the seed articles story: SMTP sends, POP3 and IMAP read it back', () => {
  test('Postfix with STARTTLS and AUTH delivers into Dovecot; IMAP FETCH and POP3 RETR show the message', async () => {
    const subject = `story ${Date.now()}`;
    const smtpSession = await open(url('smtp', servers.smtp.port, '?tls=starttls'));
    assert.equal(smtpSession.status, 'open', smtpSession.closedBecause);
    assert.equal(smtpSession.tls?.verified, true);
    const smtp = smtpCodec(smtpSession)!;
    assert.ok(smtp.capabilities?.auth?.includes('PLAIN'), 'AUTH PLAIN offered after STARTTLS');
    const mech = createMechanism('PLAIN', { username: alice().username, password: alice().password });
    const auth = await runTyped(smtpSession, smtp, (c) => c.authenticate(mech!));
    assert.equal(auth.outcome, 'ok', auth.text);
    assert.equal((await runTyped(smtpSession, smtp, (c) => c.mailFrom(alice().address))).outcome, 'ok');
    assert.equal((await runTyped(smtpSession, smtp, (c) => c.rcptTo(bob().address))).outcome, 'ok');
    const unknown = await runTyped(smtpSession, smtp, (c) => c.rcptTo('nobody@example.test'));
    assert.equal(unknown.outcome, 'failed');
    assert.match(unknown.text, /5\.1\.1|User unknown/i);
    const body = Buffer.from(
      `From: <${alice().address}>\r\nTo: <${bob().address}>\r\nSubject: ${subject}\r\n\r\n.a dotted line\r\nbye\r\n`,
    );
    const sent = await runTyped(smtpSession, smtp, (c) => c.data(body));
    assert.equal(sent.outcome, 'ok', sent.text);
    assert.match(sent.text, /queued as/i);
    await runTyped(smtpSession, smtp, (c) => c.quit());
    assertNoSecret(smtpSession, alice().password);

    await servers.waitForDelivery(bob(), 1);

    const imapSession = await open(url('imap', servers.imap.port, '?tls=starttls'));
    const imap = imapCodec(imapSession)!;
    assert.equal(
      (await runTyped(imapSession, imap, (c) => c.login(bob().username, bob().password))).outcome,
      'ok',
    );
    assert.equal((await runTyped(imapSession, imap, (c) => c.select('INBOX'))).outcome, 'ok');
    const fetch = await imapSession.sendRaw('F1 FETCH 1:* (UID FLAGS ENVELOPE BODY.PEEK[])');
    assert.equal(fetch.outcome, 'ok', fetch.text);
    const imapText = imapSession.transcript.render({ timestamps: false });
    assert.ok(imapText.includes(subject), 'IMAP shows the subject');
    assert.ok(imapText.includes('.a dotted line'), 'IMAP shows the body unstuffed');

    const popSession = await open(url('pop3', servers.pop3.port, '?tls=starttls'));
    const pop3 = pop3Codec(popSession)!;
    await runTyped(popSession, pop3, (c) => c.user(bob().username));
    assert.equal((await runTyped(popSession, pop3, (c) => c.pass(bob().password))).outcome, 'ok');
    const retr = await runTyped(popSession, pop3, (c) => c.retr(1));
    assert.equal(retr.outcome, 'ok', retr.text);
    const popText = popSession.transcript.render({ timestamps: false });
    assert.ok(popText.includes(subject), 'POP3 RETR shows the subject');
    assert.ok(popText.includes('S: ..a dotted line'), 'POP3 shows the dot-stuffed line as sent on the wire');
    await runTyped(popSession, pop3, (c) => c.quit());
  });
});
