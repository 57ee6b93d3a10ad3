// A URL that asks for STARTTLS never ends in plaintext: the capability must be offered, the
// server must accept, an IMAP PREAUTH greeting is refused, and capabilities are asked for again
// after the upgrade (RFC 3207 section 4.2, RFC 2595 section 3.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSession, runTyped, smtpCodec } from '../../../src/session/open.js';
import { MemoryTransport } from '../../helpers/memory-transport.js';

/** A fake server: a greeting, then one scripted answer per client line (matched by regex). */
function fakeServer(greeting: string, answers: Array<[RegExp, string]>): MemoryTransport {
  const transport = new MemoryTransport();
  const write = transport.write.bind(transport);
  transport.write = (bytes) => {
    const line = Buffer.from(bytes).toString('latin1');
    const answer = answers.find(([re]) => re.test(line));
    if (answer) {
      const tag = /^(\S+) /.exec(line)?.[1] ?? '';
      setImmediate(() => transport.serverSends(answer[1].replace(/\$TAG/g, tag)));
    }
    return write(bytes);
  };
  setImmediate(() => transport.serverSends(greeting));
  return transport;
}

async function open(url: string, transport: MemoryTransport) {
  return openSession({ url, connect: () => Promise.resolve(transport) });
}

test('IMAP: a PREAUTH greeting on a STARTTLS connection stops the session', async () => {
  const transport = fakeServer('* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] welcome\r\n', []);
  const session = await open('imap://127.0.0.1:143?tls=starttls', transport);
  assert.equal(session.status, 'closed');
  assert.match(session.closedBecause ?? '', /PREAUTH.*instead of continuing in plaintext/);
  assert.equal(transport.writtenText(), '', 'nothing was sent in plaintext');
});

test('IMAP: no STARTTLS in CAPABILITY stops the session after asking', async () => {
  const transport = fakeServer('* OK ready\r\n', [
    [/CAPABILITY/, '* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n$TAG OK done\r\n'],
  ]);
  const session = await open('imap://127.0.0.1:143?tls=starttls', transport);
  assert.equal(session.status, 'closed');
  assert.match(session.closedBecause ?? '', /does not offer STARTTLS/);
  assert.match(transport.writtenText(), /^A\d+ CAPABILITY\r\n$/);
});

test('IMAP: a refused STARTTLS stops the session', async () => {
  const transport = fakeServer('* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n', [
    [/STARTTLS/, '$TAG NO not now\r\n'],
  ]);
  const session = await open('imap://127.0.0.1:143?tls=starttls', transport);
  assert.equal(session.status, 'closed');
  assert.match(session.closedBecause ?? '', /refused STARTTLS \(not now\)/);
});

test('IMAP: after the upgrade, capabilities learned in plaintext are asked for again', async () => {
  const transport = fakeServer('* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n', [
    [/STARTTLS/, '$TAG OK begin TLS\r\n'],
    [/CAPABILITY/, '* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n$TAG OK done\r\n'],
  ]);
  const session = await open('imap://127.0.0.1:143?tls=starttls', transport);
  assert.equal(session.status, 'open', session.closedBecause);
  assert.equal(session.tls?.protocol, 'TLSv1.3');
  const caps = (session.codec as unknown as { capabilities: ReadonlySet<string> }).capabilities;
  assert.ok(!caps.has('LOGINDISABLED'), 'the plaintext capability list was forgotten');
  assert.ok(caps.has('AUTH=PLAIN'));
  session.close();
});

test('SMTP: EHLO without STARTTLS stops the session', async () => {
  const transport = fakeServer('220 mx ESMTP\r\n', [[/EHLO/, '250-mx\r\n250 PIPELINING\r\n']]);
  const session = await open('smtp://127.0.0.1:587?tls=starttls', transport);
  assert.equal(session.status, 'closed');
  assert.match(session.closedBecause ?? '', /does not offer STARTTLS/);
});

test('SMTP: STARTTLS, then EHLO again over TLS', async () => {
  const transport = fakeServer('220 mx ESMTP\r\n', [
    [/EHLO/, '250-mx\r\n250-STARTTLS\r\n250 SIZE 1000\r\n'],
    [/STARTTLS/, '220 2.0.0 go ahead\r\n'],
  ]);
  const session = await open('smtp://127.0.0.1:587?tls=starttls', transport);
  assert.equal(session.status, 'open', session.closedBecause);
  assert.equal((transport.writtenText().match(/EHLO/g) ?? []).length, 2);
  session.close();
});

test('POP3: CAPA without STLS stops the session', async () => {
  const transport = fakeServer('+OK ready\r\n', [[/CAPA/, '+OK\r\nUSER\r\nUIDL\r\n.\r\n']]);
  const session = await open('pop3://127.0.0.1:110?tls=starttls', transport);
  assert.equal(session.status, 'closed');
  assert.match(session.closedBecause ?? '', /does not offer STLS/);
});

test('a refused SMTP verb says why and sends nothing', async () => {
  const transport = fakeServer('220 mx ESMTP\r\n', []);
  const session = await open('smtp://127.0.0.1:25', transport);
  const result = await runTyped(session, smtpCodec(session), (c) =>
    c.mailFrom('bad\r\naddress@example.test'),
  );
  assert.equal(result.outcome, 'not-sent');
  assert.notEqual(result.text, 'nothing was sent', 'the codec gave its reason');
  assert.match(
    session.transcript.render(),
    new RegExp(`-- error: ${result.text.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
  );
  assert.equal(transport.writtenText(), '');
  session.close();
});
