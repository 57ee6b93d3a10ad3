// One folder of the in-memory store. Keeps messages in UID order and tells watchers (other IMAP
// sessions) about every change they did not cause themselves.

import { Buffer } from 'node:buffer';
import type { Folder, FolderChange, SpecialUse, StoredMessage } from './types.js';

/** What the folder needs from its store: fresh UIDLs, and a hook to persist after a change. */
export interface FolderHost {
  nextUidl(): string;
  /** Called after every change; `added`/`removed` name messages whose raw bytes appeared or went. */
  changed(folder: MemoryFolder, added?: StoredMessage, removed?: readonly StoredMessage[]): void;
}

interface Watcher {
  readonly self: object;
  readonly listener: (change: FolderChange) => void;
}

export class MemoryFolder implements Folder {
  private readonly list: StoredMessage[];
  private readonly watchers = new Set<Watcher>();
  private next: number;

  constructor(
    private currentName: string,
    readonly uidValidity: number,
    private readonly host: FolderHost,
    readonly specialUse?: SpecialUse,
    uidNext = 1,
    messages: StoredMessage[] = [],
  ) {
    this.next = uidNext;
    this.list = [...messages].sort((a, b) => a.uid - b.uid);
  }

  get name(): string {
    return this.currentName;
  }

  get uidNext(): number {
    return this.next;
  }

  /** Used by the store's RENAME only. */
  rename(to: string): void {
    this.currentName = to;
  }

  messages(): readonly StoredMessage[] {
    return this.list;
  }

  append(raw: Buffer, flags: Iterable<string>, internalDate?: Date, origin?: object): StoredMessage {
    const message: StoredMessage = {
      uid: this.next++,
      raw,
      internalDate: internalDate ?? new Date(),
      flags: normalizeFlags(flags),
      size: raw.length,
      uidl: this.host.nextUidl(),
    };
    this.list.push(message);
    this.host.changed(this, message);
    this.notify({ kind: 'added', uid: message.uid }, origin);
    return message;
  }

  /** Adds every message of `other` (RENAME INBOX), with new UIDs here. */
  takeAll(other: MemoryFolder): void {
    for (const m of other.list) this.append(m.raw, m.flags, m.internalDate);
    other.expunge(
      other.list.map((m) => m.uid),
      undefined,
    );
  }

  setFlags(uid: number, flags: Iterable<string>, origin?: object): StoredMessage | undefined {
    const index = this.indexOf(uid);
    if (index < 0) return undefined;
    const old = this.list[index]!;
    const updated: StoredMessage = { ...old, flags: normalizeFlags(flags) };
    this.list[index] = updated;
    if (!sameFlags(old.flags, updated.flags)) {
      this.host.changed(this);
      this.notify({ kind: 'flags', uid, flags: updated.flags }, origin);
    }
    return updated;
  }

  expunge(uids: Iterable<number>, origin?: object): void {
    const wanted = new Set(uids);
    const removed: StoredMessage[] = [];
    for (let i = this.list.length - 1; i >= 0; i--) {
      const m = this.list[i]!;
      if (wanted.has(m.uid)) {
        removed.push(m);
        this.list.splice(i, 1);
      }
    }
    if (removed.length === 0) return;
    removed.reverse();
    this.host.changed(this, undefined, removed);
    for (const m of removed) this.notify({ kind: 'expunged', uid: m.uid }, origin);
  }

  watch(self: object, listener: (change: FolderChange) => void): () => void {
    const watcher: Watcher = { self, listener };
    this.watchers.add(watcher);
    return () => {
      this.watchers.delete(watcher);
    };
  }

  private notify(change: FolderChange, origin: object | undefined): void {
    for (const w of [...this.watchers]) {
      if (origin !== undefined && w.self === origin) continue;
      try {
        w.listener(change);
      } catch {
        // A broken listener (a session mid-teardown) must not stop the others from hearing.
      }
    }
  }

  private indexOf(uid: number): number {
    // Binary search: messages are kept in UID order.
    let lo = 0;
    let hi = this.list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const u = this.list[mid]!.uid;
      if (u === uid) return mid;
      if (u < uid) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

const SYSTEM_FLAGS = new Map(
  ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'].map((f) => [f.toLowerCase(), f]),
);

/** System flags get their canonical case; `\Recent` is session state and never stored. */
export function normalizeFlags(flags: Iterable<string>): ReadonlySet<string> {
  const out = new Set<string>();
  for (const f of flags) {
    const system = SYSTEM_FLAGS.get(f.toLowerCase());
    if (system) out.add(system);
    else if (f.toLowerCase() !== '\\recent' && f.length > 0) out.add(f);
  }
  return out;
}

function sameFlags(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const f of a) if (!b.has(f)) return false;
  return true;
}
