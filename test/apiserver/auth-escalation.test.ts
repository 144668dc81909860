import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/status.js';
import {
  bootstrapPolicy,
  checkBindingWrite,
  checkRoleWrite,
  covers,
  RbacAuthorizer,
  type ClusterRole,
  type ClusterRoleBinding,
  type RbacSource,
  type RoleBinding,
  type UserInfo,
} from '../../src/apiserver/auth/index.js';

const policy = bootstrapPolicy();
const clusterRoles: ClusterRole[] = [
  ...policy.clusterRoles,
  { metadata: { name: 'binder' }, rules: [{ verbs: ['bind'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['cluster-admin'] }] },
  { metadata: { name: 'escalator' }, rules: [{ verbs: ['escalate'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'] }] },
];
const rb = (ns: string, name: string, role: string, user: string): RoleBinding => ({
  metadata: { name, namespace: ns },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
});
const roleBindings = [rb('dev', 'ann-admin', 'admin', 'ann'), rb('dev', 'bo-admin', 'admin', 'bo'), rb('dev', 'bo-binder', 'binder', 'bo'), rb('dev', 'cy-escalate', 'escalator', 'cy')];
const source: RbacSource = {
  getRole: () => undefined,
  getClusterRole: (name) => clusterRoles.find((r) => r.metadata.name === name),
  listRoleBindings: (ns) => roleBindings.filter((b) => b.metadata.namespace === ns),
  listClusterRoleBindings: () => policy.clusterRoleBindings,
};
const authorizer = new RbacAuthorizer(source);
const user = (name: string): UserInfo => ({ username: name, groups: ['system:authenticated'] });
const ann = user('ann');

function forbiddenWith(message: string) {
  return (e: unknown) => e instanceof ApiError && e.code === 403 && e.message === message;
}

describe('RBAC escalation prevention', () => {
  test('an admin of a namespace may create roles within their own permissions only', () => {
    const role = (rules: ClusterRole['rules']) => ({ metadata: { name: 'r', namespace: 'dev' }, rules });
    checkRoleWrite({ user: ann, authorizer, kind: 'Role', namespace: 'dev', role: role([{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'secrets'] }]) });
    assert.throws(
      () => checkRoleWrite({ user: ann, authorizer, kind: 'Role', namespace: 'dev', role: role([{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'nodes'] }]) }),
      forbiddenWith(
        'roles.rbac.authorization.k8s.io "r" is forbidden: user "ann" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["nodes"], Verbs:["get" "list"]}',
      ),
    );
    // Not in another namespace.
    assert.throws(() => checkRoleWrite({ user: ann, authorizer, kind: 'Role', namespace: 'prod', role: { metadata: { name: 'r', namespace: 'prod' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] } }), forbiddenWith(
      'roles.rbac.authorization.k8s.io "r" is forbidden: user "ann" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["get"]}',
    ));
  });

  test('the escalate verb and system:masters skip the check; so does a garbage-collector-only update', () => {
    const wide = { metadata: { name: 'wide', namespace: 'dev' }, rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] };
    checkRoleWrite({ user: user('cy'), authorizer, kind: 'Role', namespace: 'dev', role: wide });
    checkRoleWrite({ user: { username: 'root', groups: ['system:masters'] }, authorizer, kind: 'Role', namespace: 'dev', role: wide });
    const withFinalizer = { ...wide, metadata: { ...wide.metadata, finalizers: ['example.com/keep'] } };
    checkRoleWrite({ user: ann, authorizer, kind: 'Role', namespace: 'dev', role: withFinalizer, old: wide });
    assert.throws(() => checkRoleWrite({ user: ann, authorizer, kind: 'Role', namespace: 'dev', role: wide }), (e: unknown) => e instanceof ApiError && e.code === 403);
  });

  test('an aggregationRule needs full authority', () => {
    const agg: ClusterRole = { metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: 'y' } }] }, rules: [] };
    assert.throws(
      () => checkRoleWrite({ user: ann, authorizer, kind: 'ClusterRole', namespace: '', role: agg }),
      forbiddenWith('clusterroles.rbac.authorization.k8s.io "agg" is forbidden: must have cluster-admin privileges to use the aggregationRule'),
    );
  });

  test('bindings: holding the role\'s permissions or the bind verb', () => {
    checkBindingWrite({ user: ann, authorizer, kind: 'RoleBinding', namespace: 'dev', binding: rb('dev', 'x', 'edit', 'someone') });
    assert.throws(
      () => checkBindingWrite({ user: ann, authorizer, kind: 'RoleBinding', namespace: 'dev', binding: rb('dev', 'x', 'cluster-admin', 'someone') }),
      forbiddenWith(
        'rolebindings.rbac.authorization.k8s.io "x" is forbidden: user "ann" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:["*"], Resources:["*"], Verbs:["*"]}\n{NonResourceURLs:["*"], Verbs:["*"]}',
      ),
    );
    checkBindingWrite({ user: user('bo'), authorizer, kind: 'RoleBinding', namespace: 'dev', binding: rb('dev', 'x', 'cluster-admin', 'someone') });
    const crb: ClusterRoleBinding = { ...rb('', 'y', 'view', 'someone'), metadata: { name: 'y' } };
    assert.throws(() => checkBindingWrite({ user: ann, authorizer, kind: 'ClusterRoleBinding', namespace: '', binding: crb }), (e: unknown) => e instanceof ApiError && e.code === 403);
    assert.throws(
      () => checkBindingWrite({ user: ann, authorizer, kind: 'RoleBinding', namespace: 'dev', binding: rb('dev', 'z', 'no-such-role', 'someone') }),
      (e: unknown) => e instanceof ApiError && e.code === 400 && e.message === 'clusterrole.rbac.authorization.k8s.io "no-such-role" not found',
    );
  });

  test('coverage follows upstream: "*/scale", resourceNames and URL prefixes', () => {
    const owner = [
      { verbs: ['get'], apiGroups: ['apps'], resources: ['*/scale'] },
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      { verbs: ['get'], nonResourceURLs: ['/logs/*'] },
    ];
    assert.equal(covers(owner, [{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments/scale'] }]).covered, true);
    assert.equal(covers(owner, [{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] }]).covered, false);
    assert.equal(covers(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }]).covered, true);
    assert.equal(covers(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }]).covered, false);
    assert.equal(covers(owner, [{ verbs: ['get'], nonResourceURLs: ['/logs/kube'] }]).covered, true);
    assert.deepEqual(covers(owner, [{ verbs: ['get', 'put'], nonResourceURLs: ['/logs/x'] }]).missing, [{ nonResourceURLs: ['/logs/x'], verbs: ['put'] }]);
  });
});
