import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/status.js';
import {
  bootstrapPolicy,
  localSubjectAccessReview,
  RbacAuthorizer,
  selfSubjectAccessReview,
  selfSubjectRulesReview,
  subjectAccessReview,
  type ClusterRole,
  type RbacSource,
  type Role,
  type RoleBinding,
  type UserInfo,
} from '../../src/apiserver/auth/index.js';

const policy = bootstrapPolicy();
const roleBindings: RoleBinding[] = [
  ...policy.roleBindings,
  {
    metadata: { name: 'app-view', namespace: 'team-a' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'ServiceAccount', name: 'app' }],
  },
  {
    metadata: { name: 'cm-reader', namespace: 'team-a' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
    subjects: [{ kind: 'User', name: 'alice' }],
  },
];
const roles: Role[] = [...policy.roles, { metadata: { name: 'cm-reader', namespace: 'team-a' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] }] }];
const source: RbacSource = {
  getRole: (ns, name) => roles.find((r) => r.metadata.namespace === ns && r.metadata.name === name),
  getClusterRole: (name) => policy.clusterRoles.find((r: ClusterRole) => r.metadata.name === name),
  listRoleBindings: (ns) => roleBindings.filter((b) => b.metadata.namespace === ns),
  listClusterRoleBindings: () => policy.clusterRoleBindings,
};
const authz = new RbacAuthorizer(source);
const app: UserInfo = {
  username: 'system:serviceaccount:team-a:app',
  uid: 'u1',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:team-a', 'system:authenticated'],
};
const alice: UserInfo = { username: 'alice', groups: ['system:authenticated'] };

function invalidWith(message: string) {
  return (e: unknown) => e instanceof ApiError && e.code === 422 && e.message === message;
}

describe('SelfSubjectAccessReview (kubectl auth can-i)', () => {
  test('allowed with the granting binding, denied without a reason', () => {
    const body = {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { resourceAttributes: { namespace: 'team-a', verb: 'list', resource: 'pods' } },
      status: { allowed: false },
    };
    assert.deepEqual(selfSubjectAccessReview(app, body, authz), {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { resourceAttributes: { namespace: 'team-a', verb: 'list', resource: 'pods' } },
      status: { allowed: true, reason: 'RBAC: allowed by RoleBinding "app-view/team-a" of ClusterRole "view" to ServiceAccount "app/team-a"' },
    });
    const denied = selfSubjectAccessReview(app, { spec: { resourceAttributes: { namespace: 'team-b', verb: 'list', resource: 'pods' } } }, authz);
    assert.deepEqual(denied.status, { allowed: false });
    const url = selfSubjectAccessReview(app, { spec: { nonResourceAttributes: { path: '/apis', verb: 'get' } } }, authz);
    assert.deepEqual(url.status, { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"' });
  });

  test('exactly one kind of attributes', () => {
    assert.throws(
      () => selfSubjectAccessReview(app, { spec: {} }, authz),
      invalidWith('SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified'),
    );
    assert.throws(
      () => selfSubjectAccessReview(app, { spec: { resourceAttributes: { verb: 'get', resource: 'pods' }, nonResourceAttributes: { path: '/x', verb: 'get' } } }, authz),
      invalidWith(
        'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/x", Verb:"get"}: cannot be specified in combination with resourceAttributes',
      ),
    );
  });
});

describe('SubjectAccessReview and LocalSubjectAccessReview', () => {
  test('asks about another user, named by user, groups or both', () => {
    const out = subjectAccessReview(
      { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'alice', resourceAttributes: { namespace: 'team-a', verb: 'get', resource: 'configmaps', name: 'settings' } } },
      authz,
    );
    assert.deepEqual(out.status, { allowed: true, reason: 'RBAC: allowed by RoleBinding "cm-reader/team-a" of Role "cm-reader" to User "alice"' });
    assert.deepEqual(out.spec, { resourceAttributes: { namespace: 'team-a', verb: 'get', resource: 'configmaps', name: 'settings' }, user: 'alice' });
    const byGroup = subjectAccessReview({ spec: { groups: ['system:masters'], resourceAttributes: { verb: 'delete', resource: 'nodes' } } }, authz);
    assert.deepEqual(byGroup.status, { allowed: true });
    assert.throws(
      () => subjectAccessReview({ spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } }, authz),
      invalidWith('SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified'),
    );
  });

  test('the local form is pinned to its namespace', () => {
    const body = { spec: { user: 'alice', resourceAttributes: { namespace: 'team-a', verb: 'get', resource: 'configmaps', name: 'settings' } } };
    const out = localSubjectAccessReview('team-a', body, authz);
    assert.deepEqual(out.metadata, { namespace: 'team-a', creationTimestamp: null });
    assert.equal((out.status as { allowed: boolean }).allowed, true);
    assert.throws(
      () => localSubjectAccessReview('team-b', { spec: { user: 'alice', resourceAttributes: { namespace: 'team-a', verb: 'get', resource: 'configmaps' } } }, authz),
      invalidWith('LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "team-a": must match metadata.namespace'),
    );
    assert.throws(
      () => localSubjectAccessReview('team-a', { metadata: { namespace: 'team-b' }, spec: { user: 'alice', resourceAttributes: { namespace: 'team-a' } } }, authz),
      (e: unknown) => e instanceof ApiError && e.code === 400 && e.message === 'the namespace of the provided object does not match the namespace sent on the request',
    );
    assert.throws(
      () => localSubjectAccessReview('team-a', { spec: { user: 'alice', nonResourceAttributes: { path: '/healthz', verb: 'get' } } }, authz),
      invalidWith('LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/healthz", Verb:"get"}: disallowed on this kind of request'),
    );
  });
});

describe('SelfSubjectRulesReview (kubectl auth can-i --list)', () => {
  test('lists the rules from cluster-wide and namespace bindings', () => {
    const out = selfSubjectRulesReview(alice, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'team-a' } }, authz);
    assert.equal(out.kind, 'SelfSubjectRulesReview');
    assert.deepEqual(out.spec, {});
    const status = out.status as { resourceRules: object[]; nonResourceRules: object[]; incomplete: boolean };
    assert.equal(status.incomplete, false);
    assert.deepEqual(status.resourceRules, [
      { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
      { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] },
    ]);
    assert.ok(status.nonResourceRules.some((r) => JSON.stringify(r) === JSON.stringify({ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] })));
    // Elsewhere alice has only the cluster-wide rules.
    const other = selfSubjectRulesReview(alice, { spec: { namespace: 'team-b' } }, authz).status as { resourceRules: object[] };
    assert.equal(other.resourceRules.length, 2);
  });

  test('system:masters sees cluster-admin; a dangling binding is reported', () => {
    const admin: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
    const status = selfSubjectRulesReview(admin, { spec: { namespace: 'default' } }, authz).status as { resourceRules: object[]; nonResourceRules: object[] };
    assert.deepEqual(status.resourceRules[0], { verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
    assert.deepEqual(status.nonResourceRules[0], { verbs: ['*'], nonResourceURLs: ['*'] });
    roleBindings.push({ metadata: { name: 'gone', namespace: 'team-c' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'gone' }, subjects: [{ kind: 'User', name: 'alice' }] });
    const dangling = selfSubjectRulesReview(alice, { spec: { namespace: 'team-c' } }, authz).status as { evaluationError?: string };
    assert.equal(dangling.evaluationError, 'role.rbac.authorization.k8s.io "gone" not found');
    assert.throws(() => selfSubjectRulesReview(alice, { spec: {} }, authz), (e: unknown) => e instanceof ApiError && e.code === 400 && e.message === 'no namespace on request');
  });
});
