// Turns a sequence set or UID set argument into the messages of the session's view.

import type { StoredMessage } from '../../store/types.js';
import { ParseError } from '../parser.js';
import type { SelectedMailbox } from '../selected.js';
import { inSet, largestExplicit, parseSequenceSet } from '../sequence-set.js';

export interface Addressed {
  readonly seq: number;
  readonly message: StoredMessage;
}

/**
 * Messages addressed by `text`. Sequence numbers beyond the mailbox are an error (BAD, as
 * RFC 3501 9 `seq-number` says they must exist); UIDs that do not exist are simply skipped.
 */
export function resolveMessages(selected: SelectedMailbox, text: string, uid: boolean): Addressed[] {
  const set = parseSequenceSet(text);
  const view = selected.messages();
  const out: Addressed[] = [];
  if (uid) {
    const largest = view.length ? view[view.length - 1]!.uid : 0;
    view.forEach((message, i) => {
      if (inSet(set, message.uid, largest)) out.push({ seq: i + 1, message });
    });
    return out;
  }
  const max = largestExplicit(set);
  if (max > view.length) {
    throw new ParseError(`message ${max} does not exist (the mailbox has ${view.length} messages)`);
  }
  if (view.length === 0) throw new ParseError('the mailbox is empty: no message sequence numbers exist');
  view.forEach((message, i) => {
    if (inSet(set, i + 1, view.length)) out.push({ seq: i + 1, message });
  });
  return out;
}
