// Argument hints for a session: from its state model when it has one (mailboxes seen in LIST,
// PERMANENTFLAGS, the POP3 maildrop), else what the codec itself knows.
import { advertisedMechanisms } from './session-view.js';
import type { VerbHints, VerbSession } from './types.js';

/** The parts of the session state model the prompts read; each is optional. */
export interface HintSource {
  mailboxNames?(): readonly string[];
  permanentFlags?(): readonly string[];
  messageCount?(): number | undefined;
  pop3MessageNumbers?(): readonly number[];
  saslMechanisms?(): readonly string[];
  capabilities?(): readonly string[];
}

export function hintsFor(
  session: VerbSession,
  model: HintSource | undefined,
  user: string | undefined,
  onError?: (error: unknown) => void,
): VerbHints {
  const safe = <T>(read: (() => T) | undefined, fallback: T): T => {
    if (!read) return fallback;
    try {
      return read();
    } catch (error) {
      // A hint is a convenience: a model that fails must not block the command.
      onError?.(error);
      return fallback;
    }
  };
  const mechanisms = safe(model?.saslMechanisms?.bind(model), [] as readonly string[]);
  return {
    mailboxes: safe(model?.mailboxNames?.bind(model), []),
    flags: safe(model?.permanentFlags?.bind(model), []),
    messageCount: safe(model?.messageCount?.bind(model), undefined),
    pop3Messages: safe(model?.pop3MessageNumbers?.bind(model), []),
    saslMechanisms: mechanisms.length > 0 ? mechanisms : advertisedMechanisms(session),
    capabilities: safe(model?.capabilities?.bind(model), []),
    user,
  };
}
