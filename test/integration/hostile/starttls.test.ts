// STARTTLS against a hostile server on loopback, with a real TLS upgrade: injected plaintext
// after the go-ahead is never parsed, a missing STARTTLS or an IMAP PREAUTH stops the session,
// nothing learned in plaintext survives, and [ALERT] text stays the server's own words.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { answering, openTracked, tracker } from './common.js';
import type { MailSession } from '../../../src/session/session.js';

const t = tracker();
after(() => t.cleanup());

const INJECTION_NOTE = /possible response injection/;

/** Server wire events holding `needle`, with the warning each was recorded under. */
function serverEventsWith(session: MailSession, needle: string): Array<string | undefined> {
  return session.transcript.events.flatMap((e) =>
    e.dir === 'S' && Buffer.from(e.bytes).toString('latin1').includes(needle) ? [e.malformed] : [],
  );
}

function capabilitiesText(session: MailSession): string {
  const caps = (session.codec as unknown as { capabilities: unknown }).capabilities;
  return JSON.stringify(caps instanceof Set ? [...caps] : caps);
}

describe('STARTTLS response injection is discarded and reported', () => {
  const cases = [
    {
      protocol: 'IMAP',
      scheme: 'imap',
      server: () =>
        answering('* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n', [
          [
            /STARTTLS/,
            async (tag, c) => {
              await c.send(`${tag} OK Begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN X-INJECTED\r\n`);
              await c.startTls();
              return '';
            },
          ],
          [/CAPABILITY/, (tag) => `* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} OK done\r\n`],
        ]),
    },
    {
      protocol: 'POP3',
      scheme: 'pop3',
      server: () =>
        answering('+OK ready\r\n', [
          [
            /^CAPA/,
            (_t, c) => (c.secure ? '+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n' : '+OK\r\nSTLS\r\nUSER\r\n.\r\n'),
          ],
          [
            /^STLS/,
            async (_t, c) => {
              await c.send('+OK Begin TLS\r\n+OK\r\nSASL PLAIN X-INJECTED\r\n.\r\n');
              await c.startTls();
              return '';
            },
          ],
        ]),
    },
    {
      protocol: 'SMTP',
      scheme: 'smtp',
      server: () =>
        answering('220 mx ESMTP\r\n', [
          [/^EHLO/, (_t, c) => (c.secure ? '250-mx\r\n250 AUTH PLAIN\r\n' : '250-mx\r\n250 STARTTLS\r\n')],
          [
            /^STARTTLS/,
            async (_t, c) => {
              await c.send('220 go ahead\r\n250-mx\r\n250 AUTH PLAIN X-INJECTED\r\n');
              await c.startTls();
              return '';
            },
          ],
        ]),
    },
  ];
  for (const { protocol, scheme, server } of cases) {
    test(`${protocol}: bytes sent with the go-ahead are never parsed after the handshake`, async () => {
      const s = await server();
      const session = await openTracked(t, s, scheme, '?tls=starttls');
      assert.equal(session.status, 'open', session.closedBecause);
      assert.equal(session.tls?.verified, true);
      // Capabilities were read again over TLS and hold nothing from the injected bytes.
      assert.match(capabilitiesText(session), /PLAIN/);
      assert.doesNotMatch(capabilitiesText(session), /X-INJECTED/);
      // Recorded once, as discarded bytes, never as a parsed response.
      assert.deepEqual(serverEventsWith(session, 'X-INJECTED'), [
        'sent after the STARTTLS reply, before TLS: discarded, never parsed',
      ]);
      const text = session.transcript.render({ timestamps: false });
      assert.match(text, /X-INJECTED/, 'the injected bytes are shown');
      assert.match(text, INJECTION_NOTE);
      // The injected bytes are still part of what the server sent, byte for byte.
      assert.ok(session.transcript.bytesOf('S').toString('latin1').includes('X-INJECTED'));
    });
  }
});

