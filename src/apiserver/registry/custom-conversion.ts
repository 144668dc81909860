// Custom objects are stored in their CRD's storage version and served in the version asked for:
// the storage codec of upstream's CR storage converts on every encode and decode
// (customresource_handler.go crdConversionRESTOptionsGetter: encoder = storage version,
// decoder = the request's version). Conversion may call a webhook, hence async. Built-in
// resources pass through unchanged (their storage mapping is storage-mapping.ts).
import type { ResourceDef } from '../schema/types.js';
import type { RegistryContext } from './context.js';
import type { ApiObject } from './types.js';

/** A request object in the form it is stored in (a custom object in the storage version). */
export async function customToStorage(ctx: RegistryContext, res: ResourceDef, obj: ApiObject): Promise<ApiObject> {
  const cr = ctx.customResources?.forResource(res);
  if (!cr) return obj;
  return (await cr.convert([obj], cr.storageVersion))[0]!;
}

/** A stored custom object in the endpoint's version. */
export async function customFromStorage(ctx: RegistryContext, res: ResourceDef, obj: ApiObject): Promise<ApiObject> {
  const cr = ctx.customResources?.forResource(res);
  if (!cr) return obj;
  return (await cr.convert([obj], res.version))[0]!;
}

/** Stored custom objects of a list (or a watch's initial state) in the endpoint's version, in one conversion. */
export async function customListFromStorage<T extends Readonly<ApiObject>>(ctx: RegistryContext, res: ResourceDef, items: T[]): Promise<T[]> {
  const cr = ctx.customResources?.forResource(res);
  if (!cr || items.length === 0) return items;
  return (await cr.convert(items, res.version)) as T[];
}

type View = (obj: Readonly<ApiObject>) => Readonly<ApiObject>;

function versionKey(obj: Readonly<ApiObject>): string {
  const m = (obj.metadata ?? {}) as Record<string, unknown>;
  return `${String(m.namespace ?? '')}/${String(m.name ?? '')}@${String(m.resourceVersion ?? '')}`;
}

/**
 * Selectors of a custom resource see the objects in the endpoint's version (upstream keeps a
 * watch cache per version, of converted objects). Converts `objs` in one batch and returns the
 * view selectors read through; objects it does not know (newer than `objs`) stay as stored.
 */
export async function customSelectionView(ctx: RegistryContext, res: ResourceDef, objs: readonly Readonly<ApiObject>[]): Promise<View> {
  const converted = await customListFromStorage(ctx, res, objs as Readonly<ApiObject>[]);
  const byIdentity = new Map<Readonly<ApiObject>, Readonly<ApiObject>>();
  const byVersion = new Map<string, Readonly<ApiObject>>();
  objs.forEach((o, i) => {
    if (converted[i] === o) return;
    byIdentity.set(o, converted[i]!);
    byVersion.set(versionKey(o), converted[i]!);
  });
  if (byIdentity.size === 0) return (o) => o;
  return (o) => byIdentity.get(o) ?? byVersion.get(versionKey(o)) ?? o;
}
