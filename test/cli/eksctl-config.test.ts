// The eksctl.io/v1alpha5 ClusterConfig as `kumo create cluster -f` reads it: the EKS guide's three
// files, eksctl's strict decoding errors, the fields Kumo refuses by name, and eksctl's local
// validation messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EksctlError, loadClusterConfig, parseClusterConfig } from '../../src/cli/eksctl/config.js';
import { planCluster } from '../../src/cli/eksctl/validate.js';

// Runs from test/ (tsx) and dist/test/ (npm test); the fixtures stay in the source tree.
let repo = dirname(fileURLToPath(import.meta.url));
while (!existsSync(join(repo, 'package.json')) && dirname(repo) !== repo) repo = dirname(repo);
const FIXTURES = join(repo, 'test', 'cli', 'fixtures');
const fixture = (name: string) => join(FIXTURES, name);

const base = `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: c1
  region: ap-northeast-1
`;

function plan(yaml: string) {
  return planCluster(parseClusterConfig(yaml, 'c.yaml'), {});
}

function fails(yaml: string, message: string | RegExp) {
  assert.throws(() => plan(yaml), (err: unknown) => {
    assert.ok(err instanceof EksctlError, String(err));
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

test('the guide\'s cluster-config.yaml: an on-demand group, a spot group with three types, a Fargate profile, every log type', () => {
  const p = planCluster(loadClusterConfig(fixture('cluster-config.yaml')), {});
  assert.equal(p.name, 'my-cluster');
  assert.equal(p.region, 'ap-northeast-1');
  assert.equal(p.version, '1.29');
  assert.equal(p.vpcCidr, '10.0.0.0/16');
  assert.equal(p.natGateway, 'HighlyAvailable');
  assert.deepEqual(p.logTypes, ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
  const [general, spot] = p.nodeGroups;
  assert.deepEqual(
    { name: general.name, types: general.instanceTypes, capacity: general.capacityType, sizes: [general.minSize, general.desiredCapacity, general.maxSize], disk: general.volumeSize, labels: general.labels, tags: general.tags, amiType: general.amiType },
    { name: 'general-purpose', types: ['m5.large'], capacity: 'ON_DEMAND', sizes: [2, 3, 10], disk: 50, labels: { role: 'general' }, tags: { Environment: 'production' }, amiType: 'AL2023_x86_64_STANDARD' },
  );
  assert.deepEqual(general.addonPolicies, { albIngress: true, cloudWatch: true });
  assert.deepEqual(
    { name: spot.name, types: spot.instanceTypes, capacity: spot.capacityType, sizes: [spot.minSize, spot.desiredCapacity, spot.maxSize], labels: spot.labels, disk: spot.volumeSize },
    { name: 'spot-workers', types: ['m5.large', 'm5a.large', 'm4.large'], capacity: 'SPOT', sizes: [0, 5, 20], labels: { role: 'spot-worker' }, disk: 80 },
  );
  assert.deepEqual(p.fargateProfiles, [{ name: 'default', podExecutionRoleARN: undefined, selectors: [{ namespace: 'fargate-tasks', labels: { compute: 'fargate' } }], tags: {} }]);
});

test('the guide\'s production-cluster.yaml fails naming addons and secretsEncryption, which Kumo cannot honour yet', () => {
  assert.throws(() => loadClusterConfig(fixture('production-cluster.yaml')), (err: unknown) => {
    assert.ok(err instanceof EksctlError);
    assert.match(err.message, /^loading config file ".*production-cluster\.yaml": field addons is not supported by Kumo yet: Kumo has no EKS add-on API/);
    assert.match(err.message, /also not supported: secretsEncryption\)$/);
    return true;
  });
  assert.throws(() => parseClusterConfig(`${base}secretsEncryption:\n  keyARN: arn:aws:kms:ap-northeast-1:123456789012:key/x\n`, 'c.yaml'), /field secretsEncryption is not supported by Kumo yet: Kumo has no KMS yet/);
});

test('the rest of production-cluster.yaml plans: private groups with taints, OIDC service accounts, endpoint access, log retention', () => {
  const text = readFileSync(fixture('production-cluster.yaml'), 'utf8')
    .replace(/^secretsEncryption:\n( {2}.*\n)+/m, '')
    .replace(/^addons:\n(( {2}.*)?\n)+?(?=\S)/m, '');
  const p = planCluster(parseClusterConfig(text, 'production-cluster.yaml'), {});
  assert.deepEqual(p.tags, { Environment: 'production', Team: 'platform' });
  assert.deepEqual(p.endpoints, { publicAccess: true, privateAccess: true, publicAccessCIDRs: ['203.0.113.0/24'] });
  assert.equal(p.withOIDC, true);
  assert.deepEqual(p.serviceAccounts.map((s) => [`${s.namespace}/${s.name}`, Object.keys(s.wellKnownPolicies)[0]]), [
    ['kube-system/aws-load-balancer-controller', 'awsLoadBalancerController'],
    ['kube-system/external-dns', 'externalDNS'],
    ['kube-system/cluster-autoscaler', 'autoScaler'],
  ]);
  const [system, onDemand, spot] = p.nodeGroups;
  assert.deepEqual(system.taints, [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'PREFER_NO_SCHEDULE' }]);
  assert.equal(system.privateNetworking, true);
  assert.deepEqual(system.addonPolicies, { albIngress: true, cloudWatch: true, ebs: true });
  assert.deepEqual(onDemand.labels, { role: 'application', lifecycle: 'on-demand' });
  assert.equal(onDemand.sshKeyName, undefined);
  assert.deepEqual(spot.taints, [{ key: 'spot', value: 'true', effect: 'NO_SCHEDULE' }]);
  assert.deepEqual(spot.instanceTypes, ['m5.xlarge', 'm5a.xlarge', 'm5d.xlarge', 'm4.xlarge']);
  assert.equal(p.logRetentionInDays, 90);
});

test('the guide\'s Bottlerocket group gets the Bottlerocket AMI type; its settings are accepted', () => {
  const p = planCluster(loadClusterConfig(fixture('bottlerocket.yaml')), {});
  assert.equal(p.nodeGroups[0].amiFamily, 'Bottlerocket');
  assert.equal(p.nodeGroups[0].amiType, 'BOTTLEROCKET_x86_64');
  fails(`${base}managedNodeGroups:\n  - name: ng\n    bottlerocket:\n      settings:\n        kubernetes:\n          max-pods: 10\n`,
    'bottlerocket config can only be used with amiFamily "Bottlerocket" but found AmazonLinux2023 (path=managedNodeGroups[0].bottlerocket)');
  fails(`${base}managedNodeGroups:\n  - name: ng\n    amiFamily: Bottlerocket\n    bottlerocket:\n      settings:\n        kubernetes:\n          max-pods: 10\n`,
    'invalid Bottlerocket setting: use managedNodeGroups[0].maxPodsPerNode instead (path=managedNodeGroups[0].bottlerocket.settings.kubernetes.max-pods)');
  assert.equal(plan(`${base}managedNodeGroups:\n  - name: ng\n    amiFamily: AmazonLinux2\n    instanceType: m6g.large\n`).nodeGroups[0].amiType, 'AL2_ARM_64');
});

test('strict decoding fails as eksctl\'s: unknown fields, wrong types, YAML errors (first problem in sorted-key order)', () => {
  fails(`${base}foo: bar\n`, 'loading config file "c.yaml": error unmarshaling JSON: while decoding JSON: json: unknown field "foo"');
  fails(`${base}managedNodeGroups:\n  - name: ng\n    desiredCapcity: 3\n`, 'loading config file "c.yaml": error unmarshaling JSON: while decoding JSON: json: unknown field "desiredCapcity"');
  // Keys are visited as Go's json.Marshal sorted them: "aaa" before "zzz".
  fails(`${base}zzz: 1\naaa: 2\n`, /json: unknown field "aaa"$/);
  // An unquoted version is a YAML number.
  fails(base.replace('region: ap-northeast-1', 'region: ap-northeast-1\n  version: 1.30'),
    'loading config file "c.yaml": error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go struct field ClusterMeta.metadata.version of type string');
  fails(`${base}managedNodeGroups:\n  - name: ng\n    desiredCapacity: three\n`,
    /json: cannot unmarshal string into Go struct field ManagedNodeGroup\.managedNodeGroups\.desiredCapacity of type int$/);
  fails(`${base}managedNodeGroups:\n  - name: ng\n    desiredCapacity: 2.5\n`, /json: cannot unmarshal number 2\.5 into Go struct field ManagedNodeGroup\.managedNodeGroups\.desiredCapacity of type int$/);
  fails(`${base}managedNodeGroups:\n  name: ng\n`, /json: cannot unmarshal object into Go struct field ClusterConfig\.managedNodeGroups of type \[\]\*v1alpha5\.ManagedNodeGroup$/);
  fails('apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  - name: c1\n', /cannot unmarshal array into Go struct field ClusterConfig\.metadata of type v1alpha5\.ClusterMeta$/);
  fails('just a string\n', /json: cannot unmarshal string into Go value of type v1alpha5\.ClusterConfig$/);
  fails(`${base}metadata:\n  name: again\n`, /^loading config file "c\.yaml": error converting YAML to JSON: yaml: /);
  fails(base.replace('eksctl.io/v1alpha5', 'eksctl.io/v1alpha4'), 'loading config file "c.yaml": no kind "ClusterConfig" is registered for version "eksctl.io/v1alpha4"');
  // encoding/json matches field names case-insensitively; go-yaml v2 reads YAML 1.1 booleans.
  const p = plan(`${base}managedNodeGroups:\n  - Name: ng\n    spot: yes\n`);
  assert.equal(p.nodeGroups[0].name, 'ng');
  assert.equal(p.nodeGroups[0].capacityType, 'SPOT');
});

test('fields eksctl knows but Kumo does not support yet are refused by path', () => {
  fails(`${base}nodeGroups:\n  - name: ng\n`, /field nodeGroups is not supported by Kumo yet: Kumo runs managed node groups only/);
  fails(`${base}managedNodeGroups:\n  - name: ng\n    launchTemplate:\n      id: lt-1\n`, /field managedNodeGroups\[0\]\.launchTemplate is not supported by Kumo yet/);
  fails(`${base}vpc:\n  id: vpc-1\n`, /field vpc\.id is not supported by Kumo yet: Kumo creates the cluster VPC itself/);
  fails(`${base}managedNodeGroups:\n  - name: ng\n    maxPodsPerNode: 30\n`, /field managedNodeGroups\[0\]\.maxPodsPerNode is not supported by Kumo yet/);
  fails(`${base}kubernetesNetworkConfig:\n  ipFamily: IPv6\n`, 'kubernetesNetworkConfig.ipFamily IPv6 is not supported by Kumo yet (IPv4 clusters only)');
});

test('eksctl\'s local validation and its messages', () => {
  fails('apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  region: r\n', 'metadata.name must be set');
  fails(base.replace('name: c1', 'name: 1bad_name'), 'validation for "1bad_name" failed, name must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*');
  fails(`${base}managedNodeGroups:\n  - name: ng\n    minSize: 3\n    desiredCapacity: 2\n`, 'cannot use --nodes-min=3 and --nodes=2 at the same time');
  fails(`${base}managedNodeGroups:\n  - name: ng\n    maxSize: 3\n    desiredCapacity: 4\n`, 'cannot use --nodes-max=3 and --nodes=4 at the same time');
  fails(`${base}managedNodeGroups:\n  - name: ng\n    minSize: 3\n    maxSize: 2\n`, 'cannot use --nodes-min=3 and --nodes-max=2 at the same time');
  fails(`${base}managedNodeGroups:\n  - name: ng\n    instanceType: m5.large\n    instanceTypes: [m5.large]\n`, 'only one of instanceType or instanceTypes can be specified (managedNodeGroups[0])');
  fails(`${base}managedNodeGroups:\n  - name: ng\n  - name: ng\n`, 'managedNodeGroups[1].name "ng" is not unique');
  fails(`${base}managedNodeGroups:\n  - name: ng\n    taints:\n      - key: a\n        effect: NO_SCHEDULE\n`, 'invalid taint effect: NO_SCHEDULE, unsupported taint effect');
  fails(`${base}managedNodeGroups:\n  - name: ng\n    volumeEncrypted: true\n`, 'managedNodeGroups[0].volumeEncrypted cannot be set without managedNodeGroups[0].volumeSize');
  fails(`${base}managedNodeGroups:\n  - name: ng\n    labels:\n      kubernetes.io/foo: x\n`, "unknown 'kubernetes.io' or 'k8s.io' labels were specified: [kubernetes.io/foo]");
  fails(`${base}iam:\n  serviceAccounts:\n    - metadata: {name: s}\n      attachPolicyARNs: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n`, 'iam.withOIDC must be enabled explicitly for iam.serviceAccounts to be created');
  fails(`${base}iam:\n  withOIDC: true\n  serviceAccounts:\n    - metadata: {name: s}\n`,
    'iam.serviceAccounts[0].wellKnownPolicies, iam.serviceAccounts[0].attachPolicyARNs,iam.serviceAccounts[0].attachRoleARN  or iam.serviceAccounts[0].attachPolicy must be set');
  fails(`${base}cloudWatch:\n  clusterLogging:\n    enableTypes: [api, everything]\n`, 'log type "everything" (cloudWatch.clusterLogging.enableTypes[1]) is unknown');
  fails(`${base}vpc:\n  clusterEndpoints:\n    publicAccess: false\n    privateAccess: false\n`, 'Kubernetes API access must have one of public or private clusterEndpoints enabled');
  fails(`${base}fargateProfiles:\n  - name: eks-fp\n    selectors: [{namespace: a}]\n`, 'invalid Fargate profile "eks-fp": name should NOT start with "eks-"');
  fails(`${base}fargateProfiles:\n  - name: fp\n    selectors: [{labels: {a: b}}]\n`, 'invalid Fargate profile "fp": invalid profile selector at index #0: empty namespace');
  // Defaults: sizes from desiredCapacity, eksctl's default instance type and volume, all log types for "all".
  const p = plan(`${base}managedNodeGroups:\n  - name: ng\n    desiredCapacity: 4\ncloudWatch:\n  clusterLogging:\n    enableTypes: ["*"]\n`);
  assert.deepEqual([p.nodeGroups[0].minSize, p.nodeGroups[0].desiredCapacity, p.nodeGroups[0].maxSize, p.nodeGroups[0].instanceTypes[0], p.nodeGroups[0].volumeSize], [4, 4, 4, 'm5.large', 80]);
  assert.equal(p.logTypes.length, 5);
  assert.throws(() => planCluster(parseClusterConfig(base, 'c.yaml'), { regionFlag: 'us-east-1' }), /--region=us-east-1 and metadata\.region=ap-northeast-1 are conflicting/);
});
