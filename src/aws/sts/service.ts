// STS over the query protocol (API version 2011-06-15): GetCallerIdentity, AssumeRole and
// AssumeRoleWithWebIdentity (served unsigned, as AWS does).
import { createLocalJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JSONWebKeySet } from 'jose';
import { globalContext } from '../authorize.js';
import { AwsError, validationError } from '../errors.js';
import type { Caller } from '../identity.js';
import { required } from '../iam/common.js';
import { roleKey, type OidcProviderRecord, type RoleRecord } from '../iam/model.js';
import { evaluateTrust, parsePolicy, type ContextValue, type RequestPrincipal } from '../iam/policy/index.js';
import type { Params, XmlValue } from '../server/query.js';
import type { CallContext, QueryService } from '../server/services.js';
import type { AwsStateStore } from '../state.js';
import { credentialsXml, issueSession } from './sessions.js';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Fetches an OIDC issuer's JWKS. Kumo's clusters serve theirs in-process. */
export type JwksResolver = (issuerUrl: string) => Promise<JSONWebKeySet>;

const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function checkSessionName(name: string): void {
  if (name.length < 2 || name.length > 64) {
    throw validationError(`1 validation error detected: Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must have length ${name.length < 2 ? 'greater than or equal to 2' : 'less than or equal to 64'}`);
  }
  if (!SESSION_NAME.test(name)) {
    throw validationError(`1 validation error detected: Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
}

function checkDuration(p: Params, role: RoleRecord, chained: boolean): number {
  if (p.DurationSeconds === undefined) return 3600;
  const d = Number(p.DurationSeconds);
  if (!Number.isInteger(d) || d < 900) {
    throw validationError(`1 validation error detected: Value '${p.DurationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`);
  }
  if (d > 43200) throw validationError(`1 validation error detected: Value '${p.DurationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`);
  // Role chaining limits a session to one hour (IAM User Guide, "Role chaining").
  if (chained && d > 3600) throw validationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  if (d > role.MaxSessionDuration) throw validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  return d;
}

async function roleByArn(state: AwsStateStore, arn: string): Promise<RoleRecord | undefined> {
  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
  if (!m) return undefined;
  const role = await state.get<RoleRecord>('role', roleKey(m[2]));
  return role && role.Arn === arn ? role : undefined;
}

function checkRoleArn(arn: string): void {
  if (arn.length < 20 || !arn.startsWith('arn:')) {
    throw validationError(`${arn} is invalid`);
  }
}

export function createStsService(state: AwsStateStore, accountId: string, jwksResolver: JwksResolver): QueryService {
  const actions: Record<string, (p: Params, ctx: CallContext) => Promise<Record<string, XmlValue>>> = {
    async GetCallerIdentity(_p, ctx) {
      // No permission is needed: even an explicit deny does not stop it (STS API reference, GetCallerIdentity).
      const c = ctx.caller!;
      return { UserId: c.userId, Account: c.accountId, Arn: c.arn };
    },

    async AssumeRole(p, ctx) {
      const caller = ctx.caller as Caller;
      const roleArn = required(p, 'RoleArn');
      const sessionName = required(p, 'RoleSessionName');
      checkRoleArn(roleArn);
      checkSessionName(sessionName);
      const denied = () => new AwsError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
      if (caller.kind === 'root') throw new AwsError('AccessDenied', 'Roles may not be assumed by root accounts.', 403);
      const role = await roleByArn(state, roleArn);
      if (!role) throw denied();
      const duration = checkDuration(p, role, caller.kind === 'assumed-role');
      const principal: RequestPrincipal = { type: 'AWS', ids: caller.roleArn ? [caller.arn, caller.roleArn] : [caller.arn], accountId: caller.accountId };
      const context: Record<string, ContextValue> = { ...globalContext(caller, { sourceIp: ctx.sourceIp, now: ctx.clock.now() }), 'sts:RoleSessionName': sessionName };
      if (p.ExternalId !== undefined) context['sts:ExternalId'] = p.ExternalId;
      if (p.SourceIdentity !== undefined) context['sts:SourceIdentity'] = p.SourceIdentity;
      const trust = evaluateTrust(parsePolicy(role.AssumeRolePolicyDocument, 'trust'), { principal, action: 'sts:AssumeRole', resource: role.Arn, context });
      if (trust !== 'Allow') throw denied();
      // A trust policy that names the caller itself is enough; one that trusts the whole account
      // delegates to the caller's identity policies (IAM User Guide, "Cross-account and same-account access").
      const namedExplicitly =
        evaluateTrust(parsePolicy(role.AssumeRolePolicyDocument, 'trust'), { principal: { ...principal, accountId: undefined }, action: 'sts:AssumeRole', resource: role.Arn, context }) === 'Allow';
      if (!namedExplicitly) await ctx.authorize(caller, 'sts:AssumeRole', role.Arn, { sourceIp: ctx.sourceIp, now: ctx.clock.now() });
      const session = await issueSession(state, role, accountId, sessionName, ctx.clock.now(), duration);
      return credentialsXml(session);
    },

    async AssumeRoleWithWebIdentity(p, ctx) {
      const roleArn = required(p, 'RoleArn');
      const sessionName = required(p, 'RoleSessionName');
      const token = required(p, 'WebIdentityToken');
      checkRoleArn(roleArn);
      checkSessionName(sessionName);
      let claims: ReturnType<typeof decodeJwt>;
      try {
        claims = decodeJwt(token);
      } catch {
        throw new AwsError('InvalidIdentityToken', 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)', 400);
      }
      const iss = typeof claims.iss === 'string' ? claims.iss : '';
      const hostPath = iss.replace(/^https:\/\//, '').replace(/\/$/, '');
      const providerArn = `arn:aws:iam::${accountId}:oidc-provider/${hostPath}`;
      const provider = await state.get<OidcProviderRecord>('oidc', providerArn);
      if (!iss || !provider) throw new AwsError('InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${iss}`, 400);
      let jwks: JSONWebKeySet;
      try {
        jwks = await jwksResolver(iss);
      } catch {
        throw new AwsError('InvalidIdentityToken', "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements", 400);
      }
      const now = ctx.clock.now();
      try {
        await jwtVerify(token, createLocalJWKSet(jwks), { currentDate: new Date(now) });
      } catch (err) {
        if (err instanceof joseErrors.JWTExpired) {
          throw new AwsError('ExpiredTokenException', `Token expired: current date/time ${Math.floor(now / 1000)} must be before the expiration date/time ${String(claims.exp)}`, 400);
        }
        throw new AwsError('InvalidIdentityToken', 'The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.', 400);
      }
      const audiences = Array.isArray(claims.aud) ? claims.aud : claims.aud === undefined ? [] : [claims.aud];
      const audience = audiences.find((a) => provider.ClientIDList.includes(a));
      if (audience === undefined) throw new AwsError('InvalidIdentityToken', 'Incorrect token audience', 400);
      const role = await roleByArn(state, roleArn);
      const denied = () => new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
      if (!role) throw denied();
      const sub = typeof claims.sub === 'string' ? claims.sub : '';
      const context: Record<string, ContextValue> = {
        [`${hostPath}:sub`]: sub,
        [`${hostPath}:aud`]: audience,
        [`${hostPath}:oaud`]: audiences,
        'aws:FederatedProvider': providerArn,
        'sts:RoleSessionName': sessionName,
        'aws:CurrentTime': new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        'aws:SourceIp': ctx.sourceIp,
      };
      const trust = evaluateTrust(parsePolicy(role.AssumeRolePolicyDocument, 'trust'), {
        principal: { type: 'Federated', ids: [providerArn] },
        action: 'sts:AssumeRoleWithWebIdentity',
        resource: role.Arn,
        context,
      });
      if (trust !== 'Allow') throw denied();
      const duration = checkDuration(p, role, false);
      const session = await issueSession(state, role, accountId, sessionName, now, duration);
      return { ...credentialsXml(session), SubjectFromWebIdentityToken: sub, Audience: audience, Provider: iss };
    },
  };
  return {
    signingName: 'sts',
    xmlNamespace: STS_NAMESPACE,
    apiVersion: '2011-06-15',
    unsignedActions: new Set(['AssumeRoleWithWebIdentity']),
    has: (action) => Object.hasOwn(actions, action),
    handle: (action, params, ctx) => actions[action](params, ctx),
  };
}
