// The virtual clock: an integer count of microseconds since the world's epoch. It only moves
// forward, and only the scheduler moves it. Nothing in a run reads wall-clock time.
export class VirtualClock {
  private nowUsValue = 0;

  get nowUs(): number {
    return this.nowUsValue;
  }

  /** Moves time to `timeUs`; moving backwards is a broken invariant, not an operating error. */
  advanceTo(timeUs: number): void {
    if (!Number.isSafeInteger(timeUs)) throw new Error(`clock: time ${timeUs} is not an integer`);
    if (timeUs < this.nowUsValue) throw new Error(`clock: time would move backwards ${this.nowUsValue} -> ${timeUs}`);
    this.nowUsValue = timeUs;
  }
}
