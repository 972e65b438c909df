/**
 * With several start strings, candidate k belongs to start string k mod n, and each start string
 * wants one valid record. Candidates arrive in k order; this keeps the first valid record of each
 * start string and releases them in start-string order, so output stays a function of k alone.
 */
export class SeedOrder<T> {
  private readonly found: (T | undefined)[];
  private nextToRelease = 0;

  constructor(readonly seedCount: number) {
    this.found = new Array(seedCount);
  }

  /** Whether a candidate of this start string still matters (its start string has no record yet). */
  wants(seedIndex: number): boolean {
    return this.found[seedIndex] === undefined;
  }

  /** Records a valid record and returns those now releasable in start-string order. */
  accept(seedIndex: number, record: T): T[] {
    this.found[seedIndex] = record;
    const ready: T[] = [];
    while (this.nextToRelease < this.seedCount && this.found[this.nextToRelease] !== undefined) {
      ready.push(this.found[this.nextToRelease]!);
      this.nextToRelease++;
    }
    return ready;
  }

  get done(): boolean {
    return this.nextToRelease === this.seedCount;
  }
}
