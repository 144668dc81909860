// The AWS side of the eksctl-style commands: SDK v3 clients for EKS, IAM, STS and EC2 on one
// endpoint. The endpoint is --endpoint-url, else the SDK's standard variables
// (AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL), else the local `kumo up` default. The region
// is the config file's, --region, AWS_REGION or AWS_DEFAULT_REGION, else `kumo up`'s default. Credentials come from the
// standard provider chain; with none configured, the access key `test`/`test` (the root of a local
// `kumo up`, which the aws CLI would need set explicitly).
import { EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4566';
const FALLBACK_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface AwsOptions {
  endpointUrl?: string;
  region: string;
  profile?: string;
}

export interface AwsClients {
  region: string;
  eks: EKSClient;
  iam: IAMClient;
  sts: STSClient;
  ec2: EC2Client;
  credentials: AwsCredentialIdentityProvider;
  destroy(): void;
}

/** The endpoint one service is reached at (SDK env names: AWS_ENDPOINT_URL_EKS, ..._IAM, ...). */
export function endpointFor(service: 'EKS' | 'IAM' | 'STS' | 'EC2', flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL ?? DEFAULT_ENDPOINT;
}

/** The region from the environment, as the SDK and the aws CLI read it. */
export function regionFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}

/**
 * With no region anywhere eksctl uses a default one (us-west-2, for AWS); Kumo's is the region a
 * plain `kumo up` serves.
 */
export const DEFAULT_REGION = 'us-east-1';

/** The SDK's default provider chain (env, shared files, SSO, web identity, IMDS), else test/test. */
function credentialProvider(region: string, profile?: string): AwsCredentialIdentityProvider {
  const probe = new STSClient({ region, profile });
  let resolved: Promise<AwsCredentialIdentity> | undefined;
  return () => {
    resolved ??= probe.config.credentials().catch(() => FALLBACK_CREDENTIALS).finally(() => probe.destroy());
    return resolved;
  };
}

export function awsClients(opts: AwsOptions): AwsClients {
  const credentials = credentialProvider(opts.region, opts.profile);
  const common = { region: opts.region, credentials, maxAttempts: 3 };
  const eks = new EKSClient({ ...common, endpoint: endpointFor('EKS', opts.endpointUrl) });
  const iam = new IAMClient({ ...common, endpoint: endpointFor('IAM', opts.endpointUrl) });
  const sts = new STSClient({ ...common, endpoint: endpointFor('STS', opts.endpointUrl) });
  const ec2 = new EC2Client({ ...common, endpoint: endpointFor('EC2', opts.endpointUrl) });
  return {
    region: opts.region,
    eks,
    iam,
    sts,
    ec2,
    credentials,
    destroy: () => [eks, iam, sts, ec2].forEach((c) => c.destroy()),
  };
}
