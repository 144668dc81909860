// Where IAM and STS keep their objects. One small interface so the handlers never see storage:
// an in-memory store for tests and a KubeClient-backed store (kube-state.ts) that main/ wires to
// the management control plane for durability.

/** 'vpc': a region's VpcModel (toJSON), keyed by region. 'launchtemplate': one EC2 launch template with its versions, keyed by region/id. */
export type StateKind = 'role' | 'user' | 'group' | 'instanceprofile' | 'policy' | 'accesskey' | 'session' | 'oidc' | 'vpc' | 'launchtemplate';

export interface AwsStateStore {
  get<T = Record<string, unknown>>(kind: StateKind, id: string): Promise<T | undefined>;
  put(kind: StateKind, id: string, obj: unknown): Promise<void>;
  /** True when something was deleted. */
  delete(kind: StateKind, id: string): Promise<boolean>;
  /** Every object of the kind, ordered by id. */
  list<T = Record<string, unknown>>(kind: StateKind): Promise<T[]>;
}

/** Objects kept as JSON text so callers never share mutable objects with the store. */
export class MemoryAwsStateStore implements AwsStateStore {
  private readonly kinds = new Map<StateKind, Map<string, string>>();

  private bucket(kind: StateKind): Map<string, string> {
    let b = this.kinds.get(kind);
    if (!b) this.kinds.set(kind, (b = new Map()));
    return b;
  }
  async get<T>(kind: StateKind, id: string): Promise<T | undefined> {
    const text = this.bucket(kind).get(id);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  async put(kind: StateKind, id: string, obj: unknown): Promise<void> {
    this.bucket(kind).set(id, JSON.stringify(obj));
  }
  async delete(kind: StateKind, id: string): Promise<boolean> {
    return this.bucket(kind).delete(id);
  }
  async list<T>(kind: StateKind): Promise<T[]> {
    return [...this.bucket(kind).entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, text]) => JSON.parse(text) as T);
  }
}
