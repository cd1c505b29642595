// The virtual KMS's cache of authorization decisions. A decision is cached only when no statement
// that could apply to its action has a Condition — then nothing of the request beyond caller,
// action, key and grant outcome can change it. Entries hang off the compiled key policy and the
// compiled identity statements they were decided under; both are replaced, never changed, when
// their text changes, so a changed policy can never be answered from the cache.
import { forAction, type CompiledStatement } from "./policy.ts";

export class DecisionCache<D> {
  private readonly byKeyPolicy = new WeakMap<CompiledStatement[], WeakMap<CompiledStatement[], Map<string, D>>>();

  /** May a decision under these statements be cached (no Condition among those for `action`)? */
  cacheable(keyPolicy: CompiledStatement[], identity: CompiledStatement[], action: string): boolean {
    return (
      !forAction(keyPolicy, action).some((s) => s.condition !== undefined) &&
      !forAction(identity, action).some((s) => s.condition !== undefined)
    );
  }

  /** The cached decision for `request` under these statements, or the one `decide` makes (cached when cacheable). */
  decide(keyPolicy: CompiledStatement[], identity: CompiledStatement[], action: string, request: string, decide: () => D): D {
    if (!this.cacheable(keyPolicy, identity, action)) return decide();
    let byIdentity = this.byKeyPolicy.get(keyPolicy);
    if (byIdentity === undefined) this.byKeyPolicy.set(keyPolicy, (byIdentity = new WeakMap()));
    let decisions = byIdentity.get(identity);
    if (decisions === undefined) byIdentity.set(identity, (decisions = new Map()));
    let decision = decisions.get(request);
    if (decision === undefined) decisions.set(request, (decision = decide()));
    return decision;
  }
}
