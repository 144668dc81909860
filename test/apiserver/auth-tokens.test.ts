import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { ApiError } from '../../src/api/status.js';
import { FakeClock } from '../../src/util/clock.js';
import {
  Authenticator,
  selfSubjectReview,
  ServiceAccountTokens,
  tokenReview,
  type LiveObject,
  type LivePod,
  type LiveSecret,
  type ServiceAccountLookup,
} from '../../src/apiserver/auth/index.js';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const START = Date.UTC(2026, 0, 1);
const NOW = START / 1000;

/** Live objects the way the server's cache would report them. */
class Objects implements ServiceAccountLookup {
  serviceAccounts = new Map<string, LiveObject>();
  pods = new Map<string, LivePod>();
  secrets = new Map<string, LiveSecret>();
  nodes = new Map<string, LiveObject>();
  getServiceAccount(ns: string, name: string) {
    return this.serviceAccounts.get(`${ns}/${name}`);
  }
  getPod(ns: string, name: string) {
    return this.pods.get(`${ns}/${name}`);
  }
  getSecret(ns: string, name: string) {
    return this.secrets.get(`${ns}/${name}`);
  }
  async getNode(name: string) {
    return this.nodes.get(name);
  }
}

async function rejects422(p: Promise<unknown>, message: string) {
  await assert.rejects(p, (e: unknown) => e instanceof ApiError && e.code === 422 && e.message === message);
}

