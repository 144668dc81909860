// One Store watch as one etcd watch stream. The stream connects to the first endpoint that
// answers and, when it breaks, resumes on the next endpoint from the last revision it delivered,
// so a member failure costs neither events nor order. etcd3's own Watcher is not used: it resumes
// from the response header's revision, which etcd sets to its current revision even when a
// catching-up batch stopped short of it (mvcc watchable_store syncWatchers), and that skips events.
import { CompactedError, StoreUnavailableError } from '../errors.js';
import type { WatchEvent } from '../types.js';
import { WatchStream } from '../watch-stream.js';
import type { EtcdKeys } from './etcd-codec.js';
import type { WatchCall } from './etcd-rpc.js';
import { decodeWatchResponse, encodeWatchCreate, type WatchResponse, type WireEvent } from './etcd-wire.js';

type Call = WatchCall;

export interface WatchTransport {
  readonly endpointCount: number;
  /** Opens a watch stream on endpoint `index` (etcd3 connects lazily; failures arrive as stream errors). */
  open(index: number): Promise<Call>;
  /** How long a watch may go without any endpoint accepting it before it fails as unavailable. */
  readonly retryWindowMs: number;
}

export interface EtcdWatchOptions {
  keys: EtcdKeys;
  keyPrefix: string;
  /** Deliver events with revision > afterRevision; 0: from the revision the watch is created at. */
  afterRevision: number;
  bufferLimit?: number;
  onStop: () => void;
}


export class EtcdWatch {
  readonly stream: WatchStream;
  /** Resolves once etcd first confirms the watch (or the watch ends): writes issued later are seen. */
  readonly established: Promise<void>;
  private settleEstablished!: () => void;
  /** Every event with revision <= after was delivered (or precedes the watch). 0: not yet known. */
  private after: number;
  private call: Call | undefined;
  private endpoint = 0;
  private failingSince: number | undefined;
  private attempt = 0;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly etcdRange: { key: Buffer; rangeEnd: Buffer };
  /**
   * Events up to this revision existed when etcd registered the watch: history, delivered at the
   * consumer's pace through `backlog` (the etcd stream pauses while it is long). Later events are
   * live and count against the buffer limit.
   */
  private historyEnd = 0;
  private backlog: WireEvent[] = [];
  private backlogHead = 0;
  private paused = false;

  constructor(
    private readonly transport: WatchTransport,
    private readonly opts: EtcdWatchOptions,
  ) {
    this.after = opts.afterRevision;
    this.etcdRange = opts.keys.prefixRange(opts.keyPrefix);
    this.established = new Promise((resolve) => (this.settleEstablished = resolve));
    this.stream = new WatchStream({
      bufferLimit: opts.bufferLimit,
      onStop: () => this.stop(),
      pull: () => this.pullBacklog(),
    });
  }

  start(): void {
    void this.connect();
  }

  /** Ends the watch with `error` (after the events already buffered). */
  fail(error: Error): void {
    this.stream.fail(error);
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.hangUp();
    this.settleEstablished();
    this.opts.onStop();
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
    let call: Call;
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
    const nsLen = this.opts.keys.namespaceBytes;
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
      const created = res.revision;
      if (this.after === 0) this.after = created;
      this.historyEnd = created;
      this.failingSince = undefined;
      this.attempt = 0;
      this.settleEstablished();
      return;
    }
    if (res.events.length === 0) {
      // A progress notification: etcd sends it only to watchers that have received every event
      // up to the header's revision (mvcc watchable_store progressIfSync).
      this.after = Math.max(this.after, res.revision);
      return;
    }
    // One response holds whole revisions (etcd never splits a revision unless asked to fragment),
    // so the filter point stays fixed while the response is delivered.
    const after = this.after;
    let newest = after;
    for (const ev of res.events) {
      const rev = ev.kv.modRevision;
      if (rev <= after) continue;
      if (rev <= this.historyEnd || this.backlogSize > 0) this.backlog.push(ev);
      else this.stream.push(ev);
      if (rev > newest) newest = rev;
    }
    this.after = newest;
    if (this.backlogSize > 0) {
      // Wake a consumer that waits on an empty buffer; it pulls the rest as it goes.
      if (this.stream.buffered === 0) this.stream.push(this.backlog[this.backlogHead++]);
      if (this.backlogSize > this.stream.bufferLimit && !this.paused && this.call) {
        // HTTP/2 flow control then holds etcd back (etcd parks slow watchers, it does not drop them).
        this.paused = true;
        this.call.pause();
      }
    }
  }

  private get backlogSize(): number {
    return this.backlog.length - this.backlogHead;
  }

  /** Hands the consumer the next part of the history backlog (called when its buffer is empty). */
  private pullBacklog(): WatchEvent[] | undefined {
    if (this.backlogSize === 0) return undefined;
    const n = Math.min(this.backlogSize, this.stream.bufferLimit);
    const chunk = this.backlog.slice(this.backlogHead, this.backlogHead + n);
    this.backlogHead += n;
    if (this.backlogSize === 0) {
      this.backlog = [];
      this.backlogHead = 0;
    }
    if (this.paused && this.backlogSize <= this.stream.bufferLimit / 2) {
      this.paused = false;
      this.call?.resume();
    }
    return chunk;
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
