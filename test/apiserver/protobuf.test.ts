import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { builtinCatalog } from '../../src/apiserver/schema/catalog.js';
import { decodeProtobufBody, ProtobufDecodeError } from '../../src/apiserver/protobuf/index.js';
import { formatGoDuration, formatRfc3339, formatRfc3339Micro } from '../../src/apiserver/protobuf/go-format.js';

const catalog = builtinCatalog();

// A minimal protobuf writer for building request bodies by hand.
function varint(v: bigint | number): Buffer {
  let u = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  do {
    let b = Number(u & 0x7fn);
    u >>= 7n;
    if (u !== 0n) b |= 0x80;
    out.push(b);
  } while (u !== 0n);
  return Buffer.from(out);
}
const key = (num: number, wire: number) => varint(num * 8 + wire);
const vf = (num: number, v: bigint | number | boolean) => Buffer.concat([key(num, 0), varint(typeof v === 'boolean' ? Number(v) : v)]);
const bf = (num: number, payload: Buffer | string) => {
  const b = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return Buffer.concat([key(num, 2), varint(b.length), b]);
};
const msg = (...parts: Buffer[]) => Buffer.concat(parts);
const entry = (k: string, v: Buffer) => msg(bf(1, k), bf(2, v));
function body(apiVersion: string, kind: string, raw: Buffer): Buffer {
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), bf(1, msg(bf(1, apiVersion), bf(2, kind))), bf(2, raw)]);
}
const decode = (apiVersion: string, kind: string, raw: Buffer) => decodeProtobufBody(body(apiVersion, kind, raw), catalog).object;

