import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MultilineBody, type MultilineResult } from '../../../src/protocol/pop3/multiline.js';

function feed(body: MultilineBody, text: string, events: { type: string }[]): MultilineResult | null {
  let result: MultilineResult | null = null;
  for (const l of text.split(/(?<=\n)/)) {
    const raw = Buffer.from(l);
    result = body.line(raw, raw.subarray(0, raw.length - (l.endsWith('\r\n') ? 2 : 1)), events) ?? result;
  }
  return result;
}

describe('POP3 multi-line bodies', () => {
  test('unstuffs line-start dots, ends at a lone dot (also with bare LF)', () => {
    const events: { type: string }[] = [];
    const r = feed(new MultilineBody(true, () => 1), '..a\r\nb.\r\n...\n.\n', events);
    assert.ok(r?.kind === 'held');
    assert.equal(r.body.toString(), '.a\r\nb.\r\n..\n');
    assert.equal(r.raw.toString(), '..a\r\nb.\r\n...\n.\n');
    assert.deepEqual(events, []);
  });

  test('a list over the held limit reports its first part and is marked truncated', () => {
    const events: { type: string; raw?: Uint8Array; limit?: string }[] = [];
    const r = feed(
      new MultilineBody(false, () => 1, 20),
      '1 100\r\n2 200\r\n3 300\r\n4 400\r\n.\r\n',
      events,
    );
    assert.equal(events.length, 1);
    assert.equal(events[0]?.limit, 'maxPop3MultilineBytes');
    assert.equal(Buffer.from(events[0].raw!).toString(), '1 100\r\n2 200\r\n3 300\r\n');
    assert.ok(r?.kind === 'held' && r.truncated);
    assert.equal(r.raw.toString(), '4 400\r\n.\r\n');
  });
});
