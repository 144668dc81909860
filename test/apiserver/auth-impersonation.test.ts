import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/status.js';
import { bootstrapPolicy, impersonate, RbacAuthorizer, type ClusterRole, type RbacSource, type RoleBinding, type UserInfo } from '../../src/apiserver/auth/index.js';

const policy = bootstrapPolicy();
const clusterRoles: ClusterRole[] = [
  ...policy.clusterRoles,
  { metadata: { name: 'impersonator' }, rules: [{ verbs: ['impersonate'], apiGroups: [''], resources: ['users', 'groups'] }, { verbs: ['impersonate'], apiGroups: ['authentication.k8s.io'], resources: ['uids', 'userextras/scopes'] }] },
];
const roleBindings: RoleBinding[] = [
  { metadata: { name: 'dev-edit', namespace: 'dev' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', name: 'dana' }] },
];
const clusterRoleBindings = [
  ...policy.clusterRoleBindings,
  { metadata: { name: 'impersonators' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'impersonator' }, subjects: [{ kind: 'User', name: 'ivy' }] },
];
const source: RbacSource = {
  getRole: () => undefined,
  getClusterRole: (name) => clusterRoles.find((r) => r.metadata.name === name),
  listRoleBindings: (ns) => roleBindings.filter((b) => b.metadata.namespace === ns),
  listClusterRoleBindings: () => clusterRoleBindings,
};
const authz = new RbacAuthorizer(source);
const admin: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const dana: UserInfo = { username: 'dana', groups: ['system:authenticated'] };
const ivy: UserInfo = { username: 'ivy', groups: ['system:authenticated'] };

describe('impersonation (kubectl --as)', () => {
  test('no headers, no impersonation', () => {
    assert.equal(impersonate(admin, { accept: 'application/json' }, authz), undefined);
  });

  test('a ServiceAccount gets its fixed groups; an admin may impersonate anyone', () => {
    assert.deepEqual(impersonate(admin, { 'impersonate-user': 'system:serviceaccount:dev:app' }, authz), {
      username: 'system:serviceaccount:dev:app',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated'],
    });
    assert.deepEqual(impersonate(admin, { 'impersonate-user': 'system:anonymous' }, authz), { username: 'system:anonymous', groups: ['system:unauthenticated'] });
  });

  test('groups, uid and extras are checked one by one', () => {
    const user = impersonate(
      ivy,
      { 'impersonate-user': 'bob', 'impersonate-group': ['devs', 'ops'], 'impersonate-uid': '1234', 'impersonate-extra-scopes': ['view', 'edit'] },
      authz,
    );
    assert.deepEqual(user, { username: 'bob', groups: ['devs', 'ops', 'system:authenticated'], uid: '1234', extra: { scopes: ['view', 'edit'] } });
    assert.throws(
      () => impersonate(ivy, { 'impersonate-user': 'bob', 'impersonate-extra-other': 'x' }, authz),
      (e: unknown) => e instanceof ApiError && e.code === 403 && e.message === 'userextras.authentication.k8s.io "x" is forbidden: User "ivy" cannot impersonate resource "userextras/other" in API group "authentication.k8s.io" at the cluster scope',
    );
  });

  test('edit may impersonate ServiceAccounts of its namespace only', () => {
    assert.equal(impersonate(dana, { 'impersonate-user': 'system:serviceaccount:dev:app' }, authz)?.username, 'system:serviceaccount:dev:app');
    assert.throws(
      () => impersonate(dana, { 'impersonate-user': 'system:serviceaccount:prod:app' }, authz),
      (e: unknown) => e instanceof ApiError && e.code === 403 && e.message === 'serviceaccounts "app" is forbidden: User "dana" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "prod"',
    );
    assert.throws(
      () => impersonate(dana, { 'impersonate-user': 'alice' }, authz),
      (e: unknown) => e instanceof ApiError && e.message === 'users "alice" is forbidden: User "dana" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
  });

  test('groups without a user are refused', () => {
    assert.throws(
      () => impersonate(admin, { 'impersonate-group': 'system:masters' }, authz),
      (e: unknown) => e instanceof ApiError && e.code === 500 && e.message === 'Internal error occurred: requested [{Group  system:masters    }] without impersonating a user',
    );
  });
});
