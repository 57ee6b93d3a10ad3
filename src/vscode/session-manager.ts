// The live sessions of this window: ids, labels and change events for the tree, the status bar
// and the transcript documents. Plain module (no vscode) so its rules are unit tested.
import type { MailSession } from '../session/session.js';
import { Emitter } from '../session/emitter.js';
import { sessionLabel, type SessionLabel } from './session-label.js';
import type { SessionStateModel } from '../state/index.js';

type StateModule = typeof import('../state/index.js');
let stateModule: StateModule | undefined;

/**
 * The state model, and the protocol codecs it reads the traffic with, load with the first
 * session instead of at activation (a session's own code has loaded them by then anyway).
 * A synchronous require, which esbuild bundles as a lazily initialised module.
 */
function newStateModel(session: ManagedSession): SessionStateModel {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  stateModule ??= require('../state/index.js') as StateModule;
  return new stateModule.SessionStateModel(session);
}

/** The part of MailSession the extension uses; tests pass a real Transcript and Emitter with a fake. */
export type ManagedSession = Pick<
  MailSession,
  | 'protocol'
  | 'status'
  | 'state'
  | 'tls'
  | 'closedBecause'
  | 'transcript'
  | 'events'
  | 'sendRaw'
  | 'close'
  // What the palette verbs use (src/verbs/types.ts VerbSession).
  | 'codec'
  | 'run'
  | 'addSecrets'
  | 'nextTls'
  | 'waitingForClient'
>;

export interface SessionMeta {
  readonly host: string;
  readonly port: number;
  readonly user: string | undefined;
  readonly profileName: string | undefined;
}

export interface SessionEntry {
  readonly id: string;
  readonly session: ManagedSession;
  readonly meta: SessionMeta;
  readonly label: SessionLabel;
  /** What the session's traffic says about the server (state view, verb prompts). */
  readonly state: SessionStateModel;
}

export interface ManagerEvents extends Record<string, unknown> {
  /** A session was added, changed (status, state, TLS) or removed; undefined: the list changed. */
  change: SessionEntry | undefined;
  /** The active session changed (status bar, Send Line default). */
  active: SessionEntry | undefined;
  /** A session closed because of an error (for a notification). */
  failed: { entry: SessionEntry; reason: string };
}

interface Slot {
  entry: SessionEntry;
  readonly unsubscribe: Array<() => void>;
}

export class SessionManager {
  readonly events: Emitter<ManagerEvents>;
  private readonly slots = new Map<string, Slot>();
  private nextId = 1;
  private activeId: string | undefined;

  constructor(onListenerError: (error: unknown) => void = () => undefined) {
    this.events = new Emitter<ManagerEvents>(onListenerError);
  }

  /** Adds a session (open or already closed) and makes it the active one. */
  add(session: ManagedSession, meta: SessionMeta): SessionEntry {
    const id = `s${this.nextId++}`;
    const state = newStateModel(session);
    const slot: Slot = {
      entry: { id, session, meta, label: labelOf(session, meta, state), state },
      unsubscribe: [],
    };
    this.slots.set(id, slot);
    const refresh = () => this.refresh(id);
    slot.unsubscribe.push(
      session.events.on('status', refresh),
      session.events.on('state', refresh),
      session.events.on('tls', refresh),
      session.events.on('close', ({ reason, error }) => {
        this.refresh(id);
        if (error && this.slots.has(id)) this.events.emit('failed', { entry: slot.entry, reason });
      }),
      this.summaryRefresher(id, slot),
    );
    this.events.emit('change', undefined);
    this.setActive(id);
    return slot.entry;
  }

  get(id: string): SessionEntry | undefined {
    return this.slots.get(id)?.entry;
  }

  list(): SessionEntry[] {
    return [...this.slots.values()].map((s) => s.entry);
  }

  get active(): SessionEntry | undefined {
    return this.activeId === undefined ? undefined : this.get(this.activeId);
  }

  setActive(id: string | undefined): void {
    const next = id !== undefined && this.slots.has(id) ? id : undefined;
    if (next === this.activeId) return;
    this.activeId = next;
    this.events.emit('active', this.active);
  }

  /** Closes the session (if still open) but keeps it listed so its transcript stays readable. */
  disconnect(id: string): boolean {
    const entry = this.get(id);
    if (!entry) return false;
    if (entry.session.status !== 'closed') entry.session.close('closed by the user');
    return true;
  }

  /** Closes and forgets a session (its transcript file stays on disk). */
  remove(id: string): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    for (const off of slot.unsubscribe) off();
    slot.entry.state.dispose();
    this.slots.delete(id);
    if (slot.entry.session.status !== 'closed') slot.entry.session.close('closed by the user');
    // Closes the live transcript file and deletes temporary payload storage.
    try {
      slot.entry.session.transcript.dispose();
    } catch {
      // the session is gone either way; a failing close must not keep it listed
    }
    this.events.emit('change', undefined);
    if (this.activeId === id) {
      const last = [...this.slots.keys()].pop();
      this.activeId = undefined;
      this.setActive(last);
      if (last === undefined) this.events.emit('active', undefined);
    }
  }

  /** Closes every session (extension deactivation). */
  dispose(): void {
    for (const id of [...this.slots.keys()]) this.remove(id);
    this.events.clear();
  }

  /**
   * The state model changes with every untagged response; the label (`Selected INBOX, 12
   * messages`) is refreshed at most every 250 ms, and only when its words changed.
   */
  private summaryRefresher(id: string, slot: Slot): () => void {
    let timer: NodeJS.Timeout | undefined;
    const off = slot.entry.state.onChange(() => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        const current = this.slots.get(id);
        if (
          current &&
          labelOf(current.entry.session, current.entry.meta, current.entry.state).description !==
            current.entry.label.description
        )
          this.refresh(id);
      }, SUMMARY_REFRESH_MS);
      timer.unref();
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }

  private refresh(id: string): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    const label = labelOf(slot.entry.session, slot.entry.meta, slot.entry.state);
    slot.entry = { ...slot.entry, label };
    this.events.emit('change', slot.entry);
    if (this.activeId === id) this.events.emit('active', slot.entry);
  }
}

const SUMMARY_REFRESH_MS = 250;

function labelOf(session: ManagedSession, meta: SessionMeta, state: SessionStateModel): SessionLabel {
  const tls = session.tls;
  return sessionLabel({
    protocol: session.protocol,
    status: session.status,
    state: session.state,
    tls: tls !== undefined,
    tlsVerified: tls?.verified ?? false,
    host: meta.host,
    port: meta.port,
    user: meta.user,
    closedBecause: session.closedBecause,
    summary: safeSummary(state),
  });
}

function safeSummary(state: SessionStateModel): string | undefined {
  try {
    return state.summary();
  } catch {
    return undefined; // a label without the summary beats no label
  }
}
