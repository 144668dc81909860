import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  aggregateClusterRoles,
  bootstrapPolicy,
  forbiddenError,
  forbiddenReason,
  RbacAuthorizer,
  type Attributes,
  type ClusterRole,
  type ClusterRoleBinding,
  type RbacSource,
  type Role,
  type RoleBinding,
  type UserInfo,
} from '../../src/apiserver/auth/index.js';

/** An RbacSource over plain arrays, as the server's watch-cache view would answer. */
class Policy implements RbacSource {
  clusterRoles: ClusterRole[];
  clusterRoleBindings: ClusterRoleBinding[];
  roles: Role[];
  roleBindings: RoleBinding[];
  constructor() {
    const p = bootstrapPolicy();
    this.clusterRoles = p.clusterRoles;
    this.clusterRoleBindings = p.clusterRoleBindings;
    this.roles = p.roles;
    this.roleBindings = p.roleBindings;
  }
  getRole(ns: string, name: string) {
    return this.roles.find((r) => r.metadata.namespace === ns && r.metadata.name === name);
  }
  getClusterRole(name: string) {
    return this.clusterRoles.find((r) => r.metadata.name === name);
  }
  listRoleBindings(ns: string) {
    return this.roleBindings.filter((b) => b.metadata.namespace === ns);
  }
  listClusterRoleBindings() {
    return this.clusterRoleBindings;
  }
  bind(ns: string, name: string, roleKind: 'Role' | 'ClusterRole', role: string, subjects: RoleBinding['subjects']) {
    this.roleBindings.push({ metadata: { name, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: role }, subjects });
  }
}

const sa = (ns: string, name: string): UserInfo => ({
  username: `system:serviceaccount:${ns}:${name}`,
  uid: 'u-1',
  groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
});
const res = (verb: string, resource: string, namespace = '', apiGroup = '', extra: Partial<Attributes> = {}): Attributes => ({
  verb,
  resource,
  namespace,
  apiGroup,
  resourceRequest: true,
  ...extra,
});

describe('RBAC matrix with the bootstrap roles', () => {
  const policy = new Policy();
  policy.bind('team-a', 'app-view', 'ClusterRole', 'view', [{ kind: 'ServiceAccount', name: 'app' }]);
  policy.bind('team-a', 'deployer-edit', 'ClusterRole', 'edit', [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }]);
  const authz = new RbacAuthorizer(policy);
  const app = sa('team-a', 'app');

  test('a ServiceAccount bound to view lists pods in its namespace only', () => {
    const d = authz.authorize(app, res('list', 'pods', 'team-a'));
    assert.equal(d.allowed, true);
    assert.equal(d.reason, 'RBAC: allowed by RoleBinding "app-view/team-a" of ClusterRole "view" to ServiceAccount "app/team-a"');
    assert.equal(authz.authorize(app, res('list', 'pods', 'team-b')).allowed, false);
    assert.equal(authz.authorize(app, res('list', 'pods')).allowed, false, 'a RoleBinding grants nothing cluster-wide');
  });

  test('view reads no secrets and writes nothing', () => {
    assert.equal(authz.authorize(app, res('get', 'secrets', 'team-a', '', { name: 'db' })).allowed, false);
    assert.equal(authz.authorize(app, res('create', 'pods', 'team-a')).allowed, false);
    assert.equal(authz.authorize(app, res('get', 'pods', 'team-a', '', { subresource: 'log', name: 'web' })).allowed, true);
    assert.equal(authz.authorize(app, res('create', 'pods', 'team-a', '', { subresource: 'exec', name: 'web' })).allowed, false);
  });

  test('edit creates deployments and secrets in the bound namespace, not rolebindings', () => {
    const deployer = sa('ci', 'deployer');
    assert.equal(authz.authorize(deployer, res('create', 'deployments', 'team-a', 'apps')).allowed, true);
    assert.equal(authz.authorize(deployer, res('patch', 'deployments', 'team-a', 'apps', { subresource: 'scale', name: 'web' })).allowed, true);
    assert.equal(authz.authorize(deployer, res('create', 'secrets', 'team-a')).allowed, true);
    assert.equal(authz.authorize(deployer, res('create', 'rolebindings', 'team-a', 'rbac.authorization.k8s.io')).allowed, false);
    assert.equal(authz.authorize(deployer, res('create', 'deployments', 'ci', 'apps')).allowed, false);
  });

  test('system:masters is allowed by the superuser check with an empty reason', () => {
    const admin: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
    assert.deepEqual(authz.authorize(admin, res('delete', 'nodes', '', '', { name: 'n1' })), { allowed: true, denied: false, reason: '' });
    // RBAC alone allows it too, through the cluster-admin binding.
    assert.equal(authz.authorizeRbac(admin, res('delete', 'nodes')).reason, 'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"');
  });

  test('non-resource URLs: discovery for the authenticated, public info for anyone', () => {
    const anon: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
    const url = (path: string): Attributes => ({ verb: 'get', resourceRequest: false, path });
    assert.equal(authz.authorize(anon, url('/healthz')).allowed, true);
    assert.equal(authz.authorize(anon, url('/version')).allowed, true);
    assert.equal(authz.authorize(anon, url('/api')).allowed, false);
    assert.equal(authz.authorize(app, url('/apis/apps/v1')).allowed, true, '/apis/* covers every group path');
    assert.equal(authz.authorize(app, url('/metrics')).allowed, false);
    assert.equal(authz.authorize(app, { verb: 'post', resourceRequest: false, path: '/healthz' }).allowed, false);
  });
});

