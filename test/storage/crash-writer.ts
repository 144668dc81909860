// Child process of the SQLite crash test: writes through the driver as fast as it can with several
// writers in flight and prints "<key> <revision>" for every write once it is acknowledged.
// The parent kills it with SIGKILL at some point and checks every printed write survived.
import { openSqliteStore } from '../../src/storage/drivers/sqlite.js';

const path = process.argv[2];
if (!path) {
  console.error('usage: crash-writer <db path>');
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
  }
}
await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
