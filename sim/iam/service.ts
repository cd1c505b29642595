// The virtual IAM service's operations kmsim drives as steps (spec §9.2 step 5, §9.6, §10): inline
// identity policies of roles and users (iam:PutRolePolicy, iam:PutUserPolicy, iam:DeleteRolePolicy,
// iam:DeleteUserPolicy), their principal tags (iam:TagRole, iam:TagUser, iam:UntagRole,
// iam:UntagUser; at most 50 per principal, "aws:" keys reserved → InvalidInputException, keys
// compared case-sensitively [MODEL CHOICE]) and iam:DeleteServiceLinkedRole. Errors carry IAM's names; a denied call is
// IAM's AccessDenied. The service-linked role is made only by KMS, its policy cannot be changed, and
// it cannot be deleted while a CloudHSM key store uses it [MODEL CHOICE: DeleteConflictException at
// once, where IAM would fail the deletion task]. Inline policies of one principal may total 10,240
// characters [MODEL CHOICE: counted as given, whitespace included].
import { authorizeIamAction } from "./authorize.ts";
import { callerContext } from "./request-context.ts";
import { compilePolicy } from "./policy.ts";
import { IamDirectory, SERVICE_LINKED_ROLE } from "./iam.ts";
import { ok, type JsonObject, type Outcome } from "../../protocol/step.ts";
import { Rejection, reject } from "../wire/validate.ts";

/** Characters of inline policy one role or user may hold. */
export const INLINE_POLICY_CHARS_MAX = 10_240;
/** Tags one role or user may carry. */
export const PRINCIPAL_TAGS_MAX = 50;

type IamOperation = (s: IamService, caller: string, input: JsonObject) => Outcome;

function name(input: JsonObject, param: string, max: number): string {
  const v = input[param];
  if (typeof v !== "string" || v.length < 1 || v.length > max || !/^[\w+=,.@-]+$/.test(v)) {
    reject(
      "ValidationError",
      `1 validation error detected: Value at '${param}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+ and have length between 1 and ${max}`,
    );
  }
  return v;
}

function policyDocument(input: JsonObject): string {
  const v = input["PolicyDocument"];
  if (typeof v !== "string" || v.length < 1 || v.length > 131_072)
    reject(
      "ValidationError",
      "1 validation error detected: Value at 'PolicyDocument' failed to satisfy constraint: Member must have length between 1 and 131072",
    );
  return v;
}

export class IamService {
  private deletionTasks = 0;

  constructor(
    readonly iam: IamDirectory,
    /** Does a CloudHSM key store exist (in the world's one KMS)? */
    private readonly cloudHsmStoresExist: () => boolean,
    /** Milliseconds since 1970 now, on the virtual clock. */
    private readonly nowEpochMs: () => number,
  ) {}

  call(operation: string, caller: string, input: JsonObject): Outcome {
    const run = OPERATIONS[operation];
    if (run === undefined) throw new Error(`iam: no operation ${operation}`);
    try {
      return run(this, caller, input);
    } catch (e) {
      if (e instanceof Rejection) return e.outcome;
      throw e;
    }
  }

  authorize(caller: string, action: string, resource: string): void {
    const decision = authorizeIamAction(this.iam, caller, action, callerContext(this.iam, caller, this.nowEpochMs()), resource);
    if (!decision.allowed) reject("AccessDenied", decision.message);
  }

  serviceLinkedRoleArn(caller: string): string {
    return `arn:aws:iam::${IamDirectory.accountOf(caller)}:role/aws-service-role/cks.kms.amazonaws.com/${SERVICE_LINKED_ROLE}`;
  }

  /** The ARN of the caller's account's role or user `entityName`, or NoSuchEntityException; the SLR is unmodifiable. */
  entity(caller: string, kind: "role" | "user", entityName: string): string {
    if (kind === "role" && entityName === SERVICE_LINKED_ROLE && this.iam.serviceLinkedRoleExists) {
      reject(
        "UnmodifiableEntityException",
        `Cannot perform the operation on the protected role '${entityName}' - this role is only modifiable by AWS`,
      );
    }
    const arn = `arn:aws:iam::${IamDirectory.accountOf(caller)}:${kind}/${entityName}`;
    if (!this.iam.has(arn)) reject("NoSuchEntityException", `The ${kind} with name ${entityName} cannot be found.`);
    return arn;
  }

  putPolicy(caller: string, kind: "role" | "user", input: JsonObject): Outcome {
    const entityName = name(input, kind === "role" ? "RoleName" : "UserName", 64);
    const policyName = name(input, "PolicyName", 128);
    const text = policyDocument(input);
    const arn = this.entity(caller, kind, entityName);
    this.authorize(caller, kind === "role" ? "iam:PutRolePolicy" : "iam:PutUserPolicy", arn);
    const parsed = compilePolicy(text, false);
    if (!parsed.ok) reject("MalformedPolicyDocumentException", parsed.message);
    let total = text.length;
    for (const [n, t] of this.iam.inlinePolicies(arn)) if (n !== policyName) total += t.length;
    if (total > INLINE_POLICY_CHARS_MAX)
      reject("LimitExceededException", `Maximum policy size of ${INLINE_POLICY_CHARS_MAX} bytes exceeded for ${kind} ${entityName}`);
    this.iam.setInlinePolicy(arn, policyName, text);
    return ok({});
  }

