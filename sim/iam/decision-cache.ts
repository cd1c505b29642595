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
    return !hasCondition(forAction(keyPolicy, action)) && !hasCondition(forAction(identity, action));
  }

  /**
   * Where the decisions on `caller`'s `action` on the key `keyArn` under these statements are kept, by
   * the GrantId of a grant allowing it ("" for none); undefined when they may not be cached. The caller
   * looks its decision up and, when it makes one, sets it (no closure to decide a hit does not call).
   */
  slot(
    keyPolicy: CompiledStatement[],
    identity: CompiledStatement[],
    action: string,
    caller: string,
    keyArn: string,
  ): Map<string, D> | undefined {
    const last = this.last;
    if (
      last !== undefined &&
      last.keyPolicy === keyPolicy &&
      last.identity === identity &&
      last.action === action &&
      last.caller === caller &&
      last.keyArn === keyArn
    )
      return last.slot;
    const slot = this.slotFor(keyPolicy, identity, action, caller, keyArn);
    this.last = { keyPolicy, identity, action, caller, keyArn, slot };
    return slot;
  }

  /**
   * The last slot asked for, with what it was asked by: a call asks for the same one as the call before
   * more often than not, and a slot, once made, stands for good (statement lists are never changed, and
   * slots never dropped), so the answer is the one the maps below would give, without their six lookups.
   */
  private last:
    | {
        keyPolicy: CompiledStatement[];
        identity: CompiledStatement[];
        action: string;
        caller: string;
        keyArn: string;
        slot: Map<string, D> | undefined;
      }
    | undefined = undefined;

  private slotFor(
    keyPolicy: CompiledStatement[],
    identity: CompiledStatement[],
    action: string,
    caller: string,
    keyArn: string,
  ): Map<string, D> | undefined {
    if (!this.cacheable(keyPolicy, identity, action)) return undefined;
    let byIdentity = this.byKeyPolicy.get(keyPolicy);
    if (byIdentity === undefined) this.byKeyPolicy.set(keyPolicy, (byIdentity = new WeakMap()));
    let byCaller = byIdentity.get(identity);
    if (byCaller === undefined) byIdentity.set(identity, (byCaller = new Map()));
    return under(under(under(byCaller, caller), action), keyArn);
  }
}

/** Has one of `statements` a Condition? A loop: asked on every key decision, where `some` took a closure. */
function hasCondition(statements: CompiledStatement[]): boolean {
  for (const s of statements) if (s.condition !== undefined) return true;
  return false;
}
