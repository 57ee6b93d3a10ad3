// The sandbox's shared mail store: one store behind the SMTP, POP3 and IMAP servers, so a message
// delivered over SMTP is seen by POP3 and IMAP, and a change made by one IMAP session reaches the
// others (IDLE). Synchronous on purpose: the servers are single-process and the store is in memory
// (optionally mirrored to a data folder), so there are no interleavings to reason about.

import { Buffer } from 'node:buffer';

export interface SandboxUser {
  readonly username: string;
  readonly password: string;
  /** Addresses delivered to this user's INBOX (lower case), e.g. `alice@example.test`. */
  readonly addresses: readonly string[];
}

export type SpecialUse = '\\Sent' | '\\Drafts' | '\\Trash' | '\\Junk' | '\\Archive' | '\\All' | '\\Flagged';

export interface StoredMessage {
  /** Unique within its folder for the folder's UIDVALIDITY; never reused. */
  readonly uid: number;
  /** The message exactly as received (CRLF line ends). */
  readonly raw: Buffer;
  readonly internalDate: Date;
  /** System flags (`\Seen`, `\Answered`, `\Flagged`, `\Deleted`, `\Draft`) and keywords. */
  readonly flags: ReadonlySet<string>;
  /** Size in octets of `raw` (RFC822.SIZE). */
  readonly size: number;
  /** Stable POP3 UIDL (unique across the store, never reused). */
  readonly uidl: string;
}

/** Changes other sessions must hear about (IMAP IDLE/NOOP, POP3 does not listen). */
export type FolderChange =
  | { readonly kind: 'added'; readonly uid: number }
  | { readonly kind: 'flags'; readonly uid: number; readonly flags: ReadonlySet<string> }
  | { readonly kind: 'expunged'; readonly uid: number };

export interface Folder {
  /** Full name with `/` as hierarchy delimiter; `INBOX` is always upper case. */
  readonly name: string;
  readonly uidValidity: number;
  /** The UID the next message will get. */
  readonly uidNext: number;
  readonly specialUse?: SpecialUse;
  /** Messages in UID order (which is the order of sequence numbers). */
  messages(): readonly StoredMessage[];
  /** Adds a message; `origin` is the session that caused it, which is not notified. */
  append(raw: Buffer, flags: Iterable<string>, internalDate?: Date, origin?: object): StoredMessage;
  /** Replaces a message's flags. Returns the stored message after the change, or undefined. */
  setFlags(uid: number, flags: Iterable<string>, origin?: object): StoredMessage | undefined;
  /** Removes messages permanently. */
  expunge(uids: Iterable<number>, origin?: object): void;
  /** Hears every change not caused by `self`. Returns the function that stops listening. */
  watch(self: object, listener: (change: FolderChange) => void): () => void;
}

export interface UserMailboxes {
  readonly user: SandboxUser;
  /** Every folder, INBOX first, then by name. */
  folders(): readonly Folder[];
  folder(name: string): Folder | undefined;
  isSubscribed(name: string): boolean;
  /** Throws StoreError with a message fit for a NO reply. */
  create(name: string): Folder;
  delete(name: string): void;
  rename(from: string, to: string): void;
  subscribe(name: string, subscribed: boolean): void;
  /** POP3 maildrop lock (RFC 1939 section 8): one POP3 session per maildrop at a time. */
  lockMaildrop(owner: object): boolean;
  unlockMaildrop(owner: object): void;
}

export interface MailStore {
  users(): readonly SandboxUser[];
  /** Checks a user name and password; returns the user or undefined. */
  authenticate(username: string, password: string): SandboxUser | undefined;
  userByName(username: string): SandboxUser | undefined;
  /** The user an address delivers to, or undefined (SMTP answers 550 5.1.1). */
  userByAddress(address: string): SandboxUser | undefined;
  mailboxes(user: SandboxUser): UserMailboxes;
  /** Delivers a message to the INBOX of the user owning `address`. */
  deliver(address: string, raw: Buffer): StoredMessage;
}

export class StoreError extends Error {
  constructor(
    message: string,
    /** IMAP response code to send with NO, e.g. `NONEXISTENT`, `ALREADYEXISTS`, `CANNOT`. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
