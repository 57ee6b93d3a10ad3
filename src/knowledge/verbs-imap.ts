// IMAP commands (RFC 9051 IMAP4rev2, RFC 3501 IMAP4rev1 and extensions). States are the codec's
// names (src/protocol/imap/state.ts). Texts are our own summaries of the RFCs.
import { rfc } from './refs.js';
import type { VerbEntry } from './types.js';

const ANY = ['not-authenticated', 'authenticated', 'selected'] as const;
const AUTHED = ['authenticated', 'selected'] as const;
const SELECTED = ['selected'] as const;
const NOT_AUTHED = ['not-authenticated'] as const;

function imap(entry: Omit<VerbEntry, 'protocol'>): VerbEntry {
  return { protocol: 'imap', ...entry };
}

export const IMAP_VERBS: readonly VerbEntry[] = [
  imap({
    verb: 'CAPABILITY',
    syntax: 'CAPABILITY',
    summary: 'Asks the server which capabilities (extensions, SASL mechanisms) it supports.',
    details:
      'The server answers with one untagged `* CAPABILITY` line. The list can change after STARTTLS and after login, so ask again (or read the `[CAPABILITY ...]` response code) after either.',
    states: ANY,
    ref: rfc(9051, '6.1.1'),
    example: 'C: a1 CAPABILITY\nS: * CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN IDLE\nS: a1 OK done',
  }),
  imap({
    verb: 'NOOP',
    syntax: 'NOOP',
    summary: 'Does nothing, but gives the server a chance to report changes (new mail, flag updates).',
    details:
      'Often used as a poll or keep-alive: untagged EXISTS, EXPUNGE and FETCH responses about the selected mailbox may arrive before the tagged OK.',
    states: ANY,
    ref: rfc(9051, '6.1.2'),
    example: 'C: a2 NOOP\nS: * 23 EXISTS\nS: a2 OK NOOP completed',
  }),
  imap({
    verb: 'LOGOUT',
    syntax: 'LOGOUT',
    summary: 'Ends the session: the server sends `* BYE`, then the tagged OK, then closes.',
    details: 'Valid in every state. A selected mailbox is closed without expunging.',
    states: ANY,
    ref: rfc(9051, '6.1.3'),
    example: 'C: a9 LOGOUT\nS: * BYE logging out\nS: a9 OK LOGOUT completed',
  }),
  imap({
    verb: 'STARTTLS',
    syntax: 'STARTTLS',
    summary: 'Upgrades the plaintext connection to TLS before logging in (port 143).',
    details:
      'After the tagged OK the client starts the TLS handshake; nothing the server sent before the handshake may be trusted, and capabilities must be asked for again. Implicit TLS on port 993 needs no STARTTLS.',
    states: NOT_AUTHED,
    capability: 'STARTTLS',
    ref: rfc(9051, '6.2.1'),
    example: 'C: a1 STARTTLS\nS: a1 OK Begin TLS negotiation now',
  }),
  imap({
    verb: 'AUTHENTICATE',
    syntax: 'AUTHENTICATE mechanism [initial-response]',
    summary: 'Logs in with a SASL mechanism (PLAIN, SCRAM-SHA-256, XOAUTH2, ...).',
    details:
      'The server sends `+ challenge` continuation requests; each client answer is one base64 line, `*` cancels. With SASL-IR the first response may follow the mechanism name. On success the state becomes authenticated.',
    states: NOT_AUTHED,
    ref: rfc(9051, '6.2.2'),
    example: 'C: a1 AUTHENTICATE PLAIN\nS: +\nC: AGFsaWNlAHNlY3JldA==\nS: a1 OK Logged in',
  }),
  imap({
    verb: 'LOGIN',
    syntax: 'LOGIN userid password',
    summary: 'Logs in with a user name and a plaintext password.',
    details:
      'Refused when the server advertises LOGINDISABLED (typically before STARTTLS). Quote arguments holding spaces or specials; use a literal for anything else. On success the state becomes authenticated.',
    states: NOT_AUTHED,
    ref: rfc(9051, '6.2.3'),
    example: 'C: a1 LOGIN alice secret\nS: a1 OK [CAPABILITY IMAP4rev1 IDLE] Logged in',
  }),
  imap({
    verb: 'ENABLE',
    syntax: 'ENABLE capability...',
    summary: 'Turns on extensions that change how the server talks (CONDSTORE, QRESYNC, UTF8=ACCEPT).',
    details: 'The server answers `* ENABLED` with the extensions it actually enabled.',
    states: ['authenticated'],
    capability: 'ENABLE',
    ref: rfc(9051, '6.3.1'),
    example: 'C: a3 ENABLE CONDSTORE\nS: * ENABLED CONDSTORE\nS: a3 OK Enabled',
  }),
  imap({
    verb: 'SELECT',
    syntax: 'SELECT mailbox [(parameters)]',
    summary: 'Opens a mailbox read-write, so messages in it can be fetched, flagged and expunged.',
    details:
      'Untagged responses report the mailbox: FLAGS, EXISTS (message count), OK [UIDVALIDITY], [UIDNEXT], [PERMANENTFLAGS], and (IMAP4rev1) RECENT and [UNSEEN]. A failed SELECT leaves no mailbox selected.',
    states: AUTHED,
    ref: rfc(9051, '6.3.2'),
    example:
      'C: a4 SELECT INBOX\nS: * 18 EXISTS\nS: * OK [UIDVALIDITY 3857529045] UIDs valid\nS: a4 OK [READ-WRITE] Select completed',
  }),
  imap({
    verb: 'EXAMINE',
    syntax: 'EXAMINE mailbox',
    summary: 'Opens a mailbox read-only: like SELECT, but nothing changes (no \\Seen, no expunge).',
    details: 'The tagged OK carries `[READ-ONLY]`.',
    states: AUTHED,
    ref: rfc(9051, '6.3.3'),
    example: 'C: a4 EXAMINE Archive\nS: * 120 EXISTS\nS: a4 OK [READ-ONLY] Examine completed',
  }),
  imap({
    verb: 'CREATE',
    syntax: 'CREATE mailbox',
    summary: 'Creates a mailbox (folder) on the server.',
    details:
      'Use the hierarchy delimiter from LIST to create a child (`Projects/2026`). Fails with `[ALREADYEXISTS]` if it exists.',
    states: AUTHED,
    ref: rfc(9051, '6.3.4'),
    example: 'C: a5 CREATE Projects\nS: a5 OK Create completed',
  }),
  imap({
    verb: 'DELETE',
    syntax: 'DELETE mailbox',
    summary: 'Deletes a mailbox and the messages in it.',
    details: 'INBOX cannot be deleted. A mailbox with children may be refused (`[HASCHILDREN]`).',
    states: AUTHED,
    ref: rfc(9051, '6.3.5'),
    example: 'C: a6 DELETE Projects\nS: a6 OK Delete completed',
  }),
  imap({
    verb: 'RENAME',
    syntax: 'RENAME existing-mailbox new-mailbox',
    summary: 'Renames a mailbox (its children move with it).',
    details:
      'Renaming INBOX moves its messages into a new mailbox and leaves INBOX empty, rather than renaming it.',
    states: AUTHED,
    ref: rfc(9051, '6.3.6'),
    example: 'C: a7 RENAME Projects Archive/Projects\nS: a7 OK Rename completed',
  }),
  imap({
    verb: 'SUBSCRIBE',
    syntax: 'SUBSCRIBE mailbox',
    summary: 'Adds a mailbox to the subscription list (the folders a client shows).',
    details: 'Subscriptions are listed by `LIST (SUBSCRIBED)` or LSUB.',
    states: AUTHED,
    ref: rfc(9051, '6.3.7'),
    example: 'C: a8 SUBSCRIBE Projects\nS: a8 OK Subscribe completed',
  }),
  imap({
    verb: 'UNSUBSCRIBE',
    syntax: 'UNSUBSCRIBE mailbox',
    summary: 'Removes a mailbox from the subscription list (the mailbox itself stays).',
    details: 'Works even for a mailbox that no longer exists.',
    states: AUTHED,
    ref: rfc(9051, '6.3.8'),
    example: 'C: a8 UNSUBSCRIBE Projects\nS: a8 OK Unsubscribe completed',
  }),
  imap({
    verb: 'LIST',
    syntax: 'LIST reference mailbox-pattern [RETURN (options)]',
    summary: 'Lists mailboxes matching a pattern (`*` any depth, `%` one level).',
    details:
      'Each `* LIST (attributes) "delimiter" name` line names one mailbox; attributes include \\HasChildren, \\Noselect and special-use roles (\\Sent, \\Drafts, \\Junk, \\Trash). `LIST "" ""` returns only the hierarchy delimiter.',
    states: AUTHED,
    ref: rfc(9051, '6.3.9'),
    example:
      'C: a3 LIST "" "*"\nS: * LIST (\\HasNoChildren) "/" INBOX\nS: * LIST (\\Sent) "/" Sent\nS: a3 OK List completed',
  }),
  imap({
    verb: 'LSUB',
    syntax: 'LSUB reference mailbox-pattern',
    summary: 'Lists subscribed mailboxes (IMAP4rev1; IMAP4rev2 uses `LIST (SUBSCRIBED)`).',
    details: 'Answers with `* LSUB` lines shaped like LIST lines.',
    states: AUTHED,
    ref: rfc(3501, '6.3.9'),
    example: 'C: a3 LSUB "" "*"\nS: * LSUB () "/" INBOX\nS: a3 OK Lsub completed',
  }),
  imap({
    verb: 'NAMESPACE',
    syntax: 'NAMESPACE',
    summary: "Asks for the personal, other users' and shared mailbox prefixes and their delimiters.",
    details: 'The answer is three lists (or NIL): `* NAMESPACE (("" "/")) (("Other Users/" "/")) NIL`.',
    states: AUTHED,
    capability: 'NAMESPACE',
    ref: rfc(9051, '6.3.10'),
    example: 'C: a4 NAMESPACE\nS: * NAMESPACE (("" "/")) NIL NIL\nS: a4 OK Namespace completed',
  }),
  imap({
    verb: 'STATUS',
    syntax: 'STATUS mailbox (MESSAGES UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE)',
    summary: 'Reports counters of a mailbox without selecting it.',
    details:
      'Cheaper than SELECT for polling other folders. Do not STATUS the selected mailbox: its counts may be stale.',
    states: AUTHED,
    ref: rfc(9051, '6.3.11'),
    example:
      'C: a5 STATUS Sent (MESSAGES UNSEEN)\nS: * STATUS Sent (MESSAGES 12 UNSEEN 0)\nS: a5 OK Status completed',
  }),
  imap({
    verb: 'APPEND',
    syntax: 'APPEND mailbox [(flags)] [date-time] {size}',
    summary: 'Uploads a whole message into a mailbox (how clients save to Sent and Drafts).',
    details:
      'The message travels as a literal: the server answers `+` before the client sends the octets. With UIDPLUS the OK carries `[APPENDUID uidvalidity uid]`. `[TRYCREATE]` means the mailbox does not exist yet.',
    states: AUTHED,
    ref: rfc(9051, '6.3.12'),
    example:
      'C: a6 APPEND Drafts (\\Draft) {310}\nS: + Ready\nC: (310 octets)\nS: a6 OK [APPENDUID 38505 3955] Append completed',
  }),
  imap({
    verb: 'IDLE',
    syntax: 'IDLE ... DONE',
    summary: 'Waits for the server to push changes (new mail, expunges, flags) until the client sends DONE.',
    details:
      'After `+ idling` the server reports changes as untagged responses while the client stays silent. Send DONE to end IDLE; servers drop an IDLE after about 30 minutes, so clients re-issue it.',
    states: AUTHED,
    capability: 'IDLE',
    ref: rfc(9051, '6.3.13'),
    example: 'C: a7 IDLE\nS: + idling\nS: * 19 EXISTS\nC: DONE\nS: a7 OK Idle completed',
  }),
  imap({
    verb: 'DONE',
    syntax: 'DONE',
    summary: 'Ends an IDLE command (sent without a tag).',
    details: 'The server then sends the tagged OK of the IDLE command.',
    states: AUTHED,
    capability: 'IDLE',
    ref: rfc(9051, '6.3.13'),
    example: 'C: DONE\nS: a7 OK Idle completed',
  }),
  imap({
    verb: 'ID',
    syntax: 'ID (field value ...) | ID NIL',
    summary: 'Exchanges client and server identification (name, version, vendor).',
    details: 'For logs and bug reports; never base behaviour on the answer.',
    states: ANY,
    capability: 'ID',
    ref: rfc(2971, '3.1'),
    example: 'C: a2 ID ("name" "Mailwire")\nS: * ID ("name" "Dovecot")\nS: a2 OK ID completed',
  }),
  imap({
    verb: 'CHECK',
    syntax: 'CHECK',
    summary: 'Asks for a checkpoint of the selected mailbox (IMAP4rev1 only; removed in IMAP4rev2).',
    details: 'Behaves like NOOP on most servers.',
    states: SELECTED,
    ref: rfc(3501, '6.4.1'),
    example: 'C: a8 CHECK\nS: a8 OK Check completed',
  }),
  imap({
    verb: 'CLOSE',
    syntax: 'CLOSE',
    summary: 'Expunges \\Deleted messages silently and deselects the mailbox.',
    details: 'No untagged EXPUNGE responses are sent. Use UNSELECT to leave without expunging.',
    states: SELECTED,
    ref: rfc(9051, '6.4.1'),
    example: 'C: a9 CLOSE\nS: a9 OK Close completed',
  }),
  imap({
    verb: 'UNSELECT',
    syntax: 'UNSELECT',
    summary: 'Deselects the mailbox without expunging anything.',
    details: 'The state returns to authenticated.',
    states: SELECTED,
    capability: 'UNSELECT',
    ref: rfc(9051, '6.4.2'),
    example: 'C: a9 UNSELECT\nS: a9 OK Unselect completed',
  }),
  imap({
    verb: 'EXPUNGE',
    syntax: 'EXPUNGE',
    summary: 'Permanently removes every message flagged \\Deleted from the selected mailbox.',
    details:
      'Each removal is reported as `* n EXPUNGE`; sequence numbers of later messages shift down by one after each.',
    states: SELECTED,
    ref: rfc(9051, '6.4.3'),
    example: 'C: a8 EXPUNGE\nS: * 4 EXPUNGE\nS: a8 OK Expunge completed',
  }),
  imap({
    verb: 'SEARCH',
    syntax: 'SEARCH [CHARSET charset] criteria...',
    summary:
      'Finds messages matching criteria (UNSEEN, FROM, SUBJECT, SINCE, ...) and returns their numbers.',
    details:
      'IMAP4rev1 answers `* SEARCH 2 5 7`; with ESEARCH (or IMAP4rev2) `* ESEARCH (TAG "a5") ALL 2,5,7`. Criteria are ANDed; OR and NOT combine them.',
    states: SELECTED,
    ref: rfc(9051, '6.4.4'),
    example: 'C: a5 SEARCH UNSEEN\nS: * SEARCH 3 4\nS: a5 OK Search completed',
  }),
  imap({
    verb: 'FETCH',
    syntax: 'FETCH sequence-set (items)',
    summary:
      'Retrieves data about messages: FLAGS, ENVELOPE, BODYSTRUCTURE, BODY[section], RFC822.SIZE, UID ...',
    details:
      'Bodies come as literals `{n}`. BODY[] sets \\Seen; BODY.PEEK[] does not. Macros ALL, FAST and FULL name common item sets.',
    states: SELECTED,
    ref: rfc(9051, '6.4.5'),
    example:
      'C: a6 FETCH 1:2 (FLAGS RFC822.SIZE)\nS: * 1 FETCH (FLAGS (\\Seen) RFC822.SIZE 2304)\nS: a6 OK Fetch completed',
  }),
  imap({
    verb: 'STORE',
    syntax: 'STORE sequence-set FLAGS|+FLAGS|-FLAGS[.SILENT] (flags)',
    summary: 'Sets, adds or removes flags on messages (\\Seen, \\Flagged, \\Deleted, keywords).',
    details:
      'The server answers with the new flags as untagged FETCH responses unless `.SILENT` is used. Other sessions on the same mailbox see the change too.',
    states: SELECTED,
    ref: rfc(9051, '6.4.6'),
    example:
      'C: a7 STORE 2 +FLAGS (\\Flagged)\nS: * 2 FETCH (FLAGS (\\Seen \\Flagged))\nS: a7 OK Store completed',
  }),
  imap({
    verb: 'COPY',
    syntax: 'COPY sequence-set mailbox',
    summary: 'Copies messages to another mailbox (flags and dates are kept).',
    details: 'With UIDPLUS the OK carries `[COPYUID uidvalidity source-uids dest-uids]`.',
    states: SELECTED,
    ref: rfc(9051, '6.4.7'),
    example: 'C: a8 COPY 2:4 Archive\nS: a8 OK [COPYUID 38505 304:306 3956:3958] Copy completed',
  }),
  imap({
    verb: 'MOVE',
    syntax: 'MOVE sequence-set mailbox',
    summary: 'Moves messages to another mailbox in one step (copy, flag \\Deleted, expunge, atomically).',
    details: 'Untagged EXPUNGE responses report the messages leaving the selected mailbox.',
    states: SELECTED,
    capability: 'MOVE',
    ref: rfc(9051, '6.4.8'),
    example:
      'C: a9 MOVE 2 Trash\nS: * OK [COPYUID 38505 304 12] Moved\nS: * 2 EXPUNGE\nS: a9 OK Move completed',
  }),
  imap({
    verb: 'UID FETCH',
    syntax: 'UID FETCH uid-set (items)',
    summary: 'FETCH addressed by UID instead of sequence number; UIDs stay stable across sessions.',
    details: 'Every FETCH response includes the UID item.',
    states: SELECTED,
    ref: rfc(9051, '6.4.9'),
    example: 'C: a6 UID FETCH 4392 (FLAGS)\nS: * 18 FETCH (UID 4392 FLAGS ())\nS: a6 OK Fetch completed',
  }),
  imap({
    verb: 'UID SEARCH',
    syntax: 'UID SEARCH criteria...',
    summary: 'SEARCH that returns UIDs instead of sequence numbers.',
    details: 'The criteria are the same as for SEARCH.',
    states: SELECTED,
    ref: rfc(9051, '6.4.9'),
    example: 'C: a5 UID SEARCH ALL\nS: * SEARCH 4390 4391 4392\nS: a5 OK Search completed',
  }),
  imap({
    verb: 'UID STORE',
    syntax: 'UID STORE uid-set FLAGS|+FLAGS|-FLAGS[.SILENT] (flags)',
    summary: 'STORE addressed by UID.',
    details: 'Untagged FETCH responses include the UID.',
    states: SELECTED,
    ref: rfc(9051, '6.4.9'),
    example: 'C: a7 UID STORE 4392 +FLAGS.SILENT (\\Seen)\nS: a7 OK Store completed',
  }),
  imap({
    verb: 'UID COPY',
    syntax: 'UID COPY uid-set mailbox',
    summary: 'COPY addressed by UID.',
    details: 'With UIDPLUS the OK maps source UIDs to destination UIDs (`[COPYUID ...]`).',
    states: SELECTED,
    ref: rfc(9051, '6.4.9'),
    example: 'C: a8 UID COPY 4392 Archive\nS: a8 OK [COPYUID 38505 4392 12] Copy completed',
  }),
  imap({
    verb: 'UID MOVE',
    syntax: 'UID MOVE uid-set mailbox',
    summary: 'MOVE addressed by UID.',
    details: 'The moved messages are reported as EXPUNGE (or VANISHED with QRESYNC).',
    states: SELECTED,
    capability: 'MOVE',
    ref: rfc(6851, '3.1'),
    example: 'C: a9 UID MOVE 4392 Trash\nS: * 18 EXPUNGE\nS: a9 OK Move completed',
  }),
  imap({
    verb: 'UID EXPUNGE',
    syntax: 'UID EXPUNGE uid-set',
    summary: 'Expunges only the \\Deleted messages with the given UIDs (safe when others share the mailbox).',
    details: 'Part of UIDPLUS (RFC 4315) and of IMAP4rev2.',
    states: SELECTED,
    capability: 'UIDPLUS',
    ref: rfc(9051, '6.4.9'),
    example: 'C: a8 UID EXPUNGE 4392\nS: * 18 EXPUNGE\nS: a8 OK Expunge completed',
  }),
];
