// Streams generated lines to a file in ~1 MiB writes, waiting for 'drain', so that a corpus of any size is written
// without ever being held in memory.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

const FLUSH_AT = 1 << 20;

export class LineSink {
  private readonly stream: WriteStream;
  private chunk = '';
  /** Lines written so far. */
  count = 0;
  /** Lines accepted beyond this are dropped: a multi-line session may be cut at the end of the corpus. */
  readonly limit: number;

  constructor(path: string, limit: number) {
    this.stream = createWriteStream(path);
    this.limit = limit;
  }

  get full(): boolean {
    return this.count >= this.limit;
  }

  line(text: string): void {
    if (this.count >= this.limit) return;
    this.chunk += text + '\n';
    this.count++;
  }

  /** True when the pending chunk is big enough to write: test it between steps, so that only every ~1 MiB awaits. */
  get ready(): boolean {
    return this.chunk.length >= FLUSH_AT;
  }

  async flush(): Promise<void> {
    await this.write();
  }

  async close(): Promise<void> {
    await this.write();
    this.stream.end();
    await once(this.stream, 'finish');
  }

  private async write(): Promise<void> {
    if (this.chunk === '') return;
    const ok = this.stream.write(this.chunk);
    this.chunk = '';
    if (!ok) await once(this.stream, 'drain');
  }
}
