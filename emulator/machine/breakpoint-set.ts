// The machine's instruction breakpoints: a Set of linear addresses that
// counts its changes, so that translated code can remember, per region,
// whether any breakpoint falls inside it (jit/block.ts) and keep running
// block after block when none does, instead of returning to the run loop
// after every block as soon as any breakpoint exists anywhere.

export class BreakpointSet extends Set<number> {
  /** Bumped by every change of the contents (not by adding an address already there). */
  generation = 0;

  override add(address: number): this {
    // Set's constructor calls add before the field initializers run.
    if (!super.has(address)) this.generation = (this.generation ?? 0) + 1;
    return super.add(address);
  }

  override delete(address: number): boolean {
    const had = super.delete(address);
    if (had) this.generation++;
    return had;
  }

  override clear(): void {
    if (this.size > 0) this.generation++;
    super.clear();
  }

  /** Makes the set hold exactly `addresses`, changing (and counting) only what differs. */
  replaceWith(addresses: ReadonlySet<number>): void {
    for (const a of this) if (!addresses.has(a)) this.delete(a);
    for (const a of addresses) this.add(a);
  }
}
