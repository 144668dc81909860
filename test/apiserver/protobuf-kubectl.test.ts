// Real kubectl sends protobuf bodies on `create`; they must decode into exactly the JSON that
// the same kubectl prints with `-o json --dry-run=client` (encoding/json of the same Go object).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { builtinCatalog } from '../../src/apiserver/schema/catalog.js';
import { decodeProtobufBody } from '../../src/apiserver/protobuf/index.js';
import { startCaptureServer, type CaptureServer } from '../helpers/capture-server.js';

const run = promisify(execFile);
const localKubectl = join(process.cwd(), '.tools', 'bin', 'kubectl');
const kubectl = existsSync(localKubectl) ? localKubectl : 'kubectl';
const catalog = builtinCatalog();

let server: CaptureServer;
before(async () => {
  server = await startCaptureServer((req) => {
    if (req.headers['content-type'] !== 'application/vnd.kubernetes.protobuf') return { status: 415, body: {} };
    const decoded = decodeProtobufBody(req.body, catalog);
    if (decoded.kind === 'TokenRequest') {
      const status = { token: 'captured-token', expirationTimestamp: '2030-01-01T00:00:00Z' };
      return { status: 201, body: { ...decoded.object, status } };
    }
    return { status: 201, body: decoded.object };
  });
});
after(() => server.close());

async function kubectlJson(args: string[]): Promise<unknown> {
  // Flags go before a `--` that starts the container command.
  const dash = args.indexOf('--');
  const at = dash < 0 ? args.length : dash;
  const withFlags = [...args.slice(0, at), '-o', 'json', '--dry-run=client', ...args.slice(at)];
  const { stdout } = await run(kubectl, ['--server', server.url, '--v=0', ...withFlags]);
  return JSON.parse(stdout);
}

async function sentObject(args: string[]): Promise<{ url: string; object: unknown; stdout: string }> {
  const before = server.requests.length;
  const { stdout } = await run(kubectl, ['--server', server.url, '--v=0', ...args]);
  const posts = server.requests.slice(before).filter((r) => r.method === 'POST');
  assert.equal(posts.length, 1, `one POST for ${args.join(' ')}`);
  const req = posts[0]!;
  assert.equal(req.headers['content-type'], 'application/vnd.kubernetes.protobuf');
  return { url: req.url, object: decodeProtobufBody(req.body, catalog).object, stdout };
}

const commands: { args: string[]; path: string }[] = [
  { args: ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3', '--port=80'], path: '/apis/apps/v1/namespaces/default/deployments' },
  { args: ['create', 'configmap', 'cfg', '--from-literal=a=b', '--from-literal=empty='], path: '/api/v1/namespaces/default/configmaps' },
  { args: ['create', 'secret', 'generic', 's1', '--from-literal=pw=x', '--type=Opaque'], path: '/api/v1/namespaces/default/secrets' },
  { args: ['create', 'namespace', 'ns1'], path: '/api/v1/namespaces' },
  { args: ['create', 'service', 'clusterip', 'svc1', '--tcp=80:8080', '--tcp=443:https'], path: '/api/v1/namespaces/default/services' },
  { args: ['create', 'service', 'nodeport', 'np1', '--tcp=80:8080', '--node-port=30080'], path: '/api/v1/namespaces/default/services' },
  { args: ['create', 'service', 'externalname', 'en1', '--external-name=example.com'], path: '/api/v1/namespaces/default/services' },
  { args: ['create', 'serviceaccount', 'sa1'], path: '/api/v1/namespaces/default/serviceaccounts' },
  { args: ['create', 'job', 'j1', '--image=busybox', '--', 'echo', 'hi'], path: '/apis/batch/v1/namespaces/default/jobs' },
  { args: ['create', 'cronjob', 'cj1', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'], path: '/apis/batch/v1/namespaces/default/cronjobs' },
  { args: ['create', 'rolebinding', 'rb1', '--role=r1', '--user=alice', '--serviceaccount=default:sa1'], path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings' },
  { args: ['create', 'clusterrole', 'cr1', '--verb=get', '--non-resource-url=/healthz'], path: '/apis/rbac.authorization.k8s.io/v1/clusterroles' },
  { args: ['create', 'priorityclass', 'pc1', '--value=-5', '--description=low', '--preemption-policy=Never'], path: '/apis/scheduling.k8s.io/v1/priorityclasses' },
  { args: ['create', 'quota', 'q1', '--hard=cpu=1500m,memory=1Gi,pods=10', '--scopes=BestEffort'], path: '/api/v1/namespaces/default/resourcequotas' },
  { args: ['create', 'poddisruptionbudget', 'pdb1', '--selector=app=web', '--min-available=50%'], path: '/apis/policy/v1/namespaces/default/poddisruptionbudgets' },
  { args: ['create', 'ingress', 'ing1', '--rule=foo.com/bar=svc1:8080,tls=my-cert', '--class=nginx'], path: '/apis/networking.k8s.io/v1/namespaces/default/ingresses' },
  {
    args: ['create', 'secret', 'docker-registry', 'dr1', '--docker-server=r.io', '--docker-username=u', '--docker-password=p'],
    path: '/api/v1/namespaces/default/secrets',
  },
];

describe('kubectl create sends protobuf that decodes to its JSON form', () => {
  for (const { args, path } of commands) {
    test(args.slice(0, 3).join(' '), async () => {
      const expected = await kubectlJson(args);
      const sent = await sentObject(args);
      assert.equal(sent.url.split('?')[0], path);
      assert.deepEqual(sent.object, expected);
      // The echo reached kubectl as a normal JSON reply.
      assert.match(sent.stdout, / created\n$/);
    });
  }

  test('create token: a TokenRequest with pointer fields set', async () => {
    const sent = await sentObject([
      'create', 'token', 'sa1', '--duration=10m', '--audience=https://kumo', '--bound-object-kind=Pod', '--bound-object-name=p1', '--bound-object-uid=u-1',
    ]);
    assert.equal(sent.url.split('?')[0], '/api/v1/namespaces/default/serviceaccounts/sa1/token');
    assert.deepEqual(sent.object, {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: {
        audiences: ['https://kumo'],
        expirationSeconds: 600,
        boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p1', uid: 'u-1' },
      },
      status: { token: '', expirationTimestamp: null },
    });
    assert.equal(sent.stdout.trim(), 'captured-token');
  });
});
