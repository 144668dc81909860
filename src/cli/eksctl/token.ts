// EKS bearer tokens as `aws eks get-token` makes them: `k8s-aws-v1.` + base64url (unpadded) of a
// presigned STS GetCallerIdentity URL on sts.<region>.amazonaws.com, expiring in 60 s and signed over
// `host;x-k8s-aws-id` with the cluster name as x-k8s-aws-id (aws-iam-authenticator's token format).
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';
import { NodeSha256 } from '../../aws/server/sha256.js';

export async function eksToken(credentials: AwsCredentialIdentity, region: string, clusterName: string, signedAt: Date): Promise<string> {
  const host = `sts.${region}.amazonaws.com`;
  const signer = new SignatureV4({ credentials, region, service: 'sts', sha256: NodeSha256, uriEscapePath: true, applyChecksum: false });
  const req = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: host,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host, 'x-k8s-aws-id': clusterName },
    },
    { expiresIn: 60, signingDate: signedAt },
  );
  const query = new URLSearchParams(req.query as Record<string, string>).toString();
  return 'k8s-aws-v1.' + Buffer.from(`https://${host}/?${query}`).toString('base64url');
}
