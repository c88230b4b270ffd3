/**
 * Indexed binary min-heap over integer items (node ids), backed by typed arrays so a search does not
 * allocate per push. Supports decrease-key, which keeps the heap no larger than the frontier.
 *
 * Invariant: `slotOf[item]` is the item's heap slot, or -1 when it is not in the heap. `clear()`
 * restores -1 only for the items still queued, so reuse costs O(frontier), not O(capacity).
 */
export class IndexedMinHeap {
  private items: Int32Array;
  private keys: Float64Array;
  private slotOf: Int32Array;
  private count = 0;

  constructor(capacity: number) {
    this.items = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
    this.slotOf = new Int32Array(capacity).fill(-1);
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.slotOf.length;
  }

  /** Grows to hold item ids below `capacity`; existing contents are kept. */
  ensureCapacity(capacity: number): void {
    if (capacity <= this.slotOf.length) return;
    const items = new Int32Array(capacity);
    const keys = new Float64Array(capacity);
    const slotOf = new Int32Array(capacity).fill(-1);
    items.set(this.items);
    keys.set(this.keys);
    slotOf.set(this.slotOf);
    this.items = items;
    this.keys = keys;
    this.slotOf = slotOf;
  }

  clear(): void {
    for (let i = 0; i < this.count; i++) this.slotOf[this.items[i]] = -1;
    this.count = 0;
  }

  /** Smallest key, or Infinity when empty. */
  peekKey(): number {
    return this.count === 0 ? Infinity : this.keys[0];
  }

  /** Inserts `item`, or lowers its key if it is queued with a larger one. */
  pushOrDecrease(item: number, key: number): void {
    let slot = this.slotOf[item];
    if (slot === -1) {
      slot = this.count++;
    } else if (key >= this.keys[slot]) {
      return;
    }
    this.siftUp(slot, item, key);
  }

  /** Removes and returns the item with the smallest key; the heap must not be empty. */
  pop(): number {
    const top = this.items[0];
    this.slotOf[top] = -1;
    const lastSlot = --this.count;
    if (lastSlot > 0) this.siftDown(this.items[lastSlot], this.keys[lastSlot]);
    return top;
  }

  private siftUp(slot: number, item: number, key: number): void {
    const { items, keys, slotOf } = this;
    while (slot > 0) {
      const parent = (slot - 1) >> 1;
      if (keys[parent] <= key) break;
      items[slot] = items[parent];
      keys[slot] = keys[parent];
      slotOf[items[slot]] = slot;
      slot = parent;
    }
    items[slot] = item;
    keys[slot] = key;
    slotOf[item] = slot;
  }

  /** Places `item` (taken from the last slot) starting at the root. */
  private siftDown(item: number, key: number): void {
    const { items, keys, slotOf, count } = this;
    let slot = 0;
    for (;;) {
      let child = slot * 2 + 1;
      if (child >= count) break;
      if (child + 1 < count && keys[child + 1] < keys[child]) child++;
      if (keys[child] >= key) break;
      items[slot] = items[child];
      keys[slot] = keys[child];
      slotOf[items[slot]] = slot;
      slot = child;
    }
    items[slot] = item;
    keys[slot] = key;
    slotOf[item] = slot;
  }
}
