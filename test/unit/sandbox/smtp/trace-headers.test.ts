import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { rfc5322Date, toCrlf, traceHeaders } from '../../../../src/sandbox/smtp/trace-headers.js';
import { isLoopbackAddress } from '../../../../src/sandbox/smtp/loopback.js';

test('bare LF and CR become CRLF; CRLF content is left as it is', () => {
  assert.equal(toCrlf(Buffer.from('a\nb\r\nc\rd')).toString(), 'a\r\nb\r\nc\r\nd');
  const crlf = Buffer.from('a\r\nb\r\n');
  assert.equal(toCrlf(crlf), crlf);
  fc.assert(
    fc.property(fc.stringMatching(/^[a\r\n]{0,20}$/), (s) => {
      const out = toCrlf(Buffer.from(s, 'latin1')).toString('latin1');
      assert.ok(!/\r(?!\n)|(?<!\r)\n/.test(out), JSON.stringify(out));
      assert.equal(out.replace(/\r\n/g, '').replace(/[^a]/g, ''), s.replace(/[^a]/g, ''));
    }),
  );
});

test('client-supplied names cannot break the Received header', () => {
  const h = traceHeaders({
    mailFrom: '',
    rcptTo: 'a@b',
    heloName: 'evil\r\nX-Injected: 1',
    remoteAddress: '::ffff:127.0.0.1',
    hostname: 'mx',
    protocol: 'ESMTP',
    id: 'ID',
    date: new Date(Date.UTC(2026, 0, 5, 3, 4, 5)),
  });
  assert.equal(
    h,
    'Return-Path: <>\r\nReceived: from evil??X-Injected:?1 ([127.0.0.1])\r\n\tby mx (Mailwire sandbox) with ESMTP id ID\r\n\tfor <a@b>; Mon, 5 Jan 2026 03:04:05 +0000\r\n',
  );
  assert.equal(rfc5322Date(new Date(Date.UTC(2026, 10, 22, 23, 59, 0))), 'Sun, 22 Nov 2026 23:59:00 +0000');
});

test('loopback detection', () => {
  assert.ok(isLoopbackAddress('127.0.0.1'));
  assert.ok(isLoopbackAddress('::ffff:127.1.2.3'));
  assert.ok(isLoopbackAddress('::1'));
  assert.ok(!isLoopbackAddress('10.0.0.1'));
  assert.ok(!isLoopbackAddress('::ffff:192.168.1.1'));
  assert.ok(!isLoopbackAddress(undefined));
});
