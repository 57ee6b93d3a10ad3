import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  defaultPort,
  formatConnectionUrl,
  parseConnectionUrl,
  validateHost,
  validatePort,
  type ConnectionTarget,
} from '../../../src/vscode/connection-url.js';

function ok(url: string): ConnectionTarget {
  const r = parseConnectionUrl(url);
  if (!r.ok) assert.fail(`${url}: ${r.message}`);
  return r.value;
}
function message(url: string): string {
  const r = parseConnectionUrl(url);
  assert.equal(r.ok, false, `${url} should be refused`);
  return r.ok ? '' : r.message;
}

describe('parseConnectionUrl', () => {
  test('schemes choose protocol, TLS mode and the registered default port', () => {
    assert.deepEqual(ok('imap://127.0.0.1:1143'), {
      protocol: 'imap',
      tls: 'none',
      host: '127.0.0.1',
      port: 1143,
      user: undefined,
    });
    assert.deepEqual(ok('imaps://alice@mail.example.com'), {
      protocol: 'imap',
      tls: 'implicit',
      host: 'mail.example.com',
      port: 993,
      user: 'alice',
    });
    assert.equal(ok('smtp://mx.example.com?tls=starttls').port, 587);
    assert.equal(ok('smtp://mx.example.com').port, 25);
    assert.equal(ok('smtps://mx.example.com').port, 465);
    assert.equal(ok('pop3s://h').port, 995);
    assert.equal(ok('POP3://h').protocol, 'pop3');
    assert.equal(ok('imap://h?tls=starttls').tls, 'starttls');
  });

  test('explicit port 80 and IPv6 literals are kept', () => {
    assert.equal(ok('imap://h:80').port, 80);
    const v6 = ok('imaps://[::1]:1993');
    assert.equal(v6.host, '::1');
    assert.equal(v6.port, 1993);
  });

  test('user names are percent-decoded', () => {
    assert.equal(ok('imap://alice%40example.com@h').user, 'alice@example.com');
  });

  test('bad URLs get a specific message', () => {
    assert.match(message(''), /Enter a URL/);
    assert.match(message('127.0.0.1:1143'), /no scheme/);
    assert.match(message('http://h'), /unsupported scheme "http:"/);
    assert.match(message('imap://alice:secret@h'), /do not put a password in the URL/);
    assert.doesNotMatch(message('imap://alice:secret@h'), /secret@/);
    assert.match(message('imap://h:99999'), /not a valid URL|out of range/);
    assert.match(message('imap://h/INBOX'), /unexpected path/);
    assert.match(message('imaps://h?tls=starttls'), /already means implicit TLS/);
    assert.match(message('imap://h?tls=maybe'), /tls=maybe is not valid/);
    assert.match(message('imap://h?foo=1'), /unknown URL option "foo"/);
  });

  test('format and parse round-trip', () => {
    const arb = fc.record({
      protocol: fc.constantFrom('smtp' as const, 'pop3' as const, 'imap' as const),
      tls: fc.constantFrom('none' as const, 'implicit' as const, 'starttls' as const),
      host: fc.oneof(fc.domain(), fc.ipV4(), fc.constant('::1')),
      port: fc.integer({ min: 1, max: 65535 }),
      user: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(arb, (t) => {
        const back = ok(formatConnectionUrl(t));
        assert.deepEqual(back, { ...t, host: t.host.toLowerCase() });
      }),
      { numRuns: 300 },
    );
  });

  test('default ports and guided-input validation', () => {
    assert.equal(defaultPort('imap', 'implicit'), 993);
    assert.equal(validateHost('mail.example.com'), undefined);
    assert.equal(validateHost('::1'), undefined);
    assert.match(validateHost('') ?? '', /Enter a host/);
    assert.match(validateHost('a b') ?? '', /not a host name/);
    assert.equal(validatePort('993'), undefined);
    assert.match(validatePort('0') ?? '', /out of range/);
    assert.match(validatePort('x') ?? '', /number from 1 to 65535/);
  });
});
