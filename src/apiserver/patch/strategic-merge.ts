// Strategic merge patch, as kube-apiserver applies it
// (k8s.io/apimachinery/pkg/util/strategicpatch patch.go, StrategicMergeMapPatch with
// MergeParallelList and IgnoreUnmatchedNulls): lists with patch strategy "merge" merge by their
// patchMergeKey (sets for primitives), other lists are replaced; maps merge; null deletes.
// Directives: `$patch: replace|delete` on maps, `$patch: replace|delete` items in merging
// lists, `$retainKeys`, `$deleteFromPrimitiveList/<field>`, `$setElementOrder/<field>`.
// Fields the schema does not know merge like a JSON merge patch.
import { badRequest } from '../../api/status.js';
import { patchNotApplicable, unclassifiedPatchError } from './errors.js';
import { goSliceStable } from './go-sort.js';
import { deepClone, goFormat, goJsonTypeName, hasOwn, isJsonObject, type JsonObject, setOwn } from './json-value.js';
import { ANY_NODE, type SchemaNode } from './schema-node.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

/** mergepatch's error values, and how the patch handler classifies them (interpretStrategicMergePatchError). */
class SmpError extends Error {
  constructor(
    message: string,
    readonly status: 'badRequest' | 'invalid' | 'unclassified',
  ) {
    super(message);
  }
}
const errBadPatchFormatForPrimitiveList = () => new SmpError('invalid patch format of primitive list', 'badRequest');
const errBadPatchFormatForRetainKeys = () => new SmpError('invalid patch format of retainKeys', 'badRequest');
const errBadPatchFormatForSetElementOrderList = () => new SmpError('invalid patch format of setElementOrder list', 'badRequest');
const errNoListOfLists = () => new SmpError('lists of lists are not supported', 'invalid');
const errNoMergeKey = (m: unknown, key: string) => new SmpError(`map: ${goFormat(m)} does not contain declared merge key: ${key}`, 'unclassified');
const errBadPatchType = (t: unknown, m: unknown) => new SmpError(`unknown patch type: ${goFormat(t)} in map: ${goFormat(m)}`, 'unclassified');
const errBadArgType = (expected: string, actual: unknown) => new SmpError(`expected a ${expected}, but received a ${goTypeName(actual)}`, 'unclassified');

function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (isJsonObject(v)) return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v === 'boolean' ? 'bool' : 'string';
}

/** reflect.TypeOf of a decoded JSON value, as far as the merge compares types. */
function valueType(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  if (isJsonObject(v)) return 'map';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v;
}

/**
 * Applies a strategic merge patch to a copy of original. `schema` describes original's type;
 * throws an ApiError classified as upstream does (400 for malformed directives, 422 for lists of
 * lists, 500 for other merge errors such as a list item without its merge key).
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: SchemaNode): JsonObject {
  if (!isJsonObject(original)) throw badRequest('invalid JSON document');
  if (patch !== null && !isJsonObject(patch)) {
    throw badRequest(`json: cannot unmarshal ${goJsonTypeName(patch)} into Go value of type map[string]interface {}`);
  }
  try {
    return mergeMap(deepClone(original), deepClone(patch ?? {}), schema);
  } catch (e) {
    if (e instanceof SmpError) {
      if (e.status === 'badRequest') throw badRequest(e.message);
      if (e.status === 'invalid') throw patchNotApplicable();
      throw unclassifiedPatchError(e.message);
    }
    throw e;
  }
}

interface FieldMeta {
  node: SchemaNode;
  /** The strategy other than retainKeys: 'merge', 'replace' or ''. */
  strategy: string;
  mergeKey: string;
}

function lookup(t: SchemaNode, key: string): FieldMeta {
  const node = t.field(key) ?? ANY_NODE;
  const strategies = node.patchStrategy.filter((s) => s !== 'retainKeys');
  return { node, strategy: strategies[0] ?? '', mergeKey: node.patchMergeKey ?? '' };
}

