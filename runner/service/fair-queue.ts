// The service's waiting line with a fair share between submitters: one FIFO per token, served in
// turn (round robin), so a student who sends fifty runs at once waits behind their own runs, not the
// whole class behind them. An item starts only when the caller's rule allows it (the class's running
// limit); skipped items keep their place.

export interface Queued {
  id: string;
  /** Whose turn it is: one share per owner (a token). */
  owner: string;
}

export class FairQueue<T extends Queued> {
  private readonly lines = new Map<string, T[]>();
  /** Owners with something waiting, in serving order; the first is served next. */
  private turn: string[] = [];

  get size(): number {
    let n = 0;
    for (const line of this.lines.values()) n += line.length;
    return n;
  }

  add(item: T): void {
    const line = this.lines.get(item.owner);
    if (line) line.push(item);
    else {
      this.lines.set(item.owner, [item]);
      this.turn.push(item.owner);
    }
  }

  /** Takes an item out (a cancelled run); false when it was not waiting. */
  remove(id: string): boolean {
    for (const [owner, line] of this.lines) {
      const i = line.findIndex((item) => item.id === id);
      if (i < 0) continue;
      line.splice(i, 1);
      if (line.length === 0) this.drop(owner);
      return true;
    }
    return false;
  }

  /** The next item whose start `allowed` permits, in fair order; the owner served goes to the back. */
  next(allowed: (item: T) => boolean = () => true): T | undefined {
    for (let i = 0; i < this.turn.length; i++) {
      const owner = this.turn[i]!;
      const line = this.lines.get(owner)!;
      if (!allowed(line[0]!)) continue;
      const item = line.shift()!;
      this.turn.splice(i, 1);
      if (line.length > 0) this.turn.push(owner);
      else this.lines.delete(owner);
      return item;
    }
    return undefined;
  }

  /** An item's place in line (1 = next) if every start were allowed; undefined when not waiting. */
  position(id: string): number | undefined {
    const depth = new Map<string, number>();
    for (const [owner, line] of this.lines) {
      const i = line.findIndex((item) => item.id === id);
      if (i >= 0) depth.set(owner, i);
    }
    if (depth.size === 0) return undefined;
    const [owner, index] = [...depth][0]!;
    // Rounds before its own: every owner ahead in turn serves index + 1 items, those after it index.
    const at = this.turn.indexOf(owner);
    let ahead = 0;
    this.turn.forEach((o, i) => {
      const waiting = this.lines.get(o)!.length;
      ahead += Math.min(waiting, i < at ? index + 1 : index);
    });
    return ahead + 1;
  }

  private drop(owner: string): void {
    this.lines.delete(owner);
    this.turn = this.turn.filter((o) => o !== owner);
  }
}
