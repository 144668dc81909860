// Static field checks of CEL rules against the schema, as cel-go's checker reports them with the
// types apiextensions-apiserver declares for `self` (pkg/apiserver/schema/cel/model): selecting a
// property an object does not declare is `undefined field 'x'`; selecting from a scalar is
// `type 'int' does not support field selection`. Objects that preserve unknown fields, maps and
// values of unknown type are not checked. Calls of Kubernetes' library functions are checked
// where their argument types are evident (cel-overloads.ts); other operators and functions are not.
// Optional selection (`a.?b`, and `.b` after it) is checked like selection (cel-go checkOptSelect).
import type { Expr } from './cel-compile.js';
import { OPT_HAS, OPT_INDEX, OPT_LIST, OPT_MAP, OPT_SELECT } from './cel-optional.js';
import { overloadError, RESULT_TYPES } from './cel-overloads.js';
import { escapeName } from './cel-values.js';
import type { SchemaNode } from './node.js';

/** Pseudo-node of a resource's metadata as CEL sees it: name and generateName only. */
const META_NODE = { type: 'object', properties: new Map([['name', { type: 'string' }], ['generateName', { type: 'string' }]]), preserveUnknown: false } as unknown as SchemaNode;
const STRING_NODE = { type: 'string' } as SchemaNode;

function celTypeName(node: SchemaNode): string | undefined {
  if (node.intOrString) return undefined;
  switch (node.type) {
    case 'string':
      return 'string';
    case 'integer':
      return 'int';
    case 'number':
      return 'double';
    case 'boolean':
      return 'bool';
    default:
      return undefined;
  }
}

/** The CEL type name of a value of the node, where it is a scalar. */
function nodeTypeName(node: SchemaNode): string | undefined {
  if (node.type === 'string' && !node.intOrString) {
    if (node.format === 'date-time' || node.format === 'date') return 'google.protobuf.Timestamp';
    if (node.format === 'duration') return 'google.protobuf.Duration';
    if (node.format === 'byte') return 'bytes';
  }
  return celTypeName(node);
}

const CONST_TYPES: Record<string, string> = { int64Value: 'int', uint64Value: 'uint', doubleValue: 'double', boolValue: 'bool', stringValue: 'string', bytesValue: 'bytes', nullValue: 'null_type' };

interface Issue {
  offset: number;
  message: string;
}

class FieldChecker {
  readonly issues: Issue[] = [];
  /** Result types of library calls, for checking the calls they are passed to. */
  private readonly callTypes = new WeakMap<Expr, string>();

  constructor(
    private readonly self: SchemaNode,
    private readonly isResource: boolean,
    private readonly positions: Record<string, number>,
    private readonly src = '',
  ) {}

  private typeOf(e: Expr | undefined, node: SchemaNode | undefined): string | undefined {
    if (!e) return undefined;
    if (node) return nodeTypeName(node);
    const k = e.exprKind;
    if (k.case === 'constExpr') return CONST_TYPES[k.value.constantKind.case ?? ''];
    return this.callTypes.get(e);
  }

  /** Library overload errors, placed like cel-go at the call's opening parenthesis. */
  private checkCall(e: Expr, target: Expr | undefined, targetNode: SchemaNode | undefined, args: Expr[], argNodes: (SchemaNode | undefined)[], pos: number): void {
    const k = e.exprKind;
    if (k.case !== 'callExpr') return;
    const fn = k.value.function;
    // A namespaced call (`ip.isCanonical(...)`) has an identifier target that is no variable.
    const targetType = target ? this.typeOf(target, targetNode) : null;
    const msg = overloadError(fn, targetType, args.map((a, i) => this.typeOf(a, argNodes[i])));
    if (msg) {
      const at = this.src.indexOf(`${fn}(`, pos);
      this.issues.push({ offset: at < 0 ? pos : at + fn.length, message: msg });
    }
    const result = RESULT_TYPES[fn];
    if (result && (fn !== 'sign' || !target)) this.callTypes.set(e, result);
  }

