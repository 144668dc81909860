// What a service plugs into the AWS endpoint with. Query-protocol services (IAM, STS) answer
// actions with XML results; restJson1 services (EKS) get the parsed request and answer JSON.
import type { Clock } from '../../util/clock.js';
import type { Authorizer } from '../authorize.js';
import type { Caller } from '../identity.js';
import type { Params, XmlValue } from './query.js';
import type { Query } from './sigv4.js';

export interface CallContext {
  /** Undefined only for actions a service serves unsigned (AssumeRoleWithWebIdentity). */
  caller?: Caller;
  requestId: string;
  region: string;
  sourceIp: string;
  clock: Clock;
  authorize: Authorizer;
}

export interface QueryService {
  /** SigV4 signing name, e.g. "iam". */
  signingName: string;
  /** XML namespace of answers, e.g. https://iam.amazonaws.com/doc/2010-05-08/ */
  xmlNamespace: string;
  apiVersion: string;
  /** Actions served without a signature. */
  unsignedActions?: ReadonlySet<string>;
  /** The action's <ActionResult> members; throws AwsError. Undefined for actions without a result. */
  handle(action: string, params: Params, ctx: CallContext): Promise<Record<string, XmlValue> | undefined>;
  /** True when the service has the action (unknown ones get InvalidAction). */
  has(action: string): boolean;
}

export interface RestJsonRequest {
  method: string;
  /** Path as sent, still percent-encoded. */
  rawPath: string;
  query: Query;
  headers: Record<string, string>;
  /** The JSON body, or undefined when there is none. */
  body: unknown;
  ctx: CallContext & { caller: Caller };
}

export interface RestJsonResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Answers one restJson1 request; throws AwsError for the service's own errors. */
export type RestJsonHandler = (req: RestJsonRequest) => Promise<RestJsonResponse>;

/**
 * A query-protocol service that renders its own documents, success and error alike (EC2's
 * variant: no <ActionResult> wrapper, errors as <Response><Errors>). The endpoint authenticates,
 * authorizes `<signingName>:<Action>` under --enforce-iam, parses the form and writes the answer.
 */
export interface DocumentQueryService {
  signingName: string;
  has(action: string): boolean;
  handle(action: string, params: Params, ctx: { requestId: string; region: string; callerArn?: string }): Promise<{ status: number; body: string }>;
  /** Renders an error the endpoint raises (authentication, authorization, unknown action). */
  errorDocument(code: string, message: string, requestId: string): string;
}
