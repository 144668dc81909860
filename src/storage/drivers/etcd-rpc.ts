// The driver's calls to etcd: etcd3's connection pool picks the endpoint, keeps the gRPC channels
// and applies the per-endpoint fault policy; the messages are encoded and decoded by etcd-wire.ts.
import { castGrpcError, Etcd3, type ICallable, type IOptions } from 'etcd3';
import { endpointPolicy, runOncePolicy } from './etcd-errors.js';

/** Per-call deadline: above etcd's own request timeout (5 s + 2 election timeouts by default). */
const CALL_TIMEOUT_MS = 15_000;
/** An endpoint that refused a connection is skipped this long. */
const ENDPOINT_REST_MS = 1_000;

const identity = (b: Buffer): Buffer => b;

/** The part of a grpc-js client stream the watch uses (a Node Duplex at run time). */
export interface WatchCall {
  write(message: Buffer): boolean;
  end(): void;
  cancel(): void;
  pause(): unknown;
  resume(): unknown;
  on(event: 'data', fn: (message: Buffer) => void): unknown;
  on(event: 'error', fn: (err: Error) => void): unknown;
  on(event: 'end', fn: () => void): unknown;
}

function clientOptions(hosts: string[]): IOptions {
  return {
    hosts,
    grpcOptions: {
      // A watch catching up may receive up to 1000 revisions in one message.
      'grpc.max_receive_message_length': -1,
      'grpc.max_send_message_length': -1,
      // HTTP/2 windows of 8 MiB instead of 64 KiB: a large range arrives without hundreds of
      // WINDOW_UPDATE round trips; a paused watch still holds etcd back once the window is full.
      'grpc-node.flow_control_window': 8 * 1024 * 1024,
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5_000,
    },
    faultHandling: {
      global: runOncePolicy(),
      host: (host) => endpointPolicy(host, ENDPOINT_REST_MS),
    },
  };
}

/** etcd3 keeps its connection pool in a protected field; its `ICallable` face is public API. */
function poolOf(client: Etcd3): ICallable<unknown> {
  return (client as unknown as { pool: ICallable<unknown> }).pool;
}

export class EtcdRpc {
  private readonly client: Etcd3;
  private readonly pool: ICallable<unknown>;

  constructor(hosts: string[]) {
    this.client = new Etcd3(clientOptions(hosts));
    this.pool = poolOf(this.client);
  }

  /** One unary KV call (`Range`, `Txn`, `DeleteRange`, `Compact`) with an encoded request. */
  kv<T>(method: 'Range' | 'Txn' | 'DeleteRange' | 'Compact', request: Buffer, decode: (b: Buffer) => T): Promise<T> {
    return this.pool.withConnection('KV', ({ client, metadata }) =>
      new Promise<T>((resolve, reject) => {
        client.makeUnaryRequest(
          `/etcdserverpb.KV/${method}`,
          identity,
          decode,
          request,
          metadata,
          { deadline: Date.now() + CALL_TIMEOUT_MS },
          (err, res) => (err ? reject(castGrpcError(err)) : resolve(res as T)),
        );
      }),
    );
  }

  /** Opens a Watch stream on one of this client's endpoints (errors arrive on the stream). */
  watch(): Promise<WatchCall> {
    return this.pool.withConnection('Watch', ({ client, metadata }) => {
      // etcd ends the stream of a member that has lost its leader ("hasleader", clientv3's
      // WithRequireLeader, which kube-apiserver sets for watches): the watch then moves on
      // instead of waiting silently on a partitioned member.
      const md = metadata.clone();
      md.set('hasleader', 'true');
      return client.makeBidiStreamRequest('/etcdserverpb.Watch/Watch', identity, identity, md, {}) as unknown as WatchCall;
    });
  }

  close(): void {
    this.client.close();
  }
}
