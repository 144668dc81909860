// One etcd watch stream that survives member failures. It connects to the first endpoint that
// answers and, when the stream breaks, resumes on the next endpoint from the last revision it
// delivered, so a failover costs neither events nor order. etcd3's own Watcher is not used: it
// resumes from the response header's revision, which etcd sets to its current revision even when a
// catching-up batch stopped short of it (mvcc watchable_store syncWatchers), and that skips events.
import { CompactedError, StoreUnavailableError } from '../errors.js';
import type { EtcdKeys } from './etcd-codec.js';
import type { WatchCall } from './etcd-rpc.js';
import { decodeWatchResponse, encodeWatchCreate, type WatchResponse, type WireEvent } from './etcd-wire.js';

export interface WatchTransport {
  readonly endpointCount: number;
  /** Opens a watch stream on endpoint `index` (connection failures arrive as stream errors). */
  open(index: number): Promise<WatchCall>;
  /** How long a watch may go without any endpoint accepting it before it fails as unavailable. */
  readonly retryWindowMs: number;
}

export interface WatchSink {
  /**
   * Events in revision order, each newer than everything delivered before. Those at or below
   * `historyEnd` already existed when etcd (re)registered the watch.
   */
  deliver(events: WireEvent[], historyEnd: number): void;
  /** etcd confirmed the watch: writes issued from now on will be delivered. */
  established(): void;
  /** The watch is over (compacted, canceled by etcd, no endpoint within the retry window). */
  failed(error: Error): void;
}

export class EtcdWatchConnection {
  /** Every event with revision <= after was delivered (or precedes the watch). 0: not yet known. */
  after: number;
  private historyEnd = 0;
  private call: WatchCall | undefined;
  private endpoint = 0;
  private failingSince: number | undefined;
  private attempt = 0;
  private stopped = false;
  private paused = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly etcdRange: { key: Buffer; rangeEnd: Buffer };

  constructor(
    private readonly transport: WatchTransport,
    private readonly keys: EtcdKeys,
    keyPrefix: string,
    /** Deliver events with revision > afterRevision; 0: from the revision etcd registers the watch at. */
    afterRevision: number,
    private readonly sink: WatchSink,
  ) {
    this.after = afterRevision;
    this.etcdRange = keys.prefixRange(keyPrefix);
  }

  start(): void {
    void this.connect();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.hangUp();
  }

  /** Stops reading: HTTP/2 flow control then holds etcd back (etcd parks slow watchers, it does not drop them). */
  pause(): void {
    if (this.paused || !this.call) return;
    this.paused = true;
    this.call.pause();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.call?.resume();
  }

  private fail(error: Error): void {
    this.stop();
    this.sink.failed(error);
  }

  private hangUp(): void {
    const call = this.call;
    this.call = undefined;
    this.paused = false;
    if (!call) return;
    // Half-close first: etcd3 counts errors of a still-writable stream against the endpoint.
    call.end();
    call.cancel();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let call: WatchCall;
    try {
      call = await this.transport.open(this.endpoint);
    } catch (err) {
      this.lost(err);
      return;
    }
    if (this.stopped) {
      call.end();
      call.cancel();
      return;
    }
    this.call = call;
    const nsLen = this.keys.namespaceBytes;
    call.on('data', (message: Buffer) => {
      if (this.call !== call) return;
      let res: WatchResponse;
      try {
        res = decodeWatchResponse(message, nsLen);
      } catch (err) {
        this.fail(new StoreUnavailableError(`undecodable watch response from etcd: ${(err as Error).message}`));
        return;
      }
      this.onResponse(res);
    });
    call.on('error', (err: Error) => {
      if (this.call === call) this.lost(err);
    });
    call.on('end', () => {
      if (this.call === call) this.lost(new Error('etcd ended the watch stream'));
    });
    // Starting at `after` itself (not after + 1) makes etcd refuse exactly when an event we still
    // need is compacted away: etcd drops a tombstone at the compaction revision, so a watch from
    // the compaction revision may silently miss it. Events at `after` are filtered out below.
    call.write(
      encodeWatchCreate({
        key: this.etcdRange.key,
        rangeEnd: this.etcdRange.rangeEnd,
        startRevision: this.after,
        prevKv: true,
        progressNotify: true,
      }),
    );
  }

  private onResponse(res: WatchResponse): void {
    if (res.compactRevision > 0) {
      this.fail(new CompactedError(this.after + 1, res.compactRevision));
      return;
    }
    if (res.canceled) {
      this.fail(new StoreUnavailableError(`etcd canceled the watch: ${res.cancelReason || 'no reason given'}`));
      return;
    }
    if (res.created) {
      // A watch "from now" starts after the revision etcd reports at creation.
      if (this.after === 0) this.after = res.revision;
      this.historyEnd = res.revision;
      this.failingSince = undefined;
      this.attempt = 0;
      this.sink.established();
      return;
    }
    if (res.events.length === 0) {
      // A progress notification: etcd sends it only to watchers that have received every event
      // up to the header's revision (mvcc watchable_store progressIfSync).
      this.after = Math.max(this.after, res.revision);
      return;
    }
    // One response holds whole revisions (etcd never splits a revision unless asked to fragment),
    // so the filter point stays fixed while the response is handled.
    const after = this.after;
    const fresh = res.events[0].kv.modRevision > after ? res.events : res.events.filter((ev) => ev.kv.modRevision > after);
    if (fresh.length === 0) return;
    this.after = fresh[fresh.length - 1].kv.modRevision;
    this.sink.deliver(fresh, this.historyEnd);
  }

  /** The stream broke: resume on the next endpoint after a short backoff, or give up after the window. */
  private lost(err: unknown): void {
    this.hangUp();
    if (this.stopped) return;
    const now = Date.now();
    this.failingSince ??= now;
    if (now - this.failingSince > this.transport.retryWindowMs) {
      const reason = err instanceof Error ? err.message : String(err);
      this.fail(new StoreUnavailableError(`etcd watch lost and no endpoint took it back within ${this.transport.retryWindowMs} ms: ${reason}`));
      return;
    }
    this.endpoint = (this.endpoint + 1) % this.transport.endpointCount;
    const delay = Math.min(500, 10 * 2 ** this.attempt++);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }
}
