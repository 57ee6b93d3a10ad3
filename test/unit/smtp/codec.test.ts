import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SmtpClientCodec, type SmtpEvent } from '../../../src/protocol/smtp/index.js';
import type { CommandRef } from '../../../src/protocol/types.js';
import { LIMITS } from '../../../src/protocol/limits.js';
import { ScriptedMechanism, loadDialogue, serverBytes, wire } from './dialogue.js';

const b = (s: string): Buffer => Buffer.from(s);

function ref(r: unknown): CommandRef {
  assert.ok(r !== null && typeof r === 'object' && 'id' in r, `expected a command, got ${JSON.stringify(r)}`);
  return r as CommandRef;
}

function greeted(ehlo = '250-mx.example.net\r\n250-PIPELINING\r\n250 8BITMIME\r\n'): SmtpClientCodec {
  const c = new SmtpClientCodec();
  c.receive(b('220 mx.example.net ESMTP\r\n'));
  c.ehlo('client.example.org');
  c.takeOutgoing();
  c.receive(b(ehlo));
  return c;
}

function types(events: readonly SmtpEvent[]): string[] {
  return events.map((e) => (e.type === 'state' ? `state:${e.to}` : e.type));
}

describe('SmtpClientCodec', () => {
  test('replays a Postfix-like session: commands, replies, states, DATA body', () => {
    const steps = loadDialogue('smtp/postfix-session.txt');
    const c = new SmtpClientCodec();
    assert.equal(c.state, 'connecting');
    const events = c.receive(serverBytes(steps.slice(0, 1)));
    assert.deepEqual(types(events), ['greeting', 'state:greeted']);

    c.ehlo('client.example.org');
    assert.equal(wire(c.takeOutgoing()), 'EHLO client.example.org\r\n');
    const ehloEnd = steps.findIndex((s) => s.line.startsWith('250 CHUNKING'));
    const ev = c.receive(serverBytes(steps.slice(2, ehloEnd + 1)));
    assert.deepEqual(types(ev), ['reply', 'capabilities', 'state:ready', 'completed']);
    assert.equal(c.capabilities?.pipelining, true);

    // Pipelining: MAIL, both RCPTs and DATA leave in one batch; the body waits for 354.
    c.mailFrom('alice@example.org', { SIZE: 120 });
    c.rcptTo('bob@example.net');
    c.rcptTo('nobody@example.net');
    const body = b('Subject: hi\r\n\r\n.leading dot\r\nbye');
    c.data(body);
    assert.equal(
      wire(c.takeOutgoing()),
      'MAIL FROM:<alice@example.org> SIZE=120\r\nRCPT TO:<bob@example.net>\r\nRCPT TO:<nobody@example.net>\r\nDATA\r\n',
    );
    assert.deepEqual(
      c.pending.map((p) => p.verb),
      ['MAIL', 'RCPT', 'RCPT', 'DATA'],
    );
    const replies = serverBytes(steps.filter((s) => s.from === 'S' && /^(250 2\.1|550|354)/.test(s.line)));
    const ev2 = c.receive(replies);
    const completed = ev2.flatMap((e) => (e.type === 'completed' ? [[e.command.verb, e.ok]] : []));
    assert.deepEqual(completed, [
      ['MAIL', true],
      ['RCPT', true],
      ['RCPT', false],
    ]);
    assert.equal(c.state, 'data');
    const out = c.takeOutgoing();
    assert.equal(out.length, 1);
    assert.equal(out[0]?.payload, true);
    assert.equal(wire(out), 'Subject: hi\r\n\r\n..leading dot\r\nbye\r\n.\r\n');

    const ev3 = c.receive(b('250 2.0.0 Ok: queued as 4Yb8xR3kQzz9sW\r\n'));
    assert.deepEqual(types(ev3), ['reply', 'state:ready', 'completed']);
    const reply = ev3[0];
    assert.ok(reply?.type === 'reply');
    assert.equal(reply.reply.enhanced?.code, '2.0.0');
    assert.equal(reply.command?.verb, 'DATA');

    c.quit();
    assert.equal(wire(c.takeOutgoing()), 'QUIT\r\n');
    c.receive(b('221 2.0.0 Bye\r\n'));
    assert.equal(c.state, 'quit');
    assert.deepEqual(c.pending, []);
  });

  test('without PIPELINING, later commands wait for each reply', () => {
    const c = greeted('250 mx.example.net\r\n');
    c.mailFrom('a@example.org');
    c.rcptTo('b@example.net');
    assert.equal(wire(c.takeOutgoing()), 'MAIL FROM:<a@example.org>\r\n');
    assert.deepEqual(
      [c.pending.map((p) => p.verb), c.queuedCommands.map((p) => p.verb)],
      [['MAIL'], ['RCPT']],
    );
    c.receive(b('250 ok\r\n'));
    assert.equal(wire(c.takeOutgoing()), 'RCPT TO:<b@example.net>\r\n');
    c.receive(b('250 ok\r\n'));
    assert.equal(c.state, 'rcpt');
  });

  test('with PIPELINING, commands after DATA wait for its final reply', () => {
    const c = greeted();
    c.mailFrom('a@example.org');
    c.rcptTo('b@example.net');
    c.data(b('x\r\n'));
    c.rset();
    assert.equal(wire(c.takeOutgoing()), 'MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n');
    c.receive(b('250 ok\r\n250 ok\r\n354 go\r\n'));
    assert.equal(wire(c.takeOutgoing()), 'x\r\n.\r\n');
    c.receive(b('250 queued\r\n'));
    assert.equal(wire(c.takeOutgoing()), 'RSET\r\n');
  });

  test('replies split at any byte boundary give the same result', () => {
    const text = '250 ok\r\n250-a\r\n250 b\r\n354 go\r\n';
    const c = greeted();
    c.mailFrom('a@example.org');
    c.rcptTo('b@example.net');
    c.data(b('hi\r\n'));
    c.takeOutgoing();
    const ev = [...text].flatMap((ch) => c.receive(b(ch)));
    assert.equal(ev.filter((e) => e.type === 'completed').length, 2);
    assert.equal(c.state, 'data');
  });

  test('STARTTLS: bytes after the 220 are handed over unparsed, EHLO data is forgotten', () => {
    const c = greeted('250-mx.example.net\r\n250-STARTTLS\r\n250 PIPELINING\r\n');
    c.startTls();
    c.noop();
    assert.equal(wire(c.takeOutgoing()), 'STARTTLS\r\n');
    const ev = c.receive(b('220 2.0.0 Ready to start TLS\r\n250-injected\r\n250 PIPELINING\r\n'));
    assert.deepEqual(types(ev), ['reply', 'state:tls-handshake', 'completed', 'starttls-ready']);
    const ready = ev[3];
    assert.ok(ready?.type === 'starttls-ready');
    assert.equal(Buffer.from(ready.raw).toString(), '250-injected\r\n250 PIPELINING\r\n');
    assert.equal(wire(c.takeOutgoing()), '', 'nothing is sent before the handshake');
    const late = c.receive(b('250 more\r\n'));
    assert.equal(late[0]?.type === 'protocol-error' && late[0].fatal, false);
    assert.deepEqual(types(c.tlsEstablished()), ['state:greeted']);
    assert.equal(c.capabilities, undefined);
    assert.equal(wire(c.takeOutgoing()), 'NOOP\r\n');
  });

  test('AUTH PLAIN with initial response: the response is marked secret; 235 is verified', () => {
    const c = greeted();
    const mech = new ScriptedMechanism('PLAIN', '\0alice\0hunter2', {});
    c.authenticate(mech);
    const [out] = c.takeOutgoing();
    assert.ok(out);
    const text = Buffer.from(out.bytes).toString();
    assert.equal(text, `AUTH PLAIN ${Buffer.from('\0alice\0hunter2').toString('base64')}\r\n`);
    const [[start, end]] = out.secrets as [[number, number]];
    assert.equal(text.slice(0, start), 'AUTH PLAIN ');
    assert.equal(text.slice(end), '\r\n');
    const ev = c.receive(b('235 2.7.0 Authentication successful\r\n'));
    assert.ok(ev.some((e) => e.type === 'completed' && e.ok));
    assert.deepEqual(mech.verified, [null]);
  });

  test('AUTH LOGIN: 334 challenges are answered (secret), a bad challenge aborts with *', () => {
    const c = greeted();
    const mech = new ScriptedMechanism('LOGIN', null, { 'Username:': 'alice', 'Password:': 'hunter2' });
    c.authenticate(mech);
    assert.equal(wire(c.takeOutgoing()), 'AUTH LOGIN\r\n');
    c.receive(b(`334 ${Buffer.from('Username:').toString('base64')}\r\n`));
    const [u] = c.takeOutgoing();
    assert.equal(Buffer.from(u!.bytes).toString(), `${Buffer.from('alice').toString('base64')}\r\n`);
    assert.deepEqual(u!.secrets, [[0, 8]]);
    c.receive(b('334 not%base64\r\n'));
    assert.equal(wire(c.takeOutgoing()), '*\r\n');
    const ev = c.receive(b('501 5.7.0 cancelled\r\n'));
    assert.ok(ev.some((e) => e.type === 'completed' && !e.ok));
    assert.equal(c.state, 'ready');
  });

  test('a success the mechanism cannot verify is reported as a failure', () => {
    const c = greeted();
    c.authenticate(
      new ScriptedMechanism('SCRAM-SHA-256', 'n,,n=alice,r=abc', {}, 'server signature missing'),
    );
    c.takeOutgoing();
    const ev = c.receive(b('235 2.7.0 ok\r\n'));
    assert.ok(ev.some((e) => e.type === 'sasl-error' && e.message === 'server signature missing'));
    assert.ok(ev.some((e) => e.type === 'completed' && !e.ok));
  });

  test('sendRaw reads the verb: a raw DATA then 354 moves to data; raw lines become the body', () => {
    const c = greeted();
    c.sendRaw('MAIL FROM:<a@example.org>');
    c.sendRaw('RCPT TO:<b@example.net>\r\n');
    const data = c.sendRaw(b('DATA'));
    assert.equal(data.verb, 'DATA');
    c.receive(b('250 ok\r\n250 ok\r\n354 go\r\n'));
    assert.equal(c.state, 'data');
    assert.equal(c.sendRaw('hello').id, data.id);
    c.sendRaw('.');
    assert.equal(
      wire(c.takeOutgoing()),
      'MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\nhello\r\n.\r\n',
    );
    c.receive(b('250 queued\r\n'));
    assert.equal(c.state, 'ready');
  });

  test('421 closes from any state; closed() fails what is pending and keeps partial bytes', () => {
    const c = greeted();
    c.mailFrom('a@example.org');
    c.rcptTo('b@example.net');
    const ev = c.receive(b('421 4.3.2 shutting down\r\n250-part'));
    assert.equal(c.state, 'closed');
    assert.ok(ev.some((e) => e.type === 'completed' && e.command.verb === 'MAIL' && !e.ok));
    const end = c.closed();
    assert.deepEqual(
      end.map((e) => (e.type === 'completed' ? e.command.verb : e.type)),
      ['protocol-error', 'RCPT'],
    );
    assert.equal(end[0]?.type === 'protocol-error' && Buffer.from(end[0].raw).toString(), '250-part');
  });

  test('a pipelined DATA accepted with no accepted recipient ends empty, not with the body', () => {
    const c = greeted();
    c.mailFrom('a@example.org');
    c.rcptTo('b@example.net');
    c.data(b('secret body\r\n'));
    c.takeOutgoing();
    const ev = c.receive(b('250 ok\r\n550 no\r\n354 go\r\n'));
    assert.ok(ev.some((e) => e.type === 'client-error'));
    assert.equal(wire(c.takeOutgoing()), '.\r\n');
  });

  test('a raw AUTH line marks its initial response secret', () => {
    const c = greeted();
    c.sendRaw('AUTH PLAIN AGFsaWNlAGh1bnRlcjI=');
    const [out] = c.takeOutgoing();
    assert.deepEqual(out?.secrets, [[11, 31]]);
  });

  test('a reply line over maxLineLength is reported with its bytes, then parsing resumes', () => {
    const c = greeted();
    c.noop();
    const long = Buffer.alloc(LIMITS.maxLineLength + 10, 0x61);
    const ev = [
      ...c.receive(long.subarray(0, 700_000)),
      ...c.receive(long.subarray(700_000)),
      ...c.receive(b('\r\n250 ok\r\n')),
    ];
    const errors = ev.filter((e) => e.type === 'protocol-error');
    assert.ok(
      errors.length >= 1 && errors.every((e) => e.type === 'protocol-error' && e.limit === 'maxLineLength'),
    );
    const total = errors.reduce((n, e) => n + (e.type === 'protocol-error' ? e.raw.length : 0), 0);
    assert.equal(total, long.length + 2);
    assert.ok(ev.some((e) => e.type === 'completed' && e.ok));
  });

  test('a 554 greeting is a refusal', () => {
    const c = new SmtpClientCodec();
    c.receive(b('554 5.7.1 no service for you\r\n'));
    assert.equal(c.state, 'greeting-refused');
  });

  test('bad arguments are client errors and nothing is sent', () => {
    const c = greeted();
    assert.equal((c.mailFrom('a@example.org>\r\nRSET') as { type: string }).type, 'client-error');
    assert.equal((c.rcptTo('b@example.net', { 'NOTIFY=': 'x' }) as { type: string }).type, 'client-error');
    assert.equal((c.vrfy('') as { type: string }).type, 'client-error');
    assert.equal(wire(c.takeOutgoing()), '');
  });

  test('BDAT sends the chunk right after its command line', () => {
    const c = greeted('250-mx\r\n250 CHUNKING\r\n');
    c.mailFrom('a@example.org');
    c.receive(b('250 ok\r\n'));
    c.rcptTo('b@example.net');
    c.receive(b('250 ok\r\n'));
    c.takeOutgoing();
    ref(c.bdat(b('abc'), true));
    const out = c.takeOutgoing();
    assert.equal(wire(out), 'BDAT 3 LAST\r\nabc');
    assert.equal(out[1]?.payload, true);
    c.receive(b('250 2.0.0 queued\r\n'));
    assert.equal(c.state, 'ready');
  });

  test('malformed replies are reported and the session continues', () => {
    const c = greeted();
    c.noop();
    const ev = c.receive(b('hello there\r\n250-a\r\n251 b\r\n250 ok\r\n'));
    assert.deepEqual(types(ev), ['protocol-error', 'protocol-error', 'reply', 'completed']);
  });
});
