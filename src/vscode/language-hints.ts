// Completion hints from a live session: what its state model learned from the server (mailboxes
// from LIST, PERMANENTFLAGS, SASL mechanisms, capabilities), read through the verb layer's
// guarded hints. No vscode import.
import {
  completeLine,
  NO_COMPLETION_HINTS,
  type Completion,
  type CompletionHints,
} from '../language/completion.js';
import { hintsFor } from '../verbs/hints.js';
import type { SessionEntry } from './session-manager.js';

export function hintsFromEntry(
  entry: SessionEntry | undefined,
  log?: (message: string) => void,
): CompletionHints {
  if (!entry?.state) return NO_COMPLETION_HINTS;
  // The same guarded, cheap reads as the verb prompts (no snapshot on every keystroke).
  const hints = hintsFor(entry.session, entry.state, entry.meta.user, (error) =>
    log?.(`completion hints unavailable: ${error instanceof Error ? error.message : String(error)}`),
  );
  return {
    mailboxes: hints.mailboxes,
    flags: hints.flags,
    saslMechanisms: hints.saslMechanisms,
    capabilities: hints.capabilities,
    messageNumbers: hints.pop3Messages,
  };
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
