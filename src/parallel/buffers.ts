// The buffers a thread reads into batches (read-job.ts, event-pack.ts): taken from a pool and given back, so that
// a scan's threads make their few buffers at the start and none after.

/** The smallest buffer made: sizes are powers of two, so that a buffer given back fits the next of its kind. */
const MIN_BUFFER = 16 * 1024;
/** Buffers kept for reuse: more than the batches a thread has on their way at once. */
const MAX_FREE = 32;

/**
 * Buffers of one thread: a batch's (given back by the main thread once it is delivered, pool.ts recycle) and the
 * arrays a source's batches are filled in. New ones for every batch and every block were malloc'd by the thread
 * that read them and freed by the main thread's GC, after a full collection when they had lived long enough to be
 * promoted (a batch that waited its turn, a block's arrays): at its peak, auth.log 2,000,000 lines with --threads 2
 * had ~8 MB of them waiting to be freed (heaptrack), and glibc kept the freed pieces.
 */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];

  /** The smallest buffer given back of at least `bytes`, else a new one. */
  take(bytes: number): ArrayBuffer {
    const free = this.free;
    let best = -1;
    for (let i = 0; i < free.length; i++) {
      const size = free[i]!.byteLength;
      if (size >= bytes && (best < 0 || size < free[best]!.byteLength)) best = i;
    }
    if (best < 0) return new ArrayBuffer(Math.max(MIN_BUFFER, 2 ** Math.ceil(Math.log2(bytes))));
    const b = free[best]!;
    free[best] = free[free.length - 1]!;
    free.pop();
    return b;
  }

  /** `b` is no longer read nor written by its taker. */
  give(b: ArrayBuffer): void {
    if (this.free.length < MAX_FREE && b.byteLength > 0) this.free.push(b);
  }
}
