// Types shared by the three sans-I/O client codecs (SMTP, POP3, IMAP).
//
// A codec never touches a socket, a timer or the clock. The session feeds it the bytes the server
// sent (`receive`) and asks it for the bytes to write (`takeOutgoing`). Everything it learns comes
// out as events. The codec keeps the protocol state (a transition table per protocol).
//
// The "nothing dropped" rule: every byte given to `receive` appears exactly once, in order, in the
// `raw` of some emitted event or in a `payload-chunk` event's `chunk`. Property tests check this.

export type Protocol = 'smtp' | 'pop3' | 'imap';

/** A large literal or message body that the codec streams instead of buffering. */
export interface PayloadRef {
  /** Codec-unique id of the payload, also carried by its `payload-*` events. */
  readonly payload: number;
  /** Its size in bytes (declared for IMAP literals, counted for POP3 bodies). */
  readonly size: number;
}

/** Where a streamed payload's bytes sit inside an event's `raw`. */
export interface PayloadPlacement extends PayloadRef {
  /** Offset in `raw` at which the payload's bytes belong (they are not in `raw` itself). */
  readonly offset: number;
}

/** Every event that consumed server bytes carries them. */
export interface RawBytes {
  /** Exactly the bytes this event consumed, minus any streamed payloads. */
  readonly raw: Uint8Array;
  /** Streamed payloads that belong inside `raw` (ordered by offset). */
  readonly payloads?: readonly PayloadPlacement[];
}

/** The command a server reply answers, as the codec knows it. */
export interface CommandRef {
  /** Codec-assigned id, increasing from 1. */
  readonly id: number;
  /** Upper-case verb, e.g. `EHLO`, `RETR`, `UID FETCH`; `(raw)` when a raw line had no readable verb. */
  readonly verb: string;
  /** IMAP tag. */
  readonly tag?: string;
}

/** Bytes the codec wants written to the server, in order. */
export interface Outgoing {
  readonly bytes: Uint8Array;
  /** The command these bytes belong to. */
  readonly command: CommandRef;
  /** Byte ranges [start, end) of `bytes` that are secret. Transcripts store them redacted. */
  readonly secrets?: ReadonlyArray<readonly [number, number]>;
  /** True for message bodies and literal payloads (rendered as a summary when large). */
  readonly payload?: boolean;
}

/** Events every codec can emit, mixed into each protocol's own event union. */
export type CommonEvent =
  /** The protocol state changed (names come from the protocol's state table). */
  | { readonly type: 'state'; readonly from: string; readonly to: string }
  /**
   * The server accepted STARTTLS/STLS. The session must upgrade the transport now, then call
   * `tlsEstablished()`. `raw` holds any bytes that followed the positive reply before the
   * handshake: they are never parsed (possible response injection, RFC 3207 section 4.2).
   */
  | ({ readonly type: 'starttls-ready'; readonly command: CommandRef } & RawBytes)
  /** A command finished (its final reply arrived). `ok` is the protocol's success outcome. */
  | { readonly type: 'completed'; readonly command: CommandRef; readonly ok: boolean; readonly text: string }
  /** Start of a streamed payload (a literal or body over the streaming threshold). */
  | { readonly type: 'payload-start'; readonly payload: number; readonly declaredSize?: number }
  /** Bytes of a streamed payload, in order. These are server bytes too. */
  | { readonly type: 'payload-chunk'; readonly payload: number; readonly chunk: Uint8Array }
  /** End of a streamed payload. */
  | { readonly type: 'payload-end'; readonly payload: number; readonly size: number }
  /**
   * Bytes the codec could not parse, or a limit that was exceeded. The bytes are kept in `raw`.
   * `fatal` means the codec cannot find its place in the stream again and the session must close.
   */
  | ({
      readonly type: 'protocol-error';
      readonly message: string;
      readonly limit?: string;
      readonly fatal: boolean;
    } & RawBytes)
  /** A client-side problem with a command (bad argument, wrong state): nothing was sent. */
  | { readonly type: 'client-error'; readonly message: string };

/** What all three client codecs offer the session. */
export interface ClientCodec<TEvent extends { readonly type: string }, TState extends string> {
  readonly protocol: Protocol;
  /** Current protocol state (see the protocol's state table). */
  readonly state: TState;
  /**
   * Feed bytes from the server; returns the events they completed, in order. Never throws.
   * Events may hold views of `chunk` (pieces of a streamed literal): the caller must not change
   * a chunk after giving it (socket reads are fresh buffers each time).
   */
  receive(chunk: Uint8Array): TEvent[];
  /** Bytes ready to write now, in order (later parts of a command may wait for a continuation). */
  takeOutgoing(): readonly Outgoing[];
  /**
   * Send a line exactly as given (CRLF appended when missing). The codec reads it to keep its
   * state and correlation, but never changes it. Returns the command reference.
   */
  sendRaw(line: string | Uint8Array): CommandRef;
  /** The transport finished the TLS handshake after `starttls-ready`: forget pre-TLS knowledge. */
  tlsEstablished(): TEvent[];
  /** The connection closed; pending commands fail. */
  closed(): TEvent[];
  /** Commands sent whose final reply has not arrived yet, oldest first. */
  readonly pending: readonly CommandRef[];
  /**
   * Whether the final reply to command `id` is still awaited: sent and pending, or held back.
   * (An IMAP line without a tag is neither: nothing can answer it.) Asked once per command.
   */
  awaitsReply(id: number): boolean;
}

/** A readonly type with its fields writable, for objects built field by field. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * What a codec or the session returns for "no events" or "nothing to send": one shared array
 * instead of a new one per call. Typed readonly and never changed (a frozen array made the loops
 * over it slower).
 */
export const NOTHING: readonly never[] = [];
