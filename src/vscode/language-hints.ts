// Completion hints from a live session: what its state model learned from the server (mailboxes
// from LIST, PERMANENTFLAGS, SASL mechanisms, capabilities). No vscode import; every read is
// guarded, since a session may have no state model or a model may refuse a read.
import {
  completeLine,
  NO_COMPLETION_HINTS,
  type Completion,
  type CompletionHints,
} from '../language/completion.js';
import type { SessionEntry } from './session-manager.js';

export function hintsFromEntry(
  entry: SessionEntry | undefined,
  log?: (message: string) => void,
): CompletionHints {
  const state = entry?.state;
  if (!state) return NO_COMPLETION_HINTS;
  try {
    const snapshot = state.snapshot();
    const capabilities =
      snapshot.protocol === 'imap'
        ? snapshot.imap.capabilities
        : snapshot.protocol === 'pop3'
          ? snapshot.pop3.capabilities
          : snapshot.smtp.extensions.map((e) => [e.keyword, ...e.params].join(' '));
    return {
      mailboxes: state.mailboxNames(),
      flags: state.permanentFlags(),
      saslMechanisms: state.saslMechanisms(),
      capabilities,
      messageNumbers: state.pop3MessageNumbers(),
    };
  } catch (error) {
    log?.(`completion hints unavailable: ${error instanceof Error ? error.message : String(error)}`);
    return NO_COMPLETION_HINTS;
  }
}

/**
 * Completions for "Send Line..." on `entry`: verbs valid in the session's state and advertised by
 * its server, and their arguments. `text` is what the user typed so far.
 */
export function sendLineCompletions(entry: SessionEntry, text: string, tag?: string): Completion[] {
  const protocol = entry.session.protocol;
  if (protocol !== 'imap' && protocol !== 'pop3' && protocol !== 'smtp') return [];
  const hints = hintsFromEntry(entry);
  return completeLine(protocol, entry.session.state, text, tag ? { ...hints, tag } : hints);
}
