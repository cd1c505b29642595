// The IAM view the virtual KMS consults: the world's principals by ARN and short name, their
// identity policies (compiled by the KMS's own policy engine), which principals exist (for policy
// validation), and whether the custom-key-store service-linked role exists.
import type { Json } from "../step.ts";
import { compilePolicy, type CompiledStatement } from "./policy.ts";

export interface PrincipalSpec {
  arn: string;
  policies?: Record<string, Json>;
}

export const SERVICE_LINKED_ROLE = "AWSServiceRoleForKeyManagementServiceCustomKeyStores";

export class IamDirectory {
  private readonly byArn = new Map<string, PrincipalSpec>();
  /** Compiled identity policies by principal ARN (the world's policies do not change during a run). */
  private readonly compiledIdentity = new Map<string, CompiledStatement[]>();
  serviceLinkedRoleExists = false;

  constructor(
    readonly principals: Record<string, PrincipalSpec>,
    readonly accounts: readonly string[],
  ) {
    for (const p of Object.values(principals)) this.byArn.set(p.arn, p);
  }

  static accountOf(arn: string): string {
    const account = arn.split(":")[4];
    if (account === undefined || account === "") throw new Error(`iam: no account in ${arn}`);
    return account;
  }

  static isRootUser(arn: string): boolean {
    return /^arn:aws:iam::\d{12}:root$/.test(arn);
  }

  /** The compiled identity policies of `arn`; the root user's identity is implicitly allowed everything. */
  identityStatements(arn: string): CompiledStatement[] {
    const cached = this.compiledIdentity.get(arn);
    if (cached !== undefined) return cached;
    const spec = this.byArn.get(arn);
    const out: CompiledStatement[] = [];
    for (const doc of Object.values(spec?.policies ?? {})) {
      const parsed = compilePolicy(JSON.stringify(doc), false);
      if (!parsed.ok) throw new Error(`iam: identity policy of ${arn} does not parse: ${parsed.message}`);
      out.push(...parsed.statements);
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
