// What the tree, the status bar and the editor tab say about a session. Plain module: no vscode.
import type { Protocol } from '../protocol/types.js';
import type { SessionStatus } from '../session/session.js';

export interface LabelInput {
  readonly protocol: Protocol;
  readonly status: SessionStatus;
  /** The codec's protocol state, e.g. `authenticated`. */
  readonly state: string;
  readonly tls: boolean;
  readonly tlsVerified: boolean;
  readonly host: string;
  readonly port: number;
  readonly user: string | undefined;
  readonly closedBecause: string | undefined;
  /** The state model's words, e.g. `Selected INBOX, 12 messages`; preferred over `state`. */
  readonly summary?: string | undefined;
}

export interface SessionLabel {
  /** e.g. `IMAP alice@127.0.0.1:1143`. */
  readonly title: string;
  /** The state in words, e.g. `authenticated` or `closed: Connection refused by 127.0.0.1:1143`. */
  readonly description: string;
  readonly tls: boolean;
  /** Tree item context value; menus use it to offer only the actions that apply. */
  readonly contextValue: SessionContextValue;
  readonly tooltip: string;
}

export type SessionContextValue =
  'mailwire.session.live' | 'mailwire.session.busy' | 'mailwire.session.closed';

/** Context value per status: `busy` while connecting or upgrading, when nothing can be sent. */
const CONTEXT_BY_STATUS: Readonly<Record<SessionStatus, SessionContextValue>> = {
  connecting: 'mailwire.session.busy',
  upgrading: 'mailwire.session.busy',
  open: 'mailwire.session.live',
  closed: 'mailwire.session.closed',
};

const STATUS_TEXT: Readonly<Record<SessionStatus, string | undefined>> = {
  connecting: 'connecting...',
  upgrading: 'TLS handshake...',
  open: undefined, // the protocol state says more
  closed: 'closed',
};

export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function sessionLabel(input: LabelInput): SessionLabel {
  const who = input.user ? `${input.user}@` : '';
  const title = `${input.protocol.toUpperCase()} ${who}${hostPort(input.host, input.port)}`;
  let description = STATUS_TEXT[input.status] ?? input.summary ?? input.state;
  if (input.status === 'closed' && input.closedBecause) description = `closed: ${input.closedBecause}`;
  const tlsText = !input.tls
    ? 'no TLS: everything is sent in plaintext'
    : input.tlsVerified
      ? 'TLS, certificate verified'
      : 'TLS, certificate NOT verified (accepted by choice)';
  return {
    title,
    description,
    tls: input.tls,
    contextValue: CONTEXT_BY_STATUS[input.status],
    tooltip: `${title}\n${description}\n${tlsText}`,
  };
}

/** Short status bar text, e.g. `IMAP authenticated` (the lock icon is added by the view). */
export function statusBarText(label: SessionLabel, protocol: Protocol): string {
  return `${protocol.toUpperCase()} ${label.description.length > 40 ? label.description.slice(0, 37) + '...' : label.description}`;
}

/** Which commands apply to a session in each status (the command handlers check it too). */
export type SessionCommand = 'sendLine' | 'disconnect' | 'openTranscript' | 'saveTranscript';

const ALLOWED: Readonly<Record<SessionStatus, readonly SessionCommand[]>> = {
  connecting: ['disconnect', 'openTranscript', 'saveTranscript'],
  upgrading: ['disconnect', 'openTranscript', 'saveTranscript'],
  open: ['sendLine', 'disconnect', 'openTranscript', 'saveTranscript'],
  closed: ['openTranscript', 'saveTranscript'],
};

/** Undefined when the command applies, else why not (shown to the user). */
export function commandBlocked(command: SessionCommand, status: SessionStatus): string | undefined {
  if (ALLOWED[status].includes(command)) return undefined;
  if (status === 'closed') return 'the session is closed; connect again';
  return status === 'upgrading'
    ? 'wait until the TLS handshake is done'
    : 'wait until the connection is open';
}
