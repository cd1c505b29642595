// The virtual KMS's policy engine: a policy document is parsed once into compiled statements
// (principal set, action and resource matchers) and cached by its text. It shares nothing with the
// reference model's evaluator: the differential check only catches what the two do not share.
// Condition blocks are refused for now (MalformedPolicyDocumentException) until the condition
// language lands with authorization (issue 5).

export interface CompiledStatement {
  effect: "Allow" | "Deny";
  /** `undefined` = a statement with no Principal (identity policies); "*" = everyone. */
  principals: "*" | Set<string> | undefined;
  /** Every principal the statement names, as written (for the existence check). */
  named: string[];
  actions: RegExp[];
  resources: RegExp[];
}

export type PolicyParse = { ok: true; statements: CompiledStatement[] } | { ok: false; message: string };

const compiled = new Map<string, PolicyParse>();

/** Parses a policy document; `isKeyPolicy` requires a Principal in every statement. */
export function compilePolicy(text: string, isKeyPolicy: boolean): PolicyParse {
  const cacheKey = `${isKeyPolicy ? "k" : "i"}:${text}`;
  let result = compiled.get(cacheKey);
  if (result === undefined) {
    result = parse(text, isKeyPolicy);
    compiled.set(cacheKey, result);
  }
  return result;
}

function parse(text: string, isKeyPolicy: boolean): PolicyParse {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, message: "The policy is not valid JSON." };
  }
  if (!isRecord(doc)) return { ok: false, message: "The policy must be a JSON object." };
  const raw = doc["Statement"];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.length === 0) return { ok: false, message: "The policy must contain at least one Statement." };
  const statements: CompiledStatement[] = [];
  for (const s of list) {
    if (!isRecord(s)) return { ok: false, message: "Each Statement must be a JSON object." };
    const effect = s["Effect"];
    if (effect !== "Allow" && effect !== "Deny") return { ok: false, message: "Each Statement needs an Effect of Allow or Deny." };
    if (s["Condition"] !== undefined) return { ok: false, message: "kmsim does not evaluate Condition blocks yet." };
    let principals: CompiledStatement["principals"];
    let named: string[] = [];
    if (!isKeyPolicy && (s["Principal"] !== undefined || s["NotPrincipal"] !== undefined)) return { ok: false, message: "Policy document should not specify a principal." };
    if (isKeyPolicy) {
      const p = s["Principal"];
      if (p === "*") principals = "*";
      else if (isRecord(p) && p["AWS"] !== undefined) {
        const aws = toStrings(p["AWS"]);
        if (aws === undefined || aws.length === 0) return { ok: false, message: "Policy contains a statement with one or more invalid principals." };
        principals = aws.includes("*") ? "*" : new Set(aws);
        named = aws;
      } else return { ok: false, message: "Policy contains a statement with one or more invalid principals." };
    }
    const actions = toStrings(s["Action"]);
    const resources = toStrings(s["Resource"]);
    // Spec §9.3: a statement missing Action or Resource is accepted but never matches.
    statements.push({
      effect,
      principals,
      named,
      actions: (actions ?? []).map((a) => wildcard(a, true)),
      resources: (resources ?? []).map((r) => wildcard(r, false)),
    });
  }
  return { ok: true, statements };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function toStrings(v: unknown): string[] | undefined {
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  return undefined;
}

/** `*` and `?` wildcards; action names are matched case-insensitively, resources exactly. */
function wildcard(pattern: string, ignoreCase: boolean): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, ignoreCase ? "i" : "");
}

/** Which statements of `statements` apply to (principal, action, resource)? */
export function matching(
  statements: CompiledStatement[],
  principalArns: readonly string[],
  action: string,
  resource: string,
): { allow: boolean; deny: boolean } {
  let allow = false;
  let deny = false;
  for (const s of statements) {
    if (s.principals !== undefined && s.principals !== "*" && !principalArns.some((p) => (s.principals as Set<string>).has(p))) continue;
    if (!s.actions.some((a) => a.test(action))) continue;
    if (!s.resources.some((r) => r.test(resource))) continue;
    if (s.effect === "Deny") deny = true;
    else allow = true;
  }
  return { allow, deny };
}
