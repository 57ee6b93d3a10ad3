// The events the IMAP client codec emits.

import type { CommandRef, CommonEvent, RawBytes } from '../types.js';
import type { ResponseCode, Status, UntaggedResponse } from './response.js';

export type ImapEvent =
  | CommonEvent
  /** The server's first response: `* OK`, `* PREAUTH` or `* BYE`. */
  | ({
      readonly type: 'greeting';
      readonly status: 'OK' | 'PREAUTH' | 'BYE';
      readonly code?: ResponseCode;
      readonly text: string;
    } & RawBytes)
  /** Untagged data (`* ...`), typed. */
  | ({ readonly type: 'untagged'; readonly response: UntaggedResponse } & RawBytes)
  /** A tagged completion and the command it completes (a `completed` event follows). */
  | ({
      readonly type: 'tagged';
      readonly command: CommandRef;
      readonly status: Status;
      readonly code?: ResponseCode;
      readonly text: string;
    } & RawBytes)
  /** A `+` continuation request, with the command waiting for it when there is one. */
  | ({
      readonly type: 'continuation';
      readonly command?: CommandRef;
      readonly text: string;
      readonly code?: ResponseCode;
    } & RawBytes);