describe('rule matching details', () => {
  const policy = new Policy();
  policy.clusterRoles.push({
    metadata: { name: 'scaler' },
    rules: [
      { verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] },
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] },
      { verbs: ['*'], apiGroups: ['batch'], resources: ['jobs'] },
    ],
  });
  policy.roles.push({ metadata: { name: 'local', namespace: 'ns1' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['services'] }] });
  policy.bind('ns1', 'scaler', 'ClusterRole', 'scaler', [{ kind: 'User', name: 'alice' }]);
  policy.bind('ns1', 'local', 'Role', 'local', [{ kind: 'Group', name: 'devs' }]);
  policy.clusterRoleBindings.push({
    metadata: { name: 'sa-everywhere' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'scaler' },
    subjects: [{ kind: 'ServiceAccount', name: 'robot', namespace: 'tools' }],
  });
  const authz = new RbacAuthorizer(policy);
  const alice: UserInfo = { username: 'alice', groups: ['system:authenticated'] };

  test('"*/scale" matches any resource\'s scale subresource but not the resource', () => {
    assert.equal(authz.authorize(alice, res('update', 'deployments', 'ns1', 'apps', { subresource: 'scale' })).allowed, true);
    assert.equal(authz.authorize(alice, res('update', 'statefulsets', 'ns1', 'apps', { subresource: 'scale' })).allowed, true);
    assert.equal(authz.authorize(alice, res('update', 'deployments', 'ns1', 'apps')).allowed, false);
    assert.equal(authz.authorize(alice, res('update', 'deployments', 'ns1', 'apps', { subresource: 'status' })).allowed, false);
  });

  test('resourceNames restrict by name; a list (no name) is not covered', () => {
    assert.equal(authz.authorize(alice, res('get', 'configmaps', 'ns1', '', { name: 'settings' })).allowed, true);
    assert.equal(authz.authorize(alice, res('get', 'configmaps', 'ns1', '', { name: 'other' })).allowed, false);
    assert.equal(authz.authorize(alice, res('get', 'configmaps', 'ns1')).allowed, false);
  });

  test('verb "*" and group matching', () => {
    assert.equal(authz.authorize(alice, res('deletecollection', 'jobs', 'ns1', 'batch')).allowed, true);
    assert.equal(authz.authorize(alice, res('delete', 'jobs', 'ns1', 'apps')).allowed, false);
  });

  test('Roles grant in their namespace; Group subjects match by group', () => {
    const bob: UserInfo = { username: 'bob', groups: ['devs', 'system:authenticated'] };
    assert.equal(authz.authorize(bob, res('get', 'services', 'ns1')).allowed, true);
    assert.equal(authz.authorize(bob, res('get', 'services', 'ns2')).allowed, false);
  });

  test('a ClusterRoleBinding to a ServiceAccount grants in every namespace and cluster-wide', () => {
    const robot = sa('tools', 'robot');
    const d = authz.authorize(robot, res('create', 'jobs', 'anywhere', 'batch'));
    assert.equal(d.reason, 'RBAC: allowed by ClusterRoleBinding "sa-everywhere" of ClusterRole "scaler" to ServiceAccount "robot/tools"');
    assert.equal(authz.authorize(robot, res('list', 'jobs', '', 'batch')).allowed, true);
    assert.equal(authz.authorize(sa('other', 'robot'), res('list', 'jobs', '', 'batch')).allowed, false);
  });

  test('a binding to a missing role explains the denial', () => {
    policy.bind('ns1', 'dangling', 'ClusterRole', 'does-not-exist', [{ kind: 'User', name: 'carol' }]);
    policy.bind('ns1', 'dangling-role', 'Role', 'nope', [{ kind: 'User', name: 'carol' }]);
    const carol: UserInfo = { username: 'carol', groups: ['system:authenticated'] };
    const d = authz.authorize(carol, res('get', 'pods', 'ns1'));
    assert.equal(d.allowed, false);
    assert.equal(d.reason, 'RBAC: [clusterrole.rbac.authorization.k8s.io "does-not-exist" not found, role.rbac.authorization.k8s.io "nope" not found]');
    const attrs = res('get', 'pods', 'ns1', '', { name: 'web' });
    assert.equal(
      forbiddenError(carol, attrs, d.reason).message,
      'pods "web" is forbidden: User "carol" cannot get resource "pods" in API group "" in the namespace "ns1": RBAC: [clusterrole.rbac.authorization.k8s.io "does-not-exist" not found, role.rbac.authorization.k8s.io "nope" not found]',
    );
  });
});

