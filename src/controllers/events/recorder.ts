// An event recorder for controllers (client-go tools/record with its EventCorrelator, simplified):
// - events are core/v1 Events named `<object name>.<hex of the time in nanoseconds>` in the
//   object's namespace ("default" for cluster-scoped objects), as record.makeEvent does;
// - an identical event (same source, object, type, reason and message) seen before updates the
//   existing Event: count + 1 and lastTimestamp (events_cache.go eventLogger);
// - more than 10 similar events (same source, object, type and reason, different messages) within
//   10 minutes are combined into one whose message starts "(combined from similar events): "
//   (EventAggregator: defaultAggregateMaxEvents 10, defaultAggregateIntervalInSeconds 600);
// - a spam filter allows 25 events per source and object, refilling one per 5 minutes
//   (EventSourceObjectSpamFilter: defaultSpamBurst 25, defaultSpamQPS 1/300).
// Writes are asynchronous and serialised; flush() waits for them. Failures are reported, never thrown.
import { isNotFound } from '../../client/errors.js';
import { metadata } from '../../client/objects.js';
import type { KubeClient, Obj } from '../../client/types.js';
import type { Clock } from '../../util/clock.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  client: KubeClient;
  clock: Clock;
  /** The source component, e.g. "node-controller". */
  component: string;
  /** The source host (reportingInstance), optional. */
  host?: string;
  onError?: (err: unknown) => void;
}

const AGGREGATE_MAX_EVENTS = 10;
const AGGREGATE_INTERVAL_MS = 600_000;
const SPAM_BURST = 25;
const SPAM_REFILL_MS = 300_000;
const CACHE_SIZE = 4096;
const COMBINED_PREFIX = '(combined from similar events): ';

/**
 * Added to the nanoseconds of event names: the Clock has millisecond resolution, and several
 * recorders of one process may name events for one object in the same millisecond.
 */
let nameSequence = 0;

interface Known {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
}

interface Aggregate {
  messages: Set<string>;
  last: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Go's RFC3339 at second precision, as metav1.Time serialises. */
function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The ObjectReference of an event's involvedObject (reference.GetReference). */
export function objectReference(obj: Obj): Record<string, string> {
  const m = metadata(obj);
  const ref: Record<string, string> = { kind: str(obj.kind), name: str(m.name) };
  if (str(m.namespace)) ref.namespace = str(m.namespace);
  if (str(m.uid)) ref.uid = str(m.uid);
  if (str(obj.apiVersion)) ref.apiVersion = str(obj.apiVersion);
  if (str(m.resourceVersion)) ref.resourceVersion = str(m.resourceVersion);
  return ref;
}

export class EventRecorder {
  private readonly known = new Map<string, Known>();
  private readonly aggregates = new Map<string, Aggregate>();
  private readonly buckets = new Map<string, Bucket>();
  private pending: Promise<void> = Promise.resolve();
  private readonly onError: (err: unknown) => void;

  constructor(private readonly opts: EventRecorderOptions) {
    this.onError = opts.onError ?? ((err) => console.error(`event recorder ${opts.component}:`, err));
  }

  /** Records an event about `obj` (which needs kind and metadata.name). */
  event(obj: Obj, type: EventType, reason: string, message: string): void {
    const ref = objectReference(obj);
    if (!ref.name) return;
    const now = this.opts.clock.now();
    const objectKey = [this.opts.component, this.opts.host ?? '', ref.kind, ref.namespace ?? '', ref.name, ref.uid ?? '', ref.apiVersion ?? ''].join('\u0000');
    if (!this.allow(objectKey, now)) return;
    const aggregateKey = `${objectKey}\u0000${type}\u0000${reason}`;
    let agg = this.aggregates.get(aggregateKey);
    if (!agg || now - agg.last > AGGREGATE_INTERVAL_MS) agg = { messages: new Set(), last: now };
    agg.last = now;
    agg.messages.add(message);
    this.remember(this.aggregates, aggregateKey, agg);
    let key = `${aggregateKey}\u0000${message}`;
    let text = message;
    if (agg.messages.size >= AGGREGATE_MAX_EVENTS) {
      key = aggregateKey;
      text = COMBINED_PREFIX + message;
    }
    const previous = this.known.get(key);
    const namespace = ref.namespace ?? 'default';
    const ts = rfc3339(now);
    if (previous) {
      previous.count += 1;
      const count = previous.count;
      this.enqueue(() => this.bump(previous, count, text, ts, ref, type, reason));
      return;
    }
    nameSequence = (nameSequence + 1) % 1_000_000;
    const nanos = BigInt(now) * 1_000_000n + BigInt(nameSequence);
    const known: Known = { name: `${ref.name}.${nanos.toString(16)}`, namespace, count: 1, firstTimestamp: ts };
    this.remember(this.known, key, known);
    this.enqueue(() => this.create(known, text, ts, ref, type, reason));
  }

  /** Resolves once every event recorded so far has been written (or has failed). */
  flush(): Promise<void> {
    return this.pending;
  }

  private allow(key: string, now: number): boolean {
    let b = this.buckets.get(key);
    if (!b) b = { tokens: SPAM_BURST, at: now };
    const refill = Math.floor((now - b.at) / SPAM_REFILL_MS);
    if (refill > 0) {
      b.tokens = Math.min(SPAM_BURST, b.tokens + refill);
      b.at += refill * SPAM_REFILL_MS;
    }
    if (b.tokens >= SPAM_BURST) b.at = now;
    this.remember(this.buckets, key, b);
    if (b.tokens <= 0) return false;
    b.tokens -= 1;
    return true;
  }

  /** An LRU of bounded size, as upstream's caches. */
  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > CACHE_SIZE) map.delete(map.keys().next().value as string);
  }

  private enqueue(fn: () => Promise<void>): void {
    this.pending = this.pending.then(fn).catch((err) => this.onError(err));
  }

  private body(known: Known, message: string, ts: string, ref: Record<string, string>, type: EventType, reason: string, count: number): Obj {
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: known.name, namespace: known.namespace },
      involvedObject: ref,
      reason,
      message,
      source: this.opts.host ? { component: this.opts.component, host: this.opts.host } : { component: this.opts.component },
      firstTimestamp: known.firstTimestamp,
      lastTimestamp: ts,
      count,
      type,
      reportingComponent: this.opts.component,
      reportingInstance: this.opts.host ?? '',
    };
  }

  private events() {
    return this.opts.client.resource('', 'v1', 'events');
  }

  private async create(known: Known, message: string, ts: string, ref: Record<string, string>, type: EventType, reason: string): Promise<void> {
    await this.events().create(known.namespace, this.body(known, message, ts, ref, type, reason, 1));
  }

  private async bump(known: Known, count: number, message: string, ts: string, ref: Record<string, string>, type: EventType, reason: string): Promise<void> {
    try {
      await this.events().patch(known.namespace, known.name, 'merge', { count, lastTimestamp: ts, message });
    } catch (err) {
      // The event expired (event TTL) or was deleted: write it anew.
      if (!isNotFound(err)) throw err;
      await this.events().create(known.namespace, this.body(known, message, ts, ref, type, reason, count));
    }
  }
}
