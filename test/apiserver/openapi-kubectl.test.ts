// kubectl itself reads the OpenAPI v3 documents: `kubectl explain` walks the schemas, and
// `kubectl apply` decides from the PATCH operations that the server validates fields itself
// (fieldValidation) and builds strategic merge patches from the v3 patch metadata.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { builtinCatalog } from '../../src/apiserver/schema/catalog.js';
import { openApiV3DocumentJson, openApiV3Index } from '../../src/apiserver/openapi/index.js';
import { startCaptureServer, type CaptureReply, type CaptureServer, type CapturedRequest } from '../helpers/capture-server.js';

const run = promisify(execFile);
const localKubectl = join(process.cwd(), '.tools', 'bin', 'kubectl');
const kubectl = existsSync(localKubectl) ? localKubectl : 'kubectl';
const catalog = builtinCatalog();

const notFound = (name: string): CaptureReply => ({
  status: 404,
  body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `deployments.apps "${name}" not found`, reason: 'NotFound', code: 404 },
});

/** Legacy discovery documents straight from the catalog. */
function discovery(path: string): CaptureReply | undefined {
  if (path === '/api') return { status: 200, body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] } };
  const gvs = catalog.groupVersions();
  if (path === '/apis') {
    const groups = new Map<string, { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion?: unknown }>();
    for (const gv of gvs) {
      if (gv.group === '') continue;
      const g = groups.get(gv.group) ?? { name: gv.group, versions: [] };
      const entry = { groupVersion: `${gv.group}/${gv.version}`, version: gv.version };
      g.versions.push(entry);
      if (gv.preferred) g.preferredVersion = entry;
      groups.set(gv.group, g);
    }
    return { status: 200, body: { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groups.values()] } };
  }
  for (const gv of gvs) {
    const prefix = gv.group === '' ? `/api/${gv.version}` : `/apis/${gv.group}/${gv.version}`;
    if (path !== prefix) continue;
    const resources = [];
    for (const r of catalog.resourcesFor(gv.group, gv.version)) {
      resources.push({ name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs, shortNames: r.shortNames, categories: r.categories });
      for (const s of r.subresources) resources.push({ name: `${r.resource}/${s}`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] });
    }
    return { status: 200, body: { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv.group === '' ? gv.version : `${gv.group}/${gv.version}`, resources } };
  }
  return undefined;
}

let server: CaptureServer;
let home: string;
/** What GET on the deployment returns; undefined = 404. */
let existing: unknown;

function handle(req: CapturedRequest): CaptureReply {
  const url = new URL(req.url, 'http://x');
  const path = url.pathname;
  if (path === '/version') return { status: 200, body: { major: '1', minor: '33', gitVersion: 'v1.33.0', platform: 'linux/amd64' } };
  if (path === '/openapi/v3') return { status: 200, body: openApiV3Index(catalog) };
  if (path.startsWith('/openapi/v3/')) {
    const doc = openApiV3DocumentJson(catalog, path.slice('/openapi/v3/'.length));
    return doc ? { status: 200, body: doc.document } : { status: 404, body: {} };
  }
  const d = discovery(path);
  if (d) return d;
  if (path === '/apis/apps/v1/namespaces/default/deployments/web') {
    if (req.method === 'GET') return existing ? { status: 200, body: existing } : notFound('web');
    if (req.method === 'PATCH') return { status: 200, body: existing };
  }
  if (path === '/apis/stable.example.com/v1/namespaces/default/crontabs/ct1') {
    if (req.method === 'GET' || req.method === 'PATCH') return { status: 200, body: existing };
  }
  if (path === '/apis/apps/v1/namespaces/default/deployments' && req.method === 'POST') return { status: 201, body: JSON.parse(req.body.toString('utf8')) };
  return { status: 404, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404 } };
}

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'kumo-openapi-'));
  server = await startCaptureServer(handle);
});
after(async () => {
  await server.close();
  rmSync(home, { recursive: true, force: true });
});

async function kubectlRun(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(kubectl, ['--server', server.url, '--v=0', '--cache-dir', join(home, 'cache'), ...args], { env: { ...process.env, HOME: home } });
}

