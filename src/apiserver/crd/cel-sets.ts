// cel-go's sets extension (ext.Sets, enabled for Kubernetes rules since 1.29): sets.contains,
// sets.equivalent and sets.intersects over lists, comparing elements with CEL equality (so
// 1 and 1.0 match, as do quantity('1') and quantity('1000m')).
import { celFunc, CelScalar, listType, type CelList, type CelValue } from '@bufbuild/cel';
import { celEquals } from './cel-opaque.js';

const LIST = listType(CelScalar.DYN);

function has(list: CelList, v: CelValue): boolean {
  for (const x of list) if (celEquals(x, v)) return true;
  return false;
}

function containsAll(list: CelList, sub: CelList): boolean {
  for (const v of sub) if (!has(list, v)) return false;
  return true;
}

export const setsFuncs = [
  celFunc('sets.contains', [LIST, LIST], CelScalar.BOOL, (list, sub) => containsAll(list, sub)),
  celFunc('sets.equivalent', [LIST, LIST], CelScalar.BOOL, (a, b) => containsAll(a, b) && containsAll(b, a)),
  celFunc('sets.intersects', [LIST, LIST], CelScalar.BOOL, (a, b) => {
    for (const v of b) if (has(a, v)) return true;
    return false;
  }),
];