  private field(node: SchemaNode | undefined, name: string, resource: boolean, at: number): SchemaNode | undefined {
    if (!node) return undefined;
    if (resource || node.embedded) {
      if (name === 'apiVersion' || name === 'kind') return STRING_NODE;
      if (name === 'metadata') return META_NODE;
    }
    const scalar = celTypeName(node);
    if (scalar) {
      this.issues.push({ offset: at, message: `type '${scalar}' does not support field selection` });
      return undefined;
    }
    if (node.properties) {
      for (const [k, v] of node.properties) if (escapeName(k) === name) return v;
      if (node.preserveUnknown || node.additional) return undefined;
      this.issues.push({ offset: at, message: `undefined field '${name}'` });
      return undefined;
    }
    return node.additional;
  }

  private isRoot(e: Expr | undefined, scope: Map<string, SchemaNode | undefined>): boolean {
    return this.isResource && e?.exprKind.case === 'identExpr' && (e.exprKind.value.name === 'self' || e.exprKind.value.name === 'oldSelf') && !scope.has(e.exprKind.value.name);
  }

  /** Walks an expression; returns the schema node of its value where known. */
  walk(e: Expr | undefined, scope: Map<string, SchemaNode | undefined>): SchemaNode | undefined {
    if (!e) return undefined;
    const k = e.exprKind;
    const pos = this.positions[String(e.id)] ?? 0;
    switch (k.case) {
      case 'identExpr':
        if (scope.has(k.value.name)) return scope.get(k.value.name);
        return k.value.name === 'self' || k.value.name === 'oldSelf' ? this.self : undefined;
      case 'selectExpr': {
        const operand = k.value.operand;
        const base = this.walk(operand, scope);
        const node = this.field(base, k.value.field, this.isRoot(operand, scope), pos);
        return k.value.testOnly ? undefined : node;
      }
      case 'callExpr': {
        const [operand, key] = k.value.args;
        // The node of an optional selection is that of the value it may hold.
        if (k.value.function === OPT_SELECT && key?.exprKind.case === 'constExpr' && key.exprKind.value.constantKind.case === 'stringValue') {
          return this.field(this.walk(operand, scope), key.exprKind.value.constantKind.value, this.isRoot(operand, scope), pos);
        }
        if (k.value.function === OPT_INDEX) {
          const base = this.walk(operand, scope);
          this.walk(key, scope);
          return base?.type === 'array' ? base.items : base?.additional;
        }
        const targetNode = this.walk(k.value.target, scope);
        const args = k.value.args.map((a) => this.walk(a, scope));
        this.checkCall(e, k.value.target, targetNode, k.value.args, args, pos);
        if (k.value.function === '_[_]' && args.length === 2) {
          const base = args[0];
          return base?.type === 'array' ? base.items : base?.additional;
        }
        return undefined;
      }
      case 'listExpr':
        for (const el of k.value.elements) this.walk(el, scope);
        return undefined;
      case 'structExpr':
        for (const en of k.value.entries) {
          if (en.keyKind.case === 'mapKey') this.walk(en.keyKind.value, scope);
          this.walk(en.value, scope);
        }
        return undefined;
      case 'comprehensionExpr': {
        const c = k.value;
        const range = this.walk(c.iterRange, scope);
        this.walk(c.accuInit, scope);
        const inner = new Map(scope);
        if (range?.type === 'array') {
          inner.set(c.iterVar, c.iterVar2 ? undefined : range.items);
          if (c.iterVar2) inner.set(c.iterVar2, range.items);
        } else {
          inner.set(c.iterVar, range && range.type === 'object' ? STRING_NODE : undefined);
          if (c.iterVar2) inner.set(c.iterVar2, range?.additional);
        }
        inner.set(c.accuVar, undefined);
        this.walk(c.loopCondition, inner);
        this.walk(c.loopStep, inner);
        this.walk(c.result, inner);
        return undefined;
      }
      default:
        return undefined;
    }
  }
}

/** Field-selection and library overload problems of an expression over `self` of the given node. */
export function checkFields(ast: Expr, self: SchemaNode, isResource: boolean, positions: Record<string, number>, src = ''): Issue[] {
  const c = new FieldChecker(self, isResource, positions, src);
  c.walk(ast, new Map());
  return c.issues;
}

