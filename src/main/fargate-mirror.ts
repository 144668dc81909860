// The EKS side writes a cluster's ACTIVE Fargate profiles into that cluster as the ConfigMap
// kube-system/kumo-fargate-profiles (api/fargate.ts), where the Fargate admission plugin and the
// Fargate scheduler read them through the API like any other object. The write replaces the whole
// set, so it is idempotent and a restart simply writes it again.
import { FARGATE_MIRROR_CONFIGMAP, FARGATE_MIRROR_KEY, FARGATE_MIRROR_NAMESPACE, type FargateMirror } from '../api/fargate.js';
import type { FargateProfileMirror } from '../aws/eks/index.js';
import { isAlreadyExists, isConflict } from '../client/errors.js';
import { createInProcessClient } from '../client/in-process.js';
import type { RunningApiServer } from './apiserver.js';

const EKS_USER = { username: 'eks:fargate-manager', groups: ['system:masters', 'system:authenticated'] };

export async function writeFargateMirror(plane: RunningApiServer, profiles: FargateProfileMirror[], startupMs: number): Promise<void> {
  const client = createInProcessClient(plane.registry, plane.catalog, EKS_USER, 'eks-fargate-manager').resource('', 'v1', 'configmaps');
  const mirror: FargateMirror = { profiles, startupMs };
  const data = { [FARGATE_MIRROR_KEY]: JSON.stringify(mirror) };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const current = await client.get(FARGATE_MIRROR_NAMESPACE, FARGATE_MIRROR_CONFIGMAP).catch(() => undefined);
      if (!current) {
        await client.create(FARGATE_MIRROR_NAMESPACE, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: FARGATE_MIRROR_CONFIGMAP, namespace: FARGATE_MIRROR_NAMESPACE }, data });
      } else {
        await client.update(FARGATE_MIRROR_NAMESPACE, { ...current, data });
      }
      return;
    } catch (err) {
      if (!isAlreadyExists(err) && !isConflict(err)) throw err;
    }
  }
  throw new Error('the Fargate profiles could not be written to the cluster (conflicts)');
}
