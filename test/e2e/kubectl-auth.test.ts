// Authentication and RBAC through kubectl: whoami, can-i, ServiceAccount tokens from
// `kubectl create token`, Forbidden in upstream's words, access granted by a RoleBinding, and review
// kinds created from files (validated by kubectl against /openapi/v2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, run, startApiServer } from '../helpers/apiserver.js';

test('kubectl auth against kumo apiserver', async (t) => {
  const server = await startApiServer(t);

  await t.test('auth whoami and can-i for the admin', async () => {
    const who = JSON.parse(await kubectl(server, ['auth', 'whoami', '-o', 'json']));
    assert.equal(who.kind, 'SelfSubjectReview');
    assert.equal(who.status.userInfo.username, 'kubernetes-admin');
    assert.deepEqual(who.status.userInfo.groups, ['system:masters', 'system:authenticated']);
    assert.equal((await kubectl(server, ['auth', 'can-i', 'delete', 'nodes'])).trim(), 'yes');
  });

  await t.test('create token gives a ServiceAccount JWT that authenticates as that account', async () => {
    await kubectl(server, ['create', 'namespace', 'team']);
    await kubectl(server, ['-n', 'team', 'create', 'serviceaccount', 'bot']);
    const token = (await kubectl(server, ['-n', 'team', 'create', 'token', 'bot', '--duration=1h'])).trim();
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    assert.equal(claims.sub, 'system:serviceaccount:team:bot');
    assert.equal(claims.exp - claims.iat, 3600);

    const asBot = (args: string[]) => run(server, 'kubectl', ['--token', token, ...args]);
    const who = await asBot(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    assert.equal(who.stdout, 'system:serviceaccount:team:bot');

    const denied = await asBot(['-n', 'team', 'get', 'pods']);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /Error from server \(Forbidden\): pods is forbidden: User "system:serviceaccount:team:bot" cannot list resource "pods" in API group "" in the namespace "team"/);
    assert.equal((await asBot(['-n', 'team', 'auth', 'can-i', 'list', 'pods'])).stdout.trim(), 'no');

    await kubectl(server, ['-n', 'team', 'create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods']);
    await kubectl(server, ['-n', 'team', 'create', 'rolebinding', 'bot-reads', '--role=pod-reader', '--serviceaccount=team:bot']);
    // RBAC reads roles from a watch-fed cache: allow the binding a moment to arrive.
    const deadline = Date.now() + 10_000;
    let allowed = await asBot(['-n', 'team', 'get', 'pods']);
    while (allowed.code !== 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      allowed = await asBot(['-n', 'team', 'get', 'pods']);
    }
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal((await asBot(['-n', 'team', 'auth', 'can-i', 'list', 'pods'])).stdout.trim(), 'yes');
    assert.equal((await asBot(['-n', 'default', 'auth', 'can-i', 'list', 'pods'])).stdout.trim(), 'no');
    const list = await asBot(['auth', 'can-i', '--list', '-n', 'team']);
    assert.match(list.stdout, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);

    // Deleting the ServiceAccount invalidates its tokens.
    await kubectl(server, ['-n', 'team', 'delete', 'serviceaccount', 'bot']);
    const revoked = await asBot(['-n', 'team', 'get', 'pods']);
    assert.notEqual(revoked.code, 0);
    assert.match(revoked.stderr, /Unauthorized/);
  });

  await t.test('create -f of review kinds validates against /openapi/v2 (they have no PATCH in v3) with no extra flags', async () => {
    const review = JSON.parse(await kubectl(server, ['create', '-f', '-', '-o', 'json'], { input: 'apiVersion: authentication.k8s.io/v1\nkind: TokenReview\nspec:\n  token: not-a-token\n' }));
    assert.equal(review.kind, 'TokenReview');
    assert.equal(review.status.authenticated, undefined);
    assert.equal(review.status.error, 'invalid bearer token');
    const sar = JSON.parse(
      await kubectl(server, ['create', '-f', '-', '-o', 'json'], {
        input: 'apiVersion: authorization.k8s.io/v1\nkind: SubjectAccessReview\nspec:\n  user: jane\n  groups: [system:masters]\n  resourceAttributes: {verb: delete, resource: nodes}\n',
      }),
    );
    assert.equal(sar.status.allowed, true);
    // kubectl validates these client-side against the v2 definitions, as it does with kube-apiserver.
    const bad = await run(server, 'kubectl', ['create', '-f', '-'], { input: 'apiVersion: authentication.k8s.io/v1\nkind: TokenReview\nspec:\n  tokn: x\n' });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /unknown field "tokn" in io\.k8s\.api\.authentication\.v1\.TokenReviewSpec/);
  });

  await t.test('impersonation with --as is checked by RBAC', async () => {
    const asJane = await run(server, 'kubectl', ['--as', 'jane', 'get', 'configmaps']);
    assert.notEqual(asJane.code, 0);
    assert.match(asJane.stderr, /User "jane" cannot list resource "configmaps" in API group "" in the namespace "default"/);
    const canI = await run(server, 'kubectl', ['auth', 'can-i', 'create', 'deployments', '--as', 'jane']);
    assert.equal(canI.code, 1);
    assert.equal(canI.stdout.trim(), 'no');
  });
});
