// Where a resource is stored and in which form. Most resources are stored as served. Some
// group/resources share storage with another one, as upstream's StorageVersion + conversion do:
// events.k8s.io/v1 Events live under /registry/core/events in core/v1 form (one set of events,
// visible through both APIs; pkg/apis/events/v1/conversion.go gives the field mapping).
// Resources served in several versions are stored in one (HPAs: autoscaling/v2).
import type { ResourceDef } from '../schema/types.js';
import { resourceId } from '../watchcache/index.js';
import { hpaV1ToV2, hpaV2ToV1 } from './hpa-conversion.js';
import type { ApiObject } from './types.js';

export interface StorageRef {
  group: string;
  resource: string;
  namespaced: boolean;
  /** The watch cache id: resourceId(group, resource). */
  id: string;
}

export interface StorageMapping {
  ref: StorageRef;
  /** Converts a stored object into the endpoint's form; undefined when they are the same. */
  fromStorage?: (obj: Readonly<ApiObject>) => ApiObject;
  /** Converts an object of the endpoint's form into the stored form. */
  toStorage?: (obj: ApiObject) => ApiObject;
}

// events.k8s.io/v1 field <-> core/v1 field.
const EVENT_FIELDS: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function renameFields(obj: Readonly<ApiObject>, pairs: [string, string][], apiVersion: string): ApiObject {
  const out: ApiObject = {};
  const rename = new Map(pairs);
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion') out.apiVersion = apiVersion;
    else out[rename.get(k) ?? k] = v;
  }
  return out;
}

/** core/v1 Event (stored) to events.k8s.io/v1 Event. */
export function coreEventToEventsV1(obj: Readonly<ApiObject>): ApiObject {
  return renameFields(obj, EVENT_FIELDS.map(([a, b]) => [b, a]), 'events.k8s.io/v1');
}

/** events.k8s.io/v1 Event to core/v1 Event (stored). */
export function eventsV1ToCoreEvent(obj: ApiObject): ApiObject {
  return renameFields(obj, EVENT_FIELDS, 'v1');
}

export function storageOf(res: ResourceDef): StorageMapping {
  if (res.group === 'events.k8s.io' && res.resource === 'events') {
    return { ref: { group: '', resource: 'events', namespaced: true, id: resourceId('', 'events') }, fromStorage: coreEventToEventsV1, toStorage: eventsV1ToCoreEvent };
  }
  const ref = { group: res.group, resource: res.resource, namespaced: res.namespaced, id: resourceId(res.group, res.resource) };
  // HPAs are stored as autoscaling/v2 (the storage version upstream); v1 is converted.
  if (res.group === 'autoscaling' && res.resource === 'horizontalpodautoscalers' && res.version === 'v1') {
    return { ref, fromStorage: hpaV2ToV1, toStorage: hpaV1ToV2 };
  }
  return { ref };
}

/** The stored object in the endpoint's form (the same object when no conversion applies). */
export function fromStorage(res: ResourceDef, obj: ApiObject): ApiObject {
  const f = storageOf(res).fromStorage;
  return f ? f(obj) : obj;
}

export function toStorage(res: ResourceDef, obj: ApiObject): ApiObject {
  const f = storageOf(res).toStorage;
  return f ? f(obj) : obj;
}
