// Cases from structured-merge-diff's merge tests (merge/multiple_appliers_test.go), run through
// computeApply and updateManagedFields on a custom resource schema of the same shape: the final
// object and every manager's field set must match upstream's expectations.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { crdSchema } from '../../src/apiserver/patch/crd-schema.js';
import { computeApply } from '../../src/apiserver/apply/apply.js';
import { ApplyConflictError } from '../../src/apiserver/apply/conflict.js';
import { updateManagedFields } from '../../src/apiserver/apply/update.js';
import { decodeFieldsV1, FieldSet, type PathElement } from '../../src/apiserver/apply/index.js';
import { keyPE } from '../../src/apiserver/apply/path.js';

const schema = crdSchema({
  type: 'object',
  properties: {
    list: {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      items: { type: 'object', properties: { name: { type: 'string' }, value: { type: 'integer' } } },
    },
    listOfLists: {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, value: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } } },
      },
    },
    struct: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        scalarField: { type: 'string' },
        complexField: { type: 'object', properties: { name: { type: 'string' } } },
      },
    },
  },
});

type Op = { apply?: string; update?: string; object: string; conflicts?: string[] };

/** A path: strings are fields, {k: v} list keys, ['=', v] set values. */
type Part = string | Record<string, unknown> | ['=', unknown];
const P = (...parts: Part[]): PathElement[] =>
  parts.map((p) => (typeof p === 'string' ? { t: 'f', name: p } : Array.isArray(p) ? { t: 'v', value: p[1] } : keyPE(Object.entries(p))));

function run(ops: Op[], wantObject: string, wantManaged: Record<string, PathElement[][]>): void {
  let live: any;
  let i = 0;
  for (const op of ops) {
    const obj = { apiVersion: 'example.com/v1', kind: 'Thing', ...(parse(op.object) as object) };
    const now = `2026-01-01T00:00:0${i++}Z`;
    if (op.apply) {
      const go = () => computeApply(live, obj, { manager: op.apply!, force: false, schema, apiVersion: 'example.com/v1', now }).object;
      if (op.conflicts) {
        assert.throws(go, (e: unknown) => e instanceof ApplyConflictError && e.conflicts.length === op.conflicts!.length);
        continue;
      }
      live = go();
    } else {
      const next = structuredClone(obj) as any;
      if (live?.metadata?.managedFields) next.metadata = { managedFields: live.metadata.managedFields };
      updateManagedFields(live, next, { manager: op.update!, operation: 'Update', apiVersion: 'example.com/v1', now, schema });
      live = next;
    }
  }
  const { apiVersion: _a, kind: _k, metadata, ...rest } = live;
  assert.deepEqual(rest, parse(wantObject));
  const got = new Map<string, FieldSet>((metadata?.managedFields ?? []).map((e: any) => [e.manager, decodeFieldsV1(e.fieldsV1)]));
  assert.deepEqual([...got.keys()].sort(), Object.keys(wantManaged).sort());
  for (const [m, paths] of Object.entries(wantManaged)) {
    const want = FieldSet.of(...paths);
    assert.ok(got.get(m)!.equals(want), `${m}: got ${JSON.stringify(got.get(m)!.toFieldsV1())}, want ${JSON.stringify(want.toFieldsV1())}`);
  }
}

