// SMTP reply codes (RFC 5321 section 4.2 and the extensions that add codes). The first digit is
// the outcome: 2 success, 3 more input needed, 4 temporary failure (try again later),
// 5 permanent failure (do not retry unchanged).
import { rfc } from './refs.js';
import type { TermEntry } from './types.js';

const r = (name: string, summary: string, details: string, ref = rfc(5321, '4.2.2')): TermEntry => ({
  name,
  summary,
  details,
  ref,
});

export const SMTP_REPLY_CODES: readonly TermEntry[] = [
  r('211', 'System status or help reply.', 'Answers HELP with system information.'),
  r('214', 'Help message.', 'Text meant for a person, usually in answer to HELP.'),
  r('220', 'Service ready.', 'The greeting when a connection opens, and the go-ahead after STARTTLS.'),
  r('221', 'Service closing the connection.', 'The answer to QUIT; the server then closes.'),
  r('235', 'Authentication succeeded.', 'The answer to a successful AUTH exchange.', rfc(4954, '6')),
  r(
    '250',
    'Requested action okay, completed.',
    'Success: EHLO (with the extension list), MAIL, RCPT, the end of DATA, RSET, NOOP.',
  ),
  r('251', 'User not local; will forward.', 'The server accepted a recipient it will forward elsewhere.'),
  r(
    '252',
    'Cannot verify the user, but will accept the message and try.',
    'The usual answer to VRFY on servers that do not disclose users.',
  ),
  r(
    '334',
    'Authentication challenge: send the next SASL response.',
    'The text after the code is base64 (for AUTH LOGIN: "Username:", "Password:").',
    rfc(4954, '4'),
  ),
  r(
    '354',
    'Start mail input; end with a line holding a single dot.',
    'The answer to DATA: send the message now.',
  ),
  r(
    '421',
    'Service not available, closing the connection.',
    'Temporary: the server is shutting down or refuses the session (too many connections, timeout). It may be sent in reply to any command.',
  ),
  r(
    '432',
    'A password transition is needed.',
    'The user must change the password (or use a plaintext mechanism once) to get new credentials.',
    rfc(4954, '6'),
  ),
  r(
    '450',
    'Mailbox unavailable (temporary).',
    'E.g. the mailbox is busy or greylisting is in effect: try again later.',
  ),
  r('451', 'Local error in processing; action aborted.', 'Temporary server-side problem: try again later.'),
  r(
    '452',
    'Insufficient system storage.',
    'Temporary: out of disk space, or too many recipients in this transaction.',
  ),
  r(
    '454',
    'Temporary authentication or TLS failure.',
    'AUTH could not be completed now (RFC 4954), or TLS is not available because of a temporary reason (RFC 3207).',
    rfc(4954, '6'),
  ),
  r(
    '455',
    'Server unable to accommodate parameters.',
    'Temporary: a MAIL or RCPT parameter cannot be handled right now.',
  ),
  r(
    '500',
    'Syntax error, command unrecognized.',
    'The server did not understand the command (or the line was too long).',
  ),
  r(
    '501',
    'Syntax error in parameters or arguments.',
    'E.g. a malformed address in MAIL FROM or RCPT TO (missing angle brackets).',
  ),
  r(
    '502',
    'Command not implemented.',
    'The server knows the command but does not offer it (EXPN, VRFY are often disabled).',
  ),
  r(
    '503',
    'Bad sequence of commands.',
    'The command is not valid now: RCPT before MAIL, DATA without a recipient, AUTH twice.',
  ),
  r('504', 'Command parameter not implemented.', 'E.g. AUTH with a mechanism the server does not support.'),
  r(
    '521',
    'This host does not accept mail.',
    'A server that never accepts mail (a null MX host).',
    rfc(7504, '3'),
  ),
  r(
    '530',
    'Authentication required.',
    'The server needs AUTH (often after STARTTLS) before this command.',
    rfc(4954, '6'),
  ),
  r('534', 'Authentication mechanism is too weak.', 'Use a stronger SASL mechanism.', rfc(4954, '6')),
  r(
    '535',
    'Authentication credentials invalid.',
    'Wrong user name or password (usually with 5.7.8).',
    rfc(4954, '6'),
  ),
  r(
    '538',
    'Encryption required for the requested authentication mechanism.',
    'Use STARTTLS (or port 465) before this AUTH mechanism.',
    rfc(4954, '6'),
  ),
  r(
    '550',
    'Mailbox unavailable; action not taken (permanent).',
    'The mailbox does not exist (5.1.1), relaying is refused (5.7.1), or policy rejects the message.',
  ),
  r('551', 'User not local.', 'The recipient is not hosted here; the text may suggest another address.'),
  r('552', 'Exceeded storage allocation.', 'The message is too big or the mailbox is full.'),
  r('553', 'Mailbox name not allowed.', 'The address syntax is wrong or the sender is not allowed.'),
  r(
    '554',
    'Transaction failed.',
    'Permanent refusal: as a greeting "no SMTP service here"; after DATA the message was rejected; "no valid recipients".',
  ),
  r(
    '555',
    'MAIL FROM/RCPT TO parameters not recognized or not implemented.',
    'An ESMTP parameter the server does not accept.',
  ),
  r('556', 'Domain does not accept mail.', 'The recipient domain publishes a null MX.', rfc(7504, '3')),
];

/** What the first digit of a reply code means (RFC 5321 section 4.2.1). */
export const SMTP_REPLY_CLASSES: Readonly<Record<string, string>> = {
  '2': 'Positive completion: the action succeeded.',
  '3': 'Positive intermediate: the server waits for more input (the message body, a SASL response).',
  '4': 'Transient negative: the action failed for now; the same command may succeed later.',
  '5': 'Permanent negative: do not repeat the same command unchanged.',
};
