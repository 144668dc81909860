// kubectl against `kumo apiserver`: a CRD whose x-kubernetes-validations use cel-go's optional
// syntax (`a.?b`, `a[?k]`, `[?x]`, `{?k: v}`) and the optMap macro. Valid objects are created;
// invalid ones are refused with upstream's messages; a rule selecting a field the schema does
// not declare through `.?` is refused at CRD creation as cel-go's checker reports it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, run, startApiServer } from '../helpers/apiserver.js';

const CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: pools.opt.example.com
spec:
  group: opt.example.com
  scope: Namespaced
  names: {plural: pools, singular: pool, kind: Pool, listKind: PoolList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-validations:
        - rule: self.?spec.?replicas.orValue(1) <= 10
          message: at most 10 replicas
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: "!self.?labels[?'team'].hasValue() || self.labels['team'] != ''"
            - rule: "[?self.?tier, ?self.?zone].size() != 1"
              message: tier and zone go together
            - rule: "{?'tier': self.?tier, 'name': self.name}.size() == 2 || self.name != 'tiered'"
              message: a pool named tiered needs a tier
            - rule: self.?name.optMap(n, n.size()).orValue(0) <= 8
              messageExpression: "'name too long: ' + string(self.name.size())"
            - rule: self.?ports[?0].orValue(80) == 80
              message: the first port must be 80
            properties:
              name: {type: string}
              replicas: {type: integer}
              tier: {type: string}
              zone: {type: string}
              ports: {type: array, maxItems: 4, items: {type: integer}}
              labels: {type: object, additionalProperties: {type: string}}
`;

const pool = (name: string, spec: Record<string, unknown> | undefined) => JSON.stringify({ apiVersion: 'opt.example.com/v1', kind: 'Pool', metadata: { name, namespace: 'default' }, ...(spec ? { spec } : {}) });

test('optional syntax in CRD rules, through kubectl', async (t) => {
  const server = await startApiServer(t, { storage: 'memory' });
  await kubectl(server, ['apply', '-f', '-'], { input: CRD });
  await kubectl(server, ['wait', '--for=condition=Established', 'crd/pools.opt.example.com', '--timeout=20s']);

  await t.test('valid objects are created, absent fields taking the defaults of orValue', async () => {
    assert.match(await kubectl(server, ['apply', '-f', '-'], { input: pool('bare', undefined) }), /pool.opt.example.com\/bare created/);
    assert.match(await kubectl(server, ['apply', '-f', '-'], { input: pool('empty', { name: 'e' }) }), /pool.opt.example.com\/empty created/);
    const full = { name: 'tiered', replicas: 10, tier: 'gold', zone: 'a', ports: [80, 443], labels: { team: 'infra' } };
    assert.match(await kubectl(server, ['apply', '-f', '-'], { input: pool('full', full) }), /pool.opt.example.com\/full created/);
  });

  await t.test('invalid objects are refused with each rule message', async () => {
    const bad = await run(server, 'kubectl', ['apply', '-f', '-'], {
      input: pool('bad', { name: 'tiered-too-long', replicas: 11, zone: 'a', ports: [8080], labels: { team: '' } }),
    });
    assert.notEqual(bad.code, 0);
    // The root's rules run before those of its fields; the root's path prints as <nil>.
    const lines = [
      '<nil>: Invalid value: "object": at most 10 replicas',
      `spec: Invalid value: "object": failed rule: !self.?labels[?'team'].hasValue() || self.labels['team'] != ''`,
      'spec: Invalid value: "object": tier and zone go together',
      'spec: Invalid value: "object": name too long: 15',
      'spec: Invalid value: "object": the first port must be 80',
    ];
    assert.equal(bad.stderr.trim(), `The Pool "bad" is invalid: \n${lines.map((l) => `* ${l}`).join('\n')}`);
    const tiered = await run(server, 'kubectl', ['apply', '-f', '-'], { input: pool('tiered', { name: 'tiered' }) });
    assert.notEqual(tiered.code, 0);
    assert.equal(tiered.stderr.trim(), 'The Pool "tiered" is invalid: spec: Invalid value: "object": a pool named tiered needs a tier');
    assert.match((await run(server, 'kubectl', ['get', 'pool', 'bad'])).stderr, /NotFound|not found/);
  });

  await t.test('an optional selection of a field the schema lacks is refused at CRD creation', async () => {
    const labelsCRD = CRD.replace('pools.opt.example.com', 'tags.opt.example.com').replace('{plural: pools, singular: pool, kind: Pool, listKind: PoolList}', '{plural: tags, singular: tag, kind: Tag, listKind: TagList}')
      .replace('self.?spec.?replicas.orValue(1) <= 10', "\"!self.?metadata.labels[?'team'].hasValue() || self.metadata.labels['team'] != ''\"");
    const res = await run(server, 'kubectl', ['apply', '-f', '-'], { input: labelsCRD });
    assert.notEqual(res.code, 0);
    assert.ok(res.stderr.startsWith('The CustomResourceDefinition "tags.opt.example.com" is invalid: spec.versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule: Invalid value: '), res.stderr);
    assert.ok(res.stderr.includes(`: compilation failed: ERROR: <input>:1:16: undefined field 'labels'\n | !self.?metadata.labels[?'team'].hasValue() || self.metadata.labels['team'] != ''\n | ...............^`), res.stderr);
  });
});
