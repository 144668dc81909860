import { runStoreContract } from './contract.js';
import { MemoryStore } from '../../src/storage/drivers/memory.js';

runStoreContract('memory', async () => new MemoryStore());