  deletePolicy(caller: string, kind: "role" | "user", input: JsonObject): Outcome {
    const entityName = name(input, kind === "role" ? "RoleName" : "UserName", 64);
    const policyName = name(input, "PolicyName", 128);
    const arn = this.entity(caller, kind, entityName);
    this.authorize(caller, kind === "role" ? "iam:DeleteRolePolicy" : "iam:DeleteUserPolicy", arn);
    if (!this.iam.inlinePolicies(arn).has(policyName))
      reject("NoSuchEntityException", `The ${kind} policy with name ${policyName} cannot be found.`);
    this.iam.setInlinePolicy(arn, policyName, undefined);
    return ok({});
  }

  tag(caller: string, kind: "role" | "user", input: JsonObject): Outcome {
    const entityName = name(input, kind === "role" ? "RoleName" : "UserName", 64);
    const raw = input["Tags"];
    const tags: [string, string][] = [];
    if (!Array.isArray(raw) || raw.length < 1 || raw.length > PRINCIPAL_TAGS_MAX)
      reject(
        "ValidationError",
        `1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length between 1 and ${PRINCIPAL_TAGS_MAX}`,
      );
    for (const t of raw) {
      const key = typeof t === "object" && t !== null && !Array.isArray(t) ? t["Key"] : undefined;
      const value = typeof t === "object" && t !== null && !Array.isArray(t) ? t["Value"] : undefined;
      if (typeof key !== "string" || !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u.test(key) || typeof value !== "string" || value.length > 256) {
        reject(
          "ValidationError",
          "1 validation error detected: Value at 'tags' failed to satisfy constraint: each tag needs a Key of 1 to 128 characters and a Value of at most 256",
        );
      }
      tags.push([key, value]);
    }
    const arn = this.entity(caller, kind, entityName);
    this.authorize(caller, kind === "role" ? "iam:TagRole" : "iam:TagUser", arn);
    if (tags.some(([k]) => k.startsWith("aws:")))
      reject("InvalidInputException", "User-defined tag keys cannot begin with the prefix aws:");
    const after = new Set([...this.iam.tags(arn).keys(), ...tags.map(([k]) => k)]);
    if (after.size > PRINCIPAL_TAGS_MAX)
      reject("LimitExceededException", `The number of tags has reached the maximum limit of ${PRINCIPAL_TAGS_MAX}.`);
    for (const [k, v] of tags) this.iam.setTag(arn, k, v);
    return ok({});
  }

  untag(caller: string, kind: "role" | "user", input: JsonObject): Outcome {
    const entityName = name(input, kind === "role" ? "RoleName" : "UserName", 64);
    const raw = input["TagKeys"];
    if (
      !Array.isArray(raw) ||
      raw.length > PRINCIPAL_TAGS_MAX ||
      !raw.every((k) => typeof k === "string" && k.length >= 1 && k.length <= 128)
    ) {
      reject(
        "ValidationError",
        `1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must be a list of at most ${PRINCIPAL_TAGS_MAX} keys of 1 to 128 characters`,
      );
    }
    const arn = this.entity(caller, kind, entityName);
    this.authorize(caller, kind === "role" ? "iam:UntagRole" : "iam:UntagUser", arn);
    for (const k of raw as string[]) this.iam.setTag(arn, k, undefined);
    return ok({});
  }

  deleteServiceLinkedRole(caller: string, input: JsonObject): Outcome {
    const roleName = name(input, "RoleName", 64);
    const arn = this.serviceLinkedRoleArn(caller);
    this.authorize(caller, "iam:DeleteServiceLinkedRole", arn);
    if (roleName !== SERVICE_LINKED_ROLE || !this.iam.serviceLinkedRoleExists)
      reject("NoSuchEntityException", `The role with name ${roleName} cannot be found.`);
    if (this.cloudHsmStoresExist())
      reject("DeleteConflictException", `Service-linked role ${roleName} is in use by AWS KMS custom key stores.`);
    this.iam.serviceLinkedRoleExists = false;
    this.deletionTasks += 1;
    return ok({ DeletionTaskId: `task/aws-service-role/cks.kms.amazonaws.com/${SERVICE_LINKED_ROLE}/${this.deletionTasks}` });
  }
}

const OPERATIONS: Record<string, IamOperation> = {
  "iam:PutRolePolicy": (s, caller, input) => s.putPolicy(caller, "role", input),
  "iam:PutUserPolicy": (s, caller, input) => s.putPolicy(caller, "user", input),
  "iam:DeleteRolePolicy": (s, caller, input) => s.deletePolicy(caller, "role", input),
  "iam:DeleteUserPolicy": (s, caller, input) => s.deletePolicy(caller, "user", input),
  "iam:TagRole": (s, caller, input) => s.tag(caller, "role", input),
  "iam:TagUser": (s, caller, input) => s.tag(caller, "user", input),
  "iam:UntagRole": (s, caller, input) => s.untag(caller, "role", input),
  "iam:UntagUser": (s, caller, input) => s.untag(caller, "user", input),
  "iam:DeleteServiceLinkedRole": (s, caller, input) => s.deleteServiceLinkedRole(caller, input),
};

export const IAM_OPERATIONS = Object.keys(OPERATIONS);
