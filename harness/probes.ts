// Coverage probes (FoundationDB's CODE_PROBE): how often a run reached each corner — every call's
// answer by operation, each fault and each fault landing mid-call, decisions made inside a grant's
// propagation window, denials explicit or by default, each condition operator evaluated true and
// false, keys deleted, made twice or left with orphaned material, each ConnectionErrorCode.
import { isExplicitDeny } from "../protocol/decision.ts";
import { isRecord } from "../protocol/is-record.ts";
import { isCall, isFault, type FaultStep, type Outcome, type Step } from "../protocol/step.ts";
import { emptyDictionary } from "./dictionary.ts";
import type { Observer } from "./observer.ts";

export interface ProbeFacts {
  step: Step;
  sut: Outcome;
  /** The fault in flight that landed during this call, if one did. */
  landed: FaultStep | undefined;
  /** The model's answer depended on whether a grant change had propagated yet (§12). */
  decidedInGrantWindow: boolean;
}

/**
 * The probe name of each call's answer (`call:<operation>:<ok or error name>`), made once per pair: a
 * name made afresh for every step is a new string to hash at every count.
 */
const answerProbes = new Map<string, Map<string, string>>();

function answerProbe(call: string, answer: string): string {
  let byAnswer = answerProbes.get(call);
  if (byAnswer === undefined) answerProbes.set(call, (byAnswer = new Map()));
  let name = byAnswer.get(answer);
  if (name === undefined) byAnswer.set(answer, (name = `call:${call}:${answer}`));
  return name;
}

export class Probes {
  /** Hits by probe name, in the order first hit (a Map: a plain object grown key by key, one per run, is slow to index). */
  private readonly hits = new Map<string, number>();
  private readonly seenDeleted = new Set<string>();
  private readonly seenOrphans = new Set<string>();
  private readonly lastErrorCodes = new Map<string, string | undefined>();

  hit(name: string): void {
    this.hits.set(name, (this.hits.get(name) ?? 0) + 1);
  }

  /** Hits by probe name, in the order first hit (harness/dictionary.ts: each run hits them in an order of its own). */
  get counts(): Record<string, number> {
    const counts = emptyDictionary<number>();
    for (const [name, hits] of this.hits) counts[name] = hits;
    return counts;
  }

  afterStep({ step, sut, landed, decidedInGrantWindow }: ProbeFacts, observer: Observer): void {
    if (isCall(step)) {
      this.hit(answerProbe(step.call, sut.ok ? "ok" : sut.error.name));
      if (!sut.ok && (sut.error.name === "AccessDeniedException" || sut.error.name === "AccessDenied")) {
        const denial = observer.decisions().findLast((d) => d.effect === "Deny");
        this.hit(denial !== undefined && isExplicitDeny(denial) ? "access:denied-explicitly" : "access:denied-by-default");
      }
      const tested = observer.conditionTests();
      if (tested.length > 0) for (const test of new Set(tested)) this.hit(`condition:${test}`);
      if (landed !== undefined) this.hit(`fault-during-call:${landed.fault}`);
      if (step.call === "CreateKey") {
        const meta = sut.ok ? sut.output["KeyMetadata"] : undefined; // read only from CreateKey's answers
        const arn = isRecord(meta) ? meta["Arn"] : undefined;
        if (typeof arn === "string" && observer.keyObjectsLabelled(arn) > 1) this.hit("key:made-twice");
      }
    }
    if (decidedInGrantWindow) this.hit("grant:decided-inside-propagation-window");
    if (isFault(step)) this.hit(`fault:${step.fault}`);
    this.once(observer.deletedKeyArns(), this.seenDeleted, "key:deleted");
    this.once(observer.orphanedKeyArns(), this.seenOrphans, "key:material-orphaned");
    for (const store of observer.stores()) {
      if (store.errorCode !== undefined && this.lastErrorCodes.get(store.id) !== store.errorCode) this.hit(`connection:${store.errorCode}`);
      this.lastErrorCodes.set(store.id, store.errorCode);
    }
  }

  /** One hit of `name` per member of `now` not seen before. */
  private once(now: ReadonlySet<string>, seen: Set<string>, name: string): void {
    for (const item of now) {
      if (seen.has(item)) continue;
      seen.add(item);
      this.hit(name);
    }
  }
}
