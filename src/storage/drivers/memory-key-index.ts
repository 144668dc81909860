// An ordered set of strings kept in sorted blocks: insert and delete cost O(√n)-ish, counting
// the keys below a bound costs O(blocks), iteration from a key is in order. The memory driver uses
// it for the live keys so a page or a count of a big prefix does not walk every key.
import { lowerBound } from '../../util/sorted.js';

const MAX_BLOCK = 512;

export class SortedKeySet {
  private blocks: string[][] = [];
  private total = 0;

  get size(): number {
    return this.total;
  }

  /** Index of the block that holds (or would hold) `key`. */
  private blockFor(key: string): number {
    const blocks = this.blocks;
    let lo = 0;
    let hi = blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const b = blocks[mid];
      if (b[b.length - 1] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds `key`; returns false if it was already there. */
  add(key: string): boolean {
    if (this.blocks.length === 0) {
      this.blocks.push([key]);
      this.total = 1;
      return true;
    }
    const bi = this.blockFor(key);
    const block = this.blocks[bi];
    const i = lowerBound(block, key);
    if (block[i] === key) return false;
    block.splice(i, 0, key);
    this.total++;
    if (block.length > MAX_BLOCK) this.blocks.splice(bi, 1, block.slice(0, block.length >> 1), block.slice(block.length >> 1));
    return true;
  }

  /** Removes `key`; returns false if it was not there. */
  delete(key: string): boolean {
    if (this.blocks.length === 0) return false;
    const bi = this.blockFor(key);
    const block = this.blocks[bi];
    const i = lowerBound(block, key);
    if (block[i] !== key) return false;
    block.splice(i, 1);
    this.total--;
    if (block.length === 0) this.blocks.splice(bi, 1);
    return true;
  }

  /** Number of keys < `key`. */
  rank(key: string): number {
    if (this.blocks.length === 0) return 0;
    const bi = this.blockFor(key);
    let n = 0;
    for (let b = 0; b < bi; b++) n += this.blocks[b].length;
    return n + lowerBound(this.blocks[bi], key);
  }

  /** Keys >= `from` (or > `from` when `exclusive`), in order. */
  *from(from: string, exclusive: boolean): Generator<string> {
    if (this.blocks.length === 0) return;
    let bi = this.blockFor(from);
    let i = lowerBound(this.blocks[bi], from);
    if (exclusive && this.blocks[bi][i] === from) i++;
    for (; bi < this.blocks.length; bi++, i = 0) {
      const block = this.blocks[bi];
      for (; i < block.length; i++) yield block[i];
    }
  }
}
