// The schema walker of a resource's objects, shared by strategic merge patch and field management.
import { catalogSchema, crdSchema } from '../patch/index.js';
import type { SchemaNode } from '../patch/index.js';
import type { ResourceDef, SchemaCatalog } from '../schema/types.js';

const cache = new WeakMap<SchemaCatalog, Map<string, SchemaNode>>();

/** Built-in kinds use the catalog's struct; kinds without one get an object of unknown shape. */
export function schemaOf(catalog: SchemaCatalog, res: ResourceDef): SchemaNode {
  let byRef = cache.get(catalog);
  if (!byRef) cache.set(catalog, (byRef = new Map()));
  let node = byRef.get(res.typeRef);
  if (!node) {
    node = catalog.struct(res.typeRef) ? catalogSchema(catalog, res.typeRef) : crdSchema(undefined);
    byRef.set(res.typeRef, node);
  }
  return node;
}

export function hasStructSchema(catalog: SchemaCatalog, res: ResourceDef): boolean {
  return catalog.struct(res.typeRef) !== undefined;
}
