// The verb table's plain rules: when clauses, argument hints, the generated test message.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ImapClientCodec } from '../../../src/protocol/imap/codec.js';
import type { VerbSession } from '../../../src/verbs/types.js';
import { verbById, whenClause } from '../../../src/verbs/catalog.js';
import { hintsFor } from '../../../src/verbs/hints.js';
import { testMessage } from '../../../src/verbs/test-message.js';

const session = { codec: new ImapClientCodec(), protocol: 'imap' } as unknown as VerbSession;

describe('verb table', () => {
  test('when clauses name the protocol and exactly the valid states', () => {
    assert.equal(whenClause(verbById('imap.fetch')!), 'mailwire.activeVerbState =~ /^imap:(selected)$/');
    assert.equal(
      whenClause(verbById('imap.list')!),
      'mailwire.activeVerbState =~ /^imap:(authenticated|selected)$/',
    );
    assert.equal(whenClause(verbById('imap.done')!), 'mailwire.activeVerbState =~ /^imap:(idle)$/');
    assert.equal(whenClause(verbById('pop3.dele')!), 'mailwire.activeVerbState =~ /^pop3:(transaction)$/');
    assert.equal(whenClause(verbById('smtp.data')!), 'mailwire.activeVerbState =~ /^smtp:(rcpt)$/');
  });

  test('hints come from the state model; a failing model falls back instead of blocking the command', () => {
    const model = {
      mailboxNames: () => ['INBOX', 'Archive'],
      permanentFlags: () => ['\\Seen', '$Label1'],
      messageCount: () => 42,
      saslMechanisms: (): readonly string[] => {
        throw new Error('broken');
      },
    };
    const hints = hintsFor(session, model, 'alice');
    assert.deepEqual(hints.mailboxes, ['INBOX', 'Archive']);
    assert.deepEqual(hints.flags, ['\\Seen', '$Label1']);
    assert.equal(hints.messageCount, 42);
    assert.deepEqual(hints.saslMechanisms, [], 'the codec knows no mechanisms yet');
    assert.equal(hints.user, 'alice');
    const fetch = verbById('imap.fetch')!;
    assert.equal(fetch.args.find((a) => a.name === 'set')?.defaultValue?.(hints), '23:42', 'the newest 20');
    const select = verbById('imap.select')!;
    assert.deepEqual(select.args[0]?.choices?.(hints), ['INBOX', 'Archive']);
    const store = verbById('imap.storeFlags')!;
    assert.deepEqual(store.args.find((a) => a.name === 'flags')?.choices?.(hints), ['\\Seen', '$Label1']);
  });

  test('SASL choices put what the server offers first, and default to the strongest password mechanism', () => {
    const auth = verbById('imap.authenticate')!;
    const mech = auth.args.find((a) => a.name === 'mechanism')!;
    const hints = hintsFor(session, { saslMechanisms: () => ['PLAIN', 'XOAUTH2', 'SCRAM-SHA-1'] }, undefined);
    assert.deepEqual(mech.choices?.(hints).slice(0, 3), ['SCRAM-SHA-1', 'XOAUTH2', 'PLAIN']);
    assert.equal(mech.defaultValue?.(hints), 'SCRAM-SHA-1');
    assert.match(mech.validate?.('DIGEST-MD5') ?? '', /Mailwire implements/);
  });

  test('the test message is a valid RFC 5322 message with CRLF line ends', () => {
    const text = Buffer.from(
      testMessage({
        from: 'a@x.test',
        to: ['b@x.test', 'c@x.test'],
        subject: 'Grüße',
        domain: 'x.test',
        date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
      }),
    ).toString();
    assert.match(text, /^From: <a@x\.test>\r\nTo: <b@x\.test>, <c@x\.test>\r\n/);
    assert.match(text, /\r\nSubject: =\?UTF-8\?B\?R3LDvMOfZQ==\?=\r\n/);
    assert.match(text, /\r\nDate: Fri, 02 Jan 2026 03:04:05 \+0000\r\n/);
    assert.match(text, /\r\nMessage-ID: <[^@\s]+@x\.test>\r\n/);
    assert.ok(!/[^\r]\n/.test(text), 'no bare LF');
  });
});
