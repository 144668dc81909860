// Patches whose result holds a malformed quantity fail to decode into the typed object, and
// kube-apiserver's patch handler answers 422 Invalid for the empty GroupKind, quoting the patched
// JSON (json and merge patches) or the patch map (strategic merge patch); nothing is stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiRequest, kubectl, run, startApiServer } from '../helpers/apiserver.js';

const FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

test('patches producing a malformed quantity', async (t) => {
  const server = await startApiServer(t);
  await kubectl(server, ['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n' });
  await kubectl(server, ['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec: {hard: {pods: "10"}}\n' });
  const path = '/api/v1/namespaces/default/resourcequotas/q';

  await t.test('strategic merge patch: the patch map is quoted', async () => {
    const r = await run(server, 'kubectl', ['patch', 'resourcequota', 'q', '-p', '{"spec":{"hard":{"cpu":"abc"}}}']);
    assert.equal(r.code, 1);
    const value = 'map[spec:map[hard:map[cpu:abc]]]';
    assert.match(r.stderr, new RegExp(`patch: Invalid value: "${value.replace(/[[\]]/g, '\\$&')}": quantities must match`));
    const raw = await apiRequest(server, 'PATCH', path, { body: '{"spec":{"hard":{"cpu":"abc"}}}', contentType: 'application/strategic-merge-patch+json' });
    assert.equal(raw.status, 422);
    assert.deepEqual(raw.json(), {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Invalid', code: 422,
      message: ` "" is invalid: patch: Invalid value: "${value}": ${FORMAT}`,
      details: { causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "${value}": ${FORMAT}`, field: 'patch' }] },
    });
  });

  await t.test('merge patch: the patched object is quoted, merged objects with sorted keys', async () => {
    const raw = await apiRequest(server, 'PATCH', path, { body: '{"spec":{"hard":{"memory":"1GB"}}}', contentType: 'application/merge-patch+json' });
    assert.equal(raw.status, 422);
    const status = raw.json();
    const m = /^ "" is invalid: patch: Invalid value: "(.*)": quantities must match/.exec(status.message);
    assert.ok(m, status.message);
    const patched = JSON.parse(JSON.parse(`"${m[1]}"`));
    assert.deepEqual(patched.spec, { hard: { memory: '1GB', pods: '10' } });
    assert.deepEqual(Object.keys(patched), [...Object.keys(patched)].sort(), 'the top level is re-encoded with sorted keys');
    assert.match(status.message, /\\"spec\\":\{\\"hard\\":\{\\"memory\\":\\"1GB\\",\\"pods\\":\\"10\\"\}\}/);
  });

  await t.test('json patch, and a pod container limit through kubectl', async () => {
    const raw = await apiRequest(server, 'PATCH', path, { body: '[{"op":"add","path":"/spec/hard/cpu","value":"1.5.5"}]', contentType: 'application/json-patch+json' });
    assert.equal(raw.status, 422);
    assert.match(raw.json().message, /^ "" is invalid: patch: Invalid value: "\{.*\\"hard\\":\{\\"cpu\\":\\"1\.5\.5\\",\\"pods\\":\\"10\\"\}.*": quantities must match/);
    await kubectl(server, ['run', 'p', '--image=nginx', '--restart=Never']);
    const r = await run(server, 'kubectl', ['patch', 'pod', 'p', '--type', 'merge', '-p', '{"spec":{"containers":[{"name":"p","resources":{"limits":{"cpu":"abc"}}}]}}']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /patch: Invalid value: ".*\\"containers\\":\[\{\\"name\\":\\"p\\",\\"resources\\":\{\\"limits\\":\{\\"cpu\\":\\"abc\\"\}\}\}\].*": quantities must match/);
    assert.equal((await kubectl(server, ['get', 'resourcequota', 'q', '-o', 'jsonpath={.spec.hard}'])), '{"pods":"10"}', 'nothing was stored');
  });
});
