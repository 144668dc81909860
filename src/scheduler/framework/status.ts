// framework.Status: a code plus reasons, returned by every plugin instead of a boolean
// (pkg/scheduler/framework/interface.go).

export enum Code {
  Success = 0,
  Error = 1,
  /** The pod does not fit now; preemption or a cluster change may help. */
  Unschedulable = 2,
  /** The pod does not fit and preemption on this node would not help. */
  UnschedulableAndUnresolvable = 3,
  Wait = 4,
  /** The plugin has nothing to do for this pod; its later extension points are skipped. */
  Skip = 5,
}

export const CODE_NAMES: Record<Code, string> = {
  [Code.Success]: 'Success',
  [Code.Error]: 'Error',
  [Code.Unschedulable]: 'Unschedulable',
  [Code.UnschedulableAndUnresolvable]: 'UnschedulableAndUnresolvable',
  [Code.Wait]: 'Wait',
  [Code.Skip]: 'Skip',
};

export class Status {
  /** The plugin that returned this status (set by the framework runner). */
  plugin = '';

  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = [],
    readonly err?: Error,
  ) {}

  static success(): Status {
    return SUCCESS;
  }

  static unschedulable(...reasons: string[]): Status {
    return new Status(Code.Unschedulable, reasons);
  }

  static unresolvable(...reasons: string[]): Status {
    return new Status(Code.UnschedulableAndUnresolvable, reasons);
  }

  static skip(): Status {
    return new Status(Code.Skip);
  }

  static error(err: unknown): Status {
    const e = err instanceof Error ? err : new Error(String(err));
    return new Status(Code.Error, [e.message], e);
  }

  isSuccess(): boolean {
    return this.code === Code.Success;
  }

  isSkip(): boolean {
    return this.code === Code.Skip;
  }

  /** Unschedulable or UnschedulableAndUnresolvable. */
  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable;
  }

  /** Status.Message(): the reasons joined by ", ". */
  message(): string {
    return this.reasons.join(', ');
  }

  withPlugin(name: string): Status {
    if (this === SUCCESS) return this;
    this.plugin = name;
    return this;
  }
}

const SUCCESS = new Status(Code.Success);

/** A plugin result that may be undefined for success, as upstream's nil *Status. */
export type MaybeStatus = Status | undefined;

export function isSuccess(s: MaybeStatus): boolean {
  return s === undefined || s.code === Code.Success;
}
