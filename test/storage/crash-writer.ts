// Child process of the SQLite crash test: writes through the driver as fast as it can with several
// writers in flight and prints "<key> <revision>" for every write once it is acknowledged.
// The parent kills it with SIGKILL at some point and checks every printed write survived.
// With "compact" as second argument it also compacts behind itself while writing.
import { openSqliteStore } from '../../src/storage/drivers/sqlite.js';

const path = process.argv[2];
const compacting = process.argv[3] === 'compact';
if (!path) {
  console.error('usage: crash-writer <db path> [compact]');
  process.exit(2);
}
const store = await openSqliteStore({ path });
const start = await store.currentRevision();
process.stdout.write(`start ${start}\n`);
let n = 0;
async function writer(w: number): Promise<never> {
  for (;;) {
    const key = `${store.prefix}crash/${w}/${n++}`;
    const kv = await store.create(key, Buffer.from(`value of ${key}`));
    process.stdout.write(`${key} ${kv.modRevision}\n`);
    if (compacting && kv.modRevision % 250 === 0) void store.compact(kv.modRevision - 100);
  }
}
await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
