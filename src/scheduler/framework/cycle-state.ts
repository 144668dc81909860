// framework.CycleState: data plugins keep for one scheduling attempt of one pod.

export interface StateData {
  /** A copy for preemption's dry runs; immutable data may return itself. */
  clone(): StateData;
}

export class CycleState {
  private readonly data = new Map<string, StateData>();
  /** Plugins whose PreFilter answered Skip: their Filter is not called. */
  readonly skipFilterPlugins = new Set<string>();
  /** Plugins whose PreScore answered Skip: their Score is not called. */
  readonly skipScorePlugins = new Set<string>();
  /** The Filter plugins left after PreFilter's skips, computed once per cycle by the runner. */
  activeFilters: unknown[] | undefined;

  read<T extends StateData>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, value: StateData): void {
    this.data.set(key, value);
  }

  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) c.data.set(k, v.clone());
    for (const p of this.skipFilterPlugins) c.skipFilterPlugins.add(p);
    for (const p of this.skipScorePlugins) c.skipScorePlugins.add(p);
    return c;
  }
}