describe('ServiceAccount tokens', () => {
  let dir: string;
  let tokens: ServiceAccountTokens;
  let objects: Objects;
  let clock: FakeClock;
  let authn: Authenticator;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kumo-auth-'));
    tokens = await ServiceAccountTokens.loadOrCreate(join(dir, 'keys'), ISSUER);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  function fresh() {
    objects = new Objects();
    objects.serviceAccounts.set('default/app', { uid: 'sa-uid-1' });
    clock = new FakeClock(START);
    authn = new Authenticator({ adminToken: 'admin-secret', serviceAccounts: tokens, lookup: objects, clock });
  }

  test('the key persists: a second loadOrCreate verifies the first one\'s tokens', async () => {
    fresh();
    const { token } = await tokens.issue({ namespace: 'default', name: 'app', uid: 'sa-uid-1', nowSeconds: NOW });
    const again = await ServiceAccountTokens.loadOrCreate(join(dir, 'keys'), ISSUER);
    assert.equal(again.keyId, tokens.keyId);
    assert.equal(again.publicKeyPem, tokens.publicKeyPem);
    const r = await again.verify(token, NOW);
    assert.equal(r.ok, true);
    const mode = (await stat(join(dir, 'keys', 'service-account.key'))).mode & 0o777;
    assert.equal(mode, 0o600);
    const other = await ServiceAccountTokens.loadOrCreate(join(dir, 'other-keys'), ISSUER);
    assert.notEqual(other.keyId, tokens.keyId);
    assert.deepEqual(await other.verify(token, NOW), { ok: false, ours: true, error: 'go-jose/go-jose: error in cryptographic primitive' });
  });

  test('claims and header follow upstream', async () => {
    const { token, expirationTimestamp } = await tokens.issue({ namespace: 'default', name: 'app', uid: 'sa-uid-1', nowSeconds: NOW });
    assert.equal(expirationTimestamp, '2026-01-01T01:00:00Z');
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'RS256', kid: tokens.keyId });
    const claims = decodeJwt(token);
    assert.deepEqual(Object.keys(claims), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
    assert.deepEqual(claims.aud, [ISSUER]);
    assert.equal(claims.iss, ISSUER);
    assert.equal(claims.sub, 'system:serviceaccount:default:app');
    assert.equal(claims.iat, NOW);
    assert.equal(claims.nbf, NOW);
    assert.equal(claims.exp, NOW + 3600);
    assert.match(String(claims.jti), /^[0-9a-f-]{36}$/);
    assert.deepEqual(claims['kubernetes.io'], { namespace: 'default', serviceaccount: { name: 'app', uid: 'sa-uid-1' } });
  });

  test('the JWKS verifies issued tokens (what an OIDC relying party does)', async () => {
    const { token } = await tokens.issue({ namespace: 'default', name: 'app', uid: 'sa-uid-1', audiences: ['sts.amazonaws.com'], nowSeconds: Date.now() / 1000 });
    const jwks = tokens.jwks();
    assert.equal(jwks.keys[0].kid, tokens.keyId);
    assert.equal(jwks.keys[0].use, 'sig');
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as never), { issuer: ISSUER, audience: 'sts.amazonaws.com' });
    assert.equal(payload.sub, 'system:serviceaccount:default:app');
    assert.deepEqual(tokens.openIdConfiguration(), {
      issuer: ISSUER,
      jwks_uri: `${ISSUER}/openid/v1/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  test('expirations under 10 minutes are refused in TokenRequest\'s words', async () => {
    await rejects422(
      tokens.issue({ namespace: 'default', name: 'app', uid: 'sa-uid-1', expirationSeconds: 599, nowSeconds: NOW }),
      'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
    );
  });

  test('admin token, anonymous requests and garbage', async () => {
    fresh();
    assert.deepEqual(await authn.authenticate('Bearer admin-secret'), { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] });
    assert.deepEqual(await authn.authenticate('bearer admin-secret'), { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] });
    assert.deepEqual(await authn.authenticate(undefined), { username: 'system:anonymous', groups: ['system:unauthenticated'] });
    assert.deepEqual(await authn.authenticateRequest('Bearer nope'), { error: 'invalid bearer token' });
    assert.equal(await authn.authenticate('Bearer admin-secretx'), undefined);
    // An unsigned token naming our issuer is simply not one of ours.
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${b64({ alg: 'none' })}.${b64({ iss: ISSUER, sub: 'system:serviceaccount:default:app', aud: [ISSUER] })}.`;
    assert.deepEqual(await authn.authenticateRequest(`Bearer ${unsigned}`), { error: 'invalid bearer token' });
    const closed = new Authenticator({ adminToken: 'admin-secret', serviceAccounts: tokens, lookup: objects, anonymous: false });
    assert.equal(await closed.authenticate(undefined), undefined);
    assert.equal(await closed.authenticate('Basic dXNlcjpwYXNz'), undefined);
  });

  test('extra token authenticators run after the built-in ones; their errors are reported', async () => {
    fresh();
    const eks = {
      async authenticateToken(token: string, audiences: string[]) {
        if (!token.startsWith('k8s-aws-v1.')) return undefined;
        if (token === 'k8s-aws-v1.expired') return { error: 'token is expired' };
        return { user: { username: 'arn:aws:iam::111122223333:role/dev', groups: ['dev'] }, audiences };
      },
    };
    const withEks = new Authenticator({ adminToken: 'admin-secret', serviceAccounts: tokens, lookup: objects, clock, tokenAuthenticators: [eks] });
    assert.deepEqual(await withEks.authenticate('Bearer k8s-aws-v1.good'), { username: 'arn:aws:iam::111122223333:role/dev', groups: ['dev', 'system:authenticated'] });
    assert.deepEqual(await withEks.authenticateRequest('Bearer k8s-aws-v1.expired'), { error: '[invalid bearer token, token is expired]' });
    assert.equal((await withEks.authenticate('Bearer admin-secret'))?.username, 'kubernetes-admin');
  });

  test('a ServiceAccount token authenticates until it expires (with upstream\'s 60 s leeway)', async () => {
    fresh();
    const { token, claims } = await tokens.issue({ namespace: 'default', name: 'app', uid: 'sa-uid-1', nowSeconds: NOW });
    assert.deepEqual(await authn.authenticate(`Bearer ${token}`), {
      username: 'system:serviceaccount:default:app',
      uid: 'sa-uid-1',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`] },
    });
    clock.advance((3600 + 60) * 1000);
    assert.ok(await authn.authenticate(`Bearer ${token}`), 'still inside the leeway');
    clock.advance(1000);
    assert.deepEqual(await authn.authenticateRequest(`Bearer ${token}`), { error: '[invalid bearer token, service account token has expired]' });
  });

  test('tokens for other audiences are refused', async () => {
    fresh();
    const { token } = await tokens.issue({ namespace: 'default', name: 'app', uid: 'sa-uid-1', audiences: ['vault'], nowSeconds: NOW });
    assert.deepEqual(await authn.authenticateRequest(`Bearer ${token}`), {
      error: '[invalid bearer token, token audiences ["vault"] is invalid for the target audiences ["https://kubernetes.default.svc.cluster.local"]]',
    });
    const asVault = await authn.authenticateToken(token, ['vault']);
    assert.equal(asVault.user?.username, 'system:serviceaccount:default:app');
    assert.deepEqual(asVault.audiences, ['vault']);
  });

  test('deleting or recreating the ServiceAccount invalidates its tokens', async () => {
    fresh();
    const { token } = await tokens.issue({ namespace: 'default', name: 'app', uid: 'sa-uid-1', nowSeconds: NOW });
    objects.serviceAccounts.set('default/app', { uid: 'sa-uid-2' });
    assert.deepEqual(await authn.authenticateRequest(`Bearer ${token}`), { error: '[invalid bearer token, service account UID (sa-uid-2) does not match claim (sa-uid-1)]' });
    objects.serviceAccounts.delete('default/app');
    assert.deepEqual(await authn.authenticateRequest(`Bearer ${token}`), { error: '[invalid bearer token, serviceaccounts "app" not found]' });
    // Being deleted: still valid for the leeway, then not.
    objects.serviceAccounts.set('default/app', { uid: 'sa-uid-1', deletionTimestamp: new Date(START).toISOString() });
    assert.ok(await authn.authenticate(`Bearer ${token}`));
    clock.advance(61_000);
    assert.deepEqual(await authn.authenticateRequest(`Bearer ${token}`), { error: '[invalid bearer token, service account default/app has been deleted]' });
  });

  test('pod-bound tokens carry pod and node, and die with the pod', async () => {
    fresh();
    objects.pods.set('default/web-0', { uid: 'pod-uid-1', nodeName: 'node-a', serviceAccountName: 'app' });
    objects.nodes.set('node-a', { uid: 'node-uid-1' });
    const { object } = await tokens.tokenRequest(
      { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'web-0', uid: 'pod-uid-1' } } },
      { namespace: 'default', name: 'app', uid: 'sa-uid-1' },
      { nowSeconds: NOW, lookup: objects },
    );
    const token = (object.status as { token: string }).token;
    assert.deepEqual(decodeJwt(token)['kubernetes.io'], {
      namespace: 'default',
      node: { name: 'node-a', uid: 'node-uid-1' },
      pod: { name: 'web-0', uid: 'pod-uid-1' },
      serviceaccount: { name: 'app', uid: 'sa-uid-1' },
    });
    const user = await authn.authenticate(`Bearer ${token}`);
    assert.deepEqual(user?.extra?.['authentication.kubernetes.io/pod-name'], ['web-0']);
    assert.deepEqual(user?.extra?.['authentication.kubernetes.io/pod-uid'], ['pod-uid-1']);
    assert.deepEqual(user?.extra?.['authentication.kubernetes.io/node-name'], ['node-a']);
    assert.deepEqual(user?.extra?.['authentication.kubernetes.io/node-uid'], ['node-uid-1']);
    // The node going away does not matter to a pod-bound token; the pod going away does.
    objects.nodes.delete('node-a');
    assert.ok(await authn.authenticate(`Bearer ${token}`));
    objects.pods.set('default/web-0', { uid: 'pod-uid-2', serviceAccountName: 'app' });
    assert.deepEqual(await authn.authenticateRequest(`Bearer ${token}`), { error: '[invalid bearer token, pod UID (pod-uid-2) does not match service account pod ref claim (pod-uid-1)]' });
    objects.pods.delete('default/web-0');
    assert.deepEqual(await authn.authenticateRequest(`Bearer ${token}`), { error: '[invalid bearer token, service account token has been invalidated]' });
  });

  test('node- and secret-bound tokens die with their object', async () => {
    fresh();
    objects.nodes.set('node-b', { uid: 'node-uid-b' });
    objects.secrets.set('default/s1', { uid: 'secret-uid-1' });
    const sa = { namespace: 'default', name: 'app', uid: 'sa-uid-1' };
    const nodeTok = (await tokens.issue({ ...sa, boundObject: { kind: 'Node', name: 'node-b', uid: 'node-uid-b' }, nowSeconds: NOW })).token;
    const secretTok = (await tokens.issue({ ...sa, boundObject: { kind: 'Secret', name: 's1', uid: 'secret-uid-1' }, nowSeconds: NOW })).token;
    assert.deepEqual((await authn.authenticate(`Bearer ${nodeTok}`))?.extra?.['authentication.kubernetes.io/node-name'], ['node-b']);
    assert.ok(await authn.authenticate(`Bearer ${secretTok}`));
    objects.nodes.delete('node-b');
    objects.secrets.set('default/s1', { uid: 'secret-uid-2' });
    assert.deepEqual(await authn.authenticateRequest(`Bearer ${nodeTok}`), { error: '[invalid bearer token, service account token has been invalidated]' });
    assert.deepEqual(await authn.authenticateRequest(`Bearer ${secretTok}`), {
      error: '[invalid bearer token, secret UID (secret-uid-2) does not match service account secret ref claim (secret-uid-1)]',
    });
  });
});

describe('Secret-based (legacy) tokens', () => {
  let dir: string;
  let tokens: ServiceAccountTokens;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kumo-auth-'));
    tokens = await ServiceAccountTokens.loadOrCreate(dir, ISSUER);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('valid while the Secret holds the token and the ServiceAccount lives; no expiry', async () => {
    const objects = new Objects();
    objects.serviceAccounts.set('ci/deployer', { uid: 'sa-uid-7' });
    const authn = new Authenticator({ adminToken: 'a', serviceAccounts: tokens, lookup: objects, clock: new FakeClock(START) });
    const token = await tokens.issueLegacy({ namespace: 'ci', name: 'deployer', uid: 'sa-uid-7', secretName: 'deployer-token' });
    assert.deepEqual(decodeJwt(token), {
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': 'ci',
      'kubernetes.io/serviceaccount/secret.name': 'deployer-token',
      'kubernetes.io/serviceaccount/service-account.name': 'deployer',
      'kubernetes.io/serviceaccount/service-account.uid': 'sa-uid-7',
      sub: 'system:serviceaccount:ci:deployer',
    });
    const bearer = `Bearer ${token}`;
    assert.deepEqual(await authn.authenticateRequest(bearer), { error: '[invalid bearer token, Token has been invalidated]' });
    objects.secrets.set('ci/deployer-token', { uid: 's1', token });
    assert.deepEqual(await authn.authenticateRequest(bearer), {
      user: { username: 'system:serviceaccount:ci:deployer', uid: 'sa-uid-7', groups: ['system:serviceaccounts', 'system:serviceaccounts:ci', 'system:authenticated'] },
      audiences: [ISSUER],
    });
    assert.deepEqual(await authn.authenticateToken(token, ['vault']), {
      error: '[invalid bearer token, token audiences ["https://kubernetes.default.svc.cluster.local"] is invalid for the target audiences ["vault"]]',
    });
    objects.serviceAccounts.set('ci/deployer', { uid: 'sa-uid-8' });
    assert.deepEqual(await authn.authenticateRequest(bearer), { error: '[invalid bearer token, ServiceAccount UID (sa-uid-8) does not match claim (sa-uid-7)]' });
    objects.serviceAccounts.set('ci/deployer', { uid: 'sa-uid-7' });
    objects.secrets.set('ci/deployer-token', { uid: 's1', token: 'rotated' });
    assert.deepEqual(await authn.authenticateRequest(bearer), { error: "[invalid bearer token, Token does not match server's copy]" });
    objects.secrets.set('ci/deployer-token', { uid: 's1', token, labels: { 'kubernetes.io/legacy-token-invalid-since': '2026-01-01' } });
    assert.deepEqual(await authn.authenticateRequest(bearer), { error: '[invalid bearer token, Token has been invalidated]' });
  });
});

describe('TokenRequest', () => {
  let dir: string;
  let tokens: ServiceAccountTokens;
  const objects = new Objects();
  const sa = { namespace: 'default', name: 'app', uid: 'sa-uid-1' };
  objects.serviceAccounts.set('default/app', { uid: 'sa-uid-1' });
  objects.pods.set('default/web-0', { uid: 'pod-uid-1', serviceAccountName: 'app' });
  objects.pods.set('default/other', { uid: 'pod-uid-9', serviceAccountName: 'builder' });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kumo-auth-'));
    tokens = await ServiceAccountTokens.loadOrCreate(dir, ISSUER);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('what `kubectl create token app` gets back', async () => {
    const { object, warnings } = await tokens.tokenRequest({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { creationTimestamp: null }, spec: {} }, sa, {
      nowSeconds: NOW,
      lookup: objects,
    });
    assert.deepEqual(warnings, []);
    const status = object.status as { token: string; expirationTimestamp: string };
    assert.deepEqual({ ...object, status: { ...status, token: '<jwt>' } }, {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: 'app', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { audiences: [ISSUER], boundObjectRef: null, expirationSeconds: 3600 },
      status: { token: '<jwt>', expirationTimestamp: '2026-01-01T01:00:00Z' },
    });
    assert.equal(decodeJwt(status.token).exp, NOW + 3600);
  });

  test('--duration and --audience', async () => {
    const { object } = await tokens.tokenRequest({ spec: { audiences: ['sts.amazonaws.com'], expirationSeconds: 86400 } }, sa, { nowSeconds: NOW, lookup: objects });
    const claims = decodeJwt((object.status as { token: string }).token);
    assert.deepEqual(claims.aud, ['sts.amazonaws.com']);
    assert.equal(claims.exp, NOW + 86400);
    assert.equal((object.status as { expirationTimestamp: string }).expirationTimestamp, '2026-01-02T00:00:00Z');
  });

  test('validation and bound-object errors in upstream\'s words', async () => {
    const opts = { nowSeconds: NOW, lookup: objects };
    await rejects422(
      tokens.tokenRequest({ spec: { expirationSeconds: 60 } }, sa, opts),
      'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
    );
    await rejects422(
      tokens.tokenRequest({ metadata: { name: 'other' }, spec: {} }, sa, opts),
      'TokenRequest.authentication.k8s.io "app" is invalid: metadata.name: Invalid value: "other": must match the service account name if specified',
    );
    const fails = async (spec: unknown, code: number, message: string) =>
      assert.rejects(tokens.tokenRequest({ spec }, sa, opts), (e: unknown) => e instanceof ApiError && e.code === code && e.message === message);
    await fails({ boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'ghost' } }, 404, 'pods "ghost" not found');
    await fails(
      { boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'other' } },
      400,
      'cannot bind token for serviceaccount "app" to pod running with different serviceaccount name.',
    );
    await fails(
      { boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'web-0', uid: 'stale' } },
      409,
      'Operation cannot be fulfilled on Pod "web-0": the UID in the bound object reference (stale) does not match the UID in record. The object might have been deleted and then recreated',
    );
    await fails({ boundObjectRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } }, 400, 'cannot bind token to object of type apps/v1, Kind=Deployment');
    await fails({ boundObjectRef: { apiVersion: 'v1', kind: 'ConfigMap', name: 'c' } }, 400, 'cannot bind token to object of type /v1, Kind=ConfigMap');
  });

  test('kubelet-style pod tokens (3607 s) live a year and warn after 3607 s; a maximum shortens with a warning', async () => {
    const { object } = await tokens.tokenRequest({ spec: { expirationSeconds: 3607, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'web-0' } } }, sa, {
      nowSeconds: NOW,
      lookup: objects,
    });
    const claims = decodeJwt((object.status as { token: string }).token);
    assert.equal(claims.exp, NOW + 365 * 24 * 3600);
    assert.equal((claims['kubernetes.io'] as { warnafter: number }).warnafter, NOW + 3607);
    assert.equal((object.status as { expirationTimestamp: string }).expirationTimestamp, '2026-01-01T01:00:07Z');
    const capped = await tokens.tokenRequest({ spec: { expirationSeconds: 7200 } }, sa, { nowSeconds: NOW, lookup: objects, maxExpirationSeconds: 3600 });
    assert.deepEqual(capped.warnings, ['requested expiration of 7200 seconds shortened to 3600 seconds']);
    assert.equal((capped.object.spec as { expirationSeconds: number }).expirationSeconds, 3600);
  });
});

describe('authentication reviews', () => {
  let dir: string;
  let tokens: ServiceAccountTokens;
  let authn: Authenticator;
  const objects = new Objects();
  objects.serviceAccounts.set('default/app', { uid: 'sa-uid-1' });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kumo-auth-'));
    tokens = await ServiceAccountTokens.loadOrCreate(dir, ISSUER);
    authn = new Authenticator({ adminToken: 'admin-secret', serviceAccounts: tokens, lookup: objects, clock: new FakeClock(START) });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('TokenReview of a valid, an expired and an unknown token', async () => {
    const { token, claims } = await tokens.issue({ namespace: 'default', name: 'app', uid: 'sa-uid-1', nowSeconds: NOW });
    assert.deepEqual(await tokenReview({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } }, authn), {
      kind: 'TokenReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { token },
      status: {
        authenticated: true,
        user: {
          username: 'system:serviceaccount:default:app',
          uid: 'sa-uid-1',
          groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
          extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`] },
        },
        audiences: [ISSUER],
      },
    });
    const old = (await tokens.issue({ namespace: 'default', name: 'app', uid: 'sa-uid-1', nowSeconds: NOW - 7200 })).token;
    assert.deepEqual((await tokenReview({ spec: { token: old } }, authn)).status, { user: {}, error: '[invalid bearer token, service account token has expired]' });
    assert.deepEqual((await tokenReview({ spec: { token: 'x' } }, authn)).status, { user: {}, error: 'invalid bearer token' });
    // The admin token is valid only for the API server's own audience.
    assert.deepEqual((await tokenReview({ spec: { token: 'admin-secret', audiences: ['vault'] } }, authn)).status, { user: {}, error: 'invalid bearer token' });
  });

  test('TokenReview input errors', async () => {
    await assert.rejects(tokenReview({ spec: {} }, authn), (e: unknown) => e instanceof ApiError && e.code === 400 && e.message === 'token is required for TokenReview in authentication');
    await assert.rejects(tokenReview({ spec: { token: 'x' } }, authn, 'default'), (e: unknown) => e instanceof ApiError && e.message === 'namespace is not allowed on this type: default');
  });

  test('SelfSubjectReview (kubectl auth whoami)', async () => {
    const user = await authn.authenticate('Bearer admin-secret');
    assert.ok(user);
    assert.deepEqual(selfSubjectReview(user, NOW), {
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: '2026-01-01T00:00:00Z' },
      status: { userInfo: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] } },
    });
  });
});
