// A simplified static cost estimate of x-kubernetes-validations rules (upstream: cel-go's cost
// estimator with Kubernetes' size estimates, validation.go getExpressionCost): the number of
// comprehension iterations (nested all/exists/map/filter multiply by the largest size each list or
// map can have: maxItems/maxProperties, else as many as fit in a 3 MiB request), times the
// number of places the rule's schema node can occur. Identifiers, selections, calls and
// iterations cost 1 and literals nothing, at or below upstream's per-node costs, so the estimate
// stays at or below upstream's: what it rejects, upstream rejects too.
import type { parse } from '@bufbuild/cel';
import { ENTRIES } from './cel-comprehensions.js';
import { OPT_INDEX, OPT_SELECT } from './cel-optional.js';
import { escapeName } from './cel-values.js';
import type { SchemaNode } from './node.js';

type Expr = ReturnType<typeof parse>['expr'];

/** StaticEstimatedCostLimit: the largest estimated cost of one expression. */
export const PER_EXPRESSION_COST_LIMIT = 10_000_000;
/** apiserver's maximum request body size, the bound of unbounded lists and maps. */
const MAX_REQUEST_BYTES = 3 * 1024 * 1024;

/** The smallest JSON form of a value of the node plus its separator (generous, so sizes stay low). */
function minSerializedSize(node: SchemaNode | undefined): number {
  switch (node?.type) {
    case 'boolean':
      return 5;
    case 'integer':
    case 'number':
      return 2;
    default:
      return 3;
  }
}

/** Largest number of elements of a list or entries of a map node. */
export function maxCardinality(node: SchemaNode): number {
  if (node.type === 'array') {
    if (typeof node.raw.maxItems === 'number') return node.raw.maxItems;
    return Math.floor(MAX_REQUEST_BYTES / minSerializedSize(node.items));
  }
  if (typeof node.raw.maxProperties === 'number') return node.raw.maxProperties;
  // A map entry: `"":` plus the value.
  return Math.floor(MAX_REQUEST_BYTES / (3 + minSerializedSize(node.additional)));
}

const STRING_NODE = { type: 'string' } as SchemaNode;

function fieldNode(node: SchemaNode | undefined, field: string): SchemaNode | undefined {
  if (!node) return undefined;
  if (node.properties) {
    for (const [k, v] of node.properties) if (escapeName(k) === field) return v;
  }
  return node.additional;
}

class Estimator {
  constructor(private readonly self: SchemaNode) {}

  /** The schema node an expression evaluates to, where known. */
  nodeOf(e: Expr | undefined, scope: Map<string, SchemaNode | undefined>): SchemaNode | undefined {
    if (!e) return undefined;
    const k = e.exprKind;
    switch (k.case) {
      case 'identExpr':
        if (scope.has(k.value.name)) return scope.get(k.value.name);
        return k.value.name === 'self' || k.value.name === 'oldSelf' ? this.self : undefined;
      case 'selectExpr':
        return k.value.testOnly ? undefined : fieldNode(this.nodeOf(k.value.operand, scope), k.value.field);
      case 'callExpr':
        // A rewritten two-variable comprehension iterates over the pairs of its range.
        if (k.value.function === ENTRIES) return this.nodeOf(k.value.args[0], scope);
        // Optional selections and what they hold (`self.?items.value()`) have the selected node.
        if (k.value.function === OPT_SELECT) {
          const field = k.value.args[1]?.exprKind;
          return field?.case === 'constExpr' && field.value.constantKind.case === 'stringValue' ? fieldNode(this.nodeOf(k.value.args[0], scope), field.value.constantKind.value) : undefined;
        }
        if ((k.value.function === 'value' || k.value.function === 'orValue') && k.value.target) return this.nodeOf(k.value.target, scope);
        if ((k.value.function === '_[_]' || k.value.function === OPT_INDEX) && k.value.args.length === 2) {
          const base = this.nodeOf(k.value.args[0], scope);
          return base?.type === 'array' ? base.items : base?.additional;
        }
        return undefined;
      default:
        return undefined;
    }
  }

  cost(e: Expr | undefined, scope: Map<string, SchemaNode | undefined>): number {
    if (!e) return 0;
    const k = e.exprKind;
    switch (k.case) {
      case 'selectExpr':
        return 1 + this.cost(k.value.operand, scope);
      case 'callExpr':
        return 1 + this.cost(k.value.target, scope) + k.value.args.reduce((n, a) => n + this.cost(a, scope), 0);
      // Literals cost nothing here (upstream: constants 0, list and map creation 10 and 30 more).
      case 'constExpr':
        return 0;
      case 'listExpr':
        return k.value.elements.reduce((n, a) => n + this.cost(a, scope), 0);
      case 'structExpr':
        return k.value.entries.reduce((n, en) => n + this.cost(en.value, scope) + (en.keyKind.case === 'mapKey' ? this.cost(en.keyKind.value, scope) : 0), 0);
      case 'comprehensionExpr': {
        const c = k.value;
        const range = this.nodeOf(c.iterRange, scope);
        const iterations = range && (range.type === 'array' || range.type === 'object') ? maxCardinality(range) : 1;
        const inner = new Map(scope);
        if (range?.type === 'array') {
          inner.set(c.iterVar, c.iterVar2 ? undefined : range.items);
          if (c.iterVar2) inner.set(c.iterVar2, range.items);
        } else {
          inner.set(c.iterVar, range ? STRING_NODE : undefined);
          if (c.iterVar2) inner.set(c.iterVar2, range?.additional);
        }
        inner.set(c.accuVar, undefined);
        const perIteration = this.cost(c.loopCondition, inner) + this.cost(c.loopStep, inner);
        return this.cost(c.iterRange, scope) + this.cost(c.accuInit, scope) + iterations * Math.max(1, perIteration) + this.cost(c.result, inner);
      }
      default:
        return 1;
    }
  }
}

/** Estimated cost of one rule on a node that can occur `cardinality` times in an object. */
export function estimateCost(ast: Expr, self: SchemaNode, cardinality: number): number {
  return new Estimator(self).cost(ast, new Map()) * cardinality;
}

/** getCostErrorMessage. */
export function costErrorMessage(costName: string, cost: number, limit: number): string {
  const f = cost / limit;
  const factor = f > 100 ? 'more than 100x' : f < 1.5 ? `${f.toFixed(6)}x` : `${f.toFixed(1)}x`;
  return `${costName} exceeds budget by factor of ${factor} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}
