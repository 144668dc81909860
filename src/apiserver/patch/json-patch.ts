// JSON patch (RFC 6902) with the behaviour of the library kube-apiserver uses
// (gopkg.in/evanphx/json-patch.v4): negative array indexes count from the end, "replace" of a
// missing object member sets it, "test" of a missing member passes only against null.
// A body that is not a list of operations is a 400; an operation that fails is a 422 with
// upstream's fixed message; more than 10000 operations is a 413.
import type { ApiError } from '../../api/status.js';
import { badRequest, MAX_JSON_PATCH_OPERATIONS, patchNotApplicable, tooManyOperations } from './errors.js';
import { deepClone, goJsonTypeName, hasOwn, isJsonObject, jsonEqual, type JsonObject, setOwn } from './json-value.js';

export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

/** Why one operation failed (the library's text; upstream does not send it to the client). */
export class JsonPatchOperationError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
    this.name = 'JsonPatchOperationError';
  }
}

/** Checks the decoded body the way json.Unmarshal into jsonpatch.Patch does. */
export function decodeJsonPatch(body: unknown): JsonPatchOperation[] {
  if (body === null) return [];
  if (!Array.isArray(body)) throw badRequest(`json: cannot unmarshal ${goJsonTypeName(body)} into Go value of type jsonpatch.Patch`);
  for (const op of body) {
    if (op !== null && !isJsonObject(op)) throw badRequest(`json: cannot unmarshal ${goJsonTypeName(op)} into Go value of type jsonpatch.Operation`);
  }
  return body.map((op) => (op ?? {}) as JsonPatchOperation);
}

/**
 * Applies an RFC 6902 patch to a copy of doc. Throws an ApiError: 400 for a body that is not a
 * list of operations, 413 past 10000 operations, 422 when an operation fails (the cause is kept
 * on the error as `cause`, a JsonPatchOperationError).
 */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  const list = decodeJsonPatch(ops);
  if (list.length > MAX_JSON_PATCH_OPERATIONS) throw tooManyOperations(list.length);
  let out = deepClone(doc);
  list.forEach((op, i) => {
    try {
      out = applyOne(out, op);
    } catch (e) {
      if (e instanceof OpFailure) {
        const err: ApiError = patchNotApplicable();
        (err as Error & { cause?: unknown }).cause = new JsonPatchOperationError(e.message, i);
        throw err;
      }
      throw e;
    }
  });
  return out;
}

class OpFailure extends Error {}

