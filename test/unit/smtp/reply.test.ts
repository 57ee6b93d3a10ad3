import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplyAssembler, type ReplyItem } from '../../../src/protocol/smtp/reply.js';
import { LIMITS } from '../../../src/protocol/limits.js';

function feed(a: ReplyAssembler, text: string): ReplyItem[] {
  const out: ReplyItem[] = [];
  for (const l of text.split('\r\n').slice(0, -1)) {
    const r = a.line(Buffer.from(l), Buffer.from(l + '\r\n'));
    if (r) out.push(r);
  }
  return out;
}

describe('SMTP replies', () => {
  test('multi-line reply becomes one reply with code, enhanced code, lines and raw', () => {
    const text = '550-5.7.1 Message rejected\r\n550-5.7.1 see https://example.net/why\r\n550 5.7.1 bye\r\n';
    const [r] = feed(new ReplyAssembler(), text);
    assert.ok(r?.kind === 'reply');
    assert.equal(r.reply.code, 550);
    assert.equal(r.reply.enhanced?.code, '5.7.1');
    assert.deepEqual(
      r.reply.enhanced && [r.reply.enhanced.class, r.reply.enhanced.subject, r.reply.enhanced.detail],
      [5, 7, 1],
    );
    assert.deepEqual(r.reply.lines, ['Message rejected', 'see https://example.net/why', 'bye']);
    assert.equal(r.raw.toString(), text);
  });

  test('an enhanced code of the wrong class is plain text', () => {
    const [r] = feed(new ReplyAssembler(), '250 5.0.0 odd\r\n');
    assert.ok(r?.kind === 'reply');
    assert.equal(r.reply.enhanced, undefined);
    assert.equal(r.reply.text, '5.0.0 odd');
  });

  test('a bare code with no text is accepted as a final line', () => {
    const [r] = feed(new ReplyAssembler(), '250\r\n');
    assert.ok(r?.kind === 'reply');
    assert.equal(r.reply.code, 250);
    assert.deepEqual(r.reply.lines, ['']);
  });

  test('mixed codes: error keeps all bytes, the next reply parses', () => {
    const a = new ReplyAssembler();
    const items = feed(a, '250-one\r\n251 two\r\n220 fine\r\n');
    assert.equal(items.length, 2);
    assert.ok(items[0]?.kind === 'error');
    assert.match(items[0].message, /changed its code from 250 to 251/);
    assert.equal(items[0].raw.toString(), '250-one\r\n251 two\r\n');
    assert.ok(items[1]?.kind === 'reply' && items[1].reply.code === 220);
  });

  test('missing separator and non-digit codes are errors with their raw line', () => {
    const items = feed(new ReplyAssembler(), '250x\r\nabc hello\r\n99 low\r\n250 ok\r\n');
    assert.deepEqual(
      items.map((i) => [i.kind, i.raw.toString()]),
      [
        ['error', '250x\r\n'],
        ['error', 'abc hello\r\n'],
        ['error', '99 low\r\n'],
        ['reply', '250 ok\r\n'],
      ],
    );
    assert.ok(items[0]?.kind === 'error');
    assert.match(items[0].message, /without a space or hyphen/);
  });

  test('too many lines: a limit error, then the reply completes as truncated', () => {
    const a = new ReplyAssembler();
    const n = LIMITS.maxSmtpReplyLines + 5;
    const text = '250-x\r\n'.repeat(n) + '250 end\r\n';
    const items = feed(a, text);
    assert.equal(items[0]?.kind, 'error');
    assert.ok(items[0]?.kind === 'error' && items[0].limit === 'maxSmtpReplyLines');
    const last = items[items.length - 1];
    assert.ok(last?.kind === 'reply' && last.reply.truncated === true && last.reply.code === 250);
    assert.equal(Buffer.concat(items.map((i) => i.raw)).toString(), text);
  });

  test('too many bytes: a maxSmtpReplyBytes error keeps the bytes, the reply still ends', () => {
    const line = '250-' + 'y'.repeat(1000) + '\r\n';
    const count = Math.ceil(LIMITS.maxSmtpReplyBytes / line.length) + 3;
    const text = line.repeat(count) + '250 end\r\n';
    const items = feed(new ReplyAssembler(), text);
    assert.ok(items[0]?.kind === 'error' && items[0].limit === 'maxSmtpReplyBytes');
    assert.ok(items[0].raw.length <= LIMITS.maxSmtpReplyBytes + line.length);
    assert.ok(items.at(-1)?.kind === 'reply');
    assert.equal(Buffer.concat(items.map((i) => i.raw)).toString(), text);
  });
});
