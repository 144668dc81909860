// ARNs EKS hands out and the IAM principal ARNs it accepts.

export const clusterArn = (region: string, account: string, name: string) => `arn:aws:eks:${region}:${account}:cluster/${name}`;

/** arn:aws:eks:<region>:<acct>:access-entry/<cluster>/<role|user>/<acct>/<name>/<uuid> (as EKS answers it). */
export function accessEntryArn(region: string, account: string, cluster: string, principal: IamPrincipal, uuid: string): string {
  return `arn:aws:eks:${region}:${account}:access-entry/${cluster}/${principal.kind}/${principal.account}/${principal.name}/${uuid}`;
}

export const identityProviderConfigArn = (region: string, account: string, cluster: string, name: string, uuid: string) =>
  `arn:aws:eks:${region}:${account}:identityproviderconfig/${cluster}/oidc/${name}/${uuid}`;

export interface IamPrincipal {
  kind: 'role' | 'user';
  account: string;
  /** The name without its path. */
  name: string;
  path: string;
}

/** An IAM role or user ARN (arn:aws:iam::<12 digits>:role/[path/]name), or undefined. */
export function parseIamPrincipal(arn: string): IamPrincipal | undefined {
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):(role|user)(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,64})$/.exec(arn);
  if (!m) return undefined;
  return { account: m[1], kind: m[2] as 'role' | 'user', path: m[3], name: m[4] };
}

/** An STS assumed-role ARN: arn:aws:sts::<acct>:assumed-role/<role>/<session>. */
export function parseAssumedRole(arn: string): { account: string; role: string; session: string } | undefined {
  const m = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/([\w+=,.@-]{2,64})$/.exec(arn);
  return m ? { account: m[1], role: m[2], session: m[3] } : undefined;
}
