// What the script runner needs from a live connection. The runner knows scripts; the target knows
// sockets, TLS and the protocol codecs. src/session/script-target.ts implements it over the
// session engine; tests use an in-memory fake that plays a recorded dialogue.
//
// Rules for every implementation:
// - Promises reject with an Error whose message a user understands ("Connection refused by
//   127.0.0.1:1143", "connection closed by the server while waiting for the reply to a1 LOGIN").
//   The runner shows the message as it is, after redacting secrets.
// - The runner enforces `@timeout` itself (it races each call against a timer and then calls
//   `close()`); `timeoutMs` is given to `connect` for the TCP connect and the implicit TLS handshake.
// - Calls never overlap: the runner awaits each one before making the next.
// - Bytes are recorded in the session transcript as usual, with the given secrets redacted.

import type { PayloadKind, ScriptProtocol } from './ast.js';

export interface ScriptConnectSettings {
  readonly protocol: ScriptProtocol;
  readonly host: string;
  readonly port: number;
  /** `smtps://`, `pop3s://`, `imaps://`: handshake before the greeting. */
  readonly implicitTls: boolean;
  /** `@tls accept-unverified`: accept a certificate that does not verify (lab servers). */
  readonly acceptUnverified: boolean;
  /** `@timeout` in effect at the `@connect` line, in milliseconds. */
  readonly timeoutMs: number;
  /** The URL as written after expansion, for notes and titles. */
  readonly url: string;
}

/** A server reply, complete or a continuation request. */
export interface ReplyLines {
  /**
   * Every line of the reply in order, as text without the CRLF (UTF-8, invalid bytes replaced).
   * SMTP: every line of a multi-line reply (`250-...` and the final `250 ...`).
   * POP3: the status line, then for multi-line responses each body line as sent (dot-stuffing
   * kept) and the final `.`.
   * IMAP: untagged and tagged lines; a server literal's bytes are split at CRLF into lines
   * where they appear (a literal larger than the streaming threshold may stand as one placeholder
   * line such as `[literal: 5242880 bytes]`).
   */
  readonly lines: readonly string[];
  /**
   * True when the server asks for more from the client and the command is not complete yet:
   * SMTP `354` (after DATA) and `334` (AUTH challenge), IMAP `+` continuation request.
   * POP3 `+ ` SASL challenges also count. `lines` then ends with that line.
   */
  readonly continuation: boolean;
  /**
   * The protocol's success outcome of a complete reply: SMTP 2xx/3xx, POP3 `+OK`, IMAP tagged `OK`
   * (greeting: SMTP 220, POP3 +OK, IMAP `* OK`/`* PREAUTH`). True for a continuation.
   */
  readonly ok: boolean;
}

export interface ScriptConnection {
  /**
   * Resolves with the server greeting (SMTP `220` reply, POP3 `+OK` line, IMAP `* OK|PREAUTH|BYE`).
   * Called exactly once, right after `connect`, before anything is sent.
   */
  greeting(): Promise<ReplyLines>;
  /**
   * Writes `line` + CRLF exactly as given (the runner has already expanded variables and, for an
   * IMAP literal, written the `{n}` octet count) and resolves when the reply is complete or the
   * server asked for a continuation. Completion means: SMTP final reply line; POP3 status line, plus
   * the multi-line body when the command has one and the status is `+OK`; IMAP the tagged response
   * for the line's tag. When the previous reply was a continuation request, `line` is the
   * continuation response (SASL, or after a synchronizing literal's `+`) and the reply is the next
   * continuation or the completion of that same command.
   * `secrets` are substrings of `line` to redact in the transcript.
   */
  send(line: string, secrets: readonly string[]): Promise<ReplyLines>;
  /**
   * Writes a payload after a continuation request and resolves with the next reply (usually the
   * completion). The runner has prepared the bytes completely:
   * - `smtp-data`: the dot-stuffed message ending in `CRLF.CRLF`; the reply is the final reply.
   * - `imap-literal`: exactly the literal's octets followed by CRLF (which ends the command line);
   *   the reply is the command's completion (or another continuation).
   * `secrets` are substrings (as UTF-8) of the payload to redact in the transcript.
   */
  sendPayload(bytes: Uint8Array, kind: PayloadKind, secrets: readonly string[]): Promise<ReplyLines>;
  /**
   * Called after a positive reply to STARTTLS (SMTP, IMAP) or STLS (POP3): performs the TLS
   * handshake (with the connection's `acceptUnverified` policy) and resolves when TLS is
   * established. Rejects with a readable reason when the certificate or handshake fails. Bytes that
   * arrived before the handshake are never treated as replies (they go to the transcript as a
   * possible injection).
   */
  startTls(): Promise<void>;
  /** Closes the connection without sending anything (scripts send QUIT/LOGOUT themselves). Idempotent. */
  close(): void;
}

export interface ScriptTarget {
  /** Opens a connection (and the implicit TLS handshake). Rejects with a readable reason. */
  connect(settings: ScriptConnectSettings): Promise<ScriptConnection>;
}
