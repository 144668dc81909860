// The endpoint's SigV4 check against requests signed by @smithy/signature-v4 (what the SDK v3
// signs with): header and presigned forms, query strings with repeated keys and reserved
// characters, encoded path labels, bodies; any change to a signed part is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../src/aws/server/sha256.js';
import { parseSigV4, verifySignature, type Query, type WireRequest } from '../../src/aws/server/sigv4.js';

const creds = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

interface Case { method: string; path: string; query: Query; headers: Record<string, string>; body?: string }

const cases: Case[] = [
  { method: 'GET', path: '/clusters/my-cluster', query: {}, headers: { host: '127.0.0.1:4566', 'content-type': 'application/json' } },
  { method: 'GET', path: '/clusters', query: { maxResults: '10', include: ['b', 'a*'], nextToken: "x!'()* y=&+" }, headers: { host: 'localhost', 'x-amz-user-agent': 'a  b   c' } },
  { method: 'DELETE', path: '/tags/arn%3Aaws%3Aeks%3Aus-east-1%3A000000000000%3Acluster%2Fc1', query: { tagKeys: ['k2', 'k1'] }, headers: { host: 'localhost' } },
  { method: 'POST', path: '/', query: {}, headers: { host: 'localhost', 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetRole&RoleName=a%2Bb&Version=2010-05-08' },
  { method: 'POST', path: '/clusters', query: {}, headers: { host: 'localhost', 'content-type': 'application/json', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body: '{"name":"ü"}' },
  // A lone tab inside a value becomes one space, as the signer makes it.
  { method: 'GET', path: '/clusters/c2', query: {}, headers: { host: 'localhost', 'x-amz-user-agent': 'a\tb' } },
];

function wire(c: Case, path: string, query: Query, headers: Record<string, string>): WireRequest {
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = String(v);
  return { method: c.method, path, query, headers: lower, body: Buffer.from(c.body ?? '') };
}

test('header-signed requests verify; a changed path, query, header, body or secret does not', async () => {
  for (const [i, c] of cases.entries()) {
    const signer = new SignatureV4({ credentials: creds, region: 'us-east-1', service: i === 3 ? 'iam' : 'eks', sha256: NodeSha256 });
    const signed = await signer.sign({ method: c.method, protocol: 'http:', hostname: 'localhost', path: c.path, query: c.query, headers: { ...c.headers }, body: c.body });
    const w = wire(c, c.path, c.query, signed.headers as Record<string, string>);
    const auth = parseSigV4(w)!;
    assert.equal(verifySignature(w, auth, creds.secretAccessKey), true, `case ${i}`);
    assert.equal(verifySignature(w, auth, 'other-secret'), false);
    assert.equal(verifySignature({ ...w, path: c.path + 'x' }, auth, creds.secretAccessKey), false);
    assert.equal(verifySignature({ ...w, query: { ...w.query, extra: '1' } }, auth, creds.secretAccessKey), false);
    assert.equal(verifySignature({ ...w, headers: { ...w.headers, host: 'elsewhere' } }, auth, creds.secretAccessKey), false, `case ${i} host`);
    if (c.body && !c.headers['x-amz-content-sha256']) assert.equal(verifySignature({ ...w, body: Buffer.from(c.body + ' ') }, auth, creds.secretAccessKey), false);
  }
});

test('presigned URLs verify (with a session token, as aws eks get-token signs them); a changed signed header does not', async () => {
  const session = { ...creds, sessionToken: 'FwoGZXIvYXdzE+/token==' };
  const signer = new SignatureV4({ credentials: session, region: 'us-east-1', service: 'sts', sha256: NodeSha256 });
  const host = 'sts.us-east-1.amazonaws.com';
  const p = await signer.presign(
    { method: 'GET', protocol: 'https:', hostname: host, path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: { host, 'x-k8s-aws-id': 'c1' } },
    { expiresIn: 60 },
  );
  const c: Case = { method: 'GET', path: '/', query: p.query as Query, headers: { host, 'x-k8s-aws-id': 'c1' } };
  const w = wire(c, '/', p.query as Query, c.headers);
  const auth = parseSigV4(w)!;
  assert.equal(auth.securityToken, session.sessionToken);
  assert.equal(verifySignature(w, auth, creds.secretAccessKey), true);
  assert.equal(verifySignature({ ...w, headers: { ...w.headers, 'x-k8s-aws-id': 'c2' } }, auth, creds.secretAccessKey), false);
  assert.equal(verifySignature({ ...w, query: { ...w.query, 'X-Amz-Expires': '900' } }, auth, creds.secretAccessKey), false);
});
