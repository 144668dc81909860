// IAM policy documents after parsing: every element that may be a string or a list is a list.

/** "*" or a map of principal type (AWS, Federated, Service, CanonicalUser) to identifiers. */
export type PrincipalSpec = '*' | Record<string, string[]>;

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Principal?: PrincipalSpec;
  NotPrincipal?: PrincipalSpec;
  /** operator -> condition key -> values. */
  Condition?: Record<string, Record<string, string[]>>;
}

export interface Policy {
  /** 2012-10-17 enables policy variables; 2008-10-17 (the default when absent) does not. */
  Version: '2012-10-17' | '2008-10-17';
  Id?: string;
  Statement: Statement[];
}

/** identity: attached to a user/role (no Principal); resource: on a resource (Principal required); trust: a role's AssumeRolePolicyDocument. */
export type PolicyKind = 'identity' | 'resource' | 'trust';

/**
 * Who makes a request, as policies with a Principal element see it.
 * `ids` are the identifiers it answers to: an IAM user's ARN; a role session's
 * assumed-role ARN and its role's ARN; a Federated provider ARN or name; a service name.
 */
export interface RequestPrincipal {
  type: 'AWS' | 'Federated' | 'Service' | 'Anonymous';
  ids: string[];
  accountId?: string;
}

export type ContextValue = string | string[];

export interface RequestContext {
  principal: RequestPrincipal;
  action: string;
  resource: string;
  /** Condition keys (case-insensitive), e.g. aws:username, aws:SourceIp, aws:PrincipalTag/team. */
  context: Record<string, ContextValue>;
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
