// The sans-I/O shape of a SASL mechanism (RFC 4422), shared by IMAP AUTHENTICATE, POP3 AUTH and
// SMTP AUTH. Mechanisms work on decoded bytes; the protocol codecs do the base64 and the framing.

export interface SaslCredentials {
  /** Authentication identity (user name). */
  readonly username: string;
  /** Password, for PLAIN, LOGIN, CRAM-MD5 and SCRAM. */
  readonly password?: string;
  /** OAuth 2.0 bearer token, for XOAUTH2 and OAUTHBEARER. */
  readonly token?: string;
  /** Authorization identity, when different from `username`. */
  readonly authzid?: string;
  /** Host and port, used by OAUTHBEARER's GS2 header. */
  readonly host?: string;
  readonly port?: number;
}

/** What the mechanism says to a server challenge. */
export type SaslStep =
  /** Send these bytes (base64-encoded by the codec; empty means an empty line). */
  | { readonly kind: 'respond'; readonly response: Uint8Array }
  /** Cancel the exchange (the codec sends `*`), e.g. a SCRAM server signature that does not verify. */
  | { readonly kind: 'abort'; readonly reason: string };

export interface SaslMechanism {
  /** IANA name, upper case: `PLAIN`, `SCRAM-SHA-256`, ... */
  readonly name: string;
  /**
   * The client-first message when the mechanism has one (PLAIN, XOAUTH2, OAUTHBEARER, SCRAM),
   * or null when it waits for the server (LOGIN, CRAM-MD5). Called once, before any challenge.
   */
  initialResponse(): Uint8Array | null;
  /** Answer a decoded server challenge. Never throws: problems come back as `abort`. */
  respond(challenge: Uint8Array): SaslStep;
  /**
   * Called when the server reports success, with any additional data it sent with the success
   * (SCRAM server-final in `235`/`OK [...]` forms), or null. Returns an error message when the
   * mechanism cannot accept the outcome (e.g. SCRAM never saw a valid server signature).
   */
  verifySuccess(additionalData: Uint8Array | null): string | null;
}
