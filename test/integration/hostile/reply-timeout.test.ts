// A reply timeout resolves the command but keeps the session open, by design: the codec keeps the
// command pending, so a late reply is still recorded, correlated and applied to the state, and the
// user can go on or disconnect. The result and the transcript name the command and say so. While
// the server waits for the client (IDLE, a SASL prompt), silence is not a missing reply.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { answering, openTracked, tracker } from './common.js';
import type { ImapClientCodec } from '../../../src/protocol/imap/index.js';

const t = tracker();
after(() => t.cleanup());

test('IMAP: a SELECT answered after its timeout still selects; later commands work', async () => {
  let release: () => void = () => undefined;
  const late = new Promise<void>((resolve) => (release = resolve));
  const s = await answering('* OK [CAPABILITY IMAP4rev1] ready\r\n', [
    [
      /SELECT/,
      async (tag, c) => {
        await late;
        await c.send(`* 2 EXISTS\r\n${tag} OK [READ-WRITE] SELECT completed\r\n`);
      },
    ],
    [/NOOP/, (tag) => `${tag} OK NOOP completed\r\n`],
    [/LOGIN/, (tag) => `${tag} OK logged in\r\n`],
  ]);
  const session = await openTracked(t, s, 'imap', '', { greetingMs: 5_000, replyMs: 300 });
  assert.equal((await session.sendRaw('L1 LOGIN u p')).outcome, 'ok');
  const select = await session.sendRaw('S1 SELECT INBOX');
  assert.equal(select.outcome, 'timeout');
  assert.match(select.text, /no reply from the server after 300 ms to S1 SELECT; the session stays open/);
  assert.match(select.text, /a late reply is still recorded and applied/);
  assert.equal(session.status, 'open', 'a timeout does not close the session');
  assert.equal(session.state, 'authenticated');
  assert.deepEqual(
    session.codec.pending.map((c) => c.tag),
    ['S1'],
    'the command is still pending in the codec',
  );

  release();
  const noop = await session.sendRaw('N1 NOOP');
  assert.equal(noop.outcome, 'ok', noop.text);
  // The late SELECT reply came before the NOOP's: it was recorded and moved the state.
  assert.equal(session.state, 'selected');
  assert.deepEqual(session.codec.pending, []);
  const text = session.transcript.render({ timestamps: false });
  assert.match(text, /S: S1 OK \[READ-WRITE\] SELECT completed/);
  assert.match(text, /-- .*no reply from the server after 300 ms to S1 SELECT/);
});

test('SMTP: a late reply goes to the command it answers, not to the next one', async () => {
  let release: () => void = () => undefined;
  const late = new Promise<void>((resolve) => (release = resolve));
  const s = await answering('220 ready\r\n', [
    [
      /^EHLO/,
      async (_tag, c) => {
        await late;
        await c.send('250 hello\r\n');
      },
    ],
    [/^NOOP/, () => '250 2.0.0 noop ok\r\n'],
  ]);
  const session = await openTracked(t, s, 'smtp', '', { greetingMs: 5_000, replyMs: 300 });
  const ehlo = await session.sendRaw('EHLO client.test');
  assert.equal(ehlo.outcome, 'timeout');
  assert.match(ehlo.text, /after 300 ms to EHLO; the session stays open/);
  release();
  const noop = await session.sendRaw('NOOP');
  assert.equal(noop.outcome, 'ok', noop.text);
  assert.match(noop.text, /noop ok/, 'the NOOP got its own reply, not the late 250 hello');
  assert.equal(session.state, 'ready', 'the late EHLO reply was applied');
});

test('IMAP: a quiet IDLE is not a missing reply, even after untagged updates; DONE ends it', async () => {
  const s = await answering('* OK [CAPABILITY IMAP4rev1 IDLE] ready\r\n', [
    [
      /IDLE/,
      async (tag, c) => {
        await c.send('+ idling\r\n');
        await new Promise((r) => setTimeout(r, 200));
        await c.send('* 3 EXISTS\r\n');
        const done = await c.readLine(5_000);
        if (done === 'DONE') await c.send(`${tag} OK IDLE terminated\r\n`);
      },
    ],
    [/NOOP/, () => ''],
  ]);
  const session = await openTracked(t, s, 'imap', '', { greetingMs: 5_000, replyMs: 300 });
  let settled = false;
  const idle = session.run((c) => (c as ImapClientCodec).idle()).finally(() => (settled = true));
  // Three reply windows of silence (with one update in between): the server is waiting for DONE.
  await new Promise((r) => setTimeout(r, 1_000));
  assert.equal(settled, false, 'IDLE did not time out while the server waited for DONE');
  const done = await session.run((c) => {
    (c as ImapClientCodec).done();
    return (c as ImapClientCodec).pending.find((p) => p.verb === 'IDLE');
  });
  assert.equal(done.outcome, 'ok', done.text);
  assert.equal((await idle).outcome, 'ok');
  assert.doesNotMatch(session.transcript.render({ timestamps: false }), /no reply from the server/);
  // Once the server has answered, silence is a missing reply again.
  const noop = await session.sendRaw('N1 NOOP');
  assert.equal(noop.outcome, 'timeout');
});

test('SMTP: a SASL prompt waits for the user; the answer restarts the reply window', async () => {
  const s = await answering('220 ready\r\n', [
    [/^AUTH LOGIN$/, () => '334 VXNlcm5hbWU6\r\n'],
    [/^dXNlcg==$/, () => '235 2.7.0 accepted\r\n'],
  ]);
  const session = await openTracked(t, s, 'smtp', '', { greetingMs: 5_000, replyMs: 300 });
  let settled = false;
  const auth = session.sendRaw('AUTH LOGIN').finally(() => (settled = true));
  await new Promise((r) => setTimeout(r, 900));
  assert.equal(settled, false, 'no timeout while the server waits for the answer');
  await session.sendRaw('dXNlcg==');
  const result = await auth;
  assert.equal(result.outcome, 'ok', result.text);
  assert.match(result.text, /accepted/);
});
