// Every message between the state panel's host (extension) and its webview, typed in one place.
// Plain types only: no vscode, no DOM, so both sides and the tests import this file.
import type { SessionStateSnapshot } from '../state/snapshot.js';

// ---------------------------------------------------------------------------------------------
// Host -> webview

/** Host -> webview: the whole state of the session (sent batched, at most every 100 ms). */
export interface StateMessage {
  readonly type: 'state';
  readonly sessionId: string;
  /** The session's title, e.g. `IMAP alice@127.0.0.1`. */
  readonly title: string;
  /** Whether the session can still send commands (the view disables actions otherwise). */
  readonly live: boolean;
  readonly snapshot: SessionStateSnapshot;
}

/** Host -> webview: the session was removed from the list; the view keeps the last state read-only. */
export interface SessionGoneMessage {
  readonly type: 'session-gone';
  readonly sessionId: string;
}

/** Host -> webview: what became of an action the view asked for. */
export interface ActionResultMessage {
  readonly type: 'action-result';
  readonly requestId: number;
  readonly ok: boolean;
  /** Why it could not run, in words; absent when it ran. */
  readonly message?: string;
}

export type ToWebview = StateMessage | SessionGoneMessage | ActionResultMessage;

// ---------------------------------------------------------------------------------------------
// Webview -> host

/** Webview -> host: the script started (or restarted after hide/show); send the state now. */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** Webview -> host: the user clicked something that sends a real command through the session. */
export interface ActionMessage {
  readonly type: 'action';
  readonly requestId: number;
  readonly action: ViewAction;
}

export type FromWebview = ReadyMessage | ActionMessage;

/** What a click in the view asks the session to send. Every value is a string (command args). */
export type ViewAction =
  | { readonly kind: 'imap.select'; readonly mailbox: string }
  | { readonly kind: 'imap.examine'; readonly mailbox: string }
  | {
      readonly kind: 'imap.fetch';
      readonly set: string;
      readonly items: string;
      readonly uid: 'true' | 'false';
    }
  | {
      readonly kind: 'imap.storeFlags';
      readonly set: string;
      readonly operation: '+FLAGS' | '-FLAGS' | 'FLAGS';
      readonly flags: string;
      readonly uid: 'true' | 'false';
    }
  | { readonly kind: 'imap.expunge' }
  | { readonly kind: 'imap.openMessage'; readonly set: string; readonly uid: 'true' | 'false' }
  | { readonly kind: 'imap.status'; readonly mailbox: string; readonly items: string }
  | { readonly kind: 'imap.list'; readonly reference: string; readonly pattern: string }
  | { readonly kind: 'pop3.retr'; readonly message: string }
  | { readonly kind: 'pop3.top'; readonly message: string; readonly lines: string }
  | { readonly kind: 'pop3.dele'; readonly message: string }
  | { readonly kind: 'pop3.rset' }
  /** `message` empty: the whole list (the verb leaves the argument out). */
  | { readonly kind: 'pop3.list'; readonly message: string }
  | { readonly kind: 'pop3.uidl'; readonly message: string }
  | { readonly kind: 'pop3.stat' };

export type ViewActionKind = ViewAction['kind'];

/**
 * The argument names each action carries: all of the palette verb's arguments, so the verb never
 * prompts after a click (an optional one is passed empty).
 */
export const ACTION_ARGS: { readonly [K in ViewActionKind]: readonly string[] } = {
  'imap.select': ['mailbox'],
  'imap.examine': ['mailbox'],
  'imap.fetch': ['set', 'items', 'uid'],
  'imap.storeFlags': ['set', 'operation', 'flags', 'uid'],
  'imap.expunge': [],
  'imap.openMessage': ['set', 'uid'],
  'imap.status': ['mailbox', 'items'],
  'imap.list': ['reference', 'pattern'],
  'pop3.retr': ['message'],
  'pop3.top': ['message', 'lines'],
  'pop3.dele': ['message'],
  'pop3.rset': [],
  'pop3.list': ['message'],
  'pop3.uidl': ['message'],
  'pop3.stat': [],
};

/** State the webview keeps with setState, so hide/show restores it without the host. */
export interface WebviewPersistedState {
  readonly version: 1;
  readonly last?: StateMessage;
  /** The tab the user was on. */
  readonly tab?: string;
  /** What the user typed in the fetch range box. */
  readonly fetchRange?: string;
  /** The picked row of the message table (sequence number) and the table's page. */
  readonly pickedMessage?: number;
  readonly messagePage?: number;
}
