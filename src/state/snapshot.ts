// The session state as the state view sees it: plain JSON (no bigint, no Map, no class), so it can
// cross to a webview and be kept by getState/setState. Never holds a secret: command lines come from
// the transcript, which is redacted before anything is recorded.

export type SnapshotProtocol = 'imap' | 'pop3' | 'smtp';

export interface CertificateSnapshot {
  readonly subject: string;
  readonly issuer: string;
  readonly subjectAltNames: readonly string[];
  readonly validFrom: string;
  readonly validTo: string;
  readonly fingerprint256: string;
}

export interface SecuritySnapshot {
  /** False while the connection is plaintext. */
  readonly tls: boolean;
  readonly protocol?: string;
  readonly cipher?: string;
  readonly verified?: boolean;
  readonly verifyError?: string;
  readonly acceptedUnverified?: boolean;
  readonly servername?: string;
  /** Leaf first. */
  readonly chain: readonly CertificateSnapshot[];
}

export type CommandOutcomeSnapshot = 'pending' | 'ok' | 'failed';

export interface CommandSnapshot {
  /** Codec command id. */
  readonly id: number;
  readonly verb: string;
  /** The first line as recorded in the transcript (secrets already redacted), shortened. */
  readonly line: string;
  readonly sentAt: number;
  readonly latencyMs?: number;
  readonly outcome: CommandOutcomeSnapshot;
  /** The server's final text, shortened. */
  readonly reply?: string;
}

/** What the tool noticed about the server's data that a learner should see (never silently dropped). */
export interface StateWarning {
  readonly time: number;
  readonly text: string;
}

export interface CommonSnapshot {
  readonly protocol: SnapshotProtocol;
  /** e.g. `imap://127.0.0.1:1143`. */
  readonly server: string;
  readonly greeting?: string;
  /** connecting, open, upgrading, closed. */
  readonly status: string;
  /** The protocol state from the codec's state table. */
  readonly state: string;
  readonly closedBecause?: string;
  readonly security: SecuritySnapshot;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Every command sent, counted. */
  readonly commandCount: number;
  /** The latest commands, oldest first (at most STATE_LIMITS.commands). */
  readonly commands: readonly CommandSnapshot[];
  readonly warnings: readonly StateWarning[];
}

// ---------------------------------------------------------------------------------------------
// IMAP

export interface MailboxStatusSnapshot {
  /** STATUS item (upper case) to value; HIGHESTMODSEQ and other big numbers as decimal strings. */
  readonly [item: string]: number | string;
}

export interface MailboxSnapshot {
  /** The name decoded from modified UTF-7 (as sent when it is not valid modified UTF-7). */
  readonly name: string;
  /** The name exactly as the server sent it, for commands. */
  readonly wireName: string;
  readonly delimiter: string | null;
  readonly attributes: readonly string[];
  /** SPECIAL-USE attributes (RFC 6154): \Sent, \Drafts, \Trash, \Junk, \Archive, \All, \Flagged. */
  readonly specialUse: readonly string[];
  /** Seen in a LIST reply (false: only in LSUB or STATUS). */
  readonly listed: boolean;
  readonly subscribed: boolean;
  /** Whether \Noselect or \NonExistent forbids selecting it. */
  readonly selectable: boolean;
  readonly status?: MailboxStatusSnapshot;
}

export interface MessageSnapshot {
  readonly seq: number;
  readonly uid?: number;
  readonly flags?: readonly string[];
  readonly size?: number;
  readonly internalDate?: string;
  /** `Name <address>` of the first From address, RFC 2047 encoded words decoded. */
  readonly from?: string;
  /** As sent, when decoding changed it. */
  readonly fromRaw?: string;
  /** The ENVELOPE subject, RFC 2047 encoded words decoded. */
  readonly subject?: string;
  /** As sent, when decoding changed it. */
  readonly subjectRaw?: string;
  /** MODSEQ as a decimal string. */
  readonly modseq?: string;
}

