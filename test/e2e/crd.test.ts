// CustomResourceDefinitions through kubectl: the new resource shows in discovery and OpenAPI within
// a second, custom objects print the CRD's columns, and deleting the CRD deletes its objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, run, startApiServer } from '../helpers/apiserver.js';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: "self.size <= 10"
              message: "size must be at most 10"
            properties:
              size: {type: integer}
`;

async function eventually(what: string, fn: () => Promise<boolean>, timeoutMs = 10_000): Promise<number> {
  const t0 = Date.now();
  while (!(await fn())) {
    if (Date.now() - t0 > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - t0;
}

test('CustomResourceDefinitions on kumo apiserver', async (t) => {
  const server = await startApiServer(t);

  await t.test('a new CRD is served, discoverable and printable', async () => {
    await kubectl(server, ['apply', '-f', '-'], { input: CRD });
    const waited = await eventually('the CRD in discovery', async () => {
      const r = await run(server, 'kubectl', ['get', '--raw', '/apis/example.com/v1']);
      return r.code === 0 && JSON.parse(r.stdout).resources.some((x: { name: string }) => x.name === 'widgets');
    });
    assert.ok(waited < 1000, `discovery took ${waited} ms`);
    const conditions = JSON.parse(await kubectl(server, ['get', 'crd', 'widgets.example.com', '-o', 'json'])).status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`);
    assert.ok(conditions.includes('Established=True'), conditions.join(','));
    const resources = await kubectl(server, ['api-resources', '--api-group=example.com', '--no-headers']);
    assert.match(resources, /^widgets\s+wd\s+example\.com\/v1\s+true\s+Widget$/m);
    const openapi = JSON.parse(await kubectl(server, ['get', '--raw', '/openapi/v3']));
    assert.ok(openapi.paths['apis/example.com/v1'], 'OpenAPI lists the new group-version');

    await kubectl(server, ['apply', '-f', '-'], { input: 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 3}\n' });
    assert.match(await kubectl(server, ['get', 'widgets']), /^NAME\s+SIZE\nw1\s+3\n$/);
    assert.equal((await kubectl(server, ['get', 'wd', 'w1', '-o', 'jsonpath={.spec.size}'])), '3');
  });

  await t.test('deleting the CRD deletes its objects and its API', async () => {
    await kubectl(server, ['delete', 'crd', 'widgets.example.com', '--timeout=30s']);
    await eventually('the resource to leave discovery', async () => (await run(server, 'kubectl', ['get', '--raw', '/apis/example.com/v1'])).code !== 0);
    await kubectl(server, ['apply', '-f', '-'], { input: CRD });
    await eventually('the CRD served again', async () => (await run(server, 'kubectl', ['get', 'widgets', '-o', 'name'])).code === 0);
    assert.equal((await kubectl(server, ['get', 'widgets', '-o', 'name'])).trim(), '', 'objects of the deleted CRD are gone');
  });

  await t.test('requests to a deprecated version carry its Warning', async () => {
    await kubectl(server, ['apply', '-f', '-'], { input: CRD.replace('  - name: v1\n', '  - name: v1\n    deprecated: true\n') });
    await eventually('the deprecation to be served', async () => /is deprecated/.test((await run(server, 'kubectl', ['get', 'widgets'])).stderr));
    const r = await run(server, 'kubectl', ['get', 'widgets']);
    assert.match(r.stderr, /^Warning: example\.com\/v1 Widget is deprecated$/m);
  });
});