describe('protobuf request bodies', () => {
  test('DeleteOptions (helm sends it with DELETE): pointers set to zero values stay', () => {
    const raw = msg(vf(1, 0), bf(2, msg(bf(1, 'uid-1'), bf(2, ''))), bf(4, 'Background'), bf(5, 'All'));
    assert.deepEqual(decode('v1', 'DeleteOptions', raw), {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'uid-1', resourceVersion: '' },
      propagationPolicy: 'Background',
      dryRun: ['All'],
    });
    // Any group-version carries the meta/v1 options kinds.
    assert.equal(decodeProtobufBody(body('apps/v1', 'DeleteOptions', vf(3, true)), catalog).object.orphanDependents, true);
  });

  test('Eviction (kubectl drain) with its embedded DeleteOptions', () => {
    const raw = msg(bf(1, msg(bf(1, 'web-1'), bf(3, 'default'))), bf(2, msg(vf(1, 30), bf(5, 'All'))));
    assert.deepEqual(decode('policy/v1', 'Eviction', raw), {
      kind: 'Eviction',
      apiVersion: 'policy/v1',
      metadata: { name: 'web-1', namespace: 'default', creationTimestamp: null },
      deleteOptions: { gracePeriodSeconds: 30, dryRun: ['All'] },
    });
  });

  test('Time, MicroTime and empty strings in metadata', () => {
    const meta = msg(bf(1, 'e1'), bf(2, ''), bf(3, 'default'), bf(8, msg(vf(1, 1700000000), vf(2, 999))), bf(9, msg(vf(1, 0))));
    const raw = msg(
      bf(1, meta),
      bf(2, msg(vf(1, 1700000000), vf(2, 123456789))), // eventTime (MicroTime)
      bf(11, 'Normal'),
    );
    const ev = decode('events.k8s.io/v1', 'Event', raw);
    assert.deepEqual(ev.metadata, { name: 'e1', namespace: 'default', creationTimestamp: '2023-11-14T22:13:20Z', deletionTimestamp: '1970-01-01T00:00:00Z' });
    assert.equal(ev.eventTime, '2023-11-14T22:13:20.123456Z');
    assert.equal(ev.type, 'Normal');
    // Non-omitempty zero fields are written, as encoding/json does.
    assert.equal(ev.reportingController, undefined);
    assert.equal(ev.deprecatedFirstTimestamp, null);
  });

  test('IntOrString, negative int32, packed and repeated scalars, Quantity maps', () => {
    const port = msg(bf(1, 'http'), bf(2, 'TCP'), vf(3, 80), bf(4, msg(vf(1, 1), bf(3, 'web'))));
    const svc = decode('v1', 'Service', msg(bf(2, msg(bf(1, port)))));
    assert.deepEqual((svc.spec as any).ports, [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'web' }]);

    const pc = decode('scheduling.k8s.io/v1', 'PriorityClass', msg(bf(1, msg(bf(1, 'low'))), vf(2, -5)));
    assert.equal(pc.value, -5);

    // supplementalGroups: []int64, once packed and once unpacked
    const packed = msg(bf(4, Buffer.concat([varint(1000), varint(2000)])), key(4, 0), varint(3000));
    const pod = decode('v1', 'Pod', msg(bf(2, msg(bf(14, packed)))));
    assert.deepEqual(((pod.spec as any).securityContext as any).supplementalGroups, [1000, 2000, 3000]);

    const quota = decode('v1', 'ResourceQuota', msg(bf(2, msg(bf(1, entry('memory', bf(1, '1Gi'))), bf(1, entry('cpu', bf(1, '1500m')))))));
    assert.deepEqual(quota.spec, { hard: { cpu: '1500m', memory: '1Gi' } });
    assert.deepEqual(Object.keys((quota.spec as any).hard), ['cpu', 'memory'], 'map keys sorted as encoding/json writes them');
  });

  test('a map key "__proto__" is kept as data, as JSON.parse keeps it', () => {
    const cm = decode('v1', 'ConfigMap', msg(bf(2, entry('__proto__', Buffer.from('x'))), bf(2, entry('a', Buffer.from('b')))));
    assert.deepEqual(cm.data, JSON.parse('{"__proto__":"x","a":"b"}'));
    assert.equal(JSON.stringify(cm.data), '{"__proto__":"x","a":"b"}');
  });

  test('an inlined struct (Probe embeds ProbeHandler as field 1) is flattened', () => {
    const httpGet = msg(bf(1, '/healthz'), bf(2, msg(vf(1, 0), vf(2, 8080))), bf(4, 'HTTP'));
    const probe = msg(bf(1, msg(bf(2, httpGet))), vf(2, 5), vf(4, 10));
    const container = msg(bf(1, 'app'), bf(2, 'nginx'), bf(10, probe));
    const pod = decode('v1', 'Pod', msg(bf(2, msg(bf(2, container)))));
    assert.deepEqual((pod.spec as any).containers[0], {
      name: 'app',
      image: 'nginx',
      resources: {},
      livenessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 5, periodSeconds: 10 },
    });
  });

  test('nil non-omitempty lists are null; unknown fields are skipped', () => {
    const role = decode('rbac.authorization.k8s.io/v1', 'Role', msg(bf(1, msg(bf(1, 'r'))), bf(99, 'future field'), vf(98, 7)));
    assert.deepEqual(role, { kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'r', creationTimestamp: null }, rules: null });
  });

  test('Duration in metrics', () => {
    const nm = decode('metrics.k8s.io/v1beta1', 'NodeMetrics', msg(bf(3, msg(vf(1, 90_000_000_000n))), bf(4, entry('cpu', bf(1, '250m')))));
    assert.equal(nm.window, '1m30s');
    assert.deepEqual(nm.usage, { cpu: '250m' });
    assert.equal(nm.timestamp, null);
  });

  test('RawExtension holding JSON or a nested protobuf object', () => {
    const json = decode('apps/v1', 'ControllerRevision', msg(bf(2, msg(bf(1, '{"spec":{"x":1}}'))), vf(3, 2)));
    assert.deepEqual(json.data, { spec: { x: 1 } });
    assert.equal(json.revision, 2);
    const nested = body('v1', 'ConfigMap', msg(bf(1, msg(bf(1, 'inner'))), bf(2, entry('k', Buffer.from('v')))));
    const obj = decode('apps/v1', 'ControllerRevision', msg(bf(2, msg(bf(1, nested)))));
    assert.deepEqual(obj.data, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'inner', creationTimestamp: null }, data: { k: 'v' } });
  });

  test('apiextensions JSON and schema unions', () => {
    const props = msg(bf(5, 'object'), bf(8, msg(bf(1, '{"a":1}'))));
    const items = bf(24, msg(bf(1, msg(bf(5, 'string')))));
    const addl = bf(30, msg(vf(1, true)));
    const schema = msg(props, items, addl);
    const crd = decode(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      msg(bf(2, msg(bf(1, 'example.com'), bf(7, msg(bf(1, 'v1'), vf(2, true), vf(3, true), bf(4, msg(bf(1, schema))))))))
    );
    const v = (crd.spec as any).versions[0];
    assert.deepEqual(v.schema.openAPIV3Schema, { type: 'object', items: { type: 'string' }, additionalProperties: true, default: { a: 1 } });
  });

  test('malformed input is a ProtobufDecodeError', () => {
    const bad: [Buffer, RegExp][] = [
      [Buffer.from('{"kind":"Pod"}'), /does not appear to be a protobuf message/],
      [Buffer.from('k8s'), /does not appear to be a protobuf message/],
      [body('v1', 'Pod', msg(bf(1, msg(bf(1, 'p'))))).subarray(0, -2), /unexpected EOF/],
      [body('v1', 'Pod', vf(1, 5)), /wrong wireType = 0/],
      [body('v1', 'Nope', Buffer.alloc(0)), /no kind "Nope" is registered for version "v1"/],
      [body('v1', '', Buffer.alloc(0)), /Kind' is missing/],
      [body('apps/v1', 'ControllerRevision', msg(bf(2, msg(bf(1, '{not json'))))), /not valid JSON/],
      [Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x0f])]), /wireType = 7/],
    ];
    for (const [input, message] of bad) {
      assert.throws(
        () => decodeProtobufBody(input, catalog),
        (err: unknown) => err instanceof ProtobufDecodeError && message.test(err.message),
        `expected ${message} for ${input.toString('hex')}`,
      );
    }
  });

  test('deep nesting is rejected, not a stack overflow', () => {
    let schema = msg(bf(5, 'string'));
    for (let i = 0; i < 200; i++) schema = msg(bf(24, msg(bf(1, schema))));
    const raw = msg(bf(2, msg(bf(7, msg(bf(1, 'v1'), bf(4, msg(bf(1, schema))))))));
    assert.throws(() => decodeProtobufBody(body('apiextensions.k8s.io/v1', 'CustomResourceDefinition', raw), catalog), ProtobufDecodeError);
  });
});

describe('Go text forms', () => {
  test('durations as time.Duration.String()', () => {
    const cases: [bigint, string][] = [
      [0n, '0s'],
      [1n, '1ns'],
      [1500n, '1.5µs'],
      [1_500_000n, '1.5ms'],
      [1_000_000_000n, '1s'],
      [90_000_000_000n, '1m30s'],
      [3_600_000_000_000n, '1h0m0s'],
      [3_723_500_000_000n, '1h2m3.5s'],
      [-2_000_000_000n, '-2s'],
    ];
    for (const [ns, s] of cases) assert.equal(formatGoDuration(ns), s);
  });
  test('RFC 3339 times', () => {
    assert.equal(formatRfc3339(0), '1970-01-01T00:00:00Z');
    assert.equal(formatRfc3339(-1), '1969-12-31T23:59:59Z');
    assert.equal(formatRfc3339Micro(1700000000, 5000), '2023-11-14T22:13:20.000005Z');
  });
});
