// Where a store's keys live in etcd, and the kv a transaction's put wrote.
import type { KeyValue } from '../types.js';

/** Keys of one store live in etcd as `namespace + key`, so several stores can share one etcd. */
export class EtcdKeys {
  private readonly ns: Buffer;

  constructor(namespace: string) {
    this.ns = Buffer.from(namespace, 'utf8');
  }

  /** The etcd key of a store key. */
  encode(key: string): Buffer {
    return Buffer.concat([this.ns, Buffer.from(key, 'utf8')]);
  }

  /** Bytes of the namespace: decoded etcd keys drop this many. */
  get namespaceBytes(): number {
    return this.ns.length;
  }

  /** [key, rangeEnd) of every etcd key that starts with the encoded `prefix`. */
  prefixRange(prefix: string): { key: Buffer; rangeEnd: Buffer } {
    const key = this.encode(prefix);
    return { key, rangeEnd: prefixEnd(key) };
  }
}

/**
 * etcd's prefix range end (clientv3.GetPrefixRangeEnd): the prefix with its last byte below 0xff
 * incremented and what follows dropped; "\0" (every key) when all bytes are 0xff.
 */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/** The key right after `key` in byte order: where a continuation after `key` starts. */
export function keyAfter(key: Buffer): Buffer {
  return Buffer.concat([key, Buffer.from([0])]);
}

/** The kv a put inside a transaction wrote, derived from etcd's prev_kv (etcd returns no new kv for puts). */
export function putResult(key: string, value: Buffer, revision: number, prev: KeyValue | undefined): KeyValue {
  return {
    key,
    value,
    createRevision: prev ? prev.createRevision : revision,
    modRevision: revision,
    version: prev ? prev.version + 1 : 1,
  };
}