function mergeMap(original: JsonObject | undefined, patch: JsonObject, t: SchemaNode): JsonObject {
  if (hasOwn(patch, DIRECTIVE)) {
    const directive = patch[DIRECTIVE];
    // "$patch: replace" takes the patch map as it is; "$patch: delete" empties the map.
    if (directive === 'replace') {
      delete patch[DIRECTIVE];
      return patch;
    }
    if (directive === 'delete') return {};
    throw errBadPatchType(directive, patch);
  }
  const out = original ?? {};
  applyRetainKeys(out, patch);
  mergeSetElementOrderLists(out, patch, t);

  for (const rawKey of Object.keys(patch)) {
    let key = rawKey;
    let isDeleteList = false;
    const patchV = patch[rawKey];
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      key = extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete out[key];
      continue;
    }
    if (!(hasOwn(out, key))) {
      // Upstream takes the patch value as it is; directives and nulls inside it would be dropped
      // when the result is decoded into the typed object, which merging into nothing does here.
      setOwn(out, key, isDeleteList ? patchV : mergeIntoNothing(patchV, lookup(t, key)));
      continue;
    }
    const cur = out[key];
    if (valueType(cur) !== valueType(patchV)) {
      setOwn(out, key, mergeIntoNothing(patchV, lookup(t, key)));
      continue;
    }
    const meta = lookup(t, key);
    if (isJsonObject(cur)) {
      setOwn(out, key, meta.strategy === 'replace' ? patchV : mergeMap(cur, patchV as JsonObject, meta.node));
    } else if (Array.isArray(cur)) {
      // A deletion list deletes whatever the field's strategy (kubernetes#110472).
      setOwn(out, key, meta.strategy === 'merge' || isDeleteList ? mergeSlice(cur, patchV as unknown[], meta.node.elem(), meta.mergeKey, isDeleteList) : patchV);
    } else setOwn(out, key, patchV);
  }
  return out;
}

/** A patch value for a field the original lacks: what decoding upstream's result would leave. */
function mergeIntoNothing(v: unknown, meta: FieldMeta): unknown {
  if (isJsonObject(v) && meta.strategy !== 'replace') return mergeMap(undefined, v, meta.node);
  return v;
}

function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST) throw errBadPatchFormatForPrimitiveList();
    throw errBadPatchFormatForSetElementOrderList();
  }
  return s.slice(slash + 1);
}

/** `$retainKeys`: drop the original's keys missing from the list; every patched key must be listed. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!(hasOwn(patch, RETAIN_KEYS))) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw errBadPatchFormatForRetainKeys();
  const keep = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/**
 * `$setElementOrder/<list>`: merge the list now, then order it: patch items by the directive's
 * order, server-only items by their live order, interleaved (precedence: directive, then patch,
 * then live order). The merged list is removed from the patch.
 */
function mergeSetElementOrderLists(original: JsonObject, patch: JsonObject, t: SchemaNode): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw errBadArgType('[]interface {}', order);
    const listKey = extractKey(key, SET_ELEMENT_ORDER);
    const foundOriginal = hasOwn(original, listKey);
    const foundPatch = hasOwn(patch, listKey);
    const originalList = original[listKey];
    const patchList = patch[listKey];
    if (foundOriginal && !Array.isArray(originalList)) throw errBadArgType('[]interface {}', originalList);
    if (foundPatch && !Array.isArray(patchList)) throw errBadArgType('[]interface {}', patchList);
    const originalItems = foundOriginal ? (originalList as unknown[]) : [];
    const patchItemsIn = foundPatch ? (patchList as unknown[]) : [];
    const meta = lookup(t, listKey);
    validatePatchWithSetOrderList(patchItemsIn, order, meta.mergeKey);

    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalItems;
    else if (!foundOriginal && foundPatch) merged = patchItemsIn;
    else if (foundOriginal && foundPatch) {
      const serverOrder = [...originalItems];
      merged = meta.strategy === 'merge' ? mergeSlice(originalItems, patchItemsIn, meta.node.elem(), meta.mergeKey, false) : patchItemsIn;
      const kind = elementKind([serverOrder, patchItemsIn]);
      setOwn(original, listKey, orderItems(merged, order, serverOrder, meta.mergeKey, kind));
      delete patch[listKey];
      continue;
    } else continue;
    const kind = elementKind([originalItems, patchItemsIn]);
    setOwn(original, listKey, orderItems(merged, order, originalItems, meta.mergeKey, kind));
    delete patch[listKey];
  }
}

