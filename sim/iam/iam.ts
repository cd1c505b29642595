// The IAM view the virtual KMS consults: the world's principals by ARN and short name, their inline
// identity policies (kept as text, changed by iam:* steps, compiled by the KMS's own policy engine
// and cached until they change), their principal tags (iam:Tag*/Untag* steps), which principals exist
// (for policy validation), whether the custom-key-store service-linked role exists, and the log of
// authorization decisions (what decided, and why) that the world hands to its reports.
import type { Json } from "../../protocol/step.ts";
import type { Decision } from "../../protocol/decision.ts";
import type { Verdict } from "./verdict.ts";
import { DecisionCache } from "./decision-cache.ts";
import { compilePolicy, type CompiledStatement } from "./policy.ts";

export interface PrincipalSpec {
  arn: string;
  policies?: Record<string, Json>;
  /** Principal tags (aws:PrincipalTag/*), TagKey → TagValue. */
  tags?: Record<string, string>;
}

export const SERVICE_LINKED_ROLE = "AWSServiceRoleForKeyManagementServiceCustomKeyStores";

const ROOT_USER_ARN = /^arn:aws:iam::\d{12}:root$/;
/** The length of every root user ARN: a cheap first test, asked of the caller on every authorization. */
const ROOT_USER_ARN_LENGTH = "arn:aws:iam::123456789012:root".length;

export class IamDirectory {
  private readonly byArn = new Set<string>();
  /** Inline identity policies as text, by principal ARN and policy name. */
  private readonly policies = new Map<string, Map<string, string>>();
  /** Compiled identity policies by principal ARN, until its policies change. */
  private readonly compiledIdentity = new Map<string, CompiledStatement[]>();
  /** Principal tags by principal ARN. */
  private readonly tagsByArn = new Map<string, Map<string, string>>();
  serviceLinkedRoleExists = false;
  /** Authorization decisions since the world last cleared it. */
  readonly decisionLog: Decision[] = [];
  /** Key decisions no Condition could change, cached. */
  readonly decisionCache = new DecisionCache<Verdict>();
  /** Condition tests evaluated since the world last cleared it, each "operator=true|false". */
  readonly conditionLog: string[] = [];

  constructor(
    readonly principals: Record<string, PrincipalSpec>,
    readonly accounts: readonly string[],
  ) {
    for (const p of Object.values(principals)) {
      this.byArn.add(p.arn);
      this.policies.set(p.arn, new Map(Object.entries(p.policies ?? {}).map(([name, doc]) => [name, JSON.stringify(doc)])));
      this.tagsByArn.set(p.arn, new Map(Object.entries(p.tags ?? {})));
    }
  }

  /** Is `arn` a principal of the world? */
  has(arn: string): boolean {
    return this.byArn.has(arn);
  }

  /** The inline identity policies of `arn`, by name (text as put). */
  inlinePolicies(arn: string): ReadonlyMap<string, string> {
    return this.policies.get(arn) ?? new Map();
  }

  /** Sets (or, with `text` undefined, deletes) one inline identity policy of `arn`. */
  setInlinePolicy(arn: string, name: string, text: string | undefined): void {
    const mine = this.policies.get(arn);
    if (mine === undefined) throw new Error(`iam: no principal ${arn}`);
    if (text === undefined) mine.delete(name);
    else mine.set(name, text);
    this.compiledIdentity.delete(arn);
  }

  /** The principal tags of `arn` (live: changed by setTag/removeTag). */
  tags(arn: string): ReadonlyMap<string, string> {
    return this.tagsByArn.get(arn) ?? new Map();
  }

  /** Every principal's tags by its ARN, none left out (read by the state audit). */
  get tagsOfPrincipals(): ReadonlyMap<string, ReadonlyMap<string, string>> {
    return this.tagsByArn;
  }

  /** Sets (or, with `value` undefined, removes) one principal tag of `arn`. */
  setTag(arn: string, key: string, value: string | undefined): void {
    const mine = this.tagsByArn.get(arn);
    if (mine === undefined) throw new Error(`iam: no principal ${arn}`);
    if (value === undefined) mine.delete(key);
    else mine.set(key, value);
  }

  /** The account of an ARN: its fifth field (read in place: this runs on every authorization). */
  static accountOf(arn: string): string {
    let start = 0;
    for (let field = 0; field < 4; field++) {
      start = arn.indexOf(":", start) + 1;
      if (start === 0) throw new Error(`iam: no account in ${arn}`);
    }
    const end = arn.indexOf(":", start);
    const account = end === -1 ? arn.slice(start) : arn.slice(start, end);
    if (account === "") throw new Error(`iam: no account in ${arn}`);
    return account;
  }

  static isRootUser(arn: string): boolean {
    return arn.length === ROOT_USER_ARN_LENGTH && ROOT_USER_ARN.test(arn);
  }

  /** The compiled identity policies of `arn`; the root user's identity is implicitly allowed everything. */
  identityStatements(arn: string): CompiledStatement[] {
    const cached = this.compiledIdentity.get(arn);
    if (cached !== undefined) return cached;
    const out: CompiledStatement[] = [];
    for (const [name, text] of this.inlinePolicies(arn)) {
      const parsed = compilePolicy(text, false);
      if (!parsed.ok) throw new Error(`iam: identity policy of ${arn} does not parse: ${parsed.message}`);
      out.push(...parsed.statements.map((s) => ({ ...s, ref: { ...s.ref, policy: `identity policy ${name}` } })));
    }
    this.compiledIdentity.set(arn, out);
    return out;
  }

  /** Is `principal` valid in a key policy: a known principal ARN, or a known account (root ARN or bare id)? */
  principalExists(principal: string): boolean {
    if (principal === "*" || this.byArn.has(principal)) return true;
    const root = /^arn:aws:iam::(\d{12}):root$/.exec(principal);
    const account = root?.[1] ?? (/^\d{12}$/.test(principal) ? principal : undefined);
    return account !== undefined && this.accounts.includes(account);
  }
}
