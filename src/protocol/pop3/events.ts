import type { CommandRef, CommonEvent, PayloadRef, RawBytes } from '../types.js';
import type { Pop3Capabilities } from './capa.js';
import type { ListEntry, UidlEntry } from './listings.js';
import type { RespCode } from './status.js';

/** What a positive response carried, parsed by the command that asked. */
export type Pop3Data =
  | { readonly kind: 'stat'; readonly count: number; readonly size: number }
  | { readonly kind: 'list'; readonly entries: readonly ListEntry[]; readonly malformed: readonly string[] }
  | { readonly kind: 'uidl'; readonly entries: readonly UidlEntry[]; readonly malformed: readonly string[] }
  | { readonly kind: 'capa'; readonly capabilities: Pop3Capabilities }
  /** RETR/TOP: the message, held (`bytes`, unstuffed) or streamed (`payload`, bytes as sent, still dot-stuffed). */
  | {
      readonly kind: 'message';
      readonly size: number;
      readonly bytes?: Uint8Array;
      readonly payload?: PayloadRef;
    }
  | { readonly kind: 'lines'; readonly lines: readonly string[] };

export type Pop3Event =
  | CommonEvent
  | ({
      readonly type: 'greeting';
      readonly ok: boolean;
      readonly text: string;
      readonly respCode?: RespCode;
      /** The APOP timestamp, when the greeting has one. */
      readonly timestamp?: string;
    } & RawBytes)
  /** A complete response (single or multi-line); `command` is absent when unsolicited. */
  | ({
      readonly type: 'response';
      readonly command?: CommandRef;
      readonly ok: boolean;
      readonly text: string;
      readonly respCode?: RespCode;
      readonly data?: Pop3Data;
      /** Why the expected data could not be read from the response, when it could not. */
      readonly malformed?: string;
    } & RawBytes)
  /** A SASL challenge line (`+ base64`), RFC 5034. */
  | ({ readonly type: 'continuation'; readonly command: CommandRef; readonly text: string } & RawBytes)
  | { readonly type: 'capabilities'; readonly capabilities: Pop3Capabilities; readonly command: CommandRef }
  | { readonly type: 'sasl-error'; readonly command: CommandRef; readonly message: string };

export type ClientError = Extract<CommonEvent, { type: 'client-error' }>;