describe('Forbidden texts', () => {
  const user: UserInfo = { username: 'system:serviceaccount:default:app', groups: [] };

  test('namespaced, cluster-scoped, subresource and non-resource forms', () => {
    assert.equal(forbiddenReason(user, res('list', 'pods', 'default')), 'User "system:serviceaccount:default:app" cannot list resource "pods" in API group "" in the namespace "default"');
    assert.equal(forbiddenReason(user, res('list', 'nodes')), 'User "system:serviceaccount:default:app" cannot list resource "nodes" in API group "" at the cluster scope');
    assert.equal(
      forbiddenReason(user, res('create', 'pods', 'default', '', { subresource: 'eviction', name: 'web' })),
      'User "system:serviceaccount:default:app" cannot create resource "pods/eviction" in API group "" in the namespace "default"',
    );
    assert.equal(forbiddenReason(user, { verb: 'get', resourceRequest: false, path: '/foo' }), 'User "system:serviceaccount:default:app" cannot get path "/foo"');
  });

  test('the Status the server sends', () => {
    const list = forbiddenError(user, res('list', 'deployments', 'default', 'apps'));
    assert.equal(list.code, 403);
    assert.equal(list.reason, 'Forbidden');
    assert.equal(list.message, 'deployments.apps is forbidden: User "system:serviceaccount:default:app" cannot list resource "deployments" in API group "apps" in the namespace "default"');
    assert.equal(list.status.details?.kind, 'deployments');
    const get = forbiddenError(user, res('get', 'secrets', 'default', '', { name: 'db' }));
    assert.equal(get.message, 'secrets "db" is forbidden: User "system:serviceaccount:default:app" cannot get resource "secrets" in API group "" in the namespace "default"');
    assert.equal(get.status.details?.name, 'db');
    const path = forbiddenError(user, { verb: 'get', resourceRequest: false, path: '/metrics' });
    assert.equal(path.message, 'forbidden: User "system:serviceaccount:default:app" cannot get path "/metrics"');
    assert.equal(forbiddenError({ username: '<b>&', groups: [] }, { verb: 'get', resourceRequest: false, path: '/' }).message, 'forbidden: User "&lt;b&gt;&amp;" cannot get path "/"');
  });
});

