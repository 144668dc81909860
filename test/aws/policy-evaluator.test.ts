// The IAM policy evaluator: parsing errors and decision tables.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, evaluateTrust, parsePolicy, type Decision, type RequestContext } from '../../src/aws/iam/policy/index.js';

const user = { type: 'AWS' as const, ids: ['arn:aws:iam::000000000000:user/alice'], accountId: '000000000000' };
const pol = (...Statement: unknown[]) => parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement }), 'identity');
const req = (action: string, resource: string, context: RequestContext['context'] = {}): RequestContext => ({ principal: user, action, resource, context });

describe('parsePolicy refuses malformed documents with IAM messages', () => {
  const cases: [string, unknown, 'identity' | 'trust', string][] = [
    ['invalid JSON', '{', 'identity', 'Syntax errors in policy.'],
    ['bad version', { Version: '2012-10-18', Statement: [] }, 'identity', 'The policy failed legacy parsing'],
    ['no effect', { Version: '2012-10-17', Statement: { Action: 's3:*', Resource: '*' } }, 'identity', 'Missing required field Effect'],
    ['no action', { Version: '2012-10-17', Statement: { Effect: 'Allow', Resource: '*' } }, 'identity', 'Policy statement must contain actions.'],
    ['no resource', { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*' } }, 'identity', 'Policy statement must contain resources.'],
    ['principal in identity policy', { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*', Principal: '*' } }, 'identity', 'Policy document should not specify a principal.'],
    ['resource in trust policy', { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Principal: '*' } }, 'trust', 'Has prohibited field Resource'],
    ['action without vendor', { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'GetObject', Resource: '*' } }, 'identity', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    ['wildcard vendor', { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's*:GetObject', Resource: '*' } }, 'identity', 'Action vendors must not contain wildcards.'],
    ['resource not an ARN', { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*', Resource: 'bucket' } }, 'identity', 'Resource bucket must be in ARN format or "*".'],
    ['unknown operator', { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEqualz: { 'aws:username': 'a' } } } }, 'identity', 'Invalid Condition type : StringEqualz'],
    ['duplicate Sid', { Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Sid: 'A', Effect: 'Deny', Action: 's3:*', Resource: '*' }] }, 'identity', 'Statement IDs (SID) in a single policy must be unique.'],
  ];
  for (const [name, doc, kind, message] of cases) {
    test(name, () => {
      assert.throws(() => parsePolicy(typeof doc === 'string' ? doc : JSON.stringify(doc), kind), { code: 'MalformedPolicyDocument', message });
    });
  }
});

