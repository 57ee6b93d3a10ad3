// POP3 status indicators and extended response codes `[CODE]` after +OK/-ERR
// (RFC 1939, RFC 2449 section 8, RFC 3206).
import { rfc } from './refs.js';
import type { TermEntry } from './types.js';

export const POP3_STATUS: readonly TermEntry[] = [
  {
    name: '+OK',
    summary: 'Positive reply: the command succeeded.',
    details: 'Multi-line replies (LIST, RETR, CAPA) follow on the next lines and end with a single dot.',
    ref: rfc(1939, '3'),
  },
  {
    name: '-ERR',
    summary: 'Negative reply: the command failed.',
    details: 'With RESP-CODES, a bracketed code such as `[AUTH]` says why.',
    ref: rfc(1939, '3'),
  },
  {
    name: '+',
    summary: 'SASL continuation: send the next base64 response (AUTH).',
    details: 'A line holding `*` cancels the exchange.',
    ref: rfc(5034, '4'),
  },
];

export const POP3_RESPONSE_CODES: readonly TermEntry[] = [
  {
    name: 'LOGIN-DELAY',
    summary: 'Logging in again so soon is not allowed.',
    details: 'The CAPA LOGIN-DELAY line says how many seconds to wait between logins.',
    ref: rfc(2449, '8.1.1'),
  },
  {
    name: 'IN-USE',
    summary: 'The mailbox is locked by another session.',
    details: 'Only one POP3 session may hold a maildrop; try again later.',
    ref: rfc(2449, '8.1.2'),
  },
  {
    name: 'SYS/TEMP',
    summary: "A temporary system problem, not the user's fault.",
    details: 'Retrying later may succeed.',
    ref: rfc(3206, '4'),
  },
  {
    name: 'SYS/PERM',
    summary: 'A permanent system problem; retrying will not help.',
    details: 'Contact the administrator.',
    ref: rfc(3206, '4'),
  },
  {
    name: 'AUTH',
    summary: 'Authentication failed because of the credentials (wrong user or password).',
    details: 'Distinguishes a wrong password from a server problem (SYS/TEMP).',
    ref: rfc(3206, '5'),
  },
  {
    name: 'UTF8',
    summary: 'The reply concerns UTF-8 support.',
    details: 'E.g. a message that cannot be sent without UTF8 mode.',
    ref: rfc(6856, '2'),
  },
];
