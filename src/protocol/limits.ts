// Every size limit that protects the client (and the sandbox server) from a hostile or broken peer.
// Each limit has a name used in messages, so a user sees which one was hit.
// Keep all of them here: one place to review, one place to tune.

export const LIMITS = {
  /** Longest line (without CRLF) accepted from a server, SMTP/POP3 replies and IMAP response lines. */
  maxLineLength: 1024 * 1024,
  /** Longest single SMTP reply (all lines of a multi-line reply together). */
  maxSmtpReplyBytes: 1024 * 1024,
  /** Most lines in one SMTP multi-line reply. */
  maxSmtpReplyLines: 10_000,
  /** Largest IMAP literal accepted from a server (declared size). Bigger declarations are refused. */
  maxLiteralBytes: 4 * 1024 * 1024 * 1024,
  /** Literals and message bodies larger than this stream as payload chunks instead of being held. */
  streamPayloadOver: 256 * 1024,
  /** Largest IMAP response held in memory, not counting streamed literals. */
  maxImapResponseBytes: 64 * 1024 * 1024,
  /** Deepest nesting of IMAP parenthesized lists (BODYSTRUCTURE nests; 100 is generous). */
  maxImapNesting: 100,
  /** Largest POP3 list response (CAPA, LIST, UIDL) held in memory; message bodies stream instead. */
  maxPop3MultilineBytes: 64 * 1024 * 1024,
  /** Longest line the user may send (RFC 5321 allows 1000 for SMTP; servers vary, so be lenient). */
  maxClientLineLength: 64 * 1024,
  /** Sandbox server: longest command line accepted from a client. */
  sandboxMaxLineLength: 64 * 1024,
  /** Sandbox server: largest message or APPEND literal accepted. */
  sandboxMaxMessageBytes: 256 * 1024 * 1024,
  /** Sandbox POP3 server: bad or unknown commands in one session before it closes the connection. */
  sandboxMaxBadCommands: 20,
  /** SCRAM: fewest PBKDF2 iterations accepted from a server (RFC 7677 floor; lower eases brute force). */
  scramMinIterations: 4096,
  /** SCRAM: most PBKDF2 iterations accepted (runs synchronously; more would freeze the client). */
  scramMaxIterations: 10_000_000,
  /** STARTTLS: most plaintext bytes kept from a server between its go-ahead and its first TLS record. */
  starttlsMaxDiscardedBytes: 64 * 1024,
  /** IMAP client: longest string sent quoted; longer ones go as literals (keeps command lines short). */
  imapMaxQuotedLength: 1024,
} as const;

export type LimitName = keyof typeof LIMITS;

/** A readable message for an exceeded limit, e.g. "line longer than 1 MiB (maxLineLength)". */
export function limitMessage(what: string, limit: LimitName): string {
  return `${what} exceeds ${formatBytes(LIMITS[limit])} (limit ${limit})`;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024 && n % (1024 * 1024 * 1024) === 0) return `${n / (1024 * 1024 * 1024)} GiB`;
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
