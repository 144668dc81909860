// The IAM objects of an eksctl cluster: roles (cluster service role, node instance roles, Fargate
// pod execution role, IRSA roles) tagged with the cluster's name so `delete cluster` finds them, and
// the cluster's OpenID Connect provider.
import { createHash } from 'node:crypto';
import { connect, type PeerCertificate } from 'node:tls';
import {
  AttachRolePolicyCommand, CreateOpenIDConnectProviderCommand, CreateRoleCommand, DeleteOpenIDConnectProviderCommand, DeleteRoleCommand,
  DeleteRolePolicyCommand, DetachRolePolicyCommand, ListAttachedRolePoliciesCommand, ListOpenIDConnectProvidersCommand, ListRolePoliciesCommand,
  ListRolesCommand, ListRoleTagsCommand, PutRolePolicyCommand, type IAMClient, type Tag,
} from '@aws-sdk/client-iam';
import { document, managedPolicyArn, type InlinePolicy } from './policies.js';

export const CLUSTER_NAME_TAG = 'alpha.eksctl.io/cluster-name';
export const LEGACY_CLUSTER_NAME_TAG = 'eksctl.cluster.k8s.io/v1alpha1/cluster-name';

/** eksctl's stack-style role name, cut to IAM's 64 characters with a hash keeping it unique. */
export function roleName(cluster: string, what: string): string {
  const name = `eksctl-${cluster}-${what}`;
  if (name.length <= 64) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 55)}-${hash}`;
}

export interface RoleSpec {
  name: string;
  trust: string;
  /** Names of AWS managed policies, or full policy ARNs. */
  managed: string[];
  inline: InlinePolicy[];
  inlineDocuments?: { name: string; document: string }[];
  tags: Record<string, string>;
  permissionsBoundary?: string;
}

export async function createRole(iam: IAMClient, spec: RoleSpec): Promise<string> {
  const Tags: Tag[] = Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value }));
  const created = await iam.send(new CreateRoleCommand({
    RoleName: spec.name, AssumeRolePolicyDocument: spec.trust, Tags, PermissionsBoundary: spec.permissionsBoundary,
  }));
  for (const p of spec.managed) {
    await iam.send(new AttachRolePolicyCommand({ RoleName: spec.name, PolicyArn: p.startsWith('arn:') ? p : managedPolicyArn(p) }));
  }
  for (const p of spec.inline) {
    await iam.send(new PutRolePolicyCommand({ RoleName: spec.name, PolicyName: p.name, PolicyDocument: document(p.statements) }));
  }
  for (const p of spec.inlineDocuments ?? []) {
    await iam.send(new PutRolePolicyCommand({ RoleName: spec.name, PolicyName: p.name, PolicyDocument: p.document }));
  }
  return created.Role!.Arn!;
}

async function deleteRole(iam: IAMClient, name: string): Promise<void> {
  const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }));
  for (const p of attached.AttachedPolicies ?? []) await iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: p.PolicyArn }));
  const inline = await iam.send(new ListRolePoliciesCommand({ RoleName: name }));
  for (const p of inline.PolicyNames ?? []) await iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: p }));
  await iam.send(new DeleteRoleCommand({ RoleName: name }));
}

/** The roles eksctl made for this cluster: tagged with its name (names may be the user's own). */
export async function clusterRoles(iam: IAMClient, cluster: string): Promise<string[]> {
  const names: string[] = [];
  let Marker: string | undefined;
  do {
    const page = await iam.send(new ListRolesCommand({ Marker }));
    for (const r of page.Roles ?? []) if (r.RoleName) names.push(r.RoleName);
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  const owned: string[] = [];
  for (const name of names) {
    const tags = await iam.send(new ListRoleTagsCommand({ RoleName: name }));
    if (tags.Tags?.some((t) => t.Key === CLUSTER_NAME_TAG && t.Value === cluster)) owned.push(name);
  }
  return owned;
}

export async function deleteRoles(iam: IAMClient, names: string[]): Promise<void> {
  for (const n of names) await deleteRole(iam, n);
}

/** The issuer URL without its scheme: the OIDC provider's name and the IRSA condition-key prefix. */
export const issuerHostPath = (issuer: string) => issuer.replace(/^https:\/\//, '').replace(/\/$/, '');

/**
 * The SHA-1 thumbprint IAM keeps for an issuer, computed as eksctl does (pkg/iam/oidc): the last
 * certificate of the chain the issuer's TLS endpoint presents.
 */
export function issuerThumbprint(issuer: string): Promise<string> {
  const url = new URL(issuer);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 443), servername: /^\d/.test(url.hostname) ? undefined : url.hostname, rejectUnauthorized: false }, () => {
      let cert = socket.getPeerCertificate(true) as PeerCertificate & { issuerCertificate?: PeerCertificate };
      while (cert.issuerCertificate && cert.issuerCertificate !== cert && cert.issuerCertificate.fingerprint !== cert.fingerprint) cert = cert.issuerCertificate;
      socket.end();
      resolve(cert.fingerprint.replace(/:/g, '').toLowerCase());
    });
    socket.setTimeout(10_000, () => socket.destroy(new Error(`timed out connecting to the OIDC issuer ${issuer}`)));
    socket.once('error', reject);
  });
}

export async function createOidcProvider(iam: IAMClient, issuer: string, cluster: string, tags: Record<string, string>): Promise<string> {
  const thumbprint = await issuerThumbprint(issuer);
  const out = await iam.send(new CreateOpenIDConnectProviderCommand({
    Url: issuer, ClientIDList: ['sts.amazonaws.com'], ThumbprintList: [thumbprint],
    Tags: Object.entries({ ...tags, [CLUSTER_NAME_TAG]: cluster }).map(([Key, Value]) => ({ Key, Value })),
  }));
  return out.OpenIDConnectProviderArn!;
}

/** Deletes the provider of this issuer, if there is one; whether there was. */
export async function deleteOidcProvider(iam: IAMClient, issuer: string): Promise<boolean> {
  const suffix = `:oidc-provider/${issuerHostPath(issuer)}`;
  const list = await iam.send(new ListOpenIDConnectProvidersCommand({}));
  const arn = list.OpenIDConnectProviderList?.find((p) => p.Arn?.endsWith(suffix))?.Arn;
  if (!arn) return false;
  await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
  return true;
}
