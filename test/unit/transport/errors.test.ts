import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeSocketError, formatEndpoint, formatSeconds } from '../../../src/transport/errors.js';

const mail = { host: 'mail.example', port: 993 };

function nodeError(code: string, message = code, reason?: string): Error {
  return Object.assign(new Error(message), { code, ...(reason !== undefined ? { reason } : {}) });
}

test('socket error codes become specific messages', () => {
  const cases: Array<[Error, string, string]> = [
    [nodeError('ECONNREFUSED'), 'refused', 'Connection refused by mail.example:993'],
    [
      nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND mail.example'),
      'dns',
      'Host mail.example not found (DNS)',
    ],
    [nodeError('EAI_AGAIN'), 'dns', 'DNS lookup for mail.example failed temporarily (EAI_AGAIN); try again'],
    [nodeError('ECONNRESET'), 'reset', 'Connection reset by mail.example:993'],
    [nodeError('EHOSTUNREACH'), 'other', 'Host mail.example is unreachable'],
    [
      nodeError('EWEIRD', 'something odd'),
      'other',
      'Connection to mail.example:993 failed: something odd (EWEIRD)',
    ],
  ];
  for (const [error, kind, message] of cases) {
    const mapped = describeSocketError(error, mail, 'open');
    assert.equal(mapped.kind, kind);
    assert.equal(mapped.message, message);
  }
});

test('a reset during the handshake is a handshake failure', () => {
  const mapped = describeSocketError(nodeError('ECONNRESET'), mail, 'handshake');
  assert.equal(mapped.kind, 'tls-handshake');
  assert.equal(mapped.message, 'Connection closed by mail.example:993 during the TLS handshake');
});

test('OpenSSL reasons are made readable', () => {
  const version = describeSocketError(
    nodeError('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'x', 'tlsv1 alert protocol version'),
    mail,
    'handshake',
  );
  assert.equal(version.kind, 'tls-version');
  const cipher = describeSocketError(
    nodeError('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'x', 'sslv3 alert handshake failure'),
    mail,
    'handshake',
  );
  assert.equal(cipher.kind, 'tls-handshake');
  assert.match(cipher.message, /no cipher or key exchange in common/);
  const other = describeSocketError(nodeError('ERR_SSL_BAD_THING', 'x', 'bad thing'), mail, 'handshake');
  assert.equal(other.message, 'TLS handshake with mail.example:993 failed: bad thing');
});

test('endpoints and durations', () => {
  assert.equal(formatEndpoint({ host: '::1', port: 143 }), '[::1]:143');
  assert.equal(formatEndpoint(mail), 'mail.example:993');
  assert.equal(
    `Connection to mail.example:993 timed out after ${formatSeconds(15000)}`,
    'Connection to mail.example:993 timed out after 15 s',
  );
  assert.equal(formatSeconds(200), '0.2 s');
});
