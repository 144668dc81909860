import type { Params, XmlValue } from '../server/query.js';
import type { CallContext } from '../server/services.js';
import type { AwsStateStore } from '../state.js';

export interface IamDeps {
  state: AwsStateStore;
  accountId: string;
}

export type IamAction = (params: Params, ctx: CallContext, deps: IamDeps) => Promise<Record<string, XmlValue> | undefined>;