function str(op: JsonPatchOperation, name: 'path' | 'from'): string {
  const v = (op as unknown as JsonObject)[name];
  if (typeof v !== 'string') throw new OpFailure(`operation missing ${name} field`);
  return v;
}

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new OpFailure(`invalid path: ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = JsonObject | unknown[];

/** The parent container of the last path token, or undefined when the path does not resolve. */
function findParent(doc: unknown, tokens: string[]): Container | undefined {
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (isJsonObject(cur)) cur = hasOwn(cur, t) ? cur[t] : undefined;
    else if (Array.isArray(cur)) {
      const i = arrayIndex(t, cur.length, false);
      cur = i === undefined ? undefined : cur[i];
    } else return undefined;
    if (cur === undefined || cur === null) return undefined;
  }
  return isJsonObject(cur) || Array.isArray(cur) ? cur : undefined;
}

/** An array index, with negative indexes from the end; `insert` allows index == length. */
function arrayIndex(token: string, length: number, insert: boolean): number | undefined {
  if (!/^-?\d+$/.test(token)) return undefined;
  let i = Number(token);
  if (i < 0) {
    if (i < -length) return undefined;
    i += length;
  }
  if (insert ? i > length : i >= length) return undefined;
  return i;
}

function get(c: Container, key: string): { found: boolean; value: unknown } {
  if (Array.isArray(c)) {
    const i = arrayIndex(key, c.length, false);
    if (i === undefined) throw new OpFailure(`Unable to access invalid index: ${key}`);
    return { found: true, value: c[i] };
  }
  return { found: hasOwn(c, key), value: hasOwn(c, key) ? c[key] : undefined };
}

function add(c: Container, key: string, value: unknown): void {
  if (Array.isArray(c)) {
    if (key === '-') {
      c.push(value);
      return;
    }
    const i = arrayIndex(key, c.length, true);
    if (i === undefined) throw new OpFailure(`Unable to access invalid index: ${key}`);
    c.splice(i, 0, value);
    return;
  }
  setOwn(c, key, value);
}

function remove(c: Container, key: string): unknown {
  if (Array.isArray(c)) {
    const i = arrayIndex(key, c.length, false);
    if (i === undefined) throw new OpFailure(`Unable to access invalid index: ${key}`);
    return c.splice(i, 1)[0];
  }
  if (!hasOwn(c, key)) throw new OpFailure(`Unable to remove nonexistent key: ${key}: missing value`);
  const v = c[key];
  delete c[key];
  return v;
}

function locate(doc: unknown, path: string, what: string): { parent: Container; key: string } {
  const tokens = parsePointer(path);
  const parent = findParent(doc, tokens);
  if (!parent) throw new OpFailure(`${what} operation does not apply: doc is missing path: ${path}`);
  return { parent, key: tokens[tokens.length - 1] as string };
}

function valueOf(op: JsonPatchOperation): unknown {
  return 'value' in op ? deepClone(op.value) : null;
}

function applyOne(doc: unknown, op: JsonPatchOperation): unknown {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  switch (kind) {
    case 'add': {
      const path = str(op, 'path');
      if (path === '') return valueOf(op);
      const { parent, key } = locate(doc, path, 'add');
      add(parent, key, valueOf(op));
      return doc;
    }
    case 'remove': {
      const path = str(op, 'path');
      const { parent, key } = locate(doc, path, 'remove');
      remove(parent, key);
      return doc;
    }
    case 'replace': {
      const path = str(op, 'path');
      if (path === '') return valueOf(op);
      const { parent, key } = locate(doc, path, 'replace');
      if (Array.isArray(parent)) {
        const i = arrayIndex(key, parent.length, false);
        if (i === undefined) throw new OpFailure(`replace operation does not apply: doc is missing key: ${path}`);
        parent[i] = valueOf(op);
      } else setOwn(parent, key, valueOf(op));
      return doc;
    }
    case 'move': {
      const from = locate(doc, str(op, 'from'), 'move');
      const path = str(op, 'path');
      const moved = remove(from.parent, from.key);
      if (path === '') return moved;
      const to = locate(doc, path, 'move');
      add(to.parent, to.key, moved);
      return doc;
    }
    case 'copy': {
      const from = locate(doc, str(op, 'from'), 'copy');
      const got = get(from.parent, from.key);
      if (!got.found) throw new OpFailure(`copy operation does not apply: doc is missing from path: ${str(op, 'from')}`);
      const path = str(op, 'path');
      if (path === '') return deepClone(got.value);
      const to = locate(doc, path, 'copy');
      add(to.parent, to.key, deepClone(got.value));
      return doc;
    }
    case 'test': {
      const path = str(op, 'path');
      const expected = 'value' in op ? op.value : null;
      if (path === '') {
        if (!jsonEqual(doc, expected)) throw new OpFailure(`testing value ${path} failed: test failed`);
        return doc;
      }
      const { parent, key } = locate(doc, path, 'test');
      const got = get(parent, key);
      const actual = got.found ? got.value : null;
      if (actual === null || actual === undefined) {
        if (expected === null) return doc;
        throw new OpFailure(`testing value ${path} failed: test failed`);
      }
      if (!jsonEqual(actual, expected)) throw new OpFailure(`testing value ${path} failed: test failed`);
      return doc;
    }
    default:
      throw new OpFailure(`Unexpected kind: ${kind}`);
  }
}
