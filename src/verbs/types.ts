// The palette verbs as data: what each asks for, when it is valid, and how it runs on a session.
// Plain module (no vscode): the extension turns each spec into a command with prompts, and tests
// run the specs against real sessions in plain Node.
import type { Protocol } from '../protocol/types.js';
import type { CommandResult, MailSession } from '../session/session.js';

/** The part of a live session a verb uses. */
export type VerbSession = Pick<
  MailSession,
  | 'protocol'
  | 'state'
  | 'status'
  | 'codec'
  | 'run'
  | 'sendRaw'
  | 'addSecrets'
  | 'nextTls'
  | 'transcript'
  | 'events'
>;

/** What the session has learned so far, for argument defaults and pick lists. */
export interface VerbHints {
  /** Mailbox names from the last LIST/LSUB. */
  readonly mailboxes: readonly string[];
  /** PERMANENTFLAGS of the selected mailbox (or FLAGS, or the system flags). */
  readonly flags: readonly string[];
  /** Messages in the selected mailbox (IMAP EXISTS) or the maildrop (POP3 STAT). */
  readonly messageCount: number | undefined;
  /** POP3 message numbers not marked deleted. */
  readonly pop3Messages: readonly number[];
  /** SASL mechanisms the server advertised. */
  readonly saslMechanisms: readonly string[];
  /** Capabilities, CAPA tags or EHLO keywords the server advertised (for completion). */
  readonly capabilities: readonly string[];
  /** The user name of the connection, when known. */
  readonly user: string | undefined;
}

export const NO_HINTS: VerbHints = {
  mailboxes: [],
  flags: [],
  messageCount: undefined,
  pop3Messages: [],
  saslMechanisms: [],
  capabilities: [],
  user: undefined,
};

export type VerbArgKind =
  /** Free text, validated by `validate`. */
  | 'text'
  /** A password or token: asked for with a hidden input, never stored by the verb layer. */
  | 'secret'
  /** One of `choices` (a quick pick that also accepts typed values when `freeText`). */
  | 'choice'
  /** A path to a file whose bytes are sent (DATA, APPEND). */
  | 'file';

export interface VerbArg {
  /** Key in the args record, also the name used by view actions (`{ mailbox: 'INBOX' }`). */
  readonly name: string;
  readonly prompt: string;
  readonly kind: VerbArgKind;
  readonly placeholder?: string;
  /** An empty answer is allowed (the argument is left out). */
  readonly optional?: boolean;
  readonly defaultValue?: (hints: VerbHints) => string | undefined;
  /** Pick-list entries (mailboxes, flags, mechanisms); with `freeText` the user may type another. */
  readonly choices?: (hints: VerbHints) => readonly string[];
  readonly freeText?: boolean;
  /** Undefined when the value is usable, else why not (shown under the input box). */
  readonly validate?: (value: string) => string | undefined;
}

export type VerbArgs = Readonly<Record<string, string>>;

/** What running a verb produced; `message` holds a fetched message to open as .eml. */
export interface VerbOutcome {
  readonly result: CommandResult;
  /** Results of the earlier steps of a multi-command verb (e.g. USER before PASS). */
  readonly steps?: readonly CommandResult[];
  readonly message?: { readonly name: string; readonly bytes: Uint8Array };
  /** Something the user should be told beyond the server's reply. */
  readonly notice?: string;
}

export interface VerbContext {
  readonly session: VerbSession;
  readonly args: VerbArgs;
  /** The file bytes of `file` arguments, read by the caller. */
  readonly files: Readonly<Record<string, Uint8Array>>;
  readonly hints: VerbHints;
  /** The name this client gives in EHLO/HELO. */
  readonly clientName: string;
}

export interface VerbSpec {
  /** Command id without the `mailwire.` prefix, e.g. `imap.select`. */
  readonly id: string;
  readonly protocol: Protocol;
  /** The wire verb, upper case, e.g. `SELECT`, `UID FETCH`, `MAIL`. */
  readonly verb: string;
  /** Palette title without the category, e.g. `Select...`. */
  readonly title: string;
  /** One line: what it does. */
  readonly summary: string;
  /** Codec states in which the verb is valid (the palette shows it only then). */
  readonly states: readonly string[];
  /**
   * The capability (IMAP CAPABILITY, POP3 CAPA, SMTP EHLO keyword, upper case) a server advertises
   * when it supports the verb. Missing ones are reported but the verb is sent anyway.
   */
  readonly capability?: string;
  readonly args: readonly VerbArg[];
  readonly run: (ctx: VerbContext) => Promise<VerbOutcome>;
}
