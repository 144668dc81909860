// What the eksctl-style commands write: eksctl's tab-padded tables, kubeconfig entries in
// `aws eks update-kubeconfig`'s shape, and `aws eks get-token`'s token format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { endpointFor, regionFromEnv } from '../../src/cli/eksctl/aws.js';
import { kubeconfigPath, removeFromKubeconfig, writeKubeconfig } from '../../src/cli/eksctl/kubeconfig.js';
import { formatTable } from '../../src/cli/eksctl/table.js';
import { eksToken } from '../../src/cli/eksctl/token.js';

test('tables pad with tabs to tab stops as eksctl\'s printer does (its own Fargate profile table)', () => {
  // eksctl pkg/fargate/print_test.go expectedTable, built from the same rows.
  const expected = 'NAME\tSELECTOR_NAMESPACE\tSELECTOR_LABELS\t\tPOD_EXECUTION_ROLE_ARN\t\tSUBNETS\t\t\t\tTAGS\t\t\tSTATUS\n' +
    'fp-prod\tprod\t\t\tenv=prod\t\tarn:aws:iam::123:role/root\tsubnet-prod,subnet-d34dc0w\t<none>\t\t\tACTIVE\n' +
    'fp-test\tdefault\t\t\t<none>\t\t\tarn:aws:iam::123:role/root\t<none>\t\t\t\tapp=my-app,env=test\tACTIVE\n' +
    'fp-test\tkube-system\t\tapp=my-app,env=test\tarn:aws:iam::123:role/root\t<none>\t\t\t\tapp=my-app,env=test\tACTIVE\n';
  const role = 'arn:aws:iam::123:role/root';
  assert.equal(formatTable(['NAME', 'SELECTOR_NAMESPACE', 'SELECTOR_LABELS', 'POD_EXECUTION_ROLE_ARN', 'SUBNETS', 'TAGS', 'STATUS'], [
    ['fp-prod', 'prod', 'env=prod', role, 'subnet-prod,subnet-d34dc0w', '<none>', 'ACTIVE'],
    ['fp-test', 'default', '<none>', role, '<none>', 'app=my-app,env=test', 'ACTIVE'],
    ['fp-test', 'kube-system', 'app=my-app,env=test', role, '<none>', 'app=my-app,env=test', 'ACTIVE'],
  ]), expected);
});

test('kubeconfig entries as update-kubeconfig writes them; other entries stay; delete removes only the cluster', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-kubeconfig-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'nested', 'config');
  assert.equal(kubeconfigPath(undefined, { KUBECONFIG: `${path}:/elsewhere` }), path);
  assert.equal(kubeconfigPath('/flag', { KUBECONFIG: path }), '/flag');
  const arn = 'arn:aws:eks:ap-northeast-1:000000000000:cluster/my-cluster';
  writeKubeconfig(path, { name: 'my-cluster', arn, endpoint: 'https://127.0.0.1:1234', caData: 'Q0E=' });
  writeKubeconfig(path, { name: 'other', arn: arn.replace('my-cluster', 'other'), endpoint: 'https://127.0.0.1:9', caData: 'Q0E=' });
  writeKubeconfig(path, { name: 'my-cluster', arn, endpoint: 'https://127.0.0.1:5678', caData: 'Q0E=' });
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const cfg = parse(readFileSync(path, 'utf8'));
  assert.equal(cfg['current-context'], arn);
  assert.deepEqual(cfg.clusters.map((c: { name: string }) => c.name), [arn, arn.replace('my-cluster', 'other')]);
  assert.deepEqual(cfg.clusters[0].cluster, { 'certificate-authority-data': 'Q0E=', server: 'https://127.0.0.1:5678' });
  assert.deepEqual(cfg.users[0], {
    name: arn,
    user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', args: ['--region', 'ap-northeast-1', 'eks', 'get-token', '--cluster-name', 'my-cluster', '--output', 'json'], command: 'aws' } },
  });
  assert.deepEqual(cfg.contexts[0], { context: { cluster: arn, user: arn }, name: arn });
  assert.equal(removeFromKubeconfig(path, arn), true);
  const after = parse(readFileSync(path, 'utf8'));
  assert.equal(after['current-context'], '');
  assert.deepEqual(after.users.map((u: { name: string }) => u.name), [arn.replace('my-cluster', 'other')]);
  assert.equal(removeFromKubeconfig(path, arn), false);
});

test('EKS tokens are presigned STS GetCallerIdentity URLs over host;x-k8s-aws-id, 60 s, base64url without padding', async () => {
  const token = await eksToken({ accessKeyId: 'test', secretAccessKey: 'test' }, 'ap-northeast-1', 'my-cluster', new Date('2026-01-02T03:04:05Z'));
  assert.match(token, /^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
  const url = new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString());
  assert.equal(url.host, 'sts.ap-northeast-1.amazonaws.com');
  const q = url.searchParams;
  assert.equal(q.get('Action'), 'GetCallerIdentity');
  assert.equal(q.get('X-Amz-Expires'), '60');
  assert.equal(q.get('X-Amz-SignedHeaders'), 'host;x-k8s-aws-id');
  assert.equal(q.get('X-Amz-Date'), '20260102T030405Z');
  assert.equal(q.get('X-Amz-Credential'), 'test/20260102/ap-northeast-1/sts/aws4_request');
});

test('the endpoint is --endpoint-url, else AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL, else the local kumo up', () => {
  assert.equal(endpointFor('EKS', 'http://flag', { AWS_ENDPOINT_URL: 'http://env' }), 'http://flag');
  assert.equal(endpointFor('IAM', undefined, { AWS_ENDPOINT_URL_IAM: 'http://iam', AWS_ENDPOINT_URL: 'http://env' }), 'http://iam');
  assert.equal(endpointFor('EKS', undefined, { AWS_ENDPOINT_URL_IAM: 'http://iam', AWS_ENDPOINT_URL: 'http://env' }), 'http://env');
  assert.equal(endpointFor('STS', undefined, {}), 'http://127.0.0.1:4566');
  assert.equal(regionFromEnv({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-east-1' }), 'eu-west-1');
  assert.equal(regionFromEnv({ AWS_DEFAULT_REGION: 'us-east-1' }), 'us-east-1');
  assert.equal(regionFromEnv({}), undefined);
});
