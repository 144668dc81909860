// Input checks shared by every driver, run before anything is written so bad input changes nothing.
import { InvalidKeyError, ValueTooLargeError } from './errors.js';
import { MAX_VALUE_BYTES, type Compare, type TxnOp, type TxnRequest } from './types.js';

/** A key must be a non-empty string below the store prefix (etcd keys in kube-apiserver all live under --etcd-prefix). */
export function validateKey(storePrefix: string, key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidKeyError(String(key), 'key must be a non-empty string');
  if (!key.startsWith(storePrefix)) throw new InvalidKeyError(key, `key must start with ${JSON.stringify(storePrefix)}`);
  if (key.length === storePrefix.length) throw new InvalidKeyError(key, 'key must name something below the store prefix');
  if (key.includes('\0')) throw new InvalidKeyError(key, 'key must not contain NUL');
}

/** A range or watch prefix must itself start with the store prefix (the prefix alone lists everything). */
export function validateRangePrefix(storePrefix: string, keyPrefix: unknown): asserts keyPrefix is string {
  if (typeof keyPrefix !== 'string' || keyPrefix.length === 0) {
    throw new InvalidKeyError(String(keyPrefix), 'range prefix must be a non-empty string');
  }
  if (!keyPrefix.startsWith(storePrefix)) {
    throw new InvalidKeyError(keyPrefix, `range prefix must start with ${JSON.stringify(storePrefix)}`);
  }
  if (keyPrefix.includes('\0')) throw new InvalidKeyError(keyPrefix, 'range prefix must not contain NUL');
}

/** Values are bytes, at most MAX_VALUE_BYTES (etcd's default --max-request-bytes). */
export function validateValue(value: unknown): asserts value is Buffer {
  if (!(value instanceof Uint8Array)) throw new TypeError('value must be a Buffer');
  if (value.byteLength > MAX_VALUE_BYTES) throw new ValueTooLargeError(value.byteLength, MAX_VALUE_BYTES);
}

/** Revisions in requests are non-negative safe integers; 0 means "current" / "absent". */
export function validateRevision(name: string, revision: unknown): asserts revision is number {
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) {
    throw new TypeError(`${name} must be a non-negative integer, got ${String(revision)}`);
  }
}

export interface ValidRangeOptions {
  revision: number;
  limit: number;
  startAfter: string | undefined;
  countOnly: boolean;
}

export function validateRangeOptions(
  storePrefix: string,
  keyPrefix: unknown,
  opts: { revision?: number; limit?: number; startAfter?: string; countOnly?: boolean } | undefined,
): ValidRangeOptions {
  validateRangePrefix(storePrefix, keyPrefix);
  const revision = opts?.revision ?? 0;
  const limit = opts?.limit ?? 0;
  validateRevision('revision', revision);
  validateRevision('limit', limit);
  const startAfter = opts?.startAfter;
  if (startAfter !== undefined) {
    if (typeof startAfter !== 'string' || !startAfter.startsWith(keyPrefix)) {
      throw new InvalidKeyError(String(startAfter), `continuation key must lie under ${JSON.stringify(keyPrefix)}`);
    }
  }
  return { revision, limit, startAfter, countOnly: opts?.countOnly === true };
}

const COMPARE_TARGETS = new Set(['modRevision', 'createRevision', 'version']);
const COMPARE_OPS = new Set(['=', '!=', '<', '>']);

/** Most ops one transaction branch may hold (etcd's --max-txn-ops defaults to 128; we allow more). */
export const MAX_TXN_OPS = 10_000;

function validateOps(storePrefix: string, ops: unknown): asserts ops is TxnOp[] {
  if (!Array.isArray(ops)) throw new TypeError('txn ops must be an array');
  if (ops.length > MAX_TXN_OPS) throw new TypeError(`a txn branch holds at most ${MAX_TXN_OPS} ops, got ${ops.length}`);
  // etcd rejects a txn that writes the same key twice ("duplicate key given in txn request").
  const written = new Set<string>();
  for (const op of ops as TxnOp[]) {
    validateKey(storePrefix, op?.key);
    if (op.type === 'put') validateValue(op.value);
    else if (op.type !== 'delete' && op.type !== 'get') throw new TypeError(`unknown txn op ${String((op as TxnOp).type)}`);
    if (op.type !== 'get') {
      if (written.has(op.key)) throw new InvalidKeyError(op.key, 'duplicate key given in txn request');
      written.add(op.key);
    }
  }
}

export function validateTxn(storePrefix: string, req: TxnRequest): void {
  if (!req || !Array.isArray(req.compare)) throw new TypeError('txn compare must be an array');
  for (const c of req.compare as Compare[]) {
    validateKey(storePrefix, c?.key);
    if (!COMPARE_TARGETS.has(c.target)) throw new TypeError(`unknown compare target ${String(c.target)}`);
    if (!COMPARE_OPS.has(c.op)) throw new TypeError(`unknown compare op ${String(c.op)}`);
    validateRevision('compare value', c.value);
  }
  validateOps(storePrefix, req.success);
  if (req.failure !== undefined) validateOps(storePrefix, req.failure);
}

/** The smallest string greater than every string that starts with `prefix` (etcd's prefix range end). */
export function prefixEnd(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}
