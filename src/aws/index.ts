// The AWS side of Kumo as main/ wires it: startAwsEndpoint serves IAM and STS on one port and
// lets EKS (and later services) plug in with registerRestJsonService. EC2 (the Describe* subset)
// answers from the region's VpcModel, persisted in the same state store.
import type { Clock } from '../util/clock.js';
import { createEc2Service } from './ec2/service.js';
import { LaunchTemplateStore } from './ec2/launch-template-store.js';
import { VpcModels } from './ec2/models.js';
import type { InstanceSource } from './ec2/instances.js';
import { AccessKeyCache, DEFAULT_ACCOUNT } from './identity.js';
import { createIamService } from './iam/service.js';
import { startEndpoint, type AwsEndpoint } from './server/endpoint.js';
import type { AwsStateStore } from './state.js';
import { createStsService, type JwksResolver } from './sts/service.js';

export interface StartAwsEndpointOptions {
  host: string;
  port: number;
  state: AwsStateStore;
  region: string;
  enforceIam: boolean;
  clock: Clock;
  /** How AssumeRoleWithWebIdentity gets an issuer's JWKS; the default fetches <issuer>/.well-known/openid-configuration. */
  jwksResolver?: JwksResolver;
  accountId?: string;
  /** The VPC models EC2 answers from; by default the endpoint region's model, opened from `state`. */
  vpcModels?: VpcModels;
  /** The launch templates EC2 answers from; by default the endpoint region's, opened from `state`. */
  launchTemplates?: LaunchTemplateStore;
  /** Node-group instances EC2's DescribeInstances/TerminateInstances answer about. */
  instances?: InstanceSource;
}

/** Fetches the JWKS named by the issuer's discovery document over HTTPS. */
export const fetchJwks: JwksResolver = async (issuer) => {
  const base = issuer.replace(/\/$/, '');
  const disco = (await (await fetch(`${base}/.well-known/openid-configuration`)).json()) as { jwks_uri?: string };
  if (!disco.jwks_uri) throw new Error(`no jwks_uri at ${base}`);
  return (await (await fetch(disco.jwks_uri)).json()) as Awaited<ReturnType<JwksResolver>>;
};

export async function startAwsEndpoint(opts: StartAwsEndpointOptions): Promise<AwsEndpoint> {
  const account = opts.accountId ?? DEFAULT_ACCOUNT;
  // Requests resolve their access key from a cache; IAM and STS write through `state`, which keeps it current.
  const keys = new AccessKeyCache(opts.state, account);
  const state = keys.watch(opts.state);
  const vpcModels = opts.vpcModels ?? (await VpcModels.open(state, [opts.region]));
  const launchTemplates = opts.launchTemplates ?? (await LaunchTemplateStore.open(state, [opts.region]));
  return startEndpoint({
    ...opts,
    state,
    keys,
    queryServices: [createIamService(state, account), createStsService(state, account, opts.jwksResolver ?? fetchJwks)],
    documentServices: [createEc2Service({
      model: (region) => vpcModels.model(region), saveModel: (region) => vpcModels.save(region), launchTemplates, clock: opts.clock, accountId: account, instances: opts.instances,
    })],
  });
}

export type { AwsEndpoint } from './server/endpoint.js';
export { VpcModels, LaunchTemplateStore, createEc2Service, type Ec2Service, type Ec2Instance, type InstanceSource, type InstanceStateName } from './ec2/index.js';
export type { CallContext, DocumentQueryService, QueryService, RestJsonHandler, RestJsonRequest, RestJsonResponse } from './server/services.js';
export { RestRouter } from './server/rest-router.js';
export { AwsError } from './errors.js';
export type { Authorizer, AuthorizeOptions } from './authorize.js';
export type { Caller } from './identity.js';
export { MemoryAwsStateStore, type AwsStateStore, type StateKind } from './state.js';
export { KubeAwsStateStore, IAM_NAMESPACE } from './kube-state.js';
export { verifyPresignedGetCallerIdentity, presignedUrlOfToken, type PresignedIdentity } from './sts/presigned.js';
export type { JwksResolver } from './sts/service.js';
export { evaluate, evaluateTrust, parsePolicy } from './iam/policy/index.js';
export { serviceRoleCheck, type ServiceRoleCheck } from './iam/service-role.js';
