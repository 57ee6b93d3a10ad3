// What a command handler sees of its session, and what it returns. Handlers never write the
// tagged reply themselves: they return it, and the session sends it after pending updates.

import { Buffer } from 'node:buffer';
import type { MailStore, SandboxUser, UserMailboxes } from '../store/types.js';
import type { Arg } from './parser.js';
import type { SelectedMailbox } from './selected.js';

export type SessionState = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

export interface ImapServerOptions {
  /** PEM key and certificate; enables STARTTLS (or implicit TLS with `implicitTls`). */
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly implicitTls?: boolean;
  /** Name used in the greeting. */
  readonly hostname?: string;
}

export interface Result {
  readonly status: 'OK' | 'NO' | 'BAD';
  /** Response code without brackets, e.g. `TRYCREATE`, `APPENDUID 1 5`. */
  readonly code?: string;
  readonly text: string;
  /** Runs after the tagged reply is written (STARTTLS handshake, LOGOUT close). */
  readonly after?: () => Promise<void> | void;
}

export interface SessionContext {
  readonly store: MailStore;
  readonly options: ImapServerOptions;
  state: SessionState;
  user: SandboxUser | undefined;
  selected: SelectedMailbox | undefined;
  /** True once the connection is encrypted. */
  readonly secure: boolean;
  /** True when the client connects from 127.0.0.1 / ::1. */
  readonly loopback: boolean;
  /** Identifies this session to the store, so it is not notified of its own changes. */
  readonly self: object;
  mailboxes(): UserMailboxes;
  capabilities(): string[];
  /** Writes `* <text>\r\n`; a Buffer is written as is (it carries its own CRLF and literals). */
  untagged(text: string | Buffer): void;
  /** Writes `+ <text>\r\n`. */
  continuation(text: string): void;
  /** The next line the client sends (AUTHENTICATE responses, IDLE's DONE); null if it left. */
  nextLine(): Promise<string | null>;
  /** Announces pending changes by other sessions now (IDLE). */
  flushUpdates(allowExpunge: boolean): void;
  /** A change by another session arrived for the selected mailbox (flushed at once while idling). */
  onFolderChange(): void;
  /** Called while idling: the session flushes each change as it arrives. */
  setIdling(idling: boolean): void;
  startTls(): Promise<void>;
  /** Deselects the mailbox (stop watching it) and returns to the authenticated state. */
  deselect(): void;
  close(): void;
}

export interface CommandInfo {
  readonly tag: string;
  readonly name: string;
  readonly uid: boolean;
}

export type Handler = (
  ctx: SessionContext,
  args: readonly Arg[],
  command: CommandInfo,
) => Result | Promise<Result>;

export interface CommandSpec {
  readonly states: readonly SessionState[];
  readonly handler: Handler;
  /**
   * False for FETCH, STORE and SEARCH (by sequence number): RFC 3501 7.4.1 forbids EXPUNGE
   * responses during them, so expunges by others wait for the next command.
   */
  readonly expungeSafe: boolean;
}

export const ok = (text: string, code?: string): Result => ({
  status: 'OK',
  text,
  ...(code ? { code } : {}),
});
export const no = (text: string, code?: string): Result => ({
  status: 'NO',
  text,
  ...(code ? { code } : {}),
});
export const bad = (text: string): Result => ({ status: 'BAD', text });

export const ANY: readonly SessionState[] = ['not-authenticated', 'authenticated', 'selected'];
export const AUTHENTICATED: readonly SessionState[] = ['authenticated', 'selected'];
export const SELECTED: readonly SessionState[] = ['selected'];
export const NOT_AUTHENTICATED: readonly SessionState[] = ['not-authenticated'];
