// The virtual KMS's cache of authorization decisions. A decision is cached only when no statement
// that could apply to its action has a Condition — then nothing of the request beyond caller,
// action, key and grant outcome can change it. Entries hang off the compiled key policy and the
// compiled identity statements they were decided under; both are replaced, never changed, when
// their text changes, so a changed policy can never be answered from the cache. Below those, a
// decision is found by caller, action, key ARN and allowing grant (all the rest it reads), one map
// each: strings whose hashes V8 keeps, where one joined key was a new string to hash on every call.
import { forAction, type CompiledStatement } from "./policy.ts";

/** Caller → action → key ARN → allowing GrantId ("" for none) → decision. */
type ByRequest<D> = Map<string, Map<string, Map<string, Map<string, D>>>>;

/** The map under `key` in `outer`, made empty on first use. */
function under<K, V>(outer: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let found = outer.get(key);
  if (found === undefined) outer.set(key, (found = new Map()));
  return found;
}

export class DecisionCache<D> {
  private readonly byKeyPolicy = new WeakMap<CompiledStatement[], WeakMap<CompiledStatement[], ByRequest<D>>>();

  /** May a decision under these statements be cached (no Condition among those for `action`)? */
  cacheable(keyPolicy: CompiledStatement[], identity: CompiledStatement[], action: string): boolean {
    return (
      !forAction(keyPolicy, action).some((s) => s.condition !== undefined) &&
      !forAction(identity, action).some((s) => s.condition !== undefined)
    );
  }

  /**
   * The cached decision on `caller`'s `action` on the key `keyArn` (with `grant` the GrantId of a grant
   * allowing it, or undefined) under these statements, or the one `decide` makes (cached when cacheable).
   */
  decide(
    keyPolicy: CompiledStatement[],
    identity: CompiledStatement[],
    action: string,
    caller: string,
    keyArn: string,
    grant: string | undefined,
    decide: () => D,
  ): D {
    if (!this.cacheable(keyPolicy, identity, action)) return decide();
    let byIdentity = this.byKeyPolicy.get(keyPolicy);
    if (byIdentity === undefined) this.byKeyPolicy.set(keyPolicy, (byIdentity = new WeakMap()));
    let byCaller = byIdentity.get(identity);
    if (byCaller === undefined) byIdentity.set(identity, (byCaller = new Map()));
    const byGrant = under(under(under(byCaller, caller), action), keyArn);
    const grantId = grant ?? "";
    let decision = byGrant.get(grantId);
    if (decision === undefined) byGrant.set(grantId, (decision = decide()));
    return decision;
  }
}