describe('server-side apply: structured-merge-diff multiple appliers cases', () => {
  test('remove_one', () =>
    run(
      [
        { apply: 'apply-one', object: 'list: [{name: a}, {name: b}]' },
        { apply: 'apply-two', object: 'list: [{name: c}]' },
        { apply: 'apply-one', object: 'list: [{name: a}]' },
      ],
      'list: [{name: a}, {name: c}]',
      {
        'apply-one': [P('list', { name: 'a' }), P('list', { name: 'a' }, 'name')],
        'apply-two': [P('list', { name: 'c' }), P('list', { name: 'c' }, 'name')],
      },
    ));

  test('same_value_no_conflict and change_value_yes_conflict', () => {
    const shared = [P('list', { name: 'a' }), P('list', { name: 'a' }, 'name'), P('list', { name: 'a' }, 'value')];
    run(
      [
        { apply: 'apply-one', object: 'list: [{name: a, value: 0}]' },
        { apply: 'apply-two', object: 'list: [{name: a, value: 0}]' },
      ],
      'list: [{name: a, value: 0}]',
      { 'apply-one': shared, 'apply-two': shared },
    );
    run(
      [
        { apply: 'apply-one', object: 'list: [{name: a, value: 0}]' },
        { apply: 'apply-two', object: 'list: [{name: a, value: 1}]', conflicts: ['.list[name="a"].value'] },
      ],
      'list: [{name: a, value: 0}]',
      { 'apply-one': shared },
    );
  });

  test('remove_one_keep_one', () =>
    run(
      [
        { apply: 'apply-one', object: 'list: [{name: a}, {name: b}, {name: c}]' },
        { apply: 'apply-two', object: 'list: [{name: c}, {name: d}]' },
        { apply: 'apply-one', object: 'list: [{name: a}]' },
      ],
      'list: [{name: a}, {name: c}, {name: d}]',
      {
        'apply-one': [P('list', { name: 'a' }), P('list', { name: 'a' }, 'name')],
        'apply-two': [P('list', { name: 'c' }), P('list', { name: 'd' }), P('list', { name: 'c' }, 'name'), P('list', { name: 'd' }, 'name')],
      },
    ));

  test('remove_one_keep_one_with_two_sub_items', () =>
    run(
      [
        { apply: 'apply-one', object: 'listOfLists: [{name: a}, {name: b, value: [c]}]' },
        { apply: 'apply-two', object: 'listOfLists: [{name: b, value: [d]}]' },
        { apply: 'apply-one', object: 'listOfLists: [{name: a}]' },
      ],
      'listOfLists: [{name: a}, {name: b, value: [d]}]',
      {
        'apply-one': [P('listOfLists', { name: 'a' }), P('listOfLists', { name: 'a' }, 'name')],
        'apply-two': [P('listOfLists', { name: 'b' }), P('listOfLists', { name: 'b' }, 'name'), P('listOfLists', { name: 'b' }, 'value', ['=', 'd'])],
      },
    ));

  test('remove_one_keep_one_with_dangling_subitem', () =>
    run(
      [
        { apply: 'apply-one', object: 'listOfLists: [{name: a}, {name: b, value: [c]}]' },
        { apply: 'apply-two', object: 'listOfLists: [{name: b, value: [d]}]' },
        { update: 'controller', object: 'listOfLists: [{name: a}, {name: b, value: [c, d, e]}]' },
        { apply: 'apply-one', object: 'listOfLists: [{name: a}]' },
      ],
      'listOfLists: [{name: a}, {name: b, value: [d, e]}]',
      {
        'apply-one': [P('listOfLists', { name: 'a' }), P('listOfLists', { name: 'a' }, 'name')],
        'apply-two': [P('listOfLists', { name: 'b' }), P('listOfLists', { name: 'b' }, 'name'), P('listOfLists', { name: 'b' }, 'value', ['=', 'd'])],
        controller: [P('listOfLists', { name: 'b' }, 'value', ['=', 'e'])],
      },
    ));

  test('unset_scalar_sole_owner', () =>
    run(
      [
        { apply: 'apply-one', object: 'struct: {name: a, scalarField: a}' },
        { apply: 'apply-one', object: 'struct: {name: a}' },
      ],
      'struct: {name: a}',
      { 'apply-one': [P('struct', 'name')] },
    ));

  test('unset_scalar_shared_with_applier', () =>
    run(
      [
        { apply: 'apply-one', object: 'struct: {name: a, scalarField: a}' },
        { apply: 'apply-two', object: 'struct: {scalarField: a}' },
        { apply: 'apply-one', object: 'struct: {name: a}' },
      ],
      'struct: {name: a, scalarField: a}',
      { 'apply-one': [P('struct', 'name')], 'apply-two': [P('struct', 'scalarField')] },
    ));

  test('unset_scalar_shared_with_updater', () =>
    run(
      [
        { update: 'updater', object: 'struct: {name: a, scalarField: a}' },
        { apply: 'applier', object: 'struct: {name: a, scalarField: a}' },
        { apply: 'applier', object: 'struct: {name: a}' },
      ],
      'struct: {name: a, scalarField: a}',
      { updater: [P('struct'), P('struct', 'name'), P('struct', 'scalarField')], applier: [P('struct', 'name')] },
    ));

  test('updater_claims_field', () =>
    run(
      [
        { apply: 'applier', object: 'struct: {name: a, scalarField: a}' },
        { update: 'updater', object: 'struct: {name: a, scalarField: b}' },
      ],
      'struct: {name: a, scalarField: b}',
      { updater: [P('struct', 'scalarField')], applier: [P('struct', 'name')] },
    ));

  test('unset_complex_sole_owner and unset_complex_shared_with_applier', () => {
    run(
      [
        { apply: 'apply-one', object: 'struct: {name: a, complexField: {name: b}}' },
        { apply: 'apply-one', object: 'struct: {name: a}' },
      ],
      'struct: {name: a}',
      { 'apply-one': [P('struct', 'name')] },
    );
    run(
      [
        { apply: 'apply-one', object: 'struct: {name: a, complexField: {name: b}}' },
        { apply: 'apply-two', object: 'struct: {complexField: {name: b}}' },
        { apply: 'apply-one', object: 'struct: {name: a}' },
      ],
      'struct: {name: a, complexField: {name: b}}',
      { 'apply-one': [P('struct', 'name')], 'apply-two': [P('struct', 'complexField', 'name')] },
    );
  });
});
