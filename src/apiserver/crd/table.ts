// Table output of custom resources (apiextensions-apiserver pkg/registry/customresource/tableconvertor):
// a Name column, then the version's additionalPrinterColumns, or Age when it declares none;
// cells from JSONPath, typed by the column type (date cells become upstream's human durations).
import type { ColumnDefinition, Table, TableRow } from '../tables/index.js';
import { humanDuration } from '../tables/index.js';
import { evalJsonPath } from './jsonpath.js';
import { crdVersion } from './resources.js';
import { isPlainObject, type CustomResourceColumnDefinition, type CustomResourceDefinition } from './types.js';

type Obj = Record<string, unknown>;

/** swaggerMetadataDescriptions of ObjectMeta name and creationTimestamp. */
const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const CREATION_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export interface CrdColumn extends ColumnDefinition {
  jsonPath: string;
}

/** The printer columns of one version, Age when none are declared (serveDefaultColumnsIfEmpty). */
export function crdPrinterColumns(crd: CustomResourceDefinition, version: string): CrdColumn[] {
  const cols = crdVersion(crd, version)?.additionalPrinterColumns;
  const declared = (Array.isArray(cols) ? cols : []).filter(isPlainObject) as CustomResourceColumnDefinition[];
  if (declared.length === 0) return [{ name: 'Age', type: 'date', format: '', description: CREATION_DESCRIPTION, priority: 0, jsonPath: '.metadata.creationTimestamp' }];
  return declared.map((c) => ({
    name: String(c.name ?? ''),
    type: String(c.type ?? ''),
    format: String(c.format ?? ''),
    description: String(c.description ?? ''),
    priority: typeof c.priority === 'number' ? c.priority : 0,
    jsonPath: String(c.jsonPath ?? ''),
  }));
}

/** The Table's columnDefinitions: Name, then the printer columns. */
export function crdTableColumns(crd: CustomResourceDefinition, version: string): ColumnDefinition[] {
  return [
    { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 },
    ...crdPrinterColumns(crd, version).map(({ name, type, format, description, priority }) => ({ name, type, format, description, priority })),
  ];
}

/** Go's fmt %v of a decoded JSON value, as the JSONPath printer writes non-string values. */
function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? String(v) : String(v).replace(/e\+?/, 'e+');
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (isPlainObject(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goFormat(v[k])}`).join(' ')}]`;
  return String(v);
}

/** cellForJSONValue. */
function cell(type: string, v: unknown, now: number): unknown {
  switch (type) {
    case 'integer':
      if (typeof v === 'number') return Math.trunc(v);
      if (typeof v === 'string' && /^[+-]?\d+$/.test(v)) return Number(v);
      return null;
    case 'number':
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
      return null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'date': {
      if (typeof v !== 'string') return null;
      const t = Date.parse(v);
      if (Number.isNaN(t)) return null;
      return humanDuration(now - t);
    }
    default:
      return goFormat(v);
  }
}

/** The cells of one object: its name, then each printer column. */
export function crdTableCells(columns: CrdColumn[], obj: Obj, now: number): unknown[] {
  const m = isPlainObject(obj.metadata) ? obj.metadata : {};
  const cells: unknown[] = [typeof m.name === 'string' ? m.name : ''];
  for (const col of columns) {
    const [v] = evalJsonPath(obj, col.jsonPath);
    cells.push(v === undefined ? null : cell(col.type, v, now));
  }
  return cells;
}

export interface CrdTableOptions {
  /** Epoch milliseconds ages are measured against. */
  now: number;
  includeObject?: 'None' | 'Metadata' | 'Object';
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  noHeaders?: boolean;
}

/** The meta.k8s.io/v1 Table of custom objects of one CRD version. */
export function crdTable(crd: CustomResourceDefinition, version: string, objects: Obj[], opts: CrdTableOptions): Table {
  const columns = crdPrinterColumns(crd, version);
  const include = opts.includeObject ?? 'Metadata';
  const rows: TableRow[] = objects.map((o) => ({
    cells: crdTableCells(columns, o, opts.now),
    object: include === 'None' ? null : include === 'Object' ? o : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: isPlainObject(o.metadata) ? o.metadata : {} },
  }));
  const metadata: Table['metadata'] = {};
  const single = objects.length === 1 && isPlainObject(objects[0]!.metadata) ? (objects[0]!.metadata.resourceVersion as string | undefined) : undefined;
  const rv = opts.resourceVersion ?? single;
  if (rv !== undefined) metadata.resourceVersion = rv;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, columnDefinitions: opts.noHeaders ? null : crdTableColumns(crd, version), rows };
}
