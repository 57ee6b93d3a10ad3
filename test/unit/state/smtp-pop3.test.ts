// SMTP and POP3 state over synthetic dialogues: pipelined envelopes, BDAT, STARTTLS forgetting
// what was learned before, a transaction cut by the connection, POP3 QUIT committing deletions,
// and RFC 2047 decoding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Protocol } from '../../../src/protocol/types.js';
import { SessionStateModel, type SessionStateSnapshot } from '../../../src/state/index.js';
import { decodeEncodedWords } from '../../../src/state/encoded-words.js';
import { queueIdOf } from '../../../src/state/smtp.js';
import { openMemorySession } from '../../helpers/memory-transport.js';

async function start(protocol: Protocol, greeting: string) {
  const { transport, session } = await openMemorySession(protocol);
  const model = new SessionStateModel(session);
  const server = async (text: string) => {
    transport.serverSends(text.replace(/\n/g, '\r\n'));
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  };
  await server(greeting);
  return { session, model, server, transport };
}

function smtp(s: SessionStateSnapshot) {
  if (s.protocol !== 'smtp') throw new Error('not smtp');
  return s.smtp;
}

function pop3(s: SessionStateSnapshot) {
  if (s.protocol !== 'pop3') throw new Error('not pop3');
  return s.pop3;
}

const EHLO =
  '250-mx.test\n250-PIPELINING\n250-SIZE 1000\n250-AUTH PLAIN\n250-CHUNKING\n250-XCLIENT NAME ADDR\n250 STARTTLS\n';

test('SMTP: pipelined MAIL/RCPT/RCPT each get their own reply; DATA progress and the queue id', async () => {
  const t = await start('smtp', '220 mx.test ESMTP\n');
  const ehlo = t.session.sendRaw('EHLO c.test');
  await t.server(EHLO);
  await ehlo;
  const x = smtp(t.model.snapshot());
  assert.equal(x.sizeLimit, 1000);
  assert.deepEqual(x.extensions.find((e) => e.keyword === 'XCLIENT')?.params, ['NAME', 'ADDR']);
  assert.deepEqual(t.model.saslMechanisms(), ['PLAIN']);
  const mail = t.session.sendRaw('MAIL FROM:<a@test> BODY=8BITMIME');
  const r1 = t.session.sendRaw('RCPT TO:<b@test> NOTIFY=NEVER');
  const r2 = t.session.sendRaw('RCPT TO:<nobody@test>');
  const open = smtp(t.model.snapshot()).transaction;
  assert.equal(open?.recipients.length, 2, 'recipients appear as soon as they are sent');
  assert.equal(open?.recipients[0]?.reply, undefined);
  await t.server('250 2.1.0 ok\n250 2.1.5 ok\n550 5.1.1 no such user\n');
  await Promise.all([mail, r1, r2]);
  const tx = smtp(t.model.snapshot()).transaction;
  assert.deepEqual(tx?.fromParams, ['BODY=8BITMIME']);
  assert.deepEqual(
    tx?.recipients.map((r) => [r.address, r.params, r.reply?.code, r.reply?.enhanced]),
    [
      ['b@test', ['NOTIFY=NEVER'], 250, '2.1.5'],
      ['nobody@test', [], 550, '5.1.1'],
    ],
  );
  const data = t.session.sendRaw('DATA');
  assert.equal(smtp(t.model.snapshot()).transaction?.data, 'waiting-354');
  await t.server('354 go ahead\n');
  void t.session.sendRaw('Subject: hi\r\n\r\nbody\r\n.\r\n');
  await t.server('');
  assert.equal(smtp(t.model.snapshot()).transaction?.data, 'sending');
  assert.ok((smtp(t.model.snapshot()).transaction?.dataBytes ?? 0) >= 20);
  await t.server('250 2.0.0 Ok: queued as ABC123\n');
  await data;
  const done = smtp(t.model.snapshot());
  assert.equal(done.transaction, undefined);
  assert.equal(done.history[0]?.queueId, 'ABC123');
  assert.equal(done.history[0]?.data, 'done');
  t.session.close();
});

