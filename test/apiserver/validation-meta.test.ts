import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { validateObject } from '../../src/apiserver/validation/index.js';
import { fieldErrorMessage, toStatusCauses } from '../../src/api/field-errors.js';
import { invalid } from '../../src/api/status.js';

type Obj = Record<string, any>;

/** The errors as upstream prints them: `field: message`. */
function messages(group: string, kind: string, obj: Obj, old?: Obj): string[] {
  return validateObject(group, 'v1', kind, obj, old).map((e) => `${e.field}: ${fieldErrorMessage(e)}`);
}

const cm = (meta: Obj): Obj => ({ metadata: { namespace: 'default', ...meta }, data: {} });

describe('ObjectMeta', () => {
  test('a good object has no errors', () => {
    assert.deepEqual(messages('', 'ConfigMap', cm({ name: 'app-config', labels: { 'app.kubernetes.io/name': 'web' }, annotations: { 'example.com/x': 'y' } })), []);
  });
  test('label value error in upstream words', () => {
    assert.deepEqual(messages('', 'ConfigMap', cm({ name: 'c', labels: { app: '-bad' } })), [
      `metadata.labels: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ]);
  });
  test('label key error in upstream words', () => {
    assert.deepEqual(messages('', 'ConfigMap', cm({ name: 'c', labels: { '-bad': 'x' } })), [
      `metadata.labels: Invalid value: "-bad": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ]);
    assert.deepEqual(messages('', 'ConfigMap', cm({ name: 'c', labels: { 'Bad_Prefix/x': 'y' } })), [
      `metadata.labels: Invalid value: "Bad_Prefix/x": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
  });
  test('names per kind', () => {
    assert.deepEqual(messages('', 'ConfigMap', cm({ name: 'My_Config' })), [
      `metadata.name: Invalid value: "My_Config": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
    assert.deepEqual(messages('', 'Namespace', { metadata: { name: 'a.b' } }), [
      `metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]);
    const svc = { metadata: { name: '1web', namespace: 'default' }, spec: { type: 'ClusterIP', sessionAffinity: 'None', ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] } };
    assert.deepEqual(messages('', 'Service', svc), [
      `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ]);
    const role = { metadata: { name: 'system:controller:x', namespace: 'default' }, rules: [] };
    assert.deepEqual(messages('rbac.authorization.k8s.io', 'Role', role), []);
    assert.deepEqual(messages('rbac.authorization.k8s.io', 'Role', { ...role, metadata: { name: 'a/b', namespace: 'default' } }), [`metadata.name: Invalid value: "a/b": may not contain '/'`]);
  });
  test('name or generateName; generateName may end in a dash', () => {
    assert.deepEqual(messages('', 'ConfigMap', cm({})), ['metadata.name: Required value: name or generateName is required']);
    assert.deepEqual(messages('', 'ConfigMap', cm({ name: 'web-x1', generateName: 'web-' })), []);
  });
  test('namespace required or forbidden by scope', () => {
    assert.deepEqual(messages('', 'ConfigMap', { metadata: { name: 'c' } }), ['metadata.namespace: Required value']);
    assert.deepEqual(messages('', 'Namespace', { metadata: { name: 'x', namespace: 'default' } }), ['metadata.namespace: Forbidden: not allowed on this type']);
  });
  test('annotations are limited to 256 KiB in total', () => {
    assert.deepEqual(messages('', 'ConfigMap', cm({ name: 'c', annotations: { big: 'x'.repeat(262144) } })), ['metadata.annotations: Too long: may not be more than 262144 bytes']);
  });
  test('finalizers and owner references', () => {
    assert.deepEqual(messages('', 'ConfigMap', cm({ name: 'c', finalizers: ['example.com/x', 'bad name'] })).length, 1);
    const owner = (name: string) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: 'u-' + name, controller: true });
    const errs = messages('', 'ConfigMap', cm({ name: 'c', ownerReferences: [owner('a'), owner('b'), { apiVersion: '', kind: 'X', name: 'n', uid: 'u' }] }));
    assert.ok(errs.includes('metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty'), errs.join('\n'));
    assert.ok(errs.some((e) => e.endsWith('Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b')), errs.join('\n'));
  });
  test('updates: immutable name, uid, creationTimestamp; resourceVersion required', () => {
    const old = cm({ name: 'c', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z', resourceVersion: '5' });
    assert.deepEqual(messages('', 'ConfigMap', { ...old, metadata: { ...old.metadata } }, old), []);
    assert.deepEqual(messages('', 'ConfigMap', cm({ name: 'd', uid: 'u2', creationTimestamp: '2026-01-01T00:00:00Z', resourceVersion: '5' }), old), [
      'metadata.name: Invalid value: "d": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
    ]);
    assert.deepEqual(messages('', 'ConfigMap', cm({ name: 'c', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z' }), old), ['metadata.resourceVersion: Invalid value: "": must be specified for an update']);
  });
  test('no new finalizers while deleting', () => {
    const old = cm({ name: 'c', resourceVersion: '1', deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['a.io/x'] });
    const next = cm({ name: 'c', resourceVersion: '1', deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['a.io/x', 'b.io/y'] });
    assert.deepEqual(messages('', 'ConfigMap', next, old), ['metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}']);
  });
  test('Status message as the API server renders it', () => {
    const errs = validateObject('', 'v1', 'ConfigMap', cm({ name: 'c', labels: { a: '-x' } }));
    const err = invalid('', 'ConfigMap', 'c', toStatusCauses(errs));
    assert.match(err.message, /^ConfigMap "c" is invalid: metadata.labels: Invalid value: "-x": a valid label must be/);
    assert.equal(err.code, 422);
  });
});
