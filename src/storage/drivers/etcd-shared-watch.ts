// Store watches that only need events from now on share one etcd watch stream per key prefix, and
// the events fan out in process (what etcd's own grpc-proxy does when it coalesces watchers on one
// range). etcd sends one message per watcher and event, so a hundred watchers of one prefix would
// otherwise cost a hundred decoded messages per write.
import type { WatchEvent } from '../types.js';
import { WatchStream } from '../watch-stream.js';
import type { EtcdKeys } from './etcd-codec.js';
import { EtcdWatchConnection, type WatchTransport } from './etcd-watch-connection.js';

interface Subscriber {
  stream: WatchStream;
  /** Events at or below this revision are not for this subscriber. */
  after: number;
}

export class SharedLiveWatch {
  /** Resolves once etcd confirms the stream (or it ends): writes issued later reach every subscriber. */
  readonly established: Promise<void>;
  private settleEstablished!: () => void;
  private readonly connection: EtcdWatchConnection;
  private readonly subscribers = new Set<Subscriber>();
  private ended = false;

  constructor(
    transport: WatchTransport,
    keys: EtcdKeys,
    keyPrefix: string,
    /** Called once when the last subscriber leaves or the stream fails: the owner forgets this watch. */
    private readonly onEnd: () => void,
  ) {
    this.established = new Promise((resolve) => (this.settleEstablished = resolve));
    this.connection = new EtcdWatchConnection(transport, keys, keyPrefix, 0, {
      deliver: (events) => this.deliver(events),
      established: () => this.settleEstablished(),
      failed: (error) => this.failAll(error),
    });
    this.connection.start();
  }

  /** The revision up to which every event has reached the subscribers; 0 before etcd confirmed the stream. */
  get position(): number {
    return this.ended ? 0 : this.connection.after;
  }

  /**
   * A new subscriber for events with revision > afterRevision. Valid for afterRevision 0 (from
   * now) or afterRevision >= position: nothing it needs has passed yet.
   */
  subscribe(afterRevision: number, bufferLimit: number | undefined): WatchStream {
    const sub: Subscriber = {
      after: afterRevision,
      stream: new WatchStream({
        bufferLimit,
        onStop: () => this.leave(sub),
      }),
    };
    this.subscribers.add(sub);
    return sub.stream;
  }

  /** Ends every subscriber with `error` (StoreClosedError when the store closes). */
  failAll(error: Error): void {
    for (const sub of [...this.subscribers]) sub.stream.fail(error);
    this.end();
  }

  private deliver(events: WatchEvent[]): void {
    for (const sub of this.subscribers) {
      for (const ev of events) if (ev.kv.modRevision > sub.after) sub.stream.push(ev);
    }
  }

  private leave(sub: Subscriber): void {
    this.subscribers.delete(sub);
    if (this.subscribers.size === 0) this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.connection.stop();
    this.settleEstablished();
    this.onEnd();
  }
}
