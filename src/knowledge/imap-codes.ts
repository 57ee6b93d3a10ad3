// IMAP response codes: the bracketed `[CODE ...]` after OK, NO, BAD, PREAUTH or BYE
// (RFC 9051 section 7.1, RFC 3501 section 7.1, RFC 5530, and extensions), plus the status words
// and untagged response kinds a transcript shows.
import { rfc } from './refs.js';
import type { TermEntry } from './types.js';

const c = (
  name: string,
  summary: string,
  details: string,
  ref = rfc(9051, '7.1'),
  example?: string,
): TermEntry =>
  example === undefined ? { name, summary, details, ref } : { name, summary, details, ref, example };

export const IMAP_RESPONSE_CODES: readonly TermEntry[] = [
  c(
    'ALERT',
    'A message the server wants shown to the user.',
    'Clients must display the text (e.g. "mailbox almost full"). Treat it as plain text.',
  ),
  c(
    'ALREADYEXISTS',
    'The mailbox (or other object) already exists.',
    'Typically after CREATE or RENAME.',
    rfc(5530, '3'),
  ),
  c(
    'APPENDUID',
    'The UIDVALIDITY and UID of a message just appended.',
    'From UIDPLUS: `[APPENDUID 38505 3955]`.',
    rfc(4315, '3'),
  ),
  c(
    'AUTHENTICATIONFAILED',
    'Authentication failed: wrong credentials (the server will not say which part).',
    'After LOGIN or AUTHENTICATE.',
    rfc(5530, '3'),
  ),
  c(
    'AUTHORIZATIONFAILED',
    'Authenticated, but not allowed to act as the requested user.',
    'E.g. a SASL authorization identity the user may not assume.',
    rfc(5530, '3'),
  ),
  c(
    'BADCHARSET',
    'SEARCH used a charset the server does not support.',
    'The code may list the supported charsets.',
  ),
  c(
    'CANNOT',
    'The operation can never succeed (a server limitation, not a temporary problem).',
    'E.g. a mailbox name the server cannot store.',
    rfc(5530, '3'),
  ),
  c(
    'CAPABILITY',
    "The server's capability list, sent without being asked.",
    'Usually in the greeting and the OK to LOGIN/AUTHENTICATE, so no CAPABILITY command is needed.',
  ),
  c(
    'CLIENTBUG',
    'The server thinks the client made a mistake (the command succeeded anyway).',
    'E.g. expunging when nothing is \\Deleted.',
    rfc(5530, '3'),
  ),
  c(
    'CLOSED',
    'The previously selected mailbox is now closed.',
    "Sent when a new SELECT/EXAMINE replaces the old one, before the new mailbox's data.",
    rfc(9051, '7.1'),
  ),
  c(
    'CONTACTADMIN',
    'The user should contact the system administrator.',
    'E.g. a disabled account.',
    rfc(5530, '3'),
  ),
  c(
    'COPYUID',
    'UIDs of copied (or moved) messages in the source and destination mailboxes.',
    'From UIDPLUS: `[COPYUID uidvalidity source-uids dest-uids]`.',
    rfc(4315, '3'),
  ),
  c(
    'CORRUPTION',
    'The server found corrupted data.',
    'The operation failed because of damaged storage.',
    rfc(5530, '3'),
  ),
  c(
    'EXPIRED',
    'The credentials or account have expired.',
    'Log in again after renewing them.',
    rfc(5530, '3'),
  ),
  c(
    'EXPUNGEISSUED',
    'Another session expunged messages during this command.',
    'Sequence numbers may have changed; results may be incomplete.',
    rfc(5530, '3'),
  ),
  c(
    'HASCHILDREN',
    'The mailbox has children, so it cannot be deleted this way.',
    'Delete or move the children first.',
  ),
  c(
    'HIGHESTMODSEQ',
    'The highest modification sequence in the mailbox (CONDSTORE).',
    'Lets a client fetch only what changed since its last visit.',
    rfc(7162, '3.1.2.1'),
  ),
  c(
    'INUSE',
    'The mailbox or resource is in use by another process.',
    'Temporary; try again.',
    rfc(5530, '3'),
  ),
  c(
    'LIMIT',
    'A server limit was reached (too many messages, too large).',
    'Change the request rather than retry.',
    rfc(5530, '3'),
  ),
  c(
    'MODIFIED',
    'Some messages were not changed by a conditional STORE because they changed meanwhile.',
    'CONDSTORE UNCHANGEDSINCE failed for the listed messages.',
    rfc(7162, '3.1.3'),
  ),
  c(
    'NOMODSEQ',
    'The mailbox does not support modification sequences.',
    'CONDSTORE is not available for this mailbox.',
    rfc(7162, '3.1.2.2'),
  ),
  c(
    'NONEXISTENT',
    'The mailbox (or message) does not exist.',
    'E.g. SELECT or STATUS of a missing mailbox.',
    rfc(5530, '3'),
  ),
  c(
    'NOPERM',
    'No permission for this operation (ACL).',
    'The mailbox exists but the user may not do this.',
    rfc(5530, '3'),
  ),
  c('OVERQUOTA', 'The operation would exceed the quota.', 'Free space first.', rfc(5530, '3')),
  c(
    'PARSE',
    'The server could not parse the headers of a message.',
    'Data from FETCH ENVELOPE may be incomplete.',
  ),
  c(
    'PERMANENTFLAGS',
    'Flags the client may change permanently in this mailbox.',
    '`\\*` means new keywords may be created. Flags in FLAGS but not here are session-only.',
  ),
  c(
    'PRIVACYREQUIRED',
    'The operation needs a private (encrypted) connection.',
    'Use STARTTLS or port 993.',
    rfc(5530, '3'),
  ),
  c(
    'READ-ONLY',
    'The mailbox is open read-only.',
    'After EXAMINE, or a SELECT of a mailbox the user may not change.',
  ),
  c(
    'READ-WRITE',
    'The mailbox is open read-write.',
    'After SELECT: flags can be changed and messages expunged.',
  ),
  c(
    'REFERRAL',
    'The mailbox or server lives elsewhere; the code holds an IMAP URL to use.',
    'From LOGIN-REFERRALS and MAILBOX-REFERRALS.',
    rfc(2221, '4.1'),
  ),
  c('SERVERBUG', 'The server hit an internal bug.', "Not the client's fault; report it.", rfc(5530, '3')),
  c(
    'TRYCREATE',
    'The target mailbox does not exist, but could be created.',
    'After APPEND, COPY or MOVE: CREATE it and retry.',
  ),
  c(
    'UIDNEXT',
    'The UID the next message added to the mailbox will probably get.',
    'Lets a client tell whether new messages arrived since its last visit.',
  ),
  c(
    'UIDNOTSTICKY',
    'UIDs in this mailbox are not kept between sessions.',
    'Clients cannot cache by UID here.',
    rfc(4315, '3'),
  ),
  c(
    'UIDVALIDITY',
    "The mailbox's UID validity value.",
    'If it changed since the last session, every cached UID is invalid.',
  ),
  c(
    'UNAVAILABLE',
    'A subsystem is temporarily unavailable.',
    'E.g. the authentication backend is down; try again later.',
    rfc(5530, '3'),
  ),
  c(
    'UNKNOWN-CTE',
    'The server cannot decode a content transfer encoding (BINARY).',
    'Fetch the raw BODY instead.',
  ),
  c(
    'UNSEEN',
    'The sequence number of the first message without \\Seen (IMAP4rev1).',
    'Sent after SELECT; IMAP4rev2 dropped it.',
    rfc(3501, '7.1'),
  ),
  c(
    'USEATTR',
    'A special-use attribute given to CREATE cannot be used.',
    'From CREATE-SPECIAL-USE.',
    rfc(6154, '6'),
  ),
];

