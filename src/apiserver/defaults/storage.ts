// Storage-related defaults: PersistentVolume(Claim) (core/v1), StorageClass, CSIDriver (storage/v1).
import { canonicalQuantity, parseQuantity } from '../../util/quantity.js';
import { child, dflt, dfltPtr, opt } from './obj.js';
import type { Obj } from './obj.js';

function canonical(rl: Obj | undefined): void {
  if (!rl) return;
  for (const [k, v] of Object.entries(rl)) {
    const q = typeof v === 'string' || typeof v === 'number' ? parseQuantity(String(v)) : undefined;
    if (q) rl[k] = canonicalQuantity(q);
  }
}

/** SetDefaults_PersistentVolumeClaimSpec. */
export function defaultPVCSpec(spec: Obj): void {
  dfltPtr(spec, 'volumeMode', 'Filesystem');
  const resources = opt(spec, 'resources');
  canonical(opt(resources, 'requests'));
  canonical(opt(resources, 'limits'));
}

/** SetDefaults_PersistentVolumeClaim: status.phase Pending. */
export function defaultPVC(pvc: Obj): void {
  defaultPVCSpec(child(pvc, 'spec'));
  dflt(child(pvc, 'status'), 'phase', 'Pending');
}

/** SetDefaults_PersistentVolume and _PersistentVolumeSpec. */
export function defaultPV(pv: Obj): void {
  const spec = child(pv, 'spec');
  dflt(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  dfltPtr(spec, 'volumeMode', 'Filesystem');
  canonical(opt(spec, 'capacity'));
  dflt(child(pv, 'status'), 'phase', 'Pending');
  const hostPath = opt(spec, 'hostPath');
  if (hostPath) dfltPtr(hostPath, 'type', '');
}

/** storage/v1 SetDefaults_StorageClass. */
export function defaultStorageClass(sc: Obj): void {
  dfltPtr(sc, 'reclaimPolicy', 'Delete');
  dfltPtr(sc, 'volumeBindingMode', 'Immediate');
}

/** storage/v1 SetDefaults_CSIDriver. */
export function defaultCSIDriver(d: Obj): void {
  const spec = child(d, 'spec');
  dfltPtr(spec, 'attachRequired', true);
  dfltPtr(spec, 'podInfoOnMount', false);
  dfltPtr(spec, 'storageCapacity', false);
  dfltPtr(spec, 'fsGroupPolicy', 'ReadWriteOnceWithFSType');
  dfltPtr(spec, 'requiresRepublish', false);
  dfltPtr(spec, 'volumeLifecycleModes', ['Persistent']);
  dfltPtr(spec, 'seLinuxMount', false);
}