describe('STARTTLS required but not possible', () => {
  test('IMAP: STARTTLS missing from CAPABILITY aborts before any other command', async () => {
    const s = await answering('* OK ready\r\n', [
      [/CAPABILITY/, (tag) => `* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} OK done\r\n`],
    ]);
    const session = await openTracked(t, s, 'imap', '?tls=starttls');
    assert.equal(session.status, 'closed');
    assert.match(session.closedBecause ?? '', /does not offer STARTTLS.*instead of continuing in plaintext/);
    assert.deepEqual(
      s.connections[0]?.lines.map((l) => l.replace(/^\S+ /, '')),
      ['CAPABILITY'],
    );
  });

  test('POP3: STLS missing from CAPA aborts', async () => {
    const s = await answering('+OK ready\r\n', [[/^CAPA/, () => '+OK\r\nUSER\r\n.\r\n']]);
    const session = await openTracked(t, s, 'pop3', '?tls=starttls');
    assert.equal(session.status, 'closed');
    assert.match(session.closedBecause ?? '', /does not offer STLS/);
  });

  test('SMTP: STARTTLS missing from EHLO aborts', async () => {
    const s = await answering('220 mx\r\n', [[/^EHLO/, () => '250-mx\r\n250 AUTH PLAIN\r\n']]);
    const session = await openTracked(t, s, 'smtp', '?tls=starttls');
    assert.equal(session.status, 'closed');
    assert.match(session.closedBecause ?? '', /does not offer STARTTLS/);
  });

  test('IMAP: a PREAUTH greeting aborts and nothing is sent in plaintext', async () => {
    const s = await answering('* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] hello\r\n', []);
    const session = await openTracked(t, s, 'imap', '?tls=starttls');
    assert.equal(session.status, 'closed');
    assert.match(session.closedBecause ?? '', /PREAUTH/);
    assert.equal(session.transcript.bytesOf('C').length, 0);
  });
});

test('IMAP: untagged data from before STARTTLS does not survive into the TLS session', async () => {
  const s = await answering('* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED X-PLAIN-ONLY] ready\r\n', [
    [
      /STARTTLS/,
      async (tag, c) => {
        await c.send(`* CAPABILITY IMAP4rev1 STARTTLS X-BEFORE\r\n${tag} OK Begin TLS\r\n`);
        await c.startTls();
        return '';
      },
    ],
    [/CAPABILITY/, (tag) => `* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} OK done\r\n`],
  ]);
  const session = await openTracked(t, s, 'imap', '?tls=starttls');
  assert.equal(session.status, 'open', session.closedBecause);
  const caps = capabilitiesText(session);
  assert.doesNotMatch(caps, /LOGINDISABLED|X-PLAIN-ONLY|X-BEFORE|STARTTLS/);
  assert.match(caps, /AUTH=PLAIN/);
  const lines = s.connections[0]?.lines.map((l) => l.replace(/^\S+ /, ''));
  assert.deepEqual(lines, ['STARTTLS', 'CAPABILITY'], 'capabilities were asked again over TLS');
});

test('IMAP: an [ALERT] is recorded as the server line, verbatim, never as a local note', async () => {
  const alert = '[ALERT] Your account expires in 3 days <b>click</b>';
  const s = await answering('* OK ready\r\n', [[/NOOP/, (tag) => `* OK ${alert}\r\n${tag} OK ${alert}\r\n`]]);
  const session = await openTracked(t, s, 'imap');
  const result = await session.sendRaw('N1 NOOP');
  assert.equal(result.outcome, 'ok');
  const text = session.transcript.render({ timestamps: false });
  const alertLines = text.split('\n').filter((l) => l.includes('[ALERT]'));
  assert.ok(alertLines.length >= 2, text);
  for (const line of alertLines)
    assert.match(line, /^S: (\* OK|N1 OK) \[ALERT\] Your account expires in 3 days <b>click<\/b>$/);
  assert.ok(session.transcript.bytesOf('S').toString('latin1').includes(`* OK ${alert}\r\n`));
});
