/**
 * A map that keeps its entries' total weight within `limit`, dropping the least recently used first. Without a
 * `weigh` function every entry weighs 1, so `limit` is a number of entries.
 */
export class LruCache<K, V> {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private total = 0;

  constructor(
    private readonly limit: number,
    private readonly weigh: (value: V) => number = () => 1,
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry?.value;
  }

  /** Stores a value; one heavier than the whole limit is not kept (and drops the key's old value). */
  set(key: K, value: V): void {
    this.delete(key);
    const weight = this.weigh(value);
    if (weight > this.limit) return;
    while (this.total + weight > this.limit) this.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, weight });
    this.total += weight;
  }

  delete(key: K): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.total -= entry.weight;
    return true;
  }

  /** Drops every entry whose value `test` accepts; returns how many. */
  deleteWhere(test: (value: V) => boolean): number {
    let n = 0;
    for (const [key, entry] of [...this.entries]) if (test(entry.value) && this.delete(key)) n++;
    return n;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The sum of the entries' weights. */
  get weight(): number {
    return this.total;
  }
}
