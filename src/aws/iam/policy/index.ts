export { parsePolicy } from './parse.js';
export { evaluate, evaluateDetailed, evaluateTrust, type PolicySet, type DetailedDecision } from './evaluate.js';
export type { Policy, Statement, PolicyKind, PrincipalSpec, RequestPrincipal, RequestContext, ContextValue, Decision } from './types.js';
