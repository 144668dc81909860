// What an error from etcd (through the etcd3 package and gRPC) means for the Store: whether the
// request surely never reached etcd (safe to retry, even a write), may or may not have been applied
// (retry only reads), or carries a meaning of its own (compacted, future revision, too large).
import { ClientClosedError, type IOptions } from 'etcd3';

type FaultHandling = NonNullable<IOptions['faultHandling']>;
/** cockatiel's IPolicy, as etcd3's options name it (cockatiel itself is etcd3's dependency, not ours). */
type Policy = NonNullable<FaultHandling['global']>;
type PolicyContext = { signal: AbortSignal };

export type EtcdFailure =
  /** The request was not processed: another endpoint or a later attempt may serve it. */
  | 'not-sent'
  /** The request may have been applied or not (connection lost after sending, timeout). */
  | 'ambiguous'
  /** etcd: mvcc: required revision has been compacted. */
  | 'compacted'
  /** etcd: mvcc: required revision is a future revision. */
  | 'future'
  /** etcd: request is too large (--max-request-bytes) or a gRPC message size limit. */
  | 'too-large'
  /** The client was closed. */
  | 'closed'
  /** Anything else: a bug or an unexpected answer; surfaced as unavailable with etcd's message. */
  | 'other';

/** Handed to etcd3's policy callbacks: the driver never aborts a call through cockatiel. */
const NEVER_ABORTED = new AbortController().signal;

/** Thrown by the per-endpoint policy while an endpoint rests after a connection failure. */
export class EndpointRestingError extends Error {
  constructor(readonly endpoint: string) {
    super(`etcd endpoint ${endpoint} is resting after a connection failure`);
  }
}

const NOT_SENT_MESSAGES = [
  'No connection established',
  'ECONNREFUSED',
  'failed to connect',
  // The server refused before proposing (etcd's gRPC interceptor and request checks).
  'etcdserver: no leader',
  'etcdserver: too many requests',
  'etcdserver: unhealthy cluster',
  'etcdserver: not capable',
];

const AMBIGUOUS_CLASSES = new Set([
  'GRPCUnavailableError',
  'GRPCDeadlineExceededError',
  'GRPCCancelledError',
  'GRPCInternalError',
  'GRPCUnknownError',
  'GRPCAbortedError',
]);

export function classifyEtcdError(err: unknown): EtcdFailure {
  if (err instanceof ClientClosedError) return 'closed';
  if (err instanceof EndpointRestingError) return 'not-sent';
  if (!(err instanceof Error)) return 'other';
  const msg = err.message;
  if (msg.includes('required revision has been compacted')) return 'compacted';
  if (msg.includes('required revision is a future revision')) return 'future';
  if (msg.includes('request is too large') || msg.includes('larger than max')) return 'too-large';
  if ((err as { isBrokenCircuitError?: boolean }).isBrokenCircuitError) return 'not-sent';
  if (NOT_SENT_MESSAGES.some((m) => msg.includes(m))) return 'not-sent';
  if (AMBIGUOUS_CLASSES.has(err.constructor.name) || msg.startsWith('etcdserver:') || msg.includes('etcdserver: ')) {
    return 'ambiguous';
  }
  return 'other';
}

/** True for failures that say nothing about the endpoint's health beyond "cannot connect". */
function isConnectionFailure(err: unknown): boolean {
  return err instanceof Error && ['No connection established', 'ECONNREFUSED', 'failed to connect', 'Connection dropped'].some((m) => err.message.includes(m));
}

/**
 * The per-endpoint fault policy handed to etcd3's connection pool: after a connection failure the
 * endpoint rests for `restMs` and the pool picks another one (etcd3's default breaker rests 5 s
 * after 3 failures, which is slow for a member that restarts or a cluster that fails over).
 */
export function endpointPolicy(endpoint: string, restMs: number): Policy {
  let restingUntil = 0;
  const policy = {
    async execute<T>(fn: (context: PolicyContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> {
      if (Date.now() < restingUntil) throw new EndpointRestingError(endpoint);
      try {
        return await fn({ signal: signal ?? NEVER_ABORTED });
      } catch (err) {
        if (isConnectionFailure(err)) restingUntil = Date.now() + restMs;
        throw err;
      }
    },
  };
  return policy as unknown as Policy;
}

/** A global policy that runs each call once: the driver decides itself what is safe to retry. */
export function runOncePolicy(): Policy {
  const policy = {
    execute<T>(fn: (context: PolicyContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> {
      return Promise.resolve(fn({ signal: signal ?? NEVER_ABORTED }));
    },
  };
  return policy as unknown as Policy;
}