describe('evaluate', () => {
  const table: [string, RequestContext, Decision, ReturnType<typeof pol>[]][] = [
    ['default deny', req('s3:GetObject', 'arn:aws:s3:::b/k'), 'ImplicitDeny', []],
    ['allow with case-insensitive action wildcard', req('EKS:DescribeCluster', 'arn:aws:eks:us-east-1:000000000000:cluster/a'), 'Allow', [pol({ Effect: 'Allow', Action: 'eks:Describe*', Resource: '*' })]],
    ['? matches one character', req('eks:ListClusters', '*'), 'ImplicitDeny', [pol({ Effect: 'Allow', Action: 'eks:List?', Resource: '*' })]],
    ['explicit deny wins', req('iam:CreateRole', 'arn:aws:iam::000000000000:role/x'), 'ExplicitDeny', [pol({ Effect: 'Allow', Action: '*', Resource: '*' }), pol({ Effect: 'Deny', Action: 'iam:*', Resource: '*' })]],
    ['NotAction', req('iam:CreateRole', '*'), 'ImplicitDeny', [pol({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })]],
    ['NotResource', req('s3:GetObject', 'arn:aws:s3:::secret/k'), 'ImplicitDeny', [pol({ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*' })]],
    ['ARN resource of another name', req('eks:DescribeCluster', 'arn:aws:eks:us-east-1:000000000000:cluster/a'), 'ImplicitDeny', [pol({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:eks:*:000000000000:cluster/b*' })]],
    ['ARN field wildcards', req('eks:DescribeCluster', 'arn:aws:eks:us-east-1:000000000000:cluster/a'), 'Allow', [pol({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:eks:*:*:cluster/*' })]],
    ['${aws:username} variable', req('s3:GetObject', 'arn:aws:s3:::home/alice/x', { 'aws:username': 'alice' }), 'Allow', [pol({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' })]],
    ['variable of another user', req('s3:GetObject', 'arn:aws:s3:::home/bob/x', { 'aws:username': 'alice' }), 'ImplicitDeny', [pol({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' })]],
    ['${*} is a literal star', req('s3:GetObject', 'arn:aws:s3:::b/x', {}), 'ImplicitDeny', [pol({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/${*}' })]],
    ['variable default', req('s3:GetObject', 'arn:aws:s3:::b/none', {}), 'Allow', [pol({ Effect: 'Allow', Action: 's3:*', Resource: "arn:aws:s3:::b/${aws:username, 'none'}" })]],
    ['principal tag variable in a condition', req('ec2:StartInstances', '*', { 'aws:PrincipalTag/team': 'a', 'ec2:ResourceTag/team': 'a' }), 'Allow', [pol({ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { StringEquals: { 'ec2:ResourceTag/team': '${aws:PrincipalTag/team}' } } })]],
    ['StringNotEquals on a missing key holds', req('s3:GetObject', '*', {}), 'Allow', [pol({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } } })]],
    ['StringEquals on a missing key fails', req('s3:GetObject', '*', {}), 'ImplicitDeny', [pol({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } })]],
    ['...IfExists on a missing key holds', req('s3:GetObject', '*', {}), 'Allow', [pol({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEqualsIfExists: { 'aws:RequestedRegion': 'eu-west-1' } } })]],
    ['StringEqualsIgnoreCase', req('s3:GetObject', '*', { 'aws:RequestedRegion': 'EU-west-1' }), 'Allow', [pol({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEqualsIgnoreCase: { 'aws:requestedregion': 'eu-west-1' } } })]],
    ['StringLike', req('s3:GetObject', '*', { 's3:prefix': 'home/alice/docs' }), 'Allow', [pol({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringLike: { 's3:prefix': ['other/*', 'home/*'] } } })]],
    ['StringNotLike', req('s3:GetObject', '*', { 's3:prefix': 'home/alice' }), 'ImplicitDeny', [pol({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringNotLike: { 's3:prefix': 'home/*' } } })]],
    ['Bool', req('s3:GetObject', '*', { 'aws:MultiFactorAuthPresent': 'true' }), 'Allow', [pol({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': true } } })]],
    ['NumericLessThan', req('s3:ListBucket', '*', { 's3:max-keys': '20' }), 'ImplicitDeny', [pol({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { NumericLessThan: { 's3:max-keys': '10' } } })]],
    ['DateGreaterThan', req('s3:GetObject', '*', { 'aws:CurrentTime': '2030-01-02T00:00:00Z' }), 'Allow', [pol({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } })]],
    ['IpAddress', req('s3:GetObject', '*', { 'aws:SourceIp': '10.1.2.3' }), 'Allow', [pol({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })]],
    ['NotIpAddress', req('s3:GetObject', '*', { 'aws:SourceIp': '10.1.2.3' }), 'ImplicitDeny', [pol({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } } })]],
    ['ArnLike', req('iam:PassRole', '*', { 'aws:PrincipalArn': 'arn:aws:iam::000000000000:role/ci/deploy' }), 'Allow', [pol({ Effect: 'Allow', Action: 'iam:*', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/ci/*' } } })]],
    ['Null true: key absent', req('s3:GetObject', '*', {}), 'Allow', [pol({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { Null: { 'aws:TokenIssueTime': 'true' } } })]],
    ['ForAllValues with one value outside', req('ec2:CreateTags', '*', { 'aws:TagKeys': ['team', 'cost'] }), 'ImplicitDeny', [pol({ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } } })]],
    ['ForAllValues inside', req('ec2:CreateTags', '*', { 'aws:TagKeys': ['team'] }), 'Allow', [pol({ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'cost'] } } })]],
    ['ForAnyValue', req('ec2:CreateTags', '*', { 'aws:TagKeys': ['x', 'cost'] }), 'Allow', [pol({ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': ['c*'] } } })]],
    ['conditions across keys are ANDed', req('s3:GetObject', '*', { 'aws:SourceIp': '10.0.0.1', 'aws:username': 'bob' }), 'ImplicitDeny', [pol({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, StringEquals: { 'aws:username': 'alice' } } })]],
  ];
  for (const [name, request, expected, identity] of table) {
    test(name, () => assert.equal(evaluate(request, { identity }), expected));
  }

  test('2008-10-17 policies take variables literally', () => {
    const old = parsePolicy(JSON.stringify({ Version: '2008-10-17', Statement: { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}' } }), 'identity');
    assert.equal(evaluate(req('s3:GetObject', 'arn:aws:s3:::home/alice', { 'aws:username': 'alice' }), { identity: [old] }), 'ImplicitDeny');
    assert.equal(evaluate(req('s3:GetObject', 'arn:aws:s3:::home/${aws:username}', { 'aws:username': 'alice' }), { identity: [old] }), 'Allow');
  });

  test('a permissions boundary must allow as well', () => {
    const identity = [pol({ Effect: 'Allow', Action: '*', Resource: '*' })];
    const boundary = [pol({ Effect: 'Allow', Action: 'eks:*', Resource: '*' })];
    assert.equal(evaluate(req('eks:ListClusters', '*'), { identity, boundary }), 'Allow');
    assert.equal(evaluate(req('iam:CreateRole', '*'), { identity, boundary }), 'ImplicitDeny');
  });

  test('a resource policy naming the principal allows on its own', () => {
    const resource = [parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: { AWS: user.ids[0] }, Action: 's3:GetObject', Resource: '*' } }), 'resource')];
    assert.equal(evaluate(req('s3:GetObject', 'arn:aws:s3:::b/k'), { identity: [], resource }), 'Allow');
  });
});

describe('evaluateTrust', () => {
  const trust = (principal: unknown, extra: Record<string, unknown> = {}) =>
    parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra } }), 'trust');
  const roleArn = 'arn:aws:iam::000000000000:role/r';
  const assume = (principal: RequestContext['principal'], context = {}) => ({ principal, action: 'sts:AssumeRole', resource: roleArn, context });
  test('account root principal trusts every principal of the account', () => {
    assert.equal(evaluateTrust(trust({ AWS: '000000000000' }), assume(user)), 'Allow');
    assert.equal(evaluateTrust(trust({ AWS: 'arn:aws:iam::111111111111:root' }), assume(user)), 'ImplicitDeny');
  });
  test('a role ARN principal matches sessions of that role', () => {
    const session = { type: 'AWS' as const, ids: ['arn:aws:sts::000000000000:assumed-role/ci/s', 'arn:aws:iam::000000000000:role/ci'], accountId: '000000000000' };
    assert.equal(evaluateTrust(trust({ AWS: 'arn:aws:iam::000000000000:role/ci' }), assume(session)), 'Allow');
  });
  test('Service and "*" principals', () => {
    const ec2 = { type: 'Service' as const, ids: ['ec2.amazonaws.com'] };
    assert.equal(evaluateTrust(trust({ Service: ['eks.amazonaws.com', 'ec2.amazonaws.com'] }), assume(ec2)), 'Allow');
    assert.equal(evaluateTrust(trust({ Service: 'eks.amazonaws.com' }), assume(ec2)), 'ImplicitDeny');
    assert.equal(evaluateTrust(trust('*'), assume(ec2)), 'Allow');
  });
  test('conditions of a trust policy', () => {
    const t = trust({ AWS: '000000000000' }, { Condition: { StringEquals: { 'sts:ExternalId': 'secret' } } });
    assert.equal(evaluateTrust(t, assume(user, { 'sts:ExternalId': 'secret' })), 'Allow');
    assert.equal(evaluateTrust(t, assume(user, {})), 'ImplicitDeny');
  });
});

describe('AWS managed policies', () => {
  test('every carried document is a valid identity policy', async () => {
    const { awsManagedPolicies } = await import('../../src/aws/iam/managed-policies.js');
    assert.ok(awsManagedPolicies().length >= 9);
    for (const { arn, policy } of awsManagedPolicies()) {
      assert.match(arn, /^arn:aws:iam::aws:policy\/[\w+=,.@-]+$/);
      assert.doesNotThrow(() => parsePolicy(policy.document, 'identity'), arn);
    }
  });
});
