import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ImapClientCodec, type ImapEvent } from '../../../src/protocol/imap/index.js';
import { LIMITS } from '../../../src/protocol/limits.js';
import { cutAt, ofType, rebuild } from './dialogue.js';

const GREETING = Buffer.from('* OK ready\r\n');

function greeted(): ImapClientCodec {
  const codec = new ImapClientCodec();
  codec.receive(GREETING);
  return codec;
}

function feed(codec: ImapClientCodec, pieces: readonly Uint8Array[]): ImapEvent[] {
  return pieces.flatMap((p) => codec.receive(p));
}

describe('literals split across chunks', () => {
  const response = Buffer.from(
    '* 7 FETCH (UID 9 BODY[] {19}\r\nSubject: {3}\r\n\r\nabc)\r\n' + '* LIST () "/" {6}\r\nfolder\r\n',
  );

  test('every single cut position yields the same typed responses and exact raw bytes', () => {
    for (let cut = 0; cut <= response.length; cut++) {
      const events = feed(greeted(), cutAt(response, [cut]));
      const untagged = ofType(events, 'untagged');
      assert.equal(untagged.length, 2, `cut at ${cut}`);
      const fetch = untagged[0]?.response;
      assert.ok(fetch?.kind === 'fetch');
      const value = fetch.data.sections?.[0]?.value;
      assert.equal(Buffer.from(value as Uint8Array).toString(), 'Subject: {3}\r\n\r\nabc', `cut at ${cut}`);
      const list = untagged[1]?.response;
      assert.equal(list?.kind === 'list' ? list.mailbox : '', 'folder');
      assert.ok(rebuild(events).equals(response), `cut at ${cut}`);
    }
  });

  test('byte-by-byte delivery works as well', () => {
    const events = feed(
      greeted(),
      [...response].map((b) => Uint8Array.of(b)),
    );
    assert.equal(ofType(events, 'untagged').length, 2);
    assert.ok(rebuild(events).equals(response));
  });
});

test('a chunk that ends with whole responses is not copied, and no chunk is ever written to', () => {
  // receive()'s contract: events may be views of the chunks given, which callers leave as they are.
  const codec = greeted();
  const chunk = Buffer.from('* 1 FETCH (BODY[] {3}\r\nabc)\r\n* 2 EX');
  const before = Buffer.from(chunk);
  const events = codec.receive(chunk);
  const tail = Buffer.from('ISTS\r\n');
  events.push(...codec.receive(tail));
  assert.ok(chunk.equals(before) && tail.equals(Buffer.from('ISTS\r\n')), 'a chunk was written to');
  const [fetch, exists] = ofType(events, 'untagged');
  assert.equal(Buffer.from(fetch?.raw ?? []).toString(), '* 1 FETCH (BODY[] {3}\r\nabc)\r\n');
  assert.equal(fetch?.raw.buffer, chunk.buffer, 'the first response should be a view of its chunk');
  const value = fetch?.response.kind === 'fetch' ? fetch.response.data.sections?.[0]?.value : null;
  assert.equal(Buffer.from(value as Uint8Array).toString(), 'abc');
  // A response split across chunks is put together in the framer's own storage.
  assert.equal(Buffer.from(exists?.raw ?? []).toString(), '* 2 EXISTS\r\n');
  assert.notEqual(exists?.raw.buffer, chunk.buffer);
});

describe('streamed literals', () => {
  const size = LIMITS.streamPayloadOver + 1000;
  const body = Buffer.alloc(size);
  for (let i = 0; i < size; i++) body[i] = (i * 7) & 0xff;
  const stream = Buffer.concat([
    Buffer.from(`* 1 FETCH (UID 5 BODY[] {${size}}\r\n`),
    body,
    Buffer.from(' FLAGS (\\Seen))\r\n'),
  ]);

  test('a literal over streamPayloadOver comes as payload events and a PayloadRef', () => {
    const events = feed(greeted(), cutAt(stream, [10, 40, 5000, 100_000, stream.length - 3]));
    const start = ofType(events, 'payload-start')[0];
    assert.equal(start?.declaredSize, size);
    const chunks = ofType(events, 'payload-chunk');
    assert.ok(chunks.length >= 3, 'delivered as it arrives, not buffered');
    assert.ok(Buffer.concat(chunks.map((c) => c.chunk)).equals(body));
    assert.equal(ofType(events, 'payload-end')[0]?.size, size);
    const [fetch] = ofType(events, 'untagged');
    assert.ok(fetch?.response.kind === 'fetch');
    assert.deepEqual(fetch.response.data.sections?.[0]?.value, { payload: start?.payload, size });
    assert.deepEqual(fetch.response.data.flags, ['\\Seen']);
    assert.ok((fetch.raw.length ?? 0) < 100, 'the payload is not held in raw');
    assert.ok(rebuild(events).equals(stream));
  });

  test('a connection closed inside a streamed literal keeps every byte', () => {
    const codec = greeted();
    const events = feed(codec, [stream.subarray(0, 200_000)]);
    events.push(...codec.closed());
    const err = ofType(events, 'protocol-error')[0];
    assert.equal(err?.fatal, true);
    assert.ok(rebuild(events).equals(stream.subarray(0, 200_000)));
  });
});