describe('bootstrap policy and aggregation', () => {
  test('upstream roles and bindings with their labels and annotations', () => {
    const p = bootstrapPolicy();
    const names = p.clusterRoles.map((r) => r.metadata.name);
    for (const n of ['cluster-admin', 'admin', 'edit', 'view', 'system:basic-user', 'system:discovery', 'system:public-info-viewer', 'system:monitoring', 'system:node-proxier', 'system:kube-scheduler', 'system:kube-controller-manager', 'system:service-account-issuer-discovery', 'system:aggregate-to-view']) {
      assert.ok(names.includes(n), n);
    }
    for (const r of [...p.clusterRoles, ...p.clusterRoleBindings, ...p.roles, ...p.roleBindings]) {
      assert.equal(r.metadata.labels?.['kubernetes.io/bootstrapping'], 'rbac-defaults', r.metadata.name);
      assert.equal(r.metadata.annotations?.['rbac.authorization.kubernetes.io/autoupdate'], 'true', r.metadata.name);
    }
    const masters = p.clusterRoleBindings.find((b) => b.metadata.name === 'cluster-admin');
    assert.deepEqual(masters?.subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }]);
    assert.deepEqual(p.clusterRoles.find((r) => r.metadata.name === 'view')?.aggregationRule, {
      clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }],
    });
    assert.ok(p.roles.some((r) => r.metadata.namespace === 'kube-system' && r.metadata.name === 'extension-apiserver-authentication-reader'));
    // Copies: changing one result leaves the next untouched.
    p.clusterRoles[0].metadata.name = 'changed';
    assert.notEqual(bootstrapPolicy().clusterRoles[0].metadata.name, 'changed');
  });

  test('controller ServiceAccounts in kube-system hold their controllers\' roles', () => {
    const authz = new RbacAuthorizer(new Policy());
    const deploymentController = sa('kube-system', 'deployment-controller');
    const d = authz.authorize(deploymentController, res('create', 'replicasets', 'shop', 'apps'));
    assert.equal(d.reason, 'RBAC: allowed by ClusterRoleBinding "system:controller:deployment-controller" of ClusterRole "system:controller:deployment-controller" to ServiceAccount "deployment-controller/kube-system"');
    assert.equal(authz.authorize(deploymentController, res('delete', 'secrets', 'shop')).allowed, false);
    assert.equal(authz.authorize(sa('kube-system', 'horizontal-pod-autoscaler'), res('update', 'statefulsets', 'shop', 'apps', { subresource: 'scale', name: 'db' })).allowed, true);
    assert.equal(authz.authorize(sa('kube-system', 'generic-garbage-collector'), res('delete', 'widgets', 'shop', 'example.com')).allowed, true);
    assert.equal(authz.authorize(sa('default', 'generic-garbage-collector'), res('delete', 'widgets', 'shop', 'example.com')).allowed, false);
  });

  test('view includes pods, edit includes view, admin includes edit and the RBAC rules', () => {
    const p = bootstrapPolicy();
    const rules = (n: string) => p.clusterRoles.find((r) => r.metadata.name === n)?.rules ?? [];
    const has = (n: string, verb: string, group: string, resource: string) =>
      rules(n).some((r) => r.verbs.includes(verb) && (r.apiGroups ?? []).includes(group) && (r.resources ?? []).includes(resource));
    assert.ok(has('view', 'list', '', 'pods'));
    assert.ok(!has('view', 'get', '', 'secrets'));
    assert.ok(has('edit', 'list', '', 'pods') && has('edit', 'create', 'apps', 'deployments'));
    assert.ok(has('admin', 'create', 'apps', 'deployments') && has('admin', 'create', 'rbac.authorization.k8s.io', 'rolebindings'));
    assert.ok(!has('edit', 'create', 'rbac.authorization.k8s.io', 'rolebindings'));
  });

  test('a new aggregate-to-view role flows into view, edit and admin; nothing else changes', () => {
    const p = bootstrapPolicy();
    assert.deepEqual(aggregateClusterRoles(p.clusterRoles), [], 'the bootstrap roles are already aggregated');
    const crdViewer: ClusterRole = {
      metadata: { name: 'widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: ['example.com'], resources: ['widgets'] }],
    };
    const changed = aggregateClusterRoles([...p.clusterRoles, crdViewer]);
    assert.deepEqual(changed.map((r) => r.metadata.name).sort(), ['admin', 'edit', 'view']);
    for (const r of changed) assert.ok(r.rules?.some((x) => (x.resources ?? []).includes('widgets')), r.metadata.name);
    // The inputs are not modified.
    assert.ok(!p.clusterRoles.find((r) => r.metadata.name === 'view')?.rules?.some((x) => (x.resources ?? []).includes('widgets')));
  });

  test('matchExpressions selectors and removal of a source role', () => {
    const roles: ClusterRole[] = [
      { metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }] }, rules: [] },
      { metadata: { name: 'one', labels: { tier: 'a' } }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] },
      { metadata: { name: 'two', labels: { tier: 'c' } }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['nodes'] }] },
    ];
    const [agg] = aggregateClusterRoles(roles);
    assert.deepEqual(agg.rules, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]);
    const [emptied] = aggregateClusterRoles([agg, roles[2]]);
    assert.deepEqual(emptied.rules, []);
  });
});
