// The IAM and STS objects as they are kept in the AwsStateStore. Names are unique
// case-insensitively in IAM, so roles and users are keyed by their lower-cased name.

export interface Tag {
  Key: string;
  Value: string;
}

export interface RoleRecord {
  RoleName: string;
  RoleId: string;
  Arn: string;
  Path: string;
  CreateDate: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  PermissionsBoundary?: string;
  Tags: Tag[];
  AttachedPolicies: string[];
  InlinePolicies: Record<string, string>;
  RoleLastUsed?: { LastUsedDate: string; Region: string };
}

export interface UserRecord {
  UserName: string;
  UserId: string;
  Arn: string;
  Path: string;
  CreateDate: string;
  PermissionsBoundary?: string;
  Tags: Tag[];
  AttachedPolicies: string[];
  InlinePolicies: Record<string, string>;
}

export interface PolicyVersionRecord {
  VersionId: string;
  Document: string;
  CreateDate: string;
}

export interface ManagedPolicyRecord {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  Description?: string;
  CreateDate: string;
  UpdateDate: string;
  DefaultVersionId: string;
  Versions: PolicyVersionRecord[];
  /** The number the next CreatePolicyVersion gets (v1, v2, ... never reused). */
  NextVersion: number;
  Tags: Tag[];
}

export interface AccessKeyRecord {
  AccessKeyId: string;
  SecretAccessKey: string;
  UserName: string;
  Status: 'Active' | 'Inactive';
  CreateDate: string;
}

export interface SessionRecord {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  /** Epoch milliseconds. */
  Expiration: number;
  AccountId: string;
  RoleName: string;
  RoleArn: string;
  RoleId: string;
  SessionName: string;
  /** arn:aws:sts::<account>:assumed-role/<role>/<session> */
  Arn: string;
  Tags?: Record<string, string>;
}

export interface OidcProviderRecord {
  Arn: string;
  /** Issuer without the https:// scheme, as IAM keeps it. */
  Url: string;
  ClientIDList: string[];
  ThumbprintList: string[];
  CreateDate: string;
  Tags: Tag[];
}

export interface GroupRecord {
  GroupName: string;
  GroupId: string;
  Arn: string;
  Path: string;
  CreateDate: string;
  AttachedPolicies: string[];
  InlinePolicies: Record<string, string>;
  /** Member user names, in the order they were added. */
  Users: string[];
}

export interface InstanceProfileRecord {
  InstanceProfileName: string;
  InstanceProfileId: string;
  Arn: string;
  Path: string;
  CreateDate: string;
  /** Role names; IAM allows one role per instance profile. */
  Roles: string[];
  Tags: Tag[];
}

export const roleKey = (name: string) => name.toLowerCase();
export const groupKey = (name: string) => name.toLowerCase();
export const instanceProfileKey = (name: string) => name.toLowerCase();
export const userKey = (name: string) => name.toLowerCase();
