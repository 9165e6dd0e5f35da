/**
 * A binary min-heap of small integer ids (e.g. input indexes) ordered by a caller-supplied
 * comparison. Backed by one Int32Array sized at construction: push/pop allocate nothing.
 * The comparison must be a strict weak order and must not change for ids while they are in the heap.
 */
export class IdHeap {
  private readonly a: Int32Array;
  private n = 0;

  constructor(capacity: number, private readonly less: (x: number, y: number) => boolean) {
    this.a = new Int32Array(Math.max(1, capacity));
  }

  get size(): number { return this.n; }

  /** The smallest id; undefined when empty. */
  peek(): number | undefined { return this.n === 0 ? undefined : this.a[0]; }

  push(id: number): void {
    if (this.n === this.a.length) throw new RangeError(`heap: capacity ${this.a.length} exceeded`);
    const a = this.a;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(id, a[p]!)) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = id;
  }

  /** Removes and returns the smallest id; undefined when empty. */
  pop(): number | undefined {
    if (this.n === 0) return undefined;
    const a = this.a;
    const top = a[0]!;
    const last = a[--this.n]!;
    if (this.n > 0) this.siftDown(last);
    return top;
  }

  private siftDown(id: number): void {
    const a = this.a, n = this.n;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.less(a[c + 1]!, a[c]!)) c++;
      if (!this.less(a[c]!, id)) break;
      a[i] = a[c]!;
      i = c;
    }
    a[i] = id;
  }
}
