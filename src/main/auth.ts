// Authentication and authorization of `kumo apiserver`: the admin token and ServiceAccount tokens,
// impersonation, and RBAC over the stored roles and bindings (seeded with upstream's bootstrap policy).
import { join } from 'node:path';
import { unauthorized } from '../api/status.js';
import {
  Authenticator,
  bootstrapPolicy,
  impersonate,
  RbacAuthorizer,
  ServiceAccountTokens,
  type ClusterRole,
  type ClusterRoleBinding,
  type LiveObject,
  type LivePod,
  type RbacSource,
  type Role,
  type RoleBinding,
  type ServiceAccountLookup,
} from '../apiserver/auth/index.js';
import type { Registry } from '../apiserver/registry/index.js';
import type { SchemaCatalog } from '../apiserver/schema/types.js';
import type { Authenticate, Authorize } from '../apiserver/server/deps.js';
import { ObjectIndex } from './object-index.js';

/** The issuer kubeadm clusters use by default (--service-account-issuer). */
export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

type Obj = Record<string, unknown>;

export interface ClusterAuth {
  authenticate: Authenticate;
  authorize: Authorize;
  authenticator: Authenticator;
  rbac: RbacAuthorizer;
  tokens: ServiceAccountTokens;
  lookup: ServiceAccountLookup;
  stop(): void;
}

function resource(catalog: SchemaCatalog, group: string, name: string) {
  const r = catalog.resource(group, 'v1', name);
  if (!r) throw new Error(`the catalog has no ${group}/v1 ${name}`);
  return r;
}

function systemWrite() {
  return { user: { username: 'system:apiserver', groups: ['system:masters'] }, dryRun: false, fieldValidation: 'Ignore' as const, warnings: [] };
}

/** Creates the bootstrap roles and bindings that are missing (upstream's rbac/bootstrap-roles post-start hook). */
async function seedBootstrapPolicy(registry: Registry, catalog: SchemaCatalog): Promise<void> {
  const policy = bootstrapPolicy();
  const rbacGroup = 'rbac.authorization.k8s.io';
  const sets: [string, Obj[], boolean][] = [
    ['clusterroles', policy.clusterRoles as unknown as Obj[], false],
    ['clusterrolebindings', policy.clusterRoleBindings as unknown as Obj[], false],
    ['roles', policy.roles as unknown as Obj[], true],
    ['rolebindings', policy.roleBindings as unknown as Obj[], true],
  ];
  // All at once: the store commits writes arriving together in one transaction (one fsync, not ~100).
  await Promise.all(sets.flatMap(([name, objects, namespaced]) => {
    const res = resource(catalog, rbacGroup, name);
    return objects.map(async (obj) => {
      const ns = namespaced ? String((obj['metadata'] as Obj)['namespace']) : undefined;
      try {
        await registry.create(res, ns, { apiVersion: `${rbacGroup}/v1`, kind: res.kind, ...obj }, systemWrite());
      } catch (err) {
        if ((err as { reason?: string }).reason !== 'AlreadyExists') throw err;
      }
    });
  }));
}

function liveObject(obj: Obj | undefined): LiveObject | undefined {
  if (!obj) return undefined;
  const m = (obj['metadata'] ?? {}) as Obj;
  const out: LiveObject = { uid: String(m['uid'] ?? '') };
  if (typeof m['deletionTimestamp'] === 'string') out.deletionTimestamp = m['deletionTimestamp'];
  return out;
}

/** Where a control plane's ServiceAccount signing key lives, under its data dir. */
export const SERVICE_ACCOUNT_DIR = 'serviceaccount';

export async function buildClusterAuth(opts: { dataDir: string; registry: Registry; catalog: SchemaCatalog; adminToken: string; issuer?: string }): Promise<ClusterAuth> {
  const { registry, catalog } = opts;
  const tokens = await ServiceAccountTokens.loadOrCreate(join(opts.dataDir, SERVICE_ACCOUNT_DIR), opts.issuer ?? DEFAULT_ISSUER);

  const getOrUndefined = async (group: string, name: string, namespace: string | undefined, objName: string): Promise<Obj | undefined> => {
    try {
      return await registry.get(resource(catalog, group, name), namespace, objName, {});
    } catch (err) {
      if ((err as { reason?: string }).reason === 'NotFound') return undefined;
      throw err;
    }
  };
  const lookup: ServiceAccountLookup = {
    getServiceAccount: async (ns, name) => liveObject(await getOrUndefined('', 'serviceaccounts', ns, name)),
    getSecret: async (ns, name) => liveObject(await getOrUndefined('', 'secrets', ns, name)),
    getNode: async (name) => liveObject(await getOrUndefined('', 'nodes', undefined, name)),
    getPod: async (ns, name) => {
      const pod = await getOrUndefined('', 'pods', ns, name);
      const live = liveObject(pod) as LivePod | undefined;
      if (live && pod) {
        const spec = (pod['spec'] ?? {}) as Obj;
        if (typeof spec['nodeName'] === 'string') live.nodeName = spec['nodeName'];
        if (typeof spec['serviceAccountName'] === 'string') live.serviceAccountName = spec['serviceAccountName'];
      }
      return live;
    },
  };
  const authenticator = new Authenticator({ adminToken: opts.adminToken, serviceAccounts: tokens, lookup });

  await seedBootstrapPolicy(registry, catalog);
  const rbacGroup = 'rbac.authorization.k8s.io';
  const roles = new ObjectIndex<Role>(registry, resource(catalog, rbacGroup, 'roles'));
  const clusterRoles = new ObjectIndex<ClusterRole>(registry, resource(catalog, rbacGroup, 'clusterroles'));
  const roleBindings = new ObjectIndex<RoleBinding>(registry, resource(catalog, rbacGroup, 'rolebindings'));
  const clusterRoleBindings = new ObjectIndex<ClusterRoleBinding>(registry, resource(catalog, rbacGroup, 'clusterrolebindings'));
  const indexes = [roles, clusterRoles, roleBindings, clusterRoleBindings];
  await Promise.all(indexes.map((i) => i.start()));
  const source: RbacSource = {
    getRole: (ns, name) => roles.get(ns, name),
    getClusterRole: (name) => clusterRoles.get('', name),
    listRoleBindings: (ns) => roleBindings.list(ns),
    listClusterRoleBindings: () => clusterRoleBindings.list(),
  };
  const rbac = new RbacAuthorizer(source);

  const authenticate: Authenticate = async (req) => {
    const header = req.headers['authorization'];
    const result = await authenticator.authenticateRequest(Array.isArray(header) ? header[0] : header);
    if (!result.user) throw unauthorized();
    return impersonate(result.user, req.headers, rbac) ?? result.user;
  };
  const authorize: Authorize = async (attrs) => {
    const { user, isResourceRequest, ...rest } = attrs;
    const decision = rbac.authorize(user, { ...rest, resourceRequest: isResourceRequest });
    return { allowed: decision.allowed, reason: decision.allowed ? undefined : decision.reason || undefined };
  };
  return {
    authenticate,
    authorize,
    authenticator,
    rbac,
    tokens,
    lookup,
    stop: () => indexes.forEach((i) => i.stop()),
  };
}
