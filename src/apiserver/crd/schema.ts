// The structural-schema engine of one custom resource version: pruning, defaulting, validation
// (ObjectMeta, OpenAPI v3 value validation, list types, CEL rules) and catalog structs.
import type { FieldError } from '../../api/field-errors.js';
import type { StructDef } from '../schema/types.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/meta.js';
import { nameIsDNSSubdomain } from '../validation/names.js';
import { validateRules } from './cel-rules.js';
import { applyDefaults, pruneNonNullableNulls } from './defaults.js';
import { validateEmbedded } from './embedded.js';
import { buildNode, type SchemaNode } from './node.js';
import { pruneObject } from './prune.js';
import { schemaStructs } from './structs.js';
import { isPlainObject } from './types.js';
import { validateValue } from './validate-value.js';

type Obj = Record<string, unknown>;

export interface CustomResourceSchemaOptions {
  /** The CRD's scope: metadata.namespace is required (true) or forbidden (false). */
  namespaced?: boolean;
}

export class CustomResourceSchema {
  readonly root: SchemaNode;
  private readonly namespaced: boolean | undefined;

  /** `openAPIV3Schema` of one CRD version; undefined accepts anything (no schema). */
  constructor(openAPIV3Schema: unknown, opts: CustomResourceSchemaOptions = {}) {
    const raw = isPlainObject(openAPIV3Schema) ? openAPIV3Schema : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    this.root = buildNode(raw);
    this.namespaced = opts.namespaced;
  }

  /**
   * Removes, in place, the fields the schema does not specify; returns their paths for
   * fieldValidation (`spec.foo`, `metadata.bar`). Reported as `unknown field "spec.foo"`.
   */
  prune(obj: Obj): string[] {
    return pruneObject(obj, this.root);
  }

  /** Applies schema defaults in place (on decoding a request and on reading from storage, as upstream). */
  applyDefaults(obj: Obj): void {
    applyDefaults(obj, this.root);
    pruneNonNullableNulls(obj, this.root);
  }

  /** Create (no `old`) or update validation of the whole object. */
  validate(obj: Obj, old?: Obj): FieldError[] {
    const errs: FieldError[] = [];
    errs.push(...validateObjectMeta(obj.metadata, { namespaced: this.namespaced, nameRule: nameIsDNSSubdomain }));
    if (old) errs.push(...validateObjectMetaUpdate(obj.metadata, old.metadata));
    const oldRef = old ? { value: old } : undefined;
    validateValue(obj, this.root, '', errs, oldRef);
    validateEmbedded(obj, this.root, '', errs, true);
    validateRules(obj, oldRef, this.root, '', errs, true);
    return errs;
  }

  /** The catalog structs of this version: the kind `typeRef`, nested objects, and the list kind `listRef`. */
  toStructs(typeRef: string, listRef: string): StructDef[] {
    return schemaStructs(this.root, typeRef, listRef);
  }
}