test('SMTP: BDAT chunks, STARTTLS forgets extensions, a cut connection ends the transaction', async () => {
  const t = await start('smtp', '220 mx.test ESMTP\n');
  const ehlo = t.session.sendRaw('EHLO c.test');
  await t.server(EHLO);
  await ehlo;
  const m = t.session.sendRaw('MAIL FROM:<a@test>');
  await t.server('250 ok\n');
  await m;
  const b1 = t.session.sendRaw('BDAT 10');
  await t.server('250 2.0.0 10 octets\n');
  await b1;
  const b2 = t.session.sendRaw('BDAT 5 LAST');
  await t.server('250 2.0.0 Message accepted, id=1xYz-0004\n');
  await b2;
  const h = smtp(t.model.snapshot()).history[0];
  assert.equal(h?.bdatChunks, 2);
  assert.equal(h?.dataBytes, 15);
  assert.equal(h?.queueId, '1xYz-0004');
  const tls = t.session.sendRaw('STARTTLS');
  await t.server('220 go\n');
  await tls;
  const after = smtp(t.model.snapshot());
  assert.deepEqual(after.extensions, [], 'pre-TLS extensions are forgotten (RFC 3207 4.2)');
  assert.equal(after.sizeLimit, undefined);
  t.session.close();

  const u = await start('smtp', '220 mx.test ESMTP\n');
  const m2 = u.session.sendRaw('MAIL FROM:<a@test>');
  await u.server('250 ok\n');
  await m2;
  u.transport.serverCloses();
  await u.server('');
  const cut = smtp(u.model.snapshot());
  assert.equal(cut.transaction, undefined);
  assert.match(cut.history[0]?.ended ?? '', /connection closed/);
});

test('queue ids from Postfix, Exim and servers that give none', () => {
  assert.equal(queueIdOf('Ok: queued as 3751320C6B5'), '3751320C6B5');
  assert.equal(queueIdOf('OK id=1tXyZ-000abc-Qr'), '1tXyZ-000abc-Qr');
  assert.equal(queueIdOf('Message accepted for delivery'), undefined);
});

test('POP3: numbers from STAT alone, DELE, QUIT commits; keep/delete explained at each step', async () => {
  const t = await start('pop3', '+OK ready\n');
  const user = t.session.sendRaw('USER u');
  await t.server('+OK\n');
  await user;
  const pass = t.session.sendRaw('PASS secret-pw', ['secret-pw']);
  await t.server('+OK in\n');
  await pass;
  const stat = t.session.sendRaw('STAT');
  await t.server('+OK 3 300\n');
  await stat;
  assert.deepEqual(t.model.pop3MessageNumbers(), [1, 2, 3]);
  assert.match(pop3(t.model.snapshot()).keepOrDelete, /Nothing is marked deleted/);
  const dele = t.session.sendRaw('DELE 2');
  await t.server('+OK marked\n');
  await dele;
  const refused = t.session.sendRaw('DELE 9');
  await t.server('-ERR no such message\n');
  await refused;
  assert.deepEqual(t.model.pop3MessageNumbers(), [1, 3], 'a refused DELE marks nothing');
  assert.equal(t.model.messageCount(), 2);
  const quit = t.session.sendRaw('QUIT');
  await t.server('+OK bye\n');
  await quit;
  const end = pop3(t.model.snapshot());
  assert.equal(end.committed, true);
  assert.match(end.keepOrDelete, /removed the 1 message marked deleted/);
  assert.ok(!JSON.stringify(t.model.snapshot()).includes('secret-pw'));
  t.session.close();
});

test('RFC 2047: B and Q words, adjacent words joined, unknown charsets and bad words kept', () => {
  assert.equal(decodeEncodedWords('=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <b@x>'), 'Jürgen Müller <b@x>');
  assert.equal(decodeEncodedWords('=?ISO-8859-1?Q?Caf=E9?= menu'), 'Café menu');
  assert.equal(decodeEncodedWords('=?UTF-8?B?R3LDvMOfZQ==?= =?UTF-8?B?IGF1cw==?='), 'Grüße aus');
  assert.equal(decodeEncodedWords('=?X-UNKNOWN?Q?abc?='), '=?X-UNKNOWN?Q?abc?=');
  assert.equal(decodeEncodedWords('=?UTF-8?Q?bad=ZZ?='), '=?UTF-8?Q?bad=ZZ?=');
  assert.equal(decodeEncodedWords('=?UTF-8?B?/w==?='), '=?UTF-8?B?/w==?=', 'invalid UTF-8 stays as sent');
  assert.equal(decodeEncodedWords('plain <img>'), 'plain <img>');
});
