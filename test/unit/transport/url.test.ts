import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMailUrl } from '../../../src/transport/url.js';

test('default ports and TLS modes per scheme', () => {
  const expected: Array<[string, string, number, string]> = [
    ['smtp://h', 'smtp', 25, 'none'],
    ['smtps://h', 'smtp', 465, 'implicit'],
    ['pop3://h', 'pop3', 110, 'none'],
    ['pop3s://h', 'pop3', 995, 'implicit'],
    ['imap://h', 'imap', 143, 'none'],
    ['IMAPS://H/', 'imap', 993, 'implicit'],
  ];
  for (const [url, protocol, port, tls] of expected) {
    assert.deepEqual(parseMailUrl(url), { protocol, host: 'h', port, tls }, url);
  }
});

test('submission port stays plain unless STARTTLS is asked for', () => {
  assert.equal(parseMailUrl('smtp://mail.example:587').tls, 'none');
  assert.equal(parseMailUrl('smtp://mail.example:587?starttls=1').tls, 'starttls');
  assert.equal(parseMailUrl('imap://mail.example?tls=starttls').tls, 'starttls');
  assert.equal(parseMailUrl('imaps://mail.example?tls=none').tls, 'none');
});

test('user, IPv6 and accept-unverified', () => {
  assert.deepEqual(parseMailUrl('imaps://alice%40example.com@[::1]:1993?accept-unverified=1'), {
    protocol: 'imap',
    host: '::1',
    port: 1993,
    tls: 'implicit',
    user: 'alice@example.com',
    acceptUnverified: true,
  });
  assert.equal(parseMailUrl('pop3://127.0.0.1:1110').host, '127.0.0.1');
});

test('bad URLs give specific messages', () => {
  const cases: Array<[string, RegExp]> = [
    ['http://mail.example', /Unknown scheme "http:\/\/"/],
    ['imap://mail.example:0', /Bad port "0"/],
    ['imap://mail.example:65536', /Bad port "65536"/],
    ['imap://mail.example:12a', /Bad port "12a"/],
    ['imap://bob:hunter2@mail.example', /Passwords are not allowed in URLs/],
    ['imap://[::zz]', /Bad IPv6 address/],
    ['imap://', /Missing host name/],
    ['imap://bad_host!', /Bad host name/],
    ['imap://h?frobnicate=1', /Unknown URL option "frobnicate"/],
    ['imap://h?tls=maybe', /Bad value "maybe" for tls/],
    ['imaps://h?starttls=1', /cannot also use STARTTLS/],
    ['imap://h/INBOX', /Paths are not supported/],
    ['mail.example', /Not a mail server URL/],
  ];
  for (const [url, expected] of cases) assert.throws(() => parseMailUrl(url), expected, url);
});

test('the password is not repeated in the error', () => {
  assert.throws(
    () => parseMailUrl('imap://bob:hunter2@mail.example'),
    (error: unknown) => error instanceof Error && !error.message.includes('hunter2'),
  );
});
