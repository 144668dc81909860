// Server-side Table output (meta.k8s.io/v1 Table) for `kubectl get`: upstream's printer columns
// for built-in resources, the default convertor (Name, Created At) for built-ins without one,
// and Name/Age (or a CRD's additionalPrinterColumns) for custom resources.
import type { Clock } from '../../util/clock.js';
import { builtinResources } from '../schema/resources.js';
import type { Obj } from './format.js';
import { get, isObj, since, timeOf, trackDurations } from './format.js';
import { cachedJson, deepFreeze, rememberJson } from '../watchcache/index.js';
import type { ColumnDefinition, RowCondition } from './printers.js';
import { PRINTERS } from './printers.js';

export type { ColumnDefinition, RowCondition } from './printers.js';
export { humanDuration } from './format.js';

export interface TableRow {
  cells: unknown[];
  conditions?: RowCondition[];
  /** PartialObjectMetadata, the full object, or null (includeObject=None). */
  object: Record<string, unknown> | null;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  /** null when headers are left out (watch events after the first). */
  columnDefinitions: ColumnDefinition[] | null;
  rows: TableRow[];
}

/** A CRD's additionalPrinterColumns entry. */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

export interface TableOptions {
  /** What each row carries: kubectl asks for Metadata (the default). */
  includeObject?: 'None' | 'Metadata' | 'Object';
  /** The time ages are measured against: a Clock or epoch milliseconds. Defaults to Date.now(). */
  now?: Clock | number;
  /** The list's resourceVersion (a single object's own is used when absent). */
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  /** Leave columnDefinitions out (upstream's noHeaders, used for watch events after the first). */
  noHeaders?: boolean;
  /** For custom resources: the CRD version's additionalPrinterColumns. */
  printerColumns?: PrinterColumn[];
  /**
   * Cells of priority > 0 columns. The API server always prints them (kubectl hides them
   * unless -o wide), so this defaults to true; false drops those columns and cells.
   */
  wide?: boolean;
}

const NAME_COLUMN: ColumnDefinition = { name: 'Name', type: 'string', format: 'name', description: 'Name of the object (metadata.name).', priority: 0 };
const CREATED_DOC = 'Time the object was created (metadata.creationTimestamp).';

let builtins: Set<string> | undefined;
function isBuiltin(group: string, resource: string): boolean {
  if (!builtins) builtins = new Set(builtinResources().map((r) => `${r.group}/${r.resource}`));
  return builtins.has(`${group}/${resource}`);
}

function nowOf(now: Clock | number | undefined): number {
  if (typeof now === 'number') return now;
  if (now) return now.now();
  return Date.now();
}

/** Go's RFC 3339 form of a metav1.Time, UTC, second precision; zero time when unset. */
function rfc3339(v: unknown): string {
  const t = timeOf(v);
  return t === undefined ? '0001-01-01T00:00:00Z' : new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A simple JSONPath of additionalPrinterColumns: `.spec.replicas`, `.status.conditions[0].type`. */
function jsonPathValue(o: Obj, path: string): unknown {
  const parts = path.replace(/^\{?\.?/, '').replace(/\}$/, '').split('.').filter(Boolean);
  let cur: unknown = o;
  for (const part of parts) {
    const m = /^([^[\]]*)((\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1]) cur = isObj(cur) ? cur[m[1]] : undefined;
    for (const ix of m[2].match(/\d+/g) ?? []) cur = Array.isArray(cur) ? cur[Number(ix)] : undefined;
  }
  return cur;
}

function customCell(col: PrinterColumn, o: Obj, now: number): unknown {
  const v = jsonPathValue(o, col.jsonPath);
  if (v === undefined || v === null) return null;
  switch (col.type) {
    case 'date':
      return since(v, now);
    case 'integer':
    case 'number':
    case 'boolean':
      return v;
    default:
      return typeof v === 'string' ? v : JSON.stringify(v);
  }
}

interface Converter {
  columns: ColumnDefinition[];
  row(o: Obj, now: number): { cells: unknown[]; conditions?: RowCondition[] };
}

function converterFor(group: string, resource: string, opts: TableOptions): Converter {
  const printer = PRINTERS[`${group}/${resource}`];
  if (printer) return { columns: printer.columns, row: (o, now) => ({ cells: printer.cells(o, now), conditions: printer.conditions?.(o) }) };
  if (isBuiltin(group, resource) || (group === 'apiextensions.k8s.io' && resource === 'customresourcedefinitions') || (group === 'apiregistration.k8s.io' && resource === 'apiservices')) {
    // rest.NewDefaultTableConvertor: Name and the creation time as an RFC 3339 date.
    return {
      columns: [NAME_COLUMN, { name: 'Created At', type: 'date', format: '', description: CREATED_DOC, priority: 0 }],
      row: (o) => ({ cells: [String(get(o, 'metadata', 'name') ?? ''), rfc3339(get(o, 'metadata', 'creationTimestamp'))] }),
    };
  }
  // Custom resources: Name, the CRD's printer columns (default: Age).
  const custom = opts.printerColumns?.length ? opts.printerColumns : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: CREATED_DOC }];
  return {
    columns: [NAME_COLUMN, ...custom.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0 }))],
    row: (o, now) => ({ cells: [String(get(o, 'metadata', 'name') ?? ''), ...custom.map((c) => customCell(c, o, now))] }),
  };
}

