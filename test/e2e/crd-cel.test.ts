// kubectl against `kumo apiserver` with a CustomResourceDefinition: it is established and served
// (discovery, OpenAPI, Table columns, scale), a CEL rule rejects an invalid object in upstream's
// words, and deleting the CRD deletes its objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, run, startApiServer } from '../helpers/apiserver.js';

const CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, listKind: CronTabList, shortNames: [ct]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
    additionalPrinterColumns:
    - {name: Spec, type: string, jsonPath: .spec.cronSpec}
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: self.replicas <= self.maxReplicas
              message: replicas must not exceed maxReplicas
            properties:
              cronSpec: {type: string}
              replicas: {type: integer, default: 1}
              maxReplicas: {type: integer, default: 5}
          status:
            type: object
            properties:
              replicas: {type: integer}
`;

const cronTab = (name: string, replicas: number) => `
apiVersion: stable.example.com/v1
kind: CronTab
metadata: {name: ${name}, namespace: default}
spec: {cronSpec: "*/5 * * * *", replicas: ${replicas}, maxReplicas: 5}
`;

test('a CRD with a CEL rule, through kubectl', async (t) => {
  const server = await startApiServer(t, { storage: 'memory' });
  await kubectl(server, ['apply', '-f', '-'], { input: CRD });
  await kubectl(server, ['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=20s']);

  await t.test('discovery and OpenAPI show the new resource', async () => {
    const rows = (await kubectl(server, ['api-resources', '--api-group=stable.example.com', '--no-headers'])).trim().split(/\s+/);
    assert.deepEqual(rows, ['crontabs', 'ct', 'stable.example.com/v1', 'true', 'CronTab']);
    assert.match(await kubectl(server, ['explain', 'crontab.spec']), /maxReplicas\s+<integer>/);
  });

  await t.test('a valid object is created with defaults; get prints the printer columns', async () => {
    await kubectl(server, ['apply', '-f', '-'], { input: cronTab('ok', 2) });
    const obj = JSON.parse(await kubectl(server, ['get', 'ct', 'ok', '-o', 'json']));
    assert.equal(obj.spec.maxReplicas, 5);
    assert.match(await kubectl(server, ['get', 'crontabs']), /^NAME\s+SPEC\s+REPLICAS\n?ok\s+\*\/5 \* \* \* \*\s+2/m);
  });

  await t.test('the CEL rule rejects an invalid object', async () => {
    const bad = await run(server, 'kubectl', ['apply', '-f', '-'], { input: cronTab('bad', 9) });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /The CronTab "bad" is invalid: spec: Invalid value: "object": replicas must not exceed maxReplicas/);
    const missing = await run(server, 'kubectl', ['get', 'ct', 'bad']);
    assert.match(missing.stderr, /NotFound|not found/);
  });

  await t.test('scale goes through the scale subresource paths the CRD declares', async () => {
    await kubectl(server, ['scale', 'crontab/ok', '--replicas=4']);
    assert.equal(JSON.parse(await kubectl(server, ['get', 'ct', 'ok', '-o', 'json'])).spec.replicas, 4);
    const scale = JSON.parse(await kubectl(server, ['get', '--raw', '/apis/stable.example.com/v1/namespaces/default/crontabs/ok/scale']));
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.spec.replicas, 4);
  });

  await t.test('deleting the CRD deletes its objects and the resource', async () => {
    await kubectl(server, ['delete', 'crd', 'crontabs.stable.example.com', '--timeout=30s']);
    const gone = await run(server, 'kubectl', ['get', 'crontabs']);
    assert.notEqual(gone.code, 0);
    // kubectl's cached discovery may still name the resource; the server then answers NotFound.
    assert.match(gone.stderr, /the server doesn't have a resource type "crontabs"|the server could not find the requested resource/);
  });
});
