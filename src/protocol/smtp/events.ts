import type { CommandRef, CommonEvent, RawBytes } from '../types.js';
import type { EhloCapabilities } from './ehlo.js';
import type { SmtpReply } from './reply.js';

export type SmtpEvent =
  | CommonEvent
  /** The server's first reply (220 or a refusal). */
  | ({ readonly type: 'greeting'; readonly reply: SmtpReply } & RawBytes)
  /** Any later reply, intermediate (334, 354) or final; `command` is absent when unsolicited. */
  | ({ readonly type: 'reply'; readonly reply: SmtpReply; readonly command?: CommandRef } & RawBytes)
  /** A 250 EHLO reply, parsed. */
  | { readonly type: 'capabilities'; readonly capabilities: EhloCapabilities; readonly command: CommandRef }
  /** The SASL exchange failed on the client side (bad challenge, mechanism abort, unverified success). */
  | { readonly type: 'sasl-error'; readonly command: CommandRef; readonly message: string };

/** Returned by a command method when nothing was sent. */
export type ClientError = Extract<CommonEvent, { type: 'client-error' }>;
