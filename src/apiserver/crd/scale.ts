// The scale subresource of a custom resource (apiextensions-apiserver pkg/registry/customresource
// etcd.go scaleFromCustomResource / scaleUpdatedObjectInfo): an autoscaling/v1 Scale read from
// specReplicasPath, statusReplicasPath and labelSelectorPath, and spec replicas written back.
import type { CustomResourceSubresourceScale } from './types.js';
import { isPlainObject } from './types.js';
import { evalJsonPath, setJsonPath } from './jsonpath.js';

type Obj = Record<string, unknown>;

export interface ScalePaths {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export function scalePaths(scale: CustomResourceSubresourceScale | undefined): ScalePaths | undefined {
  if (!isPlainObject(scale) || typeof scale.specReplicasPath !== 'string' || typeof scale.statusReplicasPath !== 'string') return undefined;
  const out: ScalePaths = { specReplicasPath: scale.specReplicasPath, statusReplicasPath: scale.statusReplicasPath };
  if (typeof scale.labelSelectorPath === 'string' && scale.labelSelectorPath) out.labelSelectorPath = scale.labelSelectorPath;
  return out;
}

/** A replicas value that is present but not an integer (upstream answers 500 with this text). */
export class ScalePathError extends Error {}

function nestedInt(obj: Obj, path: string): number {
  const [v] = evalJsonPath(obj, path);
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ScalePathError(`${path} accessor error: ${JSON.stringify(v)} is of the type ${Array.isArray(v) ? 'array' : typeof v}, expected int64`);
  return v;
}

/** The Scale of a custom object. */
export function scaleFromObject(obj: Obj, paths: ScalePaths): Obj {
  const m = isPlainObject(obj.metadata) ? obj.metadata : {};
  const meta: Obj = { name: m.name };
  for (const k of ['namespace', 'uid', 'resourceVersion', 'creationTimestamp']) if (m[k] !== undefined) meta[k] = m[k];
  const status: Obj = { replicas: nestedInt(obj, paths.statusReplicasPath) };
  if (paths.labelSelectorPath) {
    const [sel] = evalJsonPath(obj, paths.labelSelectorPath);
    if (typeof sel === 'string' && sel) status.selector = sel;
  }
  return { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: meta, spec: { replicas: nestedInt(obj, paths.specReplicasPath) }, status };
}

/** Writes spec replicas into (a copy of) the object, as a scale update does. */
export function setSpecReplicas(obj: Obj, paths: ScalePaths, replicas: number): void {
  setJsonPath(obj, paths.specReplicasPath, replicas);
}