describe('limits', () => {
  test('a literal declaring 10^15 octets is refused, fatally, with a specific message', () => {
    const codec = greeted();
    const events = codec.receive(Buffer.from('* 1 FETCH (BODY[] {1000000000000000}\r\nxxxx'));
    const [err] = ofType(events, 'protocol-error');
    assert.equal(err?.fatal, true);
    assert.equal(err?.limit, 'maxLiteralBytes');
    assert.match(err?.message ?? '', /literal declares 1000000000000000 octets, over the 4 GiB limit/);
    const more = codec.receive(Buffer.from('* 2 EXISTS\r\n'));
    assert.equal(more[0]?.type, 'protocol-error', 'nothing after it is parsed');
    assert.ok(
      rebuild([...events, ...more]).equals(
        Buffer.from('* 1 FETCH (BODY[] {1000000000000000}\r\nxxxx* 2 EXISTS\r\n'),
      ),
    );
  });

  test('an over-long line is reported once it passes the limit, then parsing resumes', () => {
    const codec = greeted();
    const long = Buffer.alloc(LIMITS.maxLineLength + 10, 'a');
    const events = feed(codec, [Buffer.from('* OK '), long, Buffer.from('tail\r\n* 5 EXISTS\r\n')]);
    const errors = ofType(events, 'protocol-error');
    assert.ok(errors.length >= 1);
    assert.equal(errors[0]?.limit, 'maxLineLength');
    assert.ok(errors.every((e) => !e.fatal));
    assert.deepEqual(ofType(events, 'untagged')[0]?.response, { kind: 'exists', number: 5 });
    assert.ok(
      rebuild(events).equals(
        Buffer.concat([Buffer.from('* OK '), long, Buffer.from('tail\r\n* 5 EXISTS\r\n')]),
      ),
    );
  });

  test('a response over maxImapResponseBytes is skipped to its end, then parsing resumes', () => {
    const codec = greeted();
    const literal = LIMITS.streamPayloadOver; // the largest literal that is held, not streamed
    const count = Math.ceil(LIMITS.maxImapResponseBytes / literal) + 1;
    const head = Buffer.from(`* 1 FETCH (X-BIG (`);
    const item = Buffer.concat([
      Buffer.from(`{${literal}}\r\n`),
      Buffer.alloc(literal, 0x61),
      Buffer.from(' '),
    ]);
    const events: ImapEvent[] = [...codec.receive(head)];
    for (let i = 0; i < count; i++) events.push(...codec.receive(item));
    const tail = Buffer.from('))\r\n* 9 EXISTS\r\n');
    events.push(...codec.receive(tail));
    const errors = ofType(events, 'protocol-error');
    assert.equal(errors[0]?.limit, 'maxImapResponseBytes');
    assert.ok(errors.every((e) => !e.fatal));
    assert.ok(errors.length < 10, 'skipped bytes are reported per received chunk, not per byte');
    assert.deepEqual(ofType(events, 'untagged')[0]?.response, { kind: 'exists', number: 9 });
    const total = head.length + count * item.length + tail.length;
    assert.equal(rebuild(events).length, total);
  });

  test('lists nested deeper than maxImapNesting are refused without a stack overflow', () => {
    const deep = '('.repeat(LIMITS.maxImapNesting + 5) + ')'.repeat(LIMITS.maxImapNesting + 5);
    const events = greeted().receive(Buffer.from(`* 1 FETCH (X-THING ${deep})\r\n* 2 EXISTS\r\n`));
    assert.equal(events[0]?.type === 'protocol-error' ? events[0].limit : undefined, 'maxImapNesting');
    assert.equal(events[1]?.type, 'untagged');
  });
});

test('a streamed literal arriving in later chunks is handed out as views of those chunks, not copies', () => {
  const size = LIMITS.streamPayloadOver * 3;
  const body = Buffer.alloc(size, 0x61);
  const head = Buffer.from(`* 1 FETCH (BODY[] {${size}}\r\n`);
  const tail = Buffer.from(')\r\nA1 OK done\r\n');
  const stream = Buffer.concat([head, body, tail]);
  // Socket-sized reads, each its own buffer, the way a socket delivers them.
  const chunks: Buffer[] = [];
  for (let at = 0; at < stream.length; at += 64 * 1024)
    chunks.push(Buffer.from(stream.subarray(at, at + 64 * 1024)));
  const codec = greeted();
  let viewed = 0;
  const pieces: Uint8Array[] = [];
  const events: ImapEvent[] = [];
  for (const chunk of chunks) {
    for (const e of codec.receive(chunk)) {
      events.push(e);
      if (e.type !== 'payload-chunk') continue;
      pieces.push(Buffer.from(e.chunk));
      if (e.chunk.buffer === chunk.buffer) viewed += e.chunk.length;
    }
  }
  assert.ok(Buffer.concat(pieces).equals(body), 'the literal arrives whole and in order');
  // Everything but the bytes that shared a chunk with the FETCH line came without a copy.
  assert.ok(viewed >= size - 64 * 1024, `${viewed} of ${size} bytes were views`);
  assert.ok(rebuild(events).equals(stream), 'nothing dropped');
  assert.equal(ofType(events, 'payload-end')[0]?.size, size);
});
