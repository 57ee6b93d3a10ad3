// What the state model needs from a session: its events and a few getters. A MailSession fits;
// tests pass a real session over an in-memory transport, or a hand-made emitter.
import type { Protocol } from '../protocol/types.js';
import type { SessionEvents } from '../session/session.js';
import type { Emitter } from '../session/emitter.js';
import type { TranscriptEvent } from '../transcript/events.js';
import type { TlsInfo } from '../transport/types.js';

export interface StateSource {
  readonly protocol: Protocol;
  readonly events: Pick<Emitter<SessionEvents>, 'on'>;
  readonly status: string;
  readonly state: string;
  readonly tls: TlsInfo | undefined;
  readonly closedBecause?: string | undefined;
  readonly bytesIn?: number;
  readonly bytesOut?: number;
  /** Events recorded before the model was attached are replayed from here. */
  readonly transcript?: {
    readonly options: { readonly target: string };
    readonly events: readonly TranscriptEvent[];
  };
}