/** What an expression evaluates to, where it is evident without a full type checker. */
export type ResultKind = 'bool' | 'string' | 'other' | 'unknown';

const BOOL_FUNCTIONS = new Set([
  '_==_', '_!=_', '_<_', '_<=_', '_>_', '_>=_', '_&&_', '_||_', '!_', '@in', '@not_strictly_false',
  'matches', 'startsWith', 'endsWith', 'contains', 'isSorted', 'isIP', 'isCIDR', 'isURL', 'isQuantity', 'bool',
  'isInteger', 'isGreaterThan', 'isLessThan', 'isUnspecified', 'isLoopback', 'isLinkLocalMulticast', 'isLinkLocalUnicast',
  'isGlobalUnicast', 'containsIP', 'containsCIDR', 'isCanonical', 'equivalent', 'intersects', 'hasValue', OPT_HAS,
]);
const STRING_FUNCTIONS = new Set([
  'string', 'lowerAscii', 'upperAscii', 'trim', 'replace', 'substring', 'charAt', 'join', 'quote', 'find', 'format',
  'getScheme', 'getHost', 'getHostname', 'getPort', 'getEscapedPath',
]);
const OTHER_FUNCTIONS = new Set([
  '_-_', '_*_', '_/_', '_%_', '-_', 'size', 'int', 'uint', 'double', 'bytes', 'duration', 'timestamp', 'split', 'findAll', 'indexOf', 'lastIndexOf', '_[_]',
  'quantity', 'sign', 'asInteger', 'asApproximateFloat', 'compareTo', 'add', 'sub', 'url', 'getQuery', 'ip', 'cidr', 'family', 'prefixLength', 'masked',
  'validate', 'named', 'of', 'ofNonZeroValue', 'none', 'unwrap', 'unwrapOpt', 'or', OPT_SELECT, OPT_INDEX, OPT_LIST, OPT_MAP,
]);

function kindOfNode(node: SchemaNode | undefined): ResultKind {
  if (!node || node.intOrString) return 'unknown';
  if (node.type === 'boolean') return 'bool';
  if (node.type === 'string') return node.format === 'date-time' || node.format === 'date' || node.format === 'duration' || node.format === 'byte' ? 'other' : 'string';
  if (node.type === 'integer' || node.type === 'number' || node.type === 'array') return 'other';
  if (node.type === 'object' && !node.preserveUnknown) return 'other';
  return 'unknown';
}

/** The evident result of an expression over `self` of the given node. */
export function resultKind(ast: Expr, self: SchemaNode, isResource: boolean): ResultKind {
  const k = ast.exprKind;
  switch (k.case) {
    case 'constExpr':
      return k.value.constantKind.case === 'boolValue' ? 'bool' : k.value.constantKind.case === 'stringValue' ? 'string' : k.value.constantKind.case === 'nullValue' ? 'other' : 'other';
    case 'listExpr':
    case 'structExpr':
      return 'other';
    case 'comprehensionExpr':
      return 'unknown';
    case 'identExpr':
    case 'selectExpr': {
      if (k.case === 'selectExpr' && k.value.testOnly) return 'bool';
      const c = new FieldChecker(self, isResource, {});
      return kindOfNode(c.walk(ast, new Map()));
    }
    case 'callExpr': {
      const fn = k.value.function;
      if (BOOL_FUNCTIONS.has(fn)) return 'bool';
      if (STRING_FUNCTIONS.has(fn)) return 'string';
      if (fn === '_+_') {
        const [a, b] = k.value.args.map((x) => resultKind(x, self, isResource));
        return a === 'string' || b === 'string' ? 'string' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'other';
      }
      if (fn === '_?_:_') {
        const [, a, b] = k.value.args.map((x) => resultKind(x, self, isResource));
        return a === b ? (a ?? 'unknown') : a === 'unknown' || b === 'unknown' ? 'unknown' : 'other';
      }
      if (OTHER_FUNCTIONS.has(fn)) return 'other';
      return 'unknown';
    }
    default:
      return 'unknown';
  }
}
