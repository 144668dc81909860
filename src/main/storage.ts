// Opens the storage driver `kumo apiserver --storage` names, with kube-apiserver's periodic compaction.
import { join } from 'node:path';
import { startCompactionPolicy, type CompactionHandle } from '../storage/compaction.js';
import type { Store } from '../storage/types.js';
import type { Clock } from '../util/clock.js';

export type StorageKind = 'sqlite' | 'memory' | 'etcd';
export const STORAGE_KINDS: StorageKind[] = ['sqlite', 'memory', 'etcd'];

export interface StoreOptions {
  kind: StorageKind;
  dataDir: string;
  etcdEndpoints?: string[];
}

/** Only the chosen driver is loaded (the etcd client alone takes a noticeable time to import). */
export async function openStore(opts: StoreOptions): Promise<Store> {
  switch (opts.kind) {
    case 'memory': {
      const { MemoryStore } = await import('../storage/drivers/memory.js');
      return new MemoryStore({ prefix: '/registry/' });
    }
    case 'sqlite': {
      const { openSqliteStore } = await import('../storage/drivers/sqlite.js');
      return openSqliteStore({ path: join(opts.dataDir, 'kumo.db'), prefix: '/registry/' });
    }
    case 'etcd': {
      if (!opts.etcdEndpoints?.length) throw new Error('--storage etcd needs --etcd-endpoints');
      const { openEtcdStore } = await import('../storage/drivers/etcd.js');
      return openEtcdStore({ endpoints: opts.etcdEndpoints, prefix: '/registry/' });
    }
  }
}

/**
 * kube-apiserver compacts every `--etcd-compaction-interval` (5 minutes), keeping one interval of
 * history; 0 turns compaction off.
 */
export function startCompaction(store: Store, intervalMs: number, clock: Clock): CompactionHandle | undefined {
  if (intervalMs <= 0) return undefined;
  return startCompactionPolicy(store, { retainMs: intervalMs, intervalMs }, clock, {
    onError: (err) => process.stderr.write(`kumo apiserver: compaction failed: ${String(err)}\n`),
  });
}
