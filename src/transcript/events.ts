// What a transcript records: every byte that crossed the wire, in order, with a millisecond
// timestamp and a direction, plus local notes (TLS established, possible injection, limits).
// Secrets never enter a transcript: the session replaces them before recording (see redact.ts).

export type Direction = 'C' | 'S' | 'L';

export type NoteLevel = 'info' | 'warn' | 'error';

/** Kinds of local notes, so views and tests can tell them apart without reading the words. */
export type NoteKind =
  | 'connect'
  | 'tls'
  | 'tls-accepted-unverified'
  | 'starttls-injection'
  | 'protocol-error'
  | 'limit'
  | 'timeout'
  | 'close'
  | 'client-error'
  | 'info';

/** A large body or literal kept out of the event itself. */
export interface StoredPayload {
  /** Payload id, unique in the transcript. */
  readonly id: number;
  readonly size: number;
  /** Where `raw` is split to insert the payload (bytes before it are raw[0..offset)). */
  readonly offset: number;
}

export interface WireEvent {
  readonly seq: number;
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly dir: 'C' | 'S';
  /** The bytes, with secrets already replaced by the redaction mark. */
  readonly bytes: Uint8Array;
  /** True when part of `bytes` was replaced by the redaction mark. */
  readonly redacted?: boolean;
  /** Large payloads that belong inside `bytes`, kept in the transcript's payload store. */
  readonly payloads?: readonly StoredPayload[];
  /** True for message bodies and literal contents sent by the client. */
  readonly clientPayload?: boolean;
  /** The command these bytes belong to (client) or complete (server). */
  readonly commandId?: number;
  /** Milliseconds from sending a command to its completion (on the completing server event). */
  readonly latencyMs?: number;
  /** The codec could not parse these bytes (kept as received). */
  readonly malformed?: string;
}

export interface NoteEvent {
  readonly seq: number;
  readonly time: number;
  readonly dir: 'L';
  readonly level: NoteLevel;
  readonly kind: NoteKind;
  readonly text: string;
}

export type TranscriptEvent = WireEvent | NoteEvent;

/** The mark that stands where a secret was. The grammar colors it; tests search for it. */
export const REDACTION_MARK = '<redacted>';
