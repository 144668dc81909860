// A real Registry over a MemoryStore with an in-process client, a FakeClock shared by the API
// server and the simulator, and helpers that drive simulated time from one due timer to the next.
import { Registry } from '../../src/apiserver/registry/index.js';
import type { UserInfo } from '../../src/apiserver/registry/index.js';
import { builtinCatalog } from '../../src/apiserver/schema/catalog.js';
import { createInProcessClient } from '../../src/client/in-process.js';
import type { KubeClient, Obj } from '../../src/client/types.js';
import { NodeSimulator } from '../../src/kubelet/simulator.js';
import type { NodeSimulatorOptions } from '../../src/kubelet/simulator.js';
import { MemoryStore } from '../../src/storage/drivers/memory.js';
import { FakeClock } from '../../src/util/clock.js';

const catalog = builtinCatalog();
const ADMIN: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

interface Hooks {
  after(fn: () => unknown): void;
}

export async function startCluster(t: Hooks, opts: Partial<NodeSimulatorOptions> = {}) {
  const store = new MemoryStore();
  const clock = new FakeClock(T0);
  const registry = new Registry({ store, catalog, clock });
  await registry.start();
  const client: KubeClient = createInProcessClient(registry, catalog, ADMIN, 'kumo-kubelet-test/v0');
  const sim = new NodeSimulator({ client, clock, seed: 7, ...opts });
  t.after(async () => {
    await sim.stop();
    await registry.stop();
    await store.close();
  });
  await sim.start();
  await sim.podInformer().waitForSync();
  return { clock, client, sim, registry };
}

/** Waits until the simulator has been idle for several event-loop turns in a row. */
export async function settle(sim: NodeSimulator): Promise<void> {
  let quiet = 0;
  for (let i = 0; i < 100_000; i++) {
    await new Promise((r) => setImmediate(r));
    quiet = sim.idle() ? quiet + 1 : 0;
    if (quiet >= 8) return;
  }
  throw new Error('the simulator did not settle');
}

/** Advances the clock from one due timer to the next until `endAt`, settling after each step. */
export async function runUntil(clock: FakeClock, sim: NodeSimulator, endAt: number): Promise<void> {
  await settle(sim);
  for (;;) {
    const next = sim.nextDueAt();
    if (next === undefined || next > endAt) break;
    clock.advance(Math.max(0, next - clock.now()));
    await settle(sim);
  }
  if (clock.now() < endAt) clock.advance(endAt - clock.now());
  await settle(sim);
}

export function podManifest(name: string, extra: { annotations?: Record<string, string>; spec?: Record<string, unknown>; ownerReferences?: Obj[] } = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...(extra.annotations ? { annotations: extra.annotations } : {}), ...(extra.ownerReferences ? { ownerReferences: extra.ownerReferences } : {}) },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...(extra.spec ?? {}) },
  };
}

type Cond = { type: string; status: string; reason?: string };
type CS = { name: string; state: Record<string, Record<string, unknown>>; lastState: Record<string, Record<string, unknown>>; ready: boolean; restartCount: number; started?: boolean };

function stateText(state: Record<string, Record<string, unknown>>): string {
  if (state.waiting) return `waiting(${state.waiting.reason}${state.waiting.message && String(state.waiting.reason) === 'CrashLoopBackOff' ? `: ${state.waiting.message}` : ''})`;
  if (state.running) return 'running';
  if (state.terminated) return `terminated(${state.terminated.reason} ${state.terminated.exitCode})`;
  return '-';
}

/** One line per pod status: phase | conditions | containers, compact enough for golden data. */
export function summarize(pod: Obj): string {
  const st = (pod.status ?? {}) as { phase?: string; conditions?: Cond[]; initContainerStatuses?: CS[]; containerStatuses?: CS[]; podIP?: string };
  const conds = (st.conditions ?? []).map((c) => `${c.type}=${c.status}${c.reason ? `(${c.reason})` : ''}`).join(' ');
  const cs = (list: CS[] | undefined, prefix: string) =>
    (list ?? []).map((c) => {
      const last = c.lastState?.terminated ? ` last=${stateText(c.lastState)}` : '';
      return `${prefix}${c.name}:${stateText(c.state)} r${c.restartCount}${c.ready ? ' ready' : ''}${c.started ? ' started' : ''}${last}`;
    });
  const deleting = (pod.metadata as Obj | undefined)?.deletionTimestamp ? ' | deleting' : '';
  return [st.phase ?? '-', conds, [...cs(st.initContainerStatuses, 'init:'), ...cs(st.containerStatuses, '')].join(', '), st.podIP ? 'ip' : 'no-ip'].join(' | ') + deleting;
}

/** Records every change of a pod seen through a watch, stamped with simulated seconds since T0. */
export function recordPod(client: KubeClient, clock: FakeClock, name: string, t: Hooks): string[] {
  const out: string[] = [];
  const ac = new AbortController();
  t.after(() => ac.abort());
  void (async () => {
    try {
      for await (const ev of client.resource('', 'v1', 'pods').watch('default', { fieldSelector: `metadata.name=${name}`, signal: ac.signal })) {
        const at = ((clock.now() - T0) / 1000).toFixed(3);
        out.push(ev.type === 'DELETED' ? `${at} DELETED` : `${at} ${summarize(ev.object)}`);
      }
    } catch {
      /* the watch ends with the test */
    }
  })();
  return out;
}

/** Collapses consecutive identical summaries (writes that changed only timestamps). */
export function distinct(lines: string[]): string[] {
  return lines.filter((l, i) => i === 0 || l.slice(l.indexOf(' ')) !== lines[i - 1].slice(lines[i - 1].indexOf(' ')));
}