const manifest = (image: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: ${image}
${extra}`;

describe('kubectl with Kumo OpenAPI v3', () => {
  test('kubectl explain walks the schemas', async () => {
    const { stdout } = await kubectlRun(['explain', 'deployment.spec.strategy']);
    assert.match(stdout, /KIND:\s+Deployment/);
    assert.match(stdout, /GROUP:\s+apps/);
    assert.match(stdout, /VERSION:\s+v1/);
    assert.match(stdout, /FIELD:\s+strategy <DeploymentStrategy>/);
    assert.match(stdout, /rollingUpdate\s+<RollingUpdateDeployment>/);
    assert.match(stdout, /type\s+<string>/);

    const ports = await kubectlRun(['explain', 'svc.spec.ports']);
    assert.match(ports.stdout, /FIELD:\s+ports <\[\]ServicePort>/);
    assert.match(ports.stdout, /port\s+<integer> -required-/);
    assert.match(ports.stdout, /targetPort\s+<IntOrString>/);
  });

  test('apply validates through fieldValidation and creates with POST', async () => {
    const file = join(home, 'deploy.yaml');
    writeFileSync(file, manifest('nginx:1.27'));
    existing = undefined;
    const before = server.requests.length;
    const { stdout } = await kubectlRun(['apply', '-f', file]);
    assert.match(stdout, /deployment.apps\/web created/);
    const reqs = server.requests.slice(before);
    assert.ok(!reqs.some((r) => r.url.startsWith('/openapi/v2')), 'no OpenAPI v2 request');
    assert.ok(reqs.some((r) => r.url.startsWith('/openapi/v3/apis/apps/v1?hash=')), 'fetched the apps/v1 document by its hash');
    const post = reqs.find((r) => r.method === 'POST')!;
    assert.match(post.url, /fieldValidation=Strict/);
  });

  test('apply on an existing object sends a strategic merge patch built from v3', async () => {
    const file = join(home, 'deploy.yaml');
    const lastApplied = JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }, { name: 'side', image: 'busybox' }] } } },
    });
    existing = {
      ...JSON.parse(lastApplied),
      metadata: { name: 'web', namespace: 'default', resourceVersion: '5', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } },
    };
    writeFileSync(file, manifest('nginx:1.28'));
    const before = server.requests.length;
    const { stderr } = await kubectlRun(['apply', '-f', file]);
    assert.doesNotMatch(stderr, /warning/i);
    const patch = server.requests.slice(before).find((r) => r.method === 'PATCH')!;
    assert.equal(patch.headers['content-type'], 'application/strategic-merge-patch+json');
    const body = JSON.parse(patch.body.toString('utf8'));
    // Containers merge by name: one is changed in place, the removed one gets a $patch: delete.
    assert.deepEqual(body.spec.template.spec['$setElementOrder/containers'], [{ name: 'app' }]);
    assert.deepEqual(
      body.spec.template.spec.containers.sort((a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1)),
      [
        { image: 'nginx:1.28', name: 'app' },
        { $patch: 'delete', name: 'side' },
      ],
    );
  });

  test('apply on a custom resource sends a JSON merge patch', async () => {
    catalog.addResource(
      {
        group: 'stable.example.com', version: 'v1', resource: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', namespaced: true,
        shortNames: ['ct'], categories: [], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: [], typeRef: 'stable.example.com/v1.CronTab',
      },
      [
        {
          name: 'stable.example.com/v1.CronTab',
          fields: [
            { json: '', type: { kind: 'struct', ref: 'k8s.io/apimachinery/pkg/apis/meta/v1.TypeMeta' }, proto: 0, inline: true },
            { json: 'metadata', type: { kind: 'struct', ref: 'k8s.io/apimachinery/pkg/apis/meta/v1.ObjectMeta' }, proto: 0, optional: true },
            { json: 'spec', type: { kind: 'map', value: { kind: 'scalar', scalar: 'string' } }, proto: 0, optional: true },
          ],
          byJson: new Map(),
        },
      ],
    );
    const applied = { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'ct1', namespace: 'default' }, spec: { cronSpec: '* * * * *' } };
    existing = { ...applied, metadata: { ...applied.metadata, resourceVersion: '3', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(applied) } } };
    const file = join(home, 'ct.yaml');
    writeFileSync(file, JSON.stringify({ ...applied, spec: { cronSpec: '*/5 * * * *' } }));
    const before = server.requests.length;
    const { stderr } = await kubectlRun(['apply', '-f', file]);
    assert.doesNotMatch(stderr, /warning/i);
    const patch = server.requests.slice(before).find((r) => r.method === 'PATCH')!;
    assert.equal(patch.headers['content-type'], 'application/merge-patch+json');
    assert.deepEqual(JSON.parse(patch.body.toString('utf8')).spec, { cronSpec: '*/5 * * * *' });
  });
});
