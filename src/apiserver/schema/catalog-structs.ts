// Loads the generated struct table (data/types.json, from scripts/gen-schema-data.mjs) into
// StructDefs, plus the metrics.k8s.io/v1beta1 kinds, whose Go types live in k8s.io/metrics and
// are not part of the generated facts.
import data from './data/types.json' with { type: 'json' };
import { METRICS_TYPES } from './resources.js';
import type { FieldDef, StructDef, TypeNode } from './types.js';

/**
 * FieldDef plus the two Go facts the JSON form of a struct depends on. Every field of the
 * built-in catalog carries them; structs registered later (CRDs) may not.
 */
export interface WireFieldDef extends FieldDef {
  /** `json:",omitempty"`: a zero value (or nil slice/map/pointer) is left out of the JSON. */
  omitEmpty?: boolean;
  /** Go `*T`: presence is explicit, so a zero value is still sent and kept. */
  pointer?: boolean;
  /** The feature gate guarding the field upstream (`+featureGate=`), e.g. 'PodLevelResources'. */
  featureGate?: string;
}

export const META = 'k8s.io/apimachinery/pkg/apis/meta/v1';
const QUANTITY = 'k8s.io/apimachinery/pkg/api/resource.Quantity';

interface RawStruct {
  fields: WireFieldDef[];
  structType?: 'atomic' | 'granular';
}

const scalarString: TypeNode = { kind: 'scalar', scalar: 'string' };
const resourceList: TypeNode = { kind: 'map', value: { kind: 'special', ref: QUANTITY } };
const typeMeta: WireFieldDef = { json: '', type: { kind: 'struct', ref: `${META}.TypeMeta` }, proto: 0, inline: true };
const objectMeta: WireFieldDef = { json: 'metadata', type: { kind: 'struct', ref: `${META}.ObjectMeta` }, proto: 1, omitEmpty: true, optional: true };
const timestamp: WireFieldDef = { json: 'timestamp', type: { kind: 'special', ref: `${META}.Time` }, proto: 2 };
const window: WireFieldDef = { json: 'window', type: { kind: 'special', ref: `${META}.Duration` }, proto: 3 };

function list(item: string): RawStruct {
  return {
    fields: [
      typeMeta,
      { json: 'metadata', type: { kind: 'struct', ref: `${META}.ListMeta` }, proto: 1, omitEmpty: true, optional: true },
      { json: 'items', type: { kind: 'list', elem: { kind: 'struct', ref: item } }, proto: 2 },
    ],
  };
}

/** k8s.io/metrics/pkg/apis/metrics/v1beta1 (types.go and generated.proto). */
const METRICS_STRUCTS: Record<string, RawStruct> = {
  [`${METRICS_TYPES}.NodeMetrics`]: {
    fields: [typeMeta, objectMeta, timestamp, window, { json: 'usage', type: resourceList, proto: 4 }],
  },
  [`${METRICS_TYPES}.NodeMetricsList`]: list(`${METRICS_TYPES}.NodeMetrics`),
  [`${METRICS_TYPES}.PodMetrics`]: {
    fields: [
      typeMeta,
      objectMeta,
      timestamp,
      window,
      { json: 'containers', type: { kind: 'list', elem: { kind: 'struct', ref: `${METRICS_TYPES}.ContainerMetrics` } }, proto: 4, listType: 'atomic' },
    ],
  },
  [`${METRICS_TYPES}.PodMetricsList`]: list(`${METRICS_TYPES}.PodMetrics`),
  [`${METRICS_TYPES}.ContainerMetrics`]: {
    fields: [
      { json: 'name', type: scalarString, proto: 1 },
      { json: 'usage', type: resourceList, proto: 2 },
    ],
  },
};

/** Refs of the types with a hand-written wire form (Time, Quantity, IntOrString, ...). */
export const SPECIAL_REFS: ReadonlySet<string> = new Set(data.specials);

/** StructDefs without byJson yet: the catalog fills it in once every struct is known. */
export function builtinStructs(): { name: string; fields: WireFieldDef[]; structType?: 'atomic' | 'granular' }[] {
  const raw = { ...(data.structs as unknown as Record<string, RawStruct>), ...METRICS_STRUCTS };
  return Object.entries(raw).map(([name, s]) => ({ name, fields: s.fields, structType: s.structType }));
}

/**
 * The fields of a struct by JSON name, inlined (embedded) structs flattened in, the way
 * encoding/json sees them. A struct's own field wins over an embedded one of the same name.
 */
export function flattenByJson(fields: FieldDef[], lookup: (ref: string) => StructDef | undefined, seen = new Set<string>()): Map<string, FieldDef> {
  const out = new Map<string, FieldDef>();
  for (const f of fields) {
    if (!f.inline) continue;
    if (f.type.kind !== 'struct' || seen.has(f.type.ref)) continue;
    const inner = lookup(f.type.ref);
    if (!inner) continue;
    const nested = flattenByJson(inner.fields, lookup, new Set([...seen, f.type.ref]));
    for (const [k, v] of nested) if (!out.has(k)) out.set(k, v);
  }
  for (const f of fields) if (!f.inline && f.json !== '') out.set(f.json, f);
  return out;
}
