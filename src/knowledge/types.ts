// Shapes of the protocol knowledge base. Plain data: no vscode, no I/O. Every entry cites where
// the behaviour is specified, so a hover can link to the exact RFC section.

export type KnowledgeProtocol = 'smtp' | 'pop3' | 'imap';

/** Where something is specified, e.g. RFC 9051 section 6.3.2. */
export interface SpecRef {
  /** `RFC 9051`, or the name of a non-RFC document (a draft, a vendor page). */
  readonly spec: string;
  /** Section number as the document writes it (`6.3.2`, `4.1.1.1`), or '' for the whole document. */
  readonly section: string;
  readonly url: string;
}

/** A command a client sends. */
export interface VerbEntry {
  readonly protocol: KnowledgeProtocol;
  /** The wire verb, upper case: `SELECT`, `UID FETCH`, `MAIL`. */
  readonly verb: string;
  /** Syntax as the RFC writes it, without the IMAP tag (`SELECT mailbox`). */
  readonly syntax: string;
  readonly summary: string;
  readonly details: string;
  /**
   * Protocol states where the verb is valid, named as the codecs name them
   * (IMAP `not-authenticated`/`authenticated`/`selected`, POP3 `authorization`/`transaction`,
   * SMTP `greeted`/`ready`/`mail`/`rcpt`).
   */
  readonly states: readonly string[];
  /** Capability (IMAP, POP3 CAPA) or EHLO keyword the server must advertise, if any. */
  readonly capability?: string;
  readonly ref: SpecRef;
  /** A short exchange in C:/S: notation. */
  readonly example: string;
}

/** A reply code, status code, response code, capability or other named protocol element. */
export interface TermEntry {
  /** As written on the wire: `550`, `5.1.1` (or `X.1.1`), `TRYCREATE`, `AUTH=`, `PIPELINING`. */
  readonly name: string;
  readonly summary: string;
  readonly details: string;
  readonly ref: SpecRef;
  readonly example?: string;
}
