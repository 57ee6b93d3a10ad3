// SMTP commands (RFC 5321 and extensions). States are the codec's names
// (src/protocol/smtp/states.ts): greeted (before EHLO), ready, mail, rcpt.
import { rfc } from './refs.js';
import type { VerbEntry } from './types.js';

const AFTER_GREETING = ['greeted', 'ready', 'mail', 'rcpt'] as const;

function smtp(entry: Omit<VerbEntry, 'protocol'>): VerbEntry {
  return { protocol: 'smtp', ...entry };
}

export const SMTP_VERBS: readonly VerbEntry[] = [
  smtp({
    verb: 'EHLO',
    syntax: 'EHLO domain',
    summary: "Greets the server with the client's name and asks for the extensions it supports.",
    details:
      'The multi-line 250 reply lists EHLO keywords (STARTTLS, AUTH, SIZE, PIPELINING, ...). Send EHLO again after STARTTLS: the list usually changes. EHLO also resets a mail transaction.',
    states: AFTER_GREETING,
    ref: rfc(5321, '4.1.1.1'),
    example: 'C: EHLO client.example\nS: 250-mx.example.test\nS: 250-STARTTLS\nS: 250 AUTH PLAIN LOGIN',
  }),
  smtp({
    verb: 'HELO',
    syntax: 'HELO domain',
    summary: 'The original greeting, without extensions (no STARTTLS, no AUTH).',
    details: 'Only for servers that do not understand EHLO.',
    states: AFTER_GREETING,
    ref: rfc(5321, '4.1.1.1'),
    example: 'C: HELO client.example\nS: 250 mx.example.test',
  }),
  smtp({
    verb: 'STARTTLS',
    syntax: 'STARTTLS',
    summary: 'Upgrades the plaintext connection to TLS (ports 25 and 587).',
    details:
      'After `220 Ready to start TLS` the handshake starts; the server forgets everything and the client must send EHLO again. Port 465 (submissions) uses implicit TLS instead.',
    states: ['ready'],
    capability: 'STARTTLS',
    ref: rfc(3207, '4'),
    example: 'C: STARTTLS\nS: 220 2.0.0 Ready to start TLS',
  }),
  smtp({
    verb: 'AUTH',
    syntax: 'AUTH mechanism [initial-response]',
    summary: 'Logs in with a SASL mechanism (PLAIN, LOGIN, ...), as mail submission on port 587 requires.',
    details:
      'Challenges come as `334 base64`; `235` means success, `535 5.7.8` wrong credentials, `530 5.7.0` authentication required, `538` TLS required first.',
    states: ['ready'],
    capability: 'AUTH',
    ref: rfc(4954, '4'),
    example: 'C: AUTH PLAIN AGFsaWNlAHNlY3JldA==\nS: 235 2.7.0 Authentication successful',
  }),
  smtp({
    verb: 'MAIL',
    syntax: 'MAIL FROM:<reverse-path> [parameters]',
    summary: 'Starts a mail transaction with the sender (envelope) address, where bounces go.',
    details:
      'Parameters come from EHLO extensions: SIZE=n, BODY=8BITMIME, SMTPUTF8, RET/ENVID (DSN). `MAIL FROM:<>` is the null sender used by bounces.',
    states: ['ready'],
    ref: rfc(5321, '4.1.1.2'),
    example: 'C: MAIL FROM:<bob@example.test>\nS: 250 2.1.0 Ok',
  }),
  smtp({
    verb: 'RCPT',
    syntax: 'RCPT TO:<forward-path> [parameters]',
    summary: 'Adds one recipient (envelope) address to the transaction; repeat for each recipient.',
    details:
      'The envelope recipients decide delivery, not the To: header. `550 5.1.1` means the mailbox does not exist; `554 5.7.1` relaying refused.',
    states: ['mail', 'rcpt'],
    ref: rfc(5321, '4.1.1.3'),
    example: 'C: RCPT TO:<alice@example.test>\nS: 250 2.1.5 Ok',
  }),
  smtp({
    verb: 'DATA',
    syntax: 'DATA',
    summary:
      'Sends the message itself: after `354`, the headers and body, ended by a line with a single dot.',
    details:
      'Lines starting with a dot are doubled (dot-stuffing). The final 250 means the server took responsibility for the message (often `queued as ...`).',
    states: ['rcpt'],
    ref: rfc(5321, '4.1.1.4'),
    example:
      'C: DATA\nS: 354 End data with <CR><LF>.<CR><LF>\nC: Subject: hi\nC: \nC: Hello\nC: .\nS: 250 2.0.0 Ok: queued as 0499A20C6A1',
  }),
  smtp({
    verb: 'BDAT',
    syntax: 'BDAT size [LAST]',
    summary: 'Sends the message in binary chunks of a declared size instead of DATA (CHUNKING).',
    details: 'No dot-stuffing and no end marker; the chunk marked LAST ends the message.',
    states: ['rcpt'],
    capability: 'CHUNKING',
    ref: rfc(3030, '2'),
    example: 'C: BDAT 86 LAST\nC: (86 octets)\nS: 250 2.0.0 Message accepted',
  }),
  smtp({
    verb: 'RSET',
    syntax: 'RSET',
    summary: 'Aborts the current mail transaction (sender and recipients are forgotten).',
    details: 'The session stays open and greeted.',
    states: AFTER_GREETING,
    ref: rfc(5321, '4.1.1.5'),
    example: 'C: RSET\nS: 250 2.0.0 Ok',
  }),
  smtp({
    verb: 'VRFY',
    syntax: 'VRFY string',
    summary: 'Asks whether an address or user name is valid.',
    details:
      'Most servers answer `252` (cannot verify, will try to deliver) or disable it, because it lets spammers harvest addresses.',
    states: AFTER_GREETING,
    ref: rfc(5321, '4.1.1.6'),
    example: 'C: VRFY bob@example.test\nS: 252 2.0.0 bob@example.test',
  }),
  smtp({
    verb: 'EXPN',
    syntax: 'EXPN string',
    summary: 'Asks the server to expand a mailing list into its members.',
    details: 'Nearly always disabled (`502` or `550`) for privacy.',
    states: AFTER_GREETING,
    ref: rfc(5321, '4.1.1.7'),
    example: 'C: EXPN staff\nS: 502 5.5.1 EXPN not available',
  }),
  smtp({
    verb: 'HELP',
    syntax: 'HELP [string]',
    summary: 'Asks for help text (replies 211 or 214).',
    details: 'The text is for people; its content is not standardised.',
    states: AFTER_GREETING,
    ref: rfc(5321, '4.1.1.8'),
    example: 'C: HELP\nS: 214 2.0.0 See RFC 5321',
  }),
  smtp({
    verb: 'NOOP',
    syntax: 'NOOP',
    summary: 'Does nothing; the server answers 250 (a keep-alive).',
    details: 'Has no effect on a mail transaction in progress.',
    states: AFTER_GREETING,
    ref: rfc(5321, '4.1.1.9'),
    example: 'C: NOOP\nS: 250 2.0.0 Ok',
  }),
  smtp({
    verb: 'QUIT',
    syntax: 'QUIT',
    summary: 'Ends the session; the server answers 221 and closes.',
    details: 'A transaction not yet ended with the final DATA reply is abandoned.',
    states: ['greeting-refused', ...AFTER_GREETING],
    ref: rfc(5321, '4.1.1.10'),
    example: 'C: QUIT\nS: 221 2.0.0 Bye',
  }),
];
