// kubectl against `kumo apiserver`: a CRD whose x-kubernetes-validations use Kubernetes' quantity,
// url, ip/cidr and format libraries, cel-go's sets extension, optional values and two-variable
// comprehensions. Valid objects are created; invalid ones are refused in upstream's words
// (messages, messageExpressions, runtime errors); a rule calling a library 1.33 does not offer new
// rules is refused at CRD creation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, run, startApiServer } from '../helpers/apiserver.js';

const CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: networks.net.example.com
spec:
  group: net.example.com
  scope: Namespaced
  names: {plural: networks, singular: network, kind: Network, listKind: NetworkList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: quantity(self.memory).isLessThan(quantity('4Gi')) && sign(quantity(self.memory)) == 1
              message: memory must be positive and below 4Gi
            - rule: cidr(self.cidr).containsIP(self.gateway) && !ip(self.gateway).isLoopback()
              message: gateway must be a non-loopback address in cidr
            - rule: url(self.endpoint).getScheme() == 'https'
              messageExpression: "'endpoint scheme must be https, not ' + url(self.endpoint).getScheme()"
            - rule: sets.contains(['a', 'b', 'c'], self.zones)
              message: zones must be among a, b, c
            - rule: self.zones.all(i, z, i == 0 || z != self.zones[i - 1])
              message: zones may not repeat
            - rule: "!format.dns1123Label().validate(self.label).hasValue()"
              messageExpression: "format.dns1123Label().validate(self.label).value().join(', ')"
            - rule: optional.ofNonZeroValue(self.note).orValue('none') != 'forbidden'
              message: note may not be forbidden
            properties:
              memory: {type: string}
              cidr: {type: string}
              gateway: {type: string}
              endpoint: {type: string}
              zones: {type: array, maxItems: 10, items: {type: string}}
              label: {type: string}
              note: {type: string}
`;

const spec = { memory: '512Mi', cidr: '10.0.0.0/16', gateway: '10.0.0.1', endpoint: 'https://api.example.com:8443/v1', zones: ['a', 'c'], label: 'edge', note: '' };

const network = (name: string, over: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: 'net.example.com/v1', kind: 'Network', metadata: { name, namespace: 'default' }, spec: { ...spec, ...over } });

test('CEL libraries in CRD rules, through kubectl', async (t) => {
  const server = await startApiServer(t, { storage: 'memory' });
  await kubectl(server, ['apply', '-f', '-'], { input: CRD });
  await kubectl(server, ['wait', '--for=condition=Established', 'crd/networks.net.example.com', '--timeout=20s']);

  await t.test('a valid object is created', async () => {
    assert.match(await kubectl(server, ['apply', '-f', '-'], { input: network('good') }), /network.net.example.com\/good created/);
  });

  await t.test('each library rule rejects what it should, with the rule message or messageExpression', async () => {
    const bad = await run(server, 'kubectl', ['apply', '-f', '-'], {
      input: network('bad', { memory: '8Gi', gateway: '10.1.0.1', endpoint: 'http://api.example.com/', zones: ['a', 'd', 'd'], label: 'Edge_1', note: 'forbidden' }),
    });
    assert.notEqual(bad.code, 0);
    const lines = [
      'spec: Invalid value: "object": memory must be positive and below 4Gi',
      'spec: Invalid value: "object": gateway must be a non-loopback address in cidr',
      'spec: Invalid value: "object": endpoint scheme must be https, not http',
      'spec: Invalid value: "object": zones must be among a, b, c',
      'spec: Invalid value: "object": zones may not repeat',
      `spec: Invalid value: "object": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      'spec: Invalid value: "object": note may not be forbidden',
    ];
    assert.equal(bad.stderr.trim(), `The Network "bad" is invalid: \n${lines.map((l) => `* ${l}`).join('\n')}`);
  });

  await t.test('values the libraries cannot parse are runtime errors of the rule', async () => {
    const bad = await run(server, 'kubectl', ['apply', '-f', '-'], { input: network('unparsable', { memory: 'lots', gateway: '10.0.0.01', endpoint: 'api.example.com' }) });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /spec: Invalid value: "object": quantities must match the regular expression '\^\(\[\+-\]\?\[0-9\.\]\+\)\(\[eEinumkKMGTP\]\*\[-\+\]\?\[0-9\]\*\)\$' evaluating rule: memory must be positive and below 4Gi/);
    assert.ok(bad.stderr.includes('spec: Invalid value: "object": IP Address "10.0.0.01" parse error during conversion from string: ParseAddr("10.0.0.01"): IPv4 field has octet with leading zero evaluating rule: gateway must be a non-loopback address in cidr'), bad.stderr);
    assert.ok(bad.stderr.includes('spec: Invalid value: "object": URL parse error during conversion from string: parse "api.example.com": invalid URI for request evaluating rule: url(self.endpoint).getScheme() == \'https\''), bad.stderr);
    assert.match((await run(server, 'kubectl', ['get', 'network', 'unparsable'])).stderr, /NotFound|not found/);
  });

  await t.test('a rule calling the semver library (introduced in 1.33, for new rules from 1.34) is refused', async () => {
    const semverCRD = CRD.replace('networks.net.example.com', 'releases.net.example.com').replace('{plural: networks, singular: network, kind: Network, listKind: NetworkList}', '{plural: releases, singular: release, kind: Release, listKind: ReleaseList}').replace("- rule: sets.contains(['a', 'b', 'c'], self.zones)", "- rule: isSemver(self.label)");
    const res = await run(server, 'kubectl', ['apply', '-f', '-'], { input: semverCRD });
    assert.notEqual(res.code, 0);
    assert.ok(res.stderr.startsWith('The CustomResourceDefinition "releases.net.example.com" is invalid: spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[3].rule: Invalid value: '), res.stderr);
    assert.ok(res.stderr.includes(`: compilation failed: ERROR: <input>:1:9: undeclared reference to 'isSemver' (in container '')\n | isSemver(self.label)\n | ........^`), res.stderr);
  });
});
