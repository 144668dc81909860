// A Store watch with an etcd watch stream of its own, for watches that start in the past. History
// (events that existed when etcd registered the watch) reaches the consumer at its own pace: it
// waits in a backlog, and the etcd stream pauses while the backlog is long. Live events count
// against the buffer limit, as in every driver.
import type { WatchEvent } from '../types.js';
import { WatchStream } from '../watch-stream.js';
import type { EtcdKeys } from './etcd-codec.js';
import { EtcdWatchConnection, type WatchTransport } from './etcd-watch-connection.js';
import type { WireEvent } from './etcd-wire.js';

export interface EtcdWatchOptions {
  keys: EtcdKeys;
  keyPrefix: string;
  /** Deliver events with revision > afterRevision (> 0: a watch from now shares a stream instead). */
  afterRevision: number;
  bufferLimit?: number;
  onStop: () => void;
}

export class EtcdWatch {
  readonly stream: WatchStream;
  private readonly connection: EtcdWatchConnection;
  private backlog: WireEvent[] = [];
  private backlogHead = 0;

  constructor(transport: WatchTransport, opts: EtcdWatchOptions) {
    this.stream = new WatchStream({
      bufferLimit: opts.bufferLimit,
      onStop: () => {
        this.connection.stop();
        opts.onStop();
      },
      pull: () => this.pullBacklog(),
    });
    this.connection = new EtcdWatchConnection(transport, opts.keys, opts.keyPrefix, opts.afterRevision, {
      deliver: (events, historyEnd) => this.deliver(events, historyEnd),
      established: () => {},
      failed: (error) => this.stream.fail(error),
    });
  }

  start(): void {
    this.connection.start();
  }

  /** Ends the watch with `error` (after the events already buffered). */
  fail(error: Error): void {
    this.stream.fail(error);
  }

  private deliver(events: WireEvent[], historyEnd: number): void {
    for (const ev of events) {
      if (ev.kv.modRevision <= historyEnd || this.backlogSize > 0) this.backlog.push(ev);
      else this.stream.push(ev);
    }
    if (this.backlogSize === 0) return;
    // Wake a consumer that waits on an empty buffer; it pulls the rest as it goes.
    if (this.stream.buffered === 0) this.stream.push(this.backlog[this.backlogHead++]);
    if (this.backlogSize > this.stream.bufferLimit) this.connection.pause();
  }

  private get backlogSize(): number {
    return this.backlog.length - this.backlogHead;
  }

  /** Hands the consumer the next part of the backlog (called when its buffer is empty). */
  private pullBacklog(): WatchEvent[] | undefined {
    if (this.backlogSize === 0) return undefined;
    const n = Math.min(this.backlogSize, this.stream.bufferLimit);
    const chunk = this.backlog.slice(this.backlogHead, this.backlogHead + n);
    this.backlogHead += n;
    if (this.backlogSize === 0) {
      this.backlog = [];
      this.backlogHead = 0;
    }
    if (this.backlogSize <= this.stream.bufferLimit / 2) this.connection.resume();
    return chunk;
  }
}