/** Status words and untagged responses (RFC 9051 section 7). */
export const IMAP_RESPONSES: readonly TermEntry[] = [
  c(
    'OK',
    'Success (tagged: the command completed; untagged: information).',
    'An untagged `* OK [CODE]` carries data such as UIDVALIDITY.',
    rfc(9051, '7.1.1'),
  ),
  c(
    'NO',
    'The command failed (the server understood it but could not do it).',
    'A response code usually says why.',
    rfc(9051, '7.1.2'),
  ),
  c(
    'BAD',
    'The command was not valid: syntax error, unknown command, or wrong state.',
    'Fix the command rather than retry it.',
    rfc(9051, '7.1.3'),
  ),
  c(
    'PREAUTH',
    'Greeting: the connection is already authenticated (no LOGIN needed).',
    'A STARTTLS client must not accept it, since TLS can no longer be started.',
    rfc(9051, '7.1.4'),
  ),
  c(
    'BYE',
    'The server is closing the connection.',
    'After LOGOUT, on shutdown, or on an idle timeout.',
    rfc(9051, '7.1.5'),
  ),
  c('CAPABILITY', 'Untagged list of capabilities.', 'The answer to CAPABILITY.', rfc(9051, '7.2.2')),
  c('ENABLED', 'The extensions ENABLE actually turned on.', 'Answer to ENABLE.', rfc(9051, '7.2.1')),
  c('ID', "The server's identification fields.", 'Answer to ID.', rfc(2971, '3.2')),
  c(
    'LIST',
    'One mailbox: its attributes, hierarchy delimiter and name.',
    'Answer to LIST.',
    rfc(9051, '7.3.1'),
  ),
  c('LSUB', 'One subscribed mailbox (IMAP4rev1).', 'Answer to LSUB.', rfc(3501, '7.2.3')),
  c('NAMESPACE', "Personal, other users' and shared namespaces.", 'Answer to NAMESPACE.', rfc(9051, '7.3.2')),
  c('STATUS', 'Counters of a mailbox.', 'Answer to STATUS (or LIST RETURN (STATUS)).', rfc(9051, '7.3.3')),
  c(
    'ESEARCH',
    'Extended search results (MIN, MAX, COUNT, ALL).',
    'Answer to SEARCH in IMAP4rev2 or with ESEARCH RETURN options.',
    rfc(9051, '7.3.4'),
  ),
  c(
    'SEARCH',
    'Message numbers (or UIDs) matching a SEARCH (IMAP4rev1).',
    'Answer to SEARCH.',
    rfc(3501, '7.2.5'),
  ),
  c('FLAGS', 'The flags defined in the selected mailbox.', 'Sent after SELECT/EXAMINE.', rfc(9051, '7.3.5')),
  c(
    'EXISTS',
    'The number of messages in the mailbox.',
    'Sent after SELECT and whenever new mail arrives (during IDLE, NOOP).',
    rfc(9051, '7.4.1'),
  ),
  c(
    'RECENT',
    'The number of messages new to this session (IMAP4rev1).',
    'IMAP4rev2 dropped \\Recent.',
    rfc(3501, '7.3.2'),
  ),
  c(
    'EXPUNGE',
    'A message was removed; later sequence numbers shift down by one.',
    'Sent after EXPUNGE, MOVE, or when another session expunges.',
    rfc(9051, '7.5.1'),
  ),
  c(
    'FETCH',
    'Data about one message (flags, envelope, body...).',
    'Answer to FETCH, and unsolicited when flags change.',
    rfc(9051, '7.5.2'),
  ),
  c(
    'VANISHED',
    'UIDs of removed messages (QRESYNC).',
    'Replaces EXPUNGE when QRESYNC is enabled.',
    rfc(7162, '3.2.10'),
  ),
];
