// A tiny typed event emitter whose listeners can never break the emitter: a throwing listener is
// reported to `onListenerError` and the others still run.

export type Listener<T> = (value: T) => void;

export class Emitter<Events extends Record<string, unknown>> {
  /**
   * Copy on write: on() and the unsubscribe function replace the array, so emit() walks a
   * snapshot without copying it (emit runs for every wire event; subscribing is rare).
   */
  private readonly listeners = new Map<keyof Events, ReadonlyArray<Listener<never>>>();
  /** Told when an event gains its first listener (true) or loses its last (false). */
  private readonly watchers = new Map<keyof Events, (listening: boolean) => void>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    const entry = listener as Listener<never>;
    const current = this.listeners.get(event) ?? [];
    // Like a set: subscribing the same function twice keeps one subscription.
    if (!current.includes(entry)) {
      this.listeners.set(event, [...current, entry]);
      if (current.length === 0) this.watchers.get(event)?.(true);
    }
    return () => {
      const now = this.listeners.get(event);
      if (!now) return;
      const rest = now.filter((l) => l !== entry);
      if (rest.length > 0) this.listeners.set(event, rest);
      else if (this.listeners.delete(event)) this.watchers.get(event)?.(false);
    };
  }

  /**
   * Lets the owner do an event's work only while someone listens: `fn(true)` when the event
   * gains its first listener, `fn(false)` when it loses its last. One watcher per event.
   */
  watch<K extends keyof Events>(event: K, fn: (listening: boolean) => void): void {
    this.watchers.set(event, fn);
    if (this.listeners.has(event)) fn(true);
  }

  emit<K extends keyof Events>(event: K, value: Events[K]): void {
    const listeners = this.listeners.get(event);
    if (!listeners) return;
    for (let i = 0; i < listeners.length; i++) {
      try {
        (listeners[i] as Listener<Events[K]>)(value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  clear(): void {
    const had = [...this.listeners.keys()];
    this.listeners.clear();
    for (const event of had) this.watchers.get(event)?.(false);
  }
}
