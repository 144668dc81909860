// Inline and attached policies of an IAM principal (role, user or group): the seven actions IAM has for
// each kind (Put/Get/Delete/List<Kind>Policy, Attach/Detach/ListAttached<Kind>Policies), which
// differ only in the principal's name and quota.
import { limitExceeded, noSuchEntity } from '../errors.js';
import { checkName, encodeDocument, page, required } from './common.js';
import type { IamAction, IamDeps } from './deps.js';
import { loadAttachable } from './policies.js';
import { parsePolicy } from './policy/index.js';

interface PolicyHolder {
  AttachedPolicies: string[];
  InlinePolicies: Record<string, string>;
}

export interface PrincipalKind<T extends PolicyHolder> {
  /** 'Role', 'User' or 'Group', as in the action names. */
  kind: 'Role' | 'User' | 'Group';
  load(deps: IamDeps, name: string): Promise<T>;
  save(deps: IamDeps, principal: T): Promise<void>;
}

/** IAM's quota of managed policies attached to one role, user or group. */
const ATTACHED_POLICY_QUOTA = 10;

export function principalPolicyActions<T extends PolicyHolder>(pk: PrincipalKind<T>): Record<string, IamAction> {
  const nameParam = `${pk.kind}Name`;
  const lower = pk.kind.toLowerCase();
  const get = (deps: IamDeps, p: Record<string, string>) => pk.load(deps, required(p, nameParam));
  return {
    async [`Put${pk.kind}Policy`](p, _ctx, deps) {
      const principal = await get(deps, p);
      const name = required(p, 'PolicyName');
      checkName(name, 'PolicyName', 128);
      const doc = required(p, 'PolicyDocument');
      parsePolicy(doc, 'identity');
      principal.InlinePolicies[name] = doc;
      await pk.save(deps, principal);
      return undefined;
    },
    async [`Get${pk.kind}Policy`](p, _ctx, deps) {
      const principal = await get(deps, p);
      const name = required(p, 'PolicyName');
      const doc = principal.InlinePolicies[name];
      if (doc === undefined) throw noSuchEntity(`The ${lower} policy with name ${name} cannot be found.`);
      return { [nameParam]: (principal as unknown as Record<string, string>)[nameParam], PolicyName: name, PolicyDocument: encodeDocument(doc) };
    },
    async [`Delete${pk.kind}Policy`](p, _ctx, deps) {
      const principal = await get(deps, p);
      const name = required(p, 'PolicyName');
      if (principal.InlinePolicies[name] === undefined) throw noSuchEntity(`The ${lower} policy with name ${name} cannot be found.`);
      delete principal.InlinePolicies[name];
      await pk.save(deps, principal);
      return undefined;
    },
    async [`List${pk.kind}Policies`](p, _ctx, deps) {
      const principal = await get(deps, p);
      const pg = page(Object.keys(principal.InlinePolicies).sort(), p);
      return { PolicyNames: pg.items, IsTruncated: pg.IsTruncated, Marker: pg.Marker };
    },
    async [`Attach${pk.kind}Policy`](p, _ctx, deps) {
      const principal = await get(deps, p);
      const arn = required(p, 'PolicyArn');
      await loadAttachable(deps, arn);
      if (!principal.AttachedPolicies.includes(arn)) {
        if (principal.AttachedPolicies.length >= ATTACHED_POLICY_QUOTA) throw limitExceeded(`Cannot exceed quota for PoliciesPer${pk.kind}: ${ATTACHED_POLICY_QUOTA}.`);
        principal.AttachedPolicies.push(arn);
      }
      await pk.save(deps, principal);
      return undefined;
    },
    async [`Detach${pk.kind}Policy`](p, _ctx, deps) {
      const principal = await get(deps, p);
      const arn = required(p, 'PolicyArn');
      if (!principal.AttachedPolicies.includes(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
      principal.AttachedPolicies = principal.AttachedPolicies.filter((a) => a !== arn);
      await pk.save(deps, principal);
      return undefined;
    },
    async [`ListAttached${pk.kind}Policies`](p, _ctx, deps) {
      const principal = await get(deps, p);
      const attached = await Promise.all(principal.AttachedPolicies.map(async (arn) => ({ PolicyName: (await loadAttachable(deps, arn)).PolicyName, PolicyArn: arn })));
      const pg = page(attached, p);
      return { AttachedPolicies: pg.items, IsTruncated: pg.IsTruncated, Marker: pg.Marker };
    },
  };
}
