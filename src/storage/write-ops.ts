// The write rules of the in-process drivers (memory, SQLite), written once over a small view of
// the current state. A driver runs one of these inside its own atomic step with a tentative
// revision; if anything was written, that revision is committed and the events are published.
import { ConflictError, KeyExistsError, NotFoundError } from './errors.js';
import { validateKey, validateRevision, validateTxn, validateValue } from './validate.js';
import type { Compare, KeyValue, TxnOp, TxnOpResult, TxnRequest, TxnResult, WatchEvent } from './types.js';

/** The current state as a driver exposes it to the write rules, inside one atomic step. */
export interface WriteView {
  get(key: string): KeyValue | undefined;
  /** Stores `kv` as the key's newest value (kv.modRevision is the write's revision). */
  put(kv: KeyValue, prev: KeyValue | undefined, event: WatchEvent): void;
  /** Removes the key at `revision`. */
  remove(key: string, revision: number, prev: KeyValue, event: WatchEvent): void;
}

/** Collects what one write step did: its events in op order. */
export class WriteStep {
  readonly events: WatchEvent[] = [];
  constructor(
    readonly view: WriteView,
    readonly revision: number,
  ) {}

  put(key: string, value: Buffer, prev: KeyValue | undefined): KeyValue {
    const kv: KeyValue = {
      key,
      value,
      createRevision: prev ? prev.createRevision : this.revision,
      modRevision: this.revision,
      version: prev ? prev.version + 1 : 1,
    };
    const event: WatchEvent = prev ? { type: 'put', kv, prevKv: prev } : { type: 'put', kv };
    this.view.put(kv, prev, event);
    this.events.push(event);
    return kv;
  }

  remove(prev: KeyValue): void {
    // etcd's delete event carries a tombstone: the key, no value, mod revision = the delete's revision.
    const kv: KeyValue = { key: prev.key, value: EMPTY, createRevision: 0, modRevision: this.revision, version: 0 };
    const event: WatchEvent = { type: 'delete', kv, prevKv: prev };
    this.view.remove(prev.key, this.revision, prev, event);
    this.events.push(event);
  }

  get wrote(): boolean {
    return this.events.length > 0;
  }
}

const EMPTY = Buffer.alloc(0);

export function applyCreate(step: WriteStep, key: string, value: Buffer): KeyValue {
  if (step.view.get(key)) throw new KeyExistsError(key);
  return step.put(key, value, undefined);
}

export function applyUpdate(step: WriteStep, key: string, value: Buffer, expectedModRevision: number): KeyValue {
  const prev = step.view.get(key);
  if (!prev) throw new NotFoundError(key);
  if (prev.modRevision !== expectedModRevision) throw new ConflictError(key, expectedModRevision, prev.modRevision);
  return step.put(key, value, prev);
}

export function applyDelete(step: WriteStep, key: string, expectedModRevision: number | undefined): KeyValue {
  const prev = step.view.get(key);
  if (!prev) throw new NotFoundError(key);
  if (expectedModRevision !== undefined && prev.modRevision !== expectedModRevision) {
    throw new ConflictError(key, expectedModRevision, prev.modRevision);
  }
  step.remove(prev);
  return prev;
}

function compareHolds(view: WriteView, c: Compare): boolean {
  const kv = view.get(c.key);
  const actual = kv ? kv[c.target] : 0;
  switch (c.op) {
    case '=':
      return actual === c.value;
    case '!=':
      return actual !== c.value;
    case '<':
      return actual < c.value;
    case '>':
      return actual > c.value;
  }
}

/** Runs an (already validated) etcd-style transaction; the caller commits `step` if it wrote. */
export function applyTxn(step: WriteStep, req: TxnRequest, currentRevision: number): TxnResult {
  const succeeded = req.compare.every((c) => compareHolds(step.view, c));
  const ops: TxnOp[] = succeeded ? req.success : (req.failure ?? []);
  const results: TxnOpResult[] = [];
  for (const op of ops) {
    const prev = step.view.get(op.key);
    if (op.type === 'get') {
      results.push(prev ? { type: 'get', key: op.key, kv: prev } : { type: 'get', key: op.key });
    } else if (op.type === 'put') {
      const kv = step.put(op.key, op.value, prev);
      results.push(prev ? { type: 'put', key: op.key, kv, prevKv: prev } : { type: 'put', key: op.key, kv });
    } else {
      if (prev) step.remove(prev);
      results.push(prev ? { type: 'delete', key: op.key, prevKv: prev } : { type: 'delete', key: op.key });
    }
  }
  return { succeeded, revision: step.wrote ? step.revision : currentRevision, results };
}

/**
 * The Store's write calls as steps for a driver's own atomic write: each validates its input first
 * (bad input throws and changes nothing) and copies the caller's buffers, so both in-process
 * drivers share one front.
 */
export function createStep(prefix: string, key: string, value: Buffer): (step: WriteStep) => KeyValue {
  validateKey(prefix, key);
  validateValue(value);
  const copy = Buffer.from(value);
  return (step) => applyCreate(step, key, copy);
}

export function updateStep(prefix: string, key: string, value: Buffer, expectedModRevision: number): (step: WriteStep) => KeyValue {
  validateKey(prefix, key);
  validateValue(value);
  validateRevision('expectedModRevision', expectedModRevision);
  const copy = Buffer.from(value);
  return (step) => applyUpdate(step, key, copy, expectedModRevision);
}

export function deleteStep(prefix: string, key: string, expectedModRevision: number | undefined): (step: WriteStep) => { prevKv: KeyValue; revision: number } {
  validateKey(prefix, key);
  if (expectedModRevision !== undefined) validateRevision('expectedModRevision', expectedModRevision);
  return (step) => ({ prevKv: applyDelete(step, key, expectedModRevision), revision: step.revision });
}

/** `currentRevision` gives the revision before the step, which a txn's get results report. */
export function txnStep(prefix: string, req: TxnRequest, currentRevision: (step: WriteStep) => number): (step: WriteStep) => TxnResult {
  validateTxn(prefix, req);
  const copy = (ops: TxnOp[]): TxnOp[] => ops.map((op) => (op.type === 'put' ? { ...op, value: Buffer.from(op.value) } : op));
  const safe: TxnRequest = { compare: req.compare, success: copy(req.success), failure: req.failure && copy(req.failure) };
  return (step) => applyTxn(step, safe, currentRevision(step));
}
