// Send Line for IMAP: a line that starts with a command verb gets a tag, so `NOOP` goes out as
// `L3 NOOP`. Tags use their own `L` series, so they never collide with the `A` tags the codec
// gives palette verbs. A line that already has a tag, DONE, and lines inside an exchange
// (literal data, SASL answers) are sent exactly as typed. Plain module: unit tested.

/** IMAP verbs (RFC 9051 and common extensions) a line may start with. */
const IMAP_VERBS = new Set([
  'CAPABILITY',
  'NOOP',
  'LOGOUT',
  'STARTTLS',
  'AUTHENTICATE',
  'LOGIN',
  'ENABLE',
  'SELECT',
  'EXAMINE',
  'CREATE',
  'DELETE',
  'RENAME',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'LIST',
  'LSUB',
  'NAMESPACE',
  'STATUS',
  'APPEND',
  'IDLE',
  'CHECK',
  'CLOSE',
  'UNSELECT',
  'EXPUNGE',
  'SEARCH',
  'ESEARCH',
  'FETCH',
  'STORE',
  'COPY',
  'MOVE',
  'UID',
  'ID',
  'GETQUOTA',
  'GETQUOTAROOT',
  'SETQUOTA',
  'GETACL',
  'SETACL',
  'MYRIGHTS',
  'LISTRIGHTS',
  'DELETEACL',
  'GETMETADATA',
  'SETMETADATA',
  'SORT',
  'THREAD',
  'COMPRESS',
  'XLIST',
]);

export interface TagSuggestion {
  /** The line to send with a tag added, when one should be. */
  readonly tagged: string | undefined;
}

/**
 * `exchange`: a command of this session is waiting for more client lines (a literal's `+`, a SASL
 * challenge, IDLE): then nothing is tagged.
 */
export function suggestTag(line: string, nextTag: string, exchange: boolean): TagSuggestion {
  if (exchange) return { tagged: undefined };
  const first = /^([^\s]+)/.exec(line)?.[1];
  if (!first) return { tagged: undefined };
  return IMAP_VERBS.has(first.toUpperCase()) ? { tagged: `${nextTag} ${line}` } : { tagged: undefined };
}
