// Found by the secrets sweep: SASL answers a user sends right behind a raw `AUTH mechanism` line,
// before the server's prompt came back, were taken for new commands and recorded in the clear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SmtpClientCodec } from '../../../src/protocol/smtp/index.js';
import { Pop3ClientCodec } from '../../../src/protocol/pop3/index.js';
import type { Outgoing } from '../../../src/protocol/types.js';

const PLAIN = Buffer.from('\0alice\0s3cret-pw').toString('base64');

function secretText(out: readonly Outgoing[]): string[] {
  return out.map((o) =>
    Buffer.from(o.bytes)
      .toString('latin1')
      .slice(...(o.secrets?.[0] ?? [0, 0])),
  );
}

for (const [name, make, greeting, prompt, ok] of [
  ['SMTP', () => new SmtpClientCodec(), '220 hi\r\n', '334 \r\n', '235 ok\r\n'],
  ['POP3', () => new Pop3ClientCodec(), '+OK hi\r\n', '+ \r\n', '+OK in\r\n'],
] as const) {
  test(`${name}: an answer pipelined behind raw AUTH PLAIN is secret and belongs to the AUTH`, () => {
    const codec = make();
    codec.receive(Buffer.from(greeting));
    const auth = codec.sendRaw('AUTH PLAIN');
    const answer = codec.sendRaw(PLAIN);
    assert.equal(answer.id, auth.id);
    assert.deepEqual(secretText(codec.takeOutgoing()), ['', PLAIN]);
    const events = codec.receive(Buffer.from(prompt + ok));
    assert.ok(events.some((e) => e.type === 'completed' && e.command.id === auth.id && e.ok));
    // After the verdict, lines are commands again and nothing in them is hidden.
    const next = codec.sendRaw('NOOP');
    assert.notEqual(next.id, auth.id);
    assert.deepEqual(secretText(codec.takeOutgoing()), ['']);
  });

  test(`${name}: both AUTH LOGIN answers sent ahead are secret; a prompt for them does not capture the next line`, () => {
    const codec = make();
    codec.receive(Buffer.from(greeting));
    const auth = codec.sendRaw('AUTH LOGIN');
    codec.sendRaw('YWxpY2U=');
    codec.sendRaw('czNjcmV0LXB3');
    assert.deepEqual(secretText(codec.takeOutgoing()), ['', 'YWxpY2U=', 'czNjcmV0LXB3']);
    codec.receive(Buffer.from(prompt + prompt));
    // The third line is not a SASL answer: both prompts matched answers already sent.
    const third = codec.sendRaw('NOOP');
    assert.notEqual(third.id, auth.id);
    assert.deepEqual(secretText(codec.takeOutgoing()), ['']);
  });
}
