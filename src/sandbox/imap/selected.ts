// The selected mailbox as one session sees it: its own list of messages (sequence numbers are
// positions in it), its \Recent set, and the changes by others it has yet to announce. A change
// is announced only when the session flushes, so numbering never shifts under a running command.

import type { Folder, FolderChange, StoredMessage } from '../store/types.js';
import { formatFlags } from './format.js';

/** The highest UID some session has already reported as \Recent, per folder. */
const recentClaims = new WeakMap<Folder, number>();

export function recentCount(folder: Folder): number {
  const claimed = recentClaims.get(folder) ?? 0;
  return folder.messages().filter((m) => m.uid > claimed).length;
}

export class SelectedMailbox {
  private view: StoredMessage[];
  private readonly recent = new Set<number>();
  private pending: FolderChange[] = [];
  private readonly stopWatching: () => void;

  constructor(
    readonly folder: Folder,
    readonly readOnly: boolean,
    private readonly self: object,
    /** Called when a change arrives (the session flushes at once while idling). */
    onChange: () => void,
  ) {
    this.view = [...folder.messages()];
    if (!readOnly) {
      const claimed = recentClaims.get(folder) ?? 0;
      for (const m of this.view) if (m.uid > claimed) this.recent.add(m.uid);
      recentClaims.set(folder, Math.max(claimed, folder.uidNext - 1));
    }
    this.stopWatching = folder.watch(self, (change) => {
      if (change.kind === 'added' && !this.readOnly) {
        const claimed = recentClaims.get(folder) ?? 0;
        if (change.uid > claimed) {
          this.recent.add(change.uid);
          recentClaims.set(folder, change.uid);
        }
      }
      this.pending.push(change);
      onChange();
    });
  }

  close(): void {
    this.stopWatching();
    this.pending = [];
  }

  get exists(): number {
    return this.view.length;
  }

  get recentCount(): number {
    return this.recent.size;
  }

  messages(): readonly StoredMessage[] {
    return this.view;
  }

  isRecent(uid: number): boolean {
    return this.recent.has(uid);
  }

  /** Sequence number (1-based) of a UID in this session's view, or 0. */
  seqOf(uid: number): number {
    let lo = 0;
    let hi = this.view.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const u = this.view[mid]!.uid;
      if (u === uid) return mid + 1;
      if (u < uid) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** Replaces the session's copy after its own STORE (or implicit \Seen). */
  update(message: StoredMessage): void {
    const seq = this.seqOf(message.uid);
    if (seq > 0) this.view[seq - 1] = message;
  }

  /** Removes messages this session expunged itself; returns the EXPUNGE numbers to send, in order. */
  removeOwn(uids: readonly number[]): number[] {
    const out: number[] = [];
    for (const uid of [...uids].sort((a, b) => a - b)) {
      const seq = this.seqOf(uid);
      if (seq === 0) continue;
      this.view.splice(seq - 1, 1);
      this.recent.delete(uid);
      out.push(seq);
    }
    return out;
  }

  flagsOf(m: StoredMessage): string {
    return formatFlags(m.flags, this.recent.has(m.uid));
  }

  /**
   * Applies pending changes by other sessions and returns the untagged lines announcing them.
   * With `allowExpunge` false (during FETCH, STORE, SEARCH: RFC 3501 7.4.1) expunges stay queued.
   */
  flush(allowExpunge: boolean): string[] {
    const lines: string[] = [];
    const kept: FolderChange[] = [];
    let grew = false;
    for (const change of this.pending) {
      if (change.kind === 'added') {
        if (this.seqOf(change.uid) > 0) continue;
        const m = this.folder.messages().find((x) => x.uid === change.uid);
        if (!m) continue; // added and expunged before we looked: nothing to announce
        if (this.view.length > 0 && this.view[this.view.length - 1]!.uid > m.uid) continue;
        this.view.push(m);
        grew = true;
      } else if (change.kind === 'flags') {
        const seq = this.seqOf(change.uid);
        if (seq === 0) continue;
        const updated = { ...this.view[seq - 1]!, flags: change.flags };
        this.view[seq - 1] = updated;
        lines.push(`${seq} FETCH (UID ${updated.uid} FLAGS ${this.flagsOf(updated)})`);
      } else if (!allowExpunge) {
        kept.push(change);
      } else {
        if (grew) {
          // EXISTS first, so the expunged number is within what the client was told.
          lines.push(`${this.view.length} EXISTS`);
          grew = false;
        }
        const [seq] = this.removeOwn([change.uid]);
        if (seq !== undefined) lines.push(`${seq} EXPUNGE`);
      }
    }
    this.pending = kept;
    if (grew) {
      lines.push(`${this.view.length} EXISTS`);
      lines.push(`${this.recent.size} RECENT`);
    }
    return lines;
  }
}
