// A map for entries that come and go once per command: pending commands by id or tag, their send
// times. A Map's hash table is reallocated as entries churn (when it empties, and when deleted
// slots fill it), which on a busy session costs about a microsecond and garbage per command.
// Pending commands are few and usually finish oldest first, so two arrays searched from the
// front do the same with no allocation in the usual case. Lookups are linear in the number of
// commands in flight, which a client controls (it is never the server's to grow).

export class PendingMap<K, V> {
  private readonly keys: K[] = [];
  private readonly vals: V[] = [];

  get size(): number {
    return this.keys.length;
  }

  get(key: K): V | undefined {
    const i = this.keys.indexOf(key);
    return i < 0 ? undefined : this.vals[i];
  }

  has(key: K): boolean {
    return this.keys.includes(key);
  }

  set(key: K, value: V): this {
    const i = this.keys.indexOf(key);
    if (i >= 0) this.vals[i] = value;
    else {
      this.keys.push(key);
      this.vals.push(value);
    }
    return this;
  }

  delete(key: K): boolean {
    const i = this.keys.indexOf(key);
    if (i < 0) return false;
    if (i === 0) {
      this.keys.shift();
      this.vals.shift();
    } else if (i === this.keys.length - 1) {
      this.keys.pop();
      this.vals.pop();
    } else {
      this.keys.splice(i, 1);
      this.vals.splice(i, 1);
    }
    return true;
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