function orderItems(merged: unknown[], order: unknown[], serverOrder: unknown[], mergeKey: string, kind: string): unknown[] {
  const [patchItems, serverOnly] = mergeKey ? partitionMaps(merged, order, mergeKey) : partitionPrimitives(merged, order);
  return normalizeElementOrder(patchItems, serverOnly, order, serverOrder, mergeKey, kind);
}

/** The relative order of the patch list's items (deletions aside) must agree with the directive. */
function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? extractToDeleteItems(patchList)[0] : patchList;
  let pi = 0;
  let oi = 0;
  while (pi < nonDelete.length && oi < order.length) {
    if (isJsonObject(nonDelete[pi]) && DIRECTIVE in (nonDelete[pi] as JsonObject)) {
      pi++;
      continue;
    }
    if (mergeKeyValueEqual(nonDelete[pi], order[oi], mergeKey)) pi++;
    oi++;
  }
  if (pi < nonDelete.length && oi >= order.length) {
    throw new SmpError(
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n`,
      'unclassified',
    );
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isJsonObject(left)) throw errBadArgType('map[string]interface {}', left);
  if (!isJsonObject(right)) throw errBadArgType('map[string]interface {}', right);
  if (!(hasOwn(left, mergeKey))) throw errNoMergeKey(left, mergeKey);
  if (!(hasOwn(right, mergeKey))) throw errNoMergeKey(right, mergeKey);
  return goEqual(left[mergeKey], right[mergeKey]);
}

/** Go's == on interface{} values holding decoded JSON scalars. */
function goEqual(a: unknown, b: unknown): boolean {
  return a === b && valueType(a) === valueType(b);
}

/** The Go kind shared by all items: 'map', 'scalar' or an error as sliceElementType reports it. */
function elementKind(lists: unknown[][]): string {
  let prev: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const t = valueType(v);
      if (prev === undefined) {
        prev = t;
        if (t === 'slice') throw errNoListOfLists();
      } else if (prev !== t) {
        throw new SmpError(`list element types are not identical: ${lists.map((l) => goFormat(l)).join(' ')}`, 'unclassified');
      }
    }
  }
  if (prev === undefined) throw new SmpError('no elements in any of the given slices', 'unclassified');
  return prev === 'map' ? 'map' : 'scalar';
}

function mergeSlice(original: unknown[], patch: unknown[], elem: SchemaNode, mergeKey: string, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind([original, patch]);
  if (kind !== 'map') {
    if (isDeleteList) return deleteFromSlice(original, patch);
    const merged = deduplicateScalars([...original, ...patch]);
    const [patchItems, serverOnly] = partitionPrimitives(merged, patch);
    return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind);
  }
  if (!mergeKey) throw new SmpError('cannot merge lists without merge key for type struct', 'unclassified');
  const [base, patchItemsOnly] = mergeSliceWithSpecialElements(original, patch, mergeKey);
  const serverOrder = [...base];
  const merged = mergeSliceWithoutSpecialElements(base, patchItemsOnly, mergeKey, elem);
  const [patchItems, serverOnly] = partitionMaps(merged, patchItemsOnly, mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, patchItemsOnly, serverOrder, mergeKey, kind);
}

/** `$patch: delete` items remove matching originals; a `$patch: replace` item makes the patch list the result. */
function mergeSliceWithSpecialElements(original: unknown[], patch: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const plain: unknown[] = [];
  let replace = false;
  let base = original;
  for (const v of patch) {
    const item = v as JsonObject;
    if (!(hasOwn(item, DIRECTIVE))) {
      plain.push(v);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      if (!(hasOwn(item, mergeKey))) throw errNoMergeKey(item, mergeKey);
      base = base.filter((o) => !(isJsonObject(o) && hasOwn(o, mergeKey) && goEqual(o[mergeKey], item[mergeKey])));
    } else if (directive === 'replace') replace = true;
    else if (directive === 'merge') throw new SmpError('merging lists cannot yet be specified in the patch', 'unclassified');
    else throw errBadPatchType(directive, item);
  }
  if (replace) return [plain, []];
  return [base, plain];
}

function mergeSliceWithoutSpecialElements(original: unknown[], patch: unknown[], mergeKey: string, elem: SchemaNode): unknown[] {
  const out = [...original];
  for (const v of patch) {
    const item = v as JsonObject;
    if (!(hasOwn(item, mergeKey))) throw errNoMergeKey(item, mergeKey);
    const at = findByKey(out, mergeKey, item[mergeKey]);
    if (at >= 0) out[at] = mergeMap(out[at] as JsonObject, item, elem);
    else out.push(mergeMap(undefined, item, elem));
  }
  return out;
}

function findByKey(list: unknown[], mergeKey: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const o = list[i];
    if (!isJsonObject(o)) throw new SmpError(`value for key ${i} is not a map.`, 'unclassified');
    if (hasOwn(o, mergeKey) && goEqual(o[mergeKey], value)) return i;
  }
  return -1;
}

function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  return current.filter((v) => !toDelete.some((d) => goEqual(d, v)));
}

/** Upstream's in-place de-duplication, which moves the last item into each duplicate's slot. */
function deduplicateScalars(s: unknown[]): unknown[] {
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (goEqual(s[i], s[j])) {
        s[j] = s[length];
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

function partitionPrimitives(items: unknown[], by: unknown[]): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of items) (by.some((b) => goEqual(b, v)) ? inPatch : serverOnly).push(v);
  return [inPatch, serverOnly];
}

function partitionMaps(items: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of items) {
    if (!isJsonObject(v)) throw errBadArgType('map[string]interface {}', v);
    if (!(hasOwn(v, mergeKey))) throw errNoMergeKey(v, mergeKey);
    (findByKey(by, mergeKey, v[mergeKey]) >= 0 ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}

function extractToDeleteItems(list: unknown[]): [unknown[], unknown[]] {
  const keep: unknown[] = [];
  const del: unknown[] = [];
  for (const v of list) {
    if (!isJsonObject(v)) throw errBadArgType('map[string]interface {}', v);
    (v[DIRECTIVE] === 'delete' ? del : keep).push(v);
  }
  return [keep, del];
}

function indexIn(list: unknown[], v: unknown, mergeKey: string, kind: string): number {
  const val = (x: unknown) => (kind === 'map' ? (isJsonObject(x) ? x[mergeKey] : undefined) : x);
  const want = val(v);
  for (let i = 0; i < list.length; i++) if (goEqual(val(list[i]), want)) return i;
  return -1;
}

function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: string): unknown[] {
  let items = toSort;
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    for (const list of [toSort, order]) {
      for (const item of list) {
        if (!isJsonObject(item)) throw errBadArgType('map[string]interface {}', item);
        if (!(hasOwn(item, mergeKey))) throw errNoMergeKey(item, mergeKey);
      }
    }
    [items, toDelete] = extractToDeleteItems(toSort);
  }
  goSliceStable(items, (a, b) => {
    const ia = indexIn(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = indexIn(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  });
  return [...items, ...toDelete];
}

function normalizeElementOrder(patch: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: string): unknown[] {
  const sortedPatch = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const sortedServer = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(sortedServer, sortedPatch, serverOrder, mergeKey, kind);
}

/** Interleaves server-only items (left) into patch items (right) by their live order. */
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: string): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  const size = left.length + right.length;
  for (let k = 0; k < size; k++) {
    if (i >= left.length && j < right.length) out.push(right[j++]);
    else if (j >= right.length && i < left.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}
