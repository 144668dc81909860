// What the registry's write and read paths call for a custom resource instead of the built-in
// defaults, pruning, validation, Table printer and scale mapping.
import type { FieldError } from '../../api/field-errors.js';
import type { ResourceDef } from '../schema/types.js';
import type { Table } from '../tables/index.js';
import type { CrdController } from './controller.js';
import { scaleFromObject, setSpecReplicas } from './scale.js';
import { deprecationWarning } from './deprecation.js';
import { crConverter } from './conversion.js';
import { CustomResourceSchema } from './schema.js';
import type { ServiceResolver } from './conversion-webhook.js';
import { crdVersion, storageVersion } from './resources.js';
import { selectableFieldSet, selectableLabels } from './selectable.js';
import { crdTable, type CrdTableOptions } from './table.js';

type Obj = Record<string, unknown>;

export interface CustomResourceHandlers {
  resource: ResourceDef;
  /** The version's openAPIV3Schema, for patch/crd-schema.ts crdSchema() (merge patch and apply). */
  openAPIV3Schema: unknown;
  /**
   * True once the CRD is being deleted: upstream then refuses creates with 405 MethodNotAllowed,
   * message `create not allowed while custom resource definition is terminating`.
   */
  terminating: boolean;
  /** Drops unknown fields in place; the paths go to fieldValidation as `unknown field "<path>"`. */
  prune(obj: Obj): string[];
  /** Schema defaults, in place: on decoding a request body and on reading from storage. */
  applyDefaults(obj: Obj): void;
  /** Create (no old) or update validation: ObjectMeta, OpenAPI schema, list types, CEL rules. */
  validate(obj: Obj, old?: Obj): FieldError[];
  /** Table output for `kubectl get` (Name + additionalPrinterColumns, or Name + Age). */
  table(objects: Obj[], opts: CrdTableOptions): Table;
  /** Field selector support: the labels allowed and each object's field set. */
  fieldSelectors: { labels: string[]; fields(obj: Obj): Record<string, string> };
  /** The Warning every request to this version gets when the version is deprecated. */
  warning: string | undefined;
  /** The version objects are stored in; reads and writes of other versions convert. */
  storageVersion: string;
  /**
   * The objects in `version` by the CRD's conversion strategy (None: apiVersion only; Webhook:
   * one ConversionReview for all that need it). Objects already there are returned as they are.
   * Rejects with the 500 Status upstream answers when conversion fails.
   */
  convert(objs: readonly Readonly<Obj>[], version: string): Promise<Obj[]>;
  /** The scale subresource mapping, when the version declares one. */
  scale?: {
    /** autoscaling/v1 Scale of an object; throws ScalePathError when a replicas path holds a non-integer. */
    read(obj: Obj): Obj;
    /** Writes spec replicas into the object (in place). */
    write(obj: Obj, replicas: number): void;
  };
}

export interface CustomResourceHooks {
  /** The handlers of a served custom resource version; undefined for anything else. */
  forResource(res: Pick<ResourceDef, 'group' | 'version' | 'resource'>): CustomResourceHandlers | undefined;
}

/** `resolveService` resolves conversion webhooks' service references. */
export function customResourceHooks(controller: CrdController, resolveService: ServiceResolver): CustomResourceHooks {
  // One handlers object per served version: callers may cache derived state (e.g. a patch schema)
  // by its identity; a CRD update produces a new one.
  const cache = new WeakMap<object, CustomResourceHandlers>();
  return {
    forResource(res) {
      const sv = controller.servedVersion(res);
      if (!sv) return undefined;
      const cached = cache.get(sv);
      if (cached) {
        cached.terminating = sv.terminating;
        return cached;
      }
      const { schema, crd, resource } = sv;
      const converter = crConverter(crd, resolveService);
      const schemas = new Map<string, CustomResourceSchema>([[resource.version, schema]]);
      const schemaOf = (v: string): CustomResourceSchema => {
        let s = schemas.get(v);
        if (!s) schemas.set(v, (s = new CustomResourceSchema(crdVersion(crd, v)?.schema?.openAPIV3Schema, { namespaced: resource.namespaced })));
        return s;
      };
      const version = crdVersion(crd, resource.version);
      const handlers: CustomResourceHandlers = {
        resource,
        openAPIV3Schema: version?.schema?.openAPIV3Schema,
        terminating: sv.terminating,
        prune: (obj) => schema.prune(obj),
        applyDefaults: (obj) => schema.applyDefaults(obj),
        validate: (obj, old) => schema.validate(obj, old),
        table: (objects, opts) => crdTable(crd, resource.version, objects, opts),
        fieldSelectors: {
          labels: selectableLabels(version?.selectableFields, resource.namespaced),
          fields: (obj) => selectableFieldSet(obj, version?.selectableFields, resource.namespaced),
        },
        warning: deprecationWarning(crd, resource.version),
        storageVersion: storageVersion(crd) ?? resource.version,
        convert: async (objs, to) => {
          const out = await converter.convert(objs, to);
          // schemaCoercingConverter: a converted object is pruned and defaulted by its new version's schema.
          for (let i = 0; i < out.length; i++) {
            if (out[i] === objs[i]) continue;
            const target = schemaOf(to);
            target.prune(out[i]!);
            target.applyDefaults(out[i]!);
          }
          return out;
        },
      };
      const paths = sv.scale;
      if (paths) handlers.scale = { read: (obj) => scaleFromObject(obj, paths), write: (obj, replicas) => setSpecReplicas(obj, paths, replicas) };
      cache.set(sv, handlers);
      return handlers;
    },
  };
}
