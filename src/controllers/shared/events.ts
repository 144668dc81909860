// Events name their object by kind and apiVersion, which objects from a list may lack.
import type { Obj } from '../../client/types.js';

/** `obj` with its type meta set, for EventRecorder.event. */
export function typed(obj: Obj, apiVersion: string, kind: string): Obj {
  return obj.kind && obj.apiVersion ? obj : { ...obj, apiVersion, kind };
}
