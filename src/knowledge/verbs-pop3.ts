// POP3 commands (RFC 1939 and extensions). States are the codec's names
// (src/protocol/pop3/states.ts): authorization, transaction.
import { rfc } from './refs.js';
import type { VerbEntry } from './types.js';

const AUTHZ = ['authorization'] as const;
const TRANS = ['transaction'] as const;

function pop3(entry: Omit<VerbEntry, 'protocol'>): VerbEntry {
  return { protocol: 'pop3', ...entry };
}

export const POP3_VERBS: readonly VerbEntry[] = [
  pop3({
    verb: 'USER',
    syntax: 'USER name',
    summary: 'Names the mailbox to log in to; PASS must follow.',
    details: 'A positive reply does not mean the user exists: servers answer +OK either way.',
    states: AUTHZ,
    capability: 'USER',
    ref: rfc(1939, '7'),
    example: 'C: USER alice\nS: +OK',
  }),
  pop3({
    verb: 'PASS',
    syntax: 'PASS password',
    summary: 'Sends the password after USER; on +OK the mailbox is locked and the transaction state begins.',
    details:
      'The password travels in the clear unless the connection uses TLS (STLS or port 995). `-ERR [AUTH]` means the credentials were wrong, `-ERR [IN-USE]` that another session holds the mailbox.',
    states: AUTHZ,
    capability: 'USER',
    ref: rfc(1939, '7'),
    example: 'C: PASS secret\nS: +OK Logged in.',
  }),
  pop3({
    verb: 'APOP',
    syntax: 'APOP name digest',
    summary: "Logs in with an MD5 digest of the greeting's timestamp and a shared secret.",
    details:
      'Only possible when the greeting carries `<...>`; MD5 is weak, prefer TLS with USER/PASS or AUTH.',
    states: AUTHZ,
    ref: rfc(1939, '7'),
    example: 'C: APOP alice c4c9334bac560ecc979e58001b3e22fb\nS: +OK maildrop has 1 message',
  }),
  pop3({
    verb: 'AUTH',
    syntax: 'AUTH mechanism [initial-response]',
    summary: "Logs in with a SASL mechanism; the server's challenges start with `+ `.",
    details: 'Mechanisms are listed by the CAPA `SASL` line. `*` cancels the exchange.',
    states: AUTHZ,
    capability: 'SASL',
    ref: rfc(5034, '4'),
    example: 'C: AUTH PLAIN AGFsaWNlAHNlY3JldA==\nS: +OK Logged in.',
  }),
  pop3({
    verb: 'CAPA',
    syntax: 'CAPA',
    summary: "Lists the server's capabilities, one per line, ended by a line with a single dot.",
    details: 'The list may differ before and after login and after STLS.',
    states: ['authorization', 'transaction'],
    ref: rfc(2449, '5'),
    example: 'C: CAPA\nS: +OK\nS: TOP\nS: UIDL\nS: STLS\nS: .',
  }),
  pop3({
    verb: 'STLS',
    syntax: 'STLS',
    summary: 'Upgrades the plaintext connection to TLS before logging in (port 110).',
    details:
      'After +OK the TLS handshake starts; ask CAPA again afterwards. Port 995 uses TLS from the first byte instead.',
    states: AUTHZ,
    capability: 'STLS',
    ref: rfc(2595, '4'),
    example: 'C: STLS\nS: +OK Begin TLS negotiation now.',
  }),
  pop3({
    verb: 'STAT',
    syntax: 'STAT',
    summary: 'Reports the number of messages and their total size in octets: `+OK count size`.',
    details: 'Messages marked with DELE are not counted.',
    states: TRANS,
    ref: rfc(1939, '5'),
    example: 'C: STAT\nS: +OK 3 3754',
  }),
  pop3({
    verb: 'LIST',
    syntax: 'LIST [msg]',
    summary: 'Lists message numbers and sizes (all, as a multi-line reply, or one).',
    details: 'Deleted messages are left out; asking for one gives `-ERR` when it does not exist.',
    states: TRANS,
    ref: rfc(1939, '5'),
    example: 'C: LIST\nS: +OK 2 messages\nS: 1 2304\nS: 2 827\nS: .',
  }),
  pop3({
    verb: 'UIDL',
    syntax: 'UIDL [msg]',
    summary: "Lists each message's unique id, which stays the same across sessions.",
    details:
      'How a client that keeps mail on the server ("leave a copy") remembers which messages it already downloaded.',
    states: TRANS,
    capability: 'UIDL',
    ref: rfc(1939, '7'),
    example: 'C: UIDL\nS: +OK\nS: 1 000000016b0275fd\nS: .',
  }),
  pop3({
    verb: 'TOP',
    syntax: 'TOP msg n',
    summary: 'Sends the headers of a message and its first n body lines.',
    details: 'TOP n 0 gives only the headers: a cheap preview. Lines starting with a dot are dot-stuffed.',
    states: TRANS,
    capability: 'TOP',
    ref: rfc(1939, '7'),
    example: 'C: TOP 1 0\nS: +OK\nS: Subject: hello\nS: \nS: .',
  }),
  pop3({
    verb: 'RETR',
    syntax: 'RETR msg',
    summary: 'Downloads a whole message (multi-line, ended by a single dot).',
    details:
      "Downloading does not remove it: the message stays on the server unless DELE marks it and QUIT ends the session. That is POP3's keep versus delete.",
    states: TRANS,
    ref: rfc(1939, '5'),
    example: 'C: RETR 1\nS: +OK 623 octets\nS: Subject: hello\nS: \nS: Hi!\nS: .',
  }),
  pop3({
    verb: 'DELE',
    syntax: 'DELE msg',
    summary: 'Marks a message for deletion; it is removed only when QUIT ends the session cleanly.',
    details: 'RSET unmarks everything; a dropped connection deletes nothing.',
    states: TRANS,
    ref: rfc(1939, '5'),
    example: 'C: DELE 1\nS: +OK Marked to be deleted.',
  }),
  pop3({
    verb: 'RSET',
    syntax: 'RSET',
    summary: 'Unmarks every message marked with DELE in this session.',
    details: 'Nothing is deleted until QUIT anyway; RSET takes back the marks.',
    states: TRANS,
    ref: rfc(1939, '5'),
    example: 'C: RSET\nS: +OK',
  }),
  pop3({
    verb: 'NOOP',
    syntax: 'NOOP',
    summary: 'Does nothing; the server answers +OK (a keep-alive).',
    details: 'Unlike IMAP, POP3 reports no new mail during a session.',
    states: TRANS,
    ref: rfc(1939, '5'),
    example: 'C: NOOP\nS: +OK',
  }),
  pop3({
    verb: 'QUIT',
    syntax: 'QUIT',
    summary: 'Ends the session; in the transaction state the server deletes the messages marked with DELE.',
    details:
      'That UPDATE step only happens after QUIT: closing the connection without QUIT keeps every message.',
    states: ['authorization', 'transaction'],
    ref: rfc(1939, '6'),
    example: 'C: QUIT\nS: +OK Logging out, messages deleted.',
  }),
  pop3({
    verb: 'UTF8',
    syntax: 'UTF8',
    summary: 'Switches the session to UTF-8 user names, passwords and messages.',
    details: 'Only when the server advertises UTF8.',
    states: AUTHZ,
    capability: 'UTF8',
    ref: rfc(6856, '2'),
    example: 'C: UTF8\nS: +OK UTF8 enabled',
  }),
];