/** The PartialObjectMetadata of each frozen (watch cache) object, built and serialized once. */
const metadataRows = new WeakMap<object, Record<string, unknown>>();

function rowObject(o: Obj, include: 'None' | 'Metadata' | 'Object'): Record<string, unknown> | null {
  if (include === 'None') return null;
  if (include === 'Object') return o;
  const frozen = Object.isFrozen(o);
  const known = frozen ? metadataRows.get(o) : undefined;
  if (known) return known;
  const partial = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: isObj(o.metadata) ? o.metadata : {} };
  if (frozen) {
    deepFreeze(partial);
    rememberJson(partial, JSON.stringify(partial));
    metadataRows.set(o, partial);
  }
  return partial;
}

/**
 * Rows of frozen (watch cache) objects by converter and row shape: an object revision's row is
 * built and serialized once, and reused while the clock stays where every age it prints keeps
 * its text. Rows handed out are frozen.
 */
const rowCache = new WeakMap<object, Map<string, { from: number; until: number; row: TableRow }>>();

function buildRow(converter: Converter, o: Obj, now: number, include: 'None' | 'Metadata' | 'Object', keep: boolean[] | undefined): TableRow {
  const { cells, conditions } = converter.row(o, now);
  const row: TableRow = { cells: keep ? cells.filter((_, i) => keep[i] ?? true) : cells, object: rowObject(o, include) };
  if (conditions?.length) row.conditions = conditions;
  return row;
}

function cachedRow(converter: Converter, key: string, o: Obj, now: number, include: 'None' | 'Metadata' | 'Object', keep: boolean[] | undefined): TableRow {
  let byKey = rowCache.get(o);
  const hit = byKey?.get(key);
  if (hit && hit.from <= now && now < hit.until) return hit.row;
  const { value: row, before, after } = trackDurations(() => buildRow(converter, o, now, include, keep));
  deepFreeze(row);
  // The same text JSON.stringify(row) gives, with the metadata's cached text spliced in.
  const objectJson = row.object ? cachedJson(row.object) : 'null';
  if (objectJson !== undefined) {
    const conditions = row.conditions ? `,"conditions":${JSON.stringify(row.conditions)}` : '';
    rememberJson(row, `{"cells":${JSON.stringify(row.cells)},"object":${objectJson}${conditions}}`);
  }
  if (!byKey) rowCache.set(o, (byKey = new Map()));
  byKey.set(key, { from: now - before, until: now + after, row });
  return row;
}

/** The Table for a list (or a single object) of one resource. */
export function tableFor(group: string, resource: string, objects: Record<string, unknown>[], opts: TableOptions = {}): Table {
  const now = nowOf(opts.now);
  const converter = converterFor(group, resource, opts);
  const include = opts.includeObject ?? 'Metadata';
  const keep = opts.wide === false ? converter.columns.map((c) => c.priority === 0) : undefined;
  // Custom printer columns come with the request; built-in converters are the same for every request.
  const cacheKey = opts.printerColumns?.length ? undefined : `${group}/${resource}/${include}/${keep ? 'narrow' : 'wide'}`;
  const rows: TableRow[] = objects.map((o) =>
    cacheKey !== undefined && Object.isFrozen(o) ? cachedRow(converter, cacheKey, o, now, include, keep) : buildRow(converter, o, now, include, keep),
  );
  const metadata: Table['metadata'] = {};
  const rv = opts.resourceVersion ?? (objects.length === 1 ? (get(objects[0], 'metadata', 'resourceVersion') as string | undefined) : undefined);
  if (rv !== undefined) metadata.resourceVersion = rv;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  const columns = keep ? converter.columns.filter((c) => c.priority === 0) : converter.columns;
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, columnDefinitions: opts.noHeaders ? null : columns, rows };
}

/** Whether a resource has upstream printer columns of its own (else the default convertor). */
export function hasPrinter(group: string, resource: string): boolean {
  return `${group}/${resource}` in PRINTERS;
}
