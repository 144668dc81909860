// Who signed a request: the access key's secret and the identity behind it. The key `test`
// (secret `test`) is the root of the account out of the box; IAM users' access keys and STS
// session credentials are looked up in the state store.
import type { AwsStateStore, StateKind } from './state.js';
import type { AccessKeyRecord, SessionRecord, UserRecord } from './iam/model.js';
import { userKey } from './iam/model.js';

export const DEFAULT_ACCOUNT = '000000000000';
export const ROOT_ACCESS_KEY = 'test';
export const ROOT_SECRET = 'test';

export interface Caller {
  kind: 'root' | 'user' | 'assumed-role';
  accountId: string;
  /** GetCallerIdentity's Arn. */
  arn: string;
  /** GetCallerIdentity's UserId: the account for root, AIDA... for users, AROA...:session for roles. */
  userId: string;
  accessKeyId: string;
  userName?: string;
  roleName?: string;
  roleArn?: string;
  sessionName?: string;
  principalTags?: Record<string, string>;
}

export interface ResolvedKey {
  secret: string;
  /** Session credentials must come with this token. */
  sessionToken?: string;
  /** Epoch ms after which session credentials stop working. */
  expiration?: number;
  /** IAM user keys can be made Inactive. */
  active: boolean;
  caller: Caller;
}

export async function resolveAccessKey(state: AwsStateStore, accessKeyId: string, accountId = DEFAULT_ACCOUNT): Promise<ResolvedKey | undefined> {
  if (accessKeyId === ROOT_ACCESS_KEY) {
    return {
      secret: ROOT_SECRET,
      active: true,
      caller: { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId, accessKeyId },
    };
  }
  if (accessKeyId.startsWith('ASIA')) {
    const s = await state.get<SessionRecord>('session', accessKeyId);
    if (!s) return undefined;
    return {
      secret: s.SecretAccessKey,
      sessionToken: s.SessionToken,
      expiration: s.Expiration,
      active: true,
      caller: {
        kind: 'assumed-role',
        accountId: s.AccountId,
        arn: s.Arn,
        userId: `${s.RoleId}:${s.SessionName}`,
        accessKeyId,
        roleName: s.RoleName,
        roleArn: s.RoleArn,
        sessionName: s.SessionName,
        principalTags: s.Tags,
      },
    };
  }
  const key = await state.get<AccessKeyRecord>('accesskey', accessKeyId);
  if (!key) return undefined;
  const user = await state.get<UserRecord>('user', userKey(key.UserName));
  if (!user) return undefined;
  return {
    secret: key.SecretAccessKey,
    active: key.Status === 'Active',
    caller: {
      kind: 'user',
      accountId,
      arn: user.Arn,
      userId: user.UserId,
      accessKeyId,
      userName: user.UserName,
      principalTags: Object.fromEntries(user.Tags.map((t) => [t.Key, t.Value])),
    },
  };
}

/** How many resolved keys the cache holds before it starts over. */
const MAX_CACHED_KEYS = 10_000;

/**
 * Resolved access keys by id, so a request signed with a known IAM user key or session reads no
 * state. Entries are dropped whenever the store the IAM and STS services write through (`watch`)
 * writes or deletes the key, its user (tags, deletion) or the session: UpdateAccessKey Inactive
 * and DeleteAccessKey take effect on the very next request. Unknown keys are never cached.
 */
export class AccessKeyCache {
  private readonly keys = new Map<string, ResolvedKey>();
  /** Bumped by every invalidation: a lookup that raced one does not store what it read. */
  private generation = 0;

  constructor(private readonly state: AwsStateStore, private readonly accountId = DEFAULT_ACCOUNT) {}

  async resolve(accessKeyId: string): Promise<ResolvedKey | undefined> {
    const hit = this.keys.get(accessKeyId);
    if (hit) return hit;
    const generation = this.generation;
    const key = await resolveAccessKey(this.state, accessKeyId, this.accountId);
    if (key && generation === this.generation) {
      if (this.keys.size >= MAX_CACHED_KEYS) this.keys.clear();
      this.keys.set(accessKeyId, key);
    }
    return key;
  }

  invalidate(kind: StateKind, id: string): void {
    if (kind !== 'accesskey' && kind !== 'session' && kind !== 'user') return;
    this.generation++;
    if (kind === 'user') {
      for (const [keyId, k] of this.keys) if (k.caller.userName !== undefined && userKey(k.caller.userName) === id) this.keys.delete(keyId);
    } else {
      this.keys.delete(id);
    }
  }

  /** `state` with every write and delete reported to this cache once it is done. */
  watch(state: AwsStateStore): AwsStateStore {
    return {
      get: (kind, id) => state.get(kind, id),
      list: (kind) => state.list(kind),
      put: async (kind, id, obj) => {
        try {
          await state.put(kind, id, obj);
        } finally {
          this.invalidate(kind, id);
        }
      },
      delete: async (kind, id) => {
        try {
          return await state.delete(kind, id);
        } finally {
          this.invalidate(kind, id);
        }
      },
    };
  }
}
