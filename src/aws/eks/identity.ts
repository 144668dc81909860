// Who a caller is inside a cluster: EKS's mapping of an IAM identity to a Kubernetes user, groups
// and access policies, through access entries (API modes) and the aws-auth ConfigMap (CONFIG_MAP modes).
import { parse as parseYaml } from 'yaml';
import { parseAssumedRole } from './arns.js';
import type { AccessScope, AwsAuthSource } from './model.js';
import type { EksService } from './service.js';

export interface ClusterIdentity {
  username: string;
  groups: string[];
  accessPolicies: { policyArn: string; scope: { type: 'cluster' | 'namespace'; namespaces: string[] } }[];
}

/** The caller as IAM sees it for mapping: an assumed-role session maps to its role (aws-iam-authenticator's canonical ARN). */
function canonical(callerArn: string): { arn: string; account: string; session?: string; roleName?: string } {
  const assumed = parseAssumedRole(callerArn);
  if (assumed) return { arn: `arn:aws:iam::${assumed.account}:role/${assumed.role}`, account: assumed.account, session: assumed.session, roleName: assumed.role };
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(callerArn);
  return { arn: callerArn, account: m?.[1] ?? '' };
}

/** Fills the templates EKS and aws-auth usernames may hold. */
function render(template: string, who: ReturnType<typeof canonical>): string {
  return template
    .replace(/\{\{AccountID\}\}/g, who.account)
    // aws-iam-authenticator: SessionName has '@' replaced by '-', SessionNameRaw keeps it.
    .replace(/\{\{SessionNameRaw\}\}/g, who.session ?? '')
    .replace(/\{\{SessionName\}\}/g, (who.session ?? '').replace(/@/g, '-'));
}

/** Role ARNs match ignoring the role's path: an STS session ARN does not carry it. */
function sameRole(entryArn: string, who: ReturnType<typeof canonical>): boolean {
  if (!who.roleName) return false;
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(entryArn);
  return !!m && m[1] === who.account && m[2] === who.roleName;
}

const scopeOf = (s: AccessScope) => ({ type: s.type, namespaces: s.type === 'namespace' ? [...(s.namespaces ?? [])] : [] });

interface MapEntry { rolearn?: string; userarn?: string; username?: string; groups?: string[] }

function parseMapping(text: string | undefined): MapEntry[] {
  if (!text) return [];
  try {
    const v = parseYaml(text);
    return Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as MapEntry[]) : [];
  } catch {
    return [];
  }
}

/**
 * The Kubernetes identity of `callerArn` in cluster `clusterName`, or undefined when the caller
 * is not mapped (the cluster answers 401). An access entry wins over an aws-auth mapping of the same
 * principal; in CONFIG_MAP mode the cluster creator is `kubernetes-admin` in system:masters.
 */
export async function resolveClusterIdentity(svc: EksService, awsAuth: AwsAuthSource | undefined, clusterName: string, callerArn: string):
  Promise<ClusterIdentity | undefined> {
  const stored = svc.state.clusters.get(clusterName);
  if (!stored) return undefined;
  const mode = stored.cluster.accessConfig.authenticationMode;
  const who = canonical(callerArn);
  if (mode !== 'CONFIG_MAP') {
    const entries = [...(svc.state.entries.get(clusterName)?.values() ?? [])];
    const entry = entries.find((e) => e.entry.principalArn === who.arn) ?? entries.find((e) => sameRole(e.entry.principalArn, who));
    if (entry) {
      return {
        username: render(entry.entry.username, who),
        groups: [...entry.entry.kubernetesGroups],
        accessPolicies: entry.policies.map((p) => ({ policyArn: p.policyArn, scope: scopeOf(p.accessScope) })),
      };
    }
  }
  if (mode === 'API') return undefined;
  if (stored.cluster.accessConfig.bootstrapClusterCreatorAdminPermissions !== false && canonical(stored.creatorArn).arn === who.arn) {
    return { username: 'kubernetes-admin', groups: ['system:masters'], accessPolicies: [] };
  }
  const data = await awsAuth?.read(clusterName);
  if (!data) return undefined;
  const lower = who.arn.toLowerCase();
  const mapped = who.roleName
    ? parseMapping(data.mapRoles).find((m) => typeof m.rolearn === 'string' && m.rolearn.toLowerCase() === lower)
    : parseMapping(data.mapUsers).find((m) => typeof m.userarn === 'string' && m.userarn.toLowerCase() === lower)
      ?? parseMapping(data.mapRoles).find((m) => typeof m.rolearn === 'string' && m.rolearn.toLowerCase() === lower);
  if (!mapped) return undefined;
  return {
    username: render(mapped.username ?? who.arn, who),
    groups: Array.isArray(mapped.groups) ? mapped.groups.filter((g): g is string => typeof g === 'string').map((g) => render(g, who)) : [],
    accessPolicies: [],
  };
}

/** resolveClusterIdentity bound to one region's service and aws-auth source, for the cluster authenticator. */
export function identityResolver(svc: EksService, awsAuth?: AwsAuthSource) {
  return (clusterName: string, callerArn: string) => resolveClusterIdentity(svc, awsAuth, clusterName, callerArn);
}

/** The OIDC identity providers whose tokens a cluster accepts: its ACTIVE associated configs. */
export function clusterOidcProviders(svc: EksService, clusterName: string) {
  return [...(svc.state.idps.get(clusterName)?.values() ?? [])]
    .filter((i) => i.config.status === 'ACTIVE')
    .map((i) => structuredClone(i.config));
}
