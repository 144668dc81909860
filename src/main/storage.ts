// Opens the storage driver `kumo apiserver --storage` names.
import { join } from 'node:path';
import { MemoryStore } from '../storage/drivers/memory.js';
import type { Store } from '../storage/types.js';

export type StorageKind = 'sqlite' | 'memory' | 'etcd';
export const STORAGE_KINDS: StorageKind[] = ['sqlite', 'memory', 'etcd'];

export interface StoreOptions {
  kind: StorageKind;
  dataDir: string;
  etcdEndpoints?: string[];
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  switch (opts.kind) {
    case 'memory':
      return new MemoryStore({ prefix: '/registry/' });
    case 'sqlite':
    case 'etcd':
      void join;
      throw new Error(`storage driver ${opts.kind} is not available in this build`);
  }
}