export interface SelectedMailboxSnapshot {
  readonly name: string;
  readonly wireName: string;
  /** True until the tagged reply to SELECT/EXAMINE arrives. */
  readonly opening: boolean;
  readonly readOnly: boolean;
  readonly exists?: number;
  readonly recent?: number;
  /** The first unseen message's sequence number (`[UNSEEN n]`). */
  readonly firstUnseen?: number;
  readonly uidValidity?: number;
  readonly uidNext?: number;
  readonly highestModseq?: string;
  readonly flags?: readonly string[];
  readonly permanentFlags?: readonly string[];
  /** Messages whose FETCH data arrived, by sequence number (at most STATE_LIMITS.snapshotMessages). */
  readonly messages: readonly MessageSnapshot[];
  /** Known rows left out of `messages` because of the snapshot limit. */
  readonly messagesOmitted: number;
  /** Set when the table may no longer match the server (e.g. VANISHED for unknown UIDs). */
  readonly stale?: string;
}

export interface NamespaceSnapshot {
  readonly prefix: string;
  readonly delimiter: string | null;
}

export interface ImapSnapshot {
  readonly capabilities: readonly string[];
  readonly enabled: readonly string[];
  readonly namespaces?: {
    readonly personal: readonly NamespaceSnapshot[];
    readonly otherUsers: readonly NamespaceSnapshot[];
    readonly shared: readonly NamespaceSnapshot[];
  };
  readonly mailboxes: readonly MailboxSnapshot[];
  readonly selected?: SelectedMailboxSnapshot;
  /** True while an IDLE command is running (untagged updates arrive by themselves). */
  readonly idling: boolean;
}

// ---------------------------------------------------------------------------------------------
// POP3

export interface Pop3MessageSnapshot {
  readonly number: number;
  readonly size?: number;
  readonly uid?: string;
  readonly deleted: boolean;
  /** RETR got the whole message / TOP got its headers. */
  readonly retrieved: boolean;
  readonly topLines?: number;
}

export interface Pop3Snapshot {
  readonly capabilities: readonly string[];
  readonly saslMechanisms: readonly string[];
  readonly stat?: { readonly count: number; readonly size: number };
  readonly messages: readonly Pop3MessageSnapshot[];
  readonly messagesOmitted: number;
  readonly deletedCount: number;
  /** What happens to the messages if the session ends now: keep vs delete, in words. */
  readonly keepOrDelete: string;
  /** True after QUIT succeeded in the TRANSACTION state (the UPDATE state ran). */
  readonly committed: boolean;
}

// ---------------------------------------------------------------------------------------------
// SMTP

export interface SmtpExtensionSnapshot {
  readonly keyword: string;
  readonly params: readonly string[];
}

export interface SmtpReplySnapshot {
  readonly code: number;
  readonly enhanced?: string;
  readonly text: string;
}

export interface SmtpRecipientSnapshot {
  readonly address: string;
  readonly params: readonly string[];
  readonly reply?: SmtpReplySnapshot;
}

export interface SmtpTransactionSnapshot {
  readonly from: string;
  readonly fromParams: readonly string[];
  readonly fromReply?: SmtpReplySnapshot;
  readonly recipients: readonly SmtpRecipientSnapshot[];
  /** none: no DATA/BDAT yet; sending: 354 received or chunks going; done: final reply. */
  readonly data: 'none' | 'waiting-354' | 'sending' | 'done' | 'refused';
  /** Message bytes sent so far (DATA body or BDAT chunks). */
  readonly dataBytes: number;
  readonly bdatChunks: number;
  readonly dataReply?: SmtpReplySnapshot;
  /** From the final `250 ... queued as ID`. */
  readonly queueId?: string;
  /** Why the transaction ended without a final reply (RSET, a new MAIL, the connection closed). */
  readonly ended?: string;
}

export interface SmtpSnapshot {
  readonly domain?: string;
  readonly extensions: readonly SmtpExtensionSnapshot[];
  /** SIZE limit: undefined not advertised, null advertised without a number, 0 no fixed limit. */
  readonly sizeLimit?: number | null;
  readonly authMechanisms: readonly string[];
  readonly authenticated: boolean;
  readonly transaction?: SmtpTransactionSnapshot;
  /** Earlier transactions of this session, oldest first (at most STATE_LIMITS.transactions). */
  readonly history: readonly SmtpTransactionSnapshot[];
}

export type SessionStateSnapshot =
  | { readonly common: CommonSnapshot; readonly protocol: 'imap'; readonly imap: ImapSnapshot }
  | { readonly common: CommonSnapshot; readonly protocol: 'pop3'; readonly pop3: Pop3Snapshot }
  | { readonly common: CommonSnapshot; readonly protocol: 'smtp'; readonly smtp: SmtpSnapshot };
