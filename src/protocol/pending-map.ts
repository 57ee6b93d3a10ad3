// A map for entries that come and go once per command: pending commands by id or tag, their send
// times. A Map's hash table is reallocated as entries churn (when it empties, and when deleted
// slots fill it), which on a busy session costs about a microsecond and garbage per command.
// Commands in flight are few, so two arrays do the same with no allocation in the usual case.
// Searches start at the newest entry: what is looked up is within the pipelining depth of the
// end, and entries that never complete (a command the server never answers) stay behind at the
// front without slowing the rest.

export class PendingMap<K, V> {
  private readonly keys: K[] = [];
  private readonly vals: V[] = [];

  get size(): number {
    return this.keys.length;
  }

  get(key: K): V | undefined {
    const i = this.find(key);
    return i < 0 ? undefined : this.vals[i];
  }

  has(key: K): boolean {
    return this.find(key) >= 0;
  }

  set(key: K, value: V): this {
    const i = this.find(key);
    if (i >= 0) this.vals[i] = value;
    else {
      this.keys.push(key);
      this.vals.push(value);
    }
    return this;
  }

  delete(key: K): boolean {
    const i = this.find(key);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }

  /** Removes the entry and returns its value: get() and delete() with one search. */
  take(key: K): V | undefined {
    const i = this.find(key);
    if (i < 0) return undefined;
    const value = this.vals[i];
    this.removeAt(i);
    return value;
  }

  /** The values, oldest first: a live view for reading, changed by the next set() or delete(). */
  get values(): readonly V[] {
    return this.vals;
  }

  /**
   * Index of `key`, newest first, or -1. A loop, not lastIndexOf: the builtin's call costs more
   * than searching the few entries in flight.
   */
  private find(key: K): number {
    const keys = this.keys;
    for (let i = keys.length - 1; i >= 0; i--) if (keys[i] === key) return i;
    return -1;
  }

  private removeAt(i: number): void {
    if (i === 0) {
      this.keys.shift();
      this.vals.shift();
    } else {
      // Closing the gap in place: splice would allocate the array of what it removed.
      this.keys.copyWithin(i, i + 1);
      this.vals.copyWithin(i, i + 1);
      this.keys.pop();
      this.vals.pop();
    }
  }

  clear(): void {
    this.keys.length = 0;
    this.vals.length = 0;
  }

  /** Calls `fn` for each entry, oldest first. */
  forEach(fn: (value: V, key: K) => void): void {
    for (let i = 0; i < this.keys.length; i++) fn(this.vals[i] as V, this.keys[i] as K);
  }

  /** The entries, oldest first, as a snapshot (for loops that delete as they go). */
  entries(): Array<[K, V]> {
    return this.keys.map((key, i) => [key, this.vals[i] as V]);
  }
}
