// The virtual IAM service's operations kmsim drives as steps (spec §9.2 step 5, §9.6, §10): inline
// identity policies of roles and users (iam:PutRolePolicy, iam:PutUserPolicy, iam:DeleteRolePolicy,
// iam:DeleteUserPolicy), their principal tags (iam:TagRole, iam:TagUser, iam:UntagRole,
// iam:UntagUser; at most 50 per principal, "aws:" keys reserved → InvalidInput, keys compared
// case-sensitively [MODEL CHOICE]) and the service-linked role's asynchronous deletion
// (iam:DeleteServiceLinkedRole starts a task, iam:GetServiceLinkedRoleDeletionStatus reports it).
// Errors carry IAM's query-protocol codes (NoSuchEntity, UnmodifiableEntity, ... as the IAM service
// model declares them); a denied call is AccessDenied. The service-linked role is made only by KMS;
// its policies cannot be changed (UnmodifiableEntity) but it can be tagged, as IAM's TagRole allows;
// its deletion task fails while a CloudHSM key store of the account uses it [MODEL CHOICE: the task
// ends within the call that starts it]. Inline policies of one principal may total 10,240 characters
// [MODEL CHOICE: counted as given, whitespace included].
import { authorizeIamAction } from "./authorize.ts";
import { callerContext } from "./request-context.ts";
import { compilePolicy } from "./policy.ts";
import { IamDirectory, SERVICE_LINKED_ROLE } from "./iam.ts";
import { ok, type JsonObject, type Outcome } from "../../protocol/step.ts";
import { isRecord } from "../../protocol/is-record.ts";
import { Rejection } from "../wire/validate.ts";
import { FrontDoor } from "../service-failure.ts";
import { IAM_MODEL } from "../../protocol/aws/service-model.ts";

/** Characters of inline policy one role or user may hold. */
export const INLINE_POLICY_CHARS_MAX = 10_240;
/** Tags one role or user may carry. */
export const PRINCIPAL_TAGS_MAX = 50;
/** A tag key as IAM's tagKeyType has it, tagging or untagging: 1–128 letters, digits, spaces and _.:/=+-@. */
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
/** A tag value as IAM's tagValueType has it: up to 256 of the characters a key may have. */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
/** The characters IAM's policyDocumentType allows: tab, line feed, carriage return, U+0020 to U+00FF. */
const POLICY_DOCUMENT_CHARACTERS = /^[\t\n\r\x20-\xff]*$/;

type IamOperation = (s: IamService, caller: string, input: JsonObject) => Outcome;

/** The name of the role (RoleName, roleNameType: 1–64) or user (UserName, existingUserNameType: 1–128) a request names. */
function entityNameOf(input: JsonObject, kind: "role" | "user"): string | Rejection {
  return kind === "role" ? name(input, "RoleName", 64) : name(input, "UserName", 128);
}

function name(input: JsonObject, param: string, max: number): string | Rejection {
  const v = input[param];
  if (typeof v !== "string" || v.length < 1 || v.length > max || !/^[\w+=,.@-]+$/.test(v)) {
    return new Rejection(
      "ValidationError",
      `1 validation error detected: Value at '${param}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+ and have length between 1 and ${max}`,
    );
  }
  return v;
}

function policyDocument(input: JsonObject): string | Rejection {
  const v = input["PolicyDocument"];
  if (typeof v !== "string" || v.length < 1 || v.length > 131_072)
    return new Rejection(
      "ValidationError",
      "1 validation error detected: Value at 'PolicyDocument' failed to satisfy constraint: Member must have length between 1 and 131072",
    );
  if (!POLICY_DOCUMENT_CHARACTERS.test(v))
    return new Rejection(
      "ValidationError",
      "1 validation error detected: Value at 'PolicyDocument' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+",
    );
  return v;
}

/** Why a deletion task of the service-linked role failed (GetServiceLinkedRoleDeletionStatus's Reason) [MODEL CHOICE]. */
export const SLR_IN_USE = "The service-linked role is in use by AWS KMS custom key stores in this account.";

interface DeletionTask {
  Status: "SUCCEEDED" | "FAILED";
  Reason?: string;
}

export class IamService {
  /** Where a `service-failure` fault arms one of IAM's own errors (sim/service-failure.ts). */
  readonly frontDoor = new FrontDoor(IAM_MODEL);
  private readonly deletionTasks = new Map<string, DeletionTask>();
  /** Tags of the service-linked role, by its ARN (it is no principal of the world's, but IAM lets it be tagged). */
  private readonly serviceRoleTags = new Map<string, Map<string, string>>();

  /** The service-linked role's tags by its ARN, for each account whose role has had any (read by the state audit). */
  get tagsOfServiceLinkedRoles(): ReadonlyMap<string, ReadonlyMap<string, string>> {
    return this.serviceRoleTags;
  }

  constructor(
    readonly iam: IamDirectory,
    /** Does a CloudHSM key store of `account` exist (in the world's one KMS)? */
    private readonly cloudHsmStoresExist: (account: string) => boolean,
    /** Milliseconds since 1970 now, on the virtual clock. */
    private readonly nowEpochMs: () => number,
  ) {}

  /** Runs one call; operating errors come back as Rejections, crashes are thrown. */
  call(operation: string, caller: string, input: JsonObject): Outcome {
    const run = OPERATIONS[operation];
    if (run === undefined) throw new Error(`iam: no operation ${operation}`);
    return this.frontDoor.take(operation.slice("iam:".length)) ?? run(this, caller, input);
  }

  authorize(caller: string, action: string, resource: string): Rejection | undefined {
    const decision = authorizeIamAction(this.iam, caller, action, callerContext(this.iam, caller, this.nowEpochMs()), resource);
    return decision.allowed ? undefined : new Rejection("AccessDenied", decision.message);
  }

  serviceLinkedRoleArn(caller: string): string {
    return `arn:aws:iam::${IamDirectory.accountOf(caller)}:role/aws-service-role/cks.kms.amazonaws.com/${SERVICE_LINKED_ROLE}`;
  }

  /** Is `entityName` the caller's account's service-linked role, as it exists now? */
  private isServiceRole(kind: "role" | "user", entityName: string): boolean {
    return kind === "role" && entityName === SERVICE_LINKED_ROLE && this.iam.serviceLinkedRoleExists;
  }

  /** The ARN of the caller's account's role or user `entityName`, or NoSuchEntity; the SLR's policies are AWS's only. */
  entity(caller: string, kind: "role" | "user", entityName: string): string | Rejection {
    if (this.isServiceRole(kind, entityName)) {
      return new Rejection(
        "UnmodifiableEntity",
        `Cannot perform the operation on the protected role '${entityName}' - this role is only modifiable by AWS`,
      );
    }
    const arn = `arn:aws:iam::${IamDirectory.accountOf(caller)}:${kind}/${entityName}`;
    if (!this.iam.has(arn)) return new Rejection("NoSuchEntity", `The ${kind} with name ${entityName} cannot be found.`);
    return arn;
  }

  /** The tags of a role or user, or of the service-linked role (taggable, unlike its policies). */
  private taggable(
    caller: string,
    kind: "role" | "user",
    entityName: string,
  ): { arn: string; tags: ReadonlyMap<string, string> } | Rejection {
    if (!this.isServiceRole(kind, entityName)) {
      const arn = this.entity(caller, kind, entityName);
      return arn instanceof Rejection ? arn : { arn, tags: this.iam.tags(arn) };
    }
    const arn = this.serviceLinkedRoleArn(caller);
    return { arn, tags: this.serviceRoleTags.get(arn) ?? new Map() };
  }

  private setTag(arn: string, key: string, value: string | undefined): void {
    if (!arn.includes(":role/aws-service-role/")) return this.iam.setTag(arn, key, value);
    const tags = this.serviceRoleTags.get(arn) ?? new Map<string, string>();
    if (value === undefined) tags.delete(key);
    else tags.set(key, value);
    this.serviceRoleTags.set(arn, tags);
  }

  putPolicy(caller: string, kind: "role" | "user", input: JsonObject): Outcome {
    const entityName = entityNameOf(input, kind);
    if (entityName instanceof Rejection) return entityName;
    const policyName = name(input, "PolicyName", 128);
    if (policyName instanceof Rejection) return policyName;
    const text = policyDocument(input);
    if (text instanceof Rejection) return text;
    const arn = this.entity(caller, kind, entityName);
    if (arn instanceof Rejection) return arn;
    const denied = this.authorize(caller, kind === "role" ? "iam:PutRolePolicy" : "iam:PutUserPolicy", arn);
    if (denied !== undefined) return denied;
    const parsed = compilePolicy(text, false);
    if (!parsed.ok) return new Rejection("MalformedPolicyDocument", parsed.message);
    let total = text.length;
    for (const [n, t] of this.iam.inlinePolicies(arn)) if (n !== policyName) total += t.length;
    if (total > INLINE_POLICY_CHARS_MAX)
      return new Rejection("LimitExceeded", `Maximum policy size of ${INLINE_POLICY_CHARS_MAX} bytes exceeded for ${kind} ${entityName}`);
    this.iam.setInlinePolicy(arn, policyName, text);
    return ok({});
  }

  deletePolicy(caller: string, kind: "role" | "user", input: JsonObject): Outcome {
    const entityName = entityNameOf(input, kind);
    if (entityName instanceof Rejection) return entityName;
    const policyName = name(input, "PolicyName", 128);
    if (policyName instanceof Rejection) return policyName;
    const arn = this.entity(caller, kind, entityName);
    if (arn instanceof Rejection) return arn;
    const denied = this.authorize(caller, kind === "role" ? "iam:DeleteRolePolicy" : "iam:DeleteUserPolicy", arn);
    if (denied !== undefined) return denied;
    if (!this.iam.inlinePolicies(arn).has(policyName))
      return new Rejection("NoSuchEntity", `The ${kind} policy with name ${policyName} cannot be found.`);
    this.iam.setInlinePolicy(arn, policyName, undefined);
    return ok({});
  }

  tag(caller: string, kind: "role" | "user", input: JsonObject): Outcome {
    const entityName = entityNameOf(input, kind);
    if (entityName instanceof Rejection) return entityName;
    const raw = input["Tags"];
    const tags: [string, string][] = [];
    if (!Array.isArray(raw) || raw.length < 1 || raw.length > PRINCIPAL_TAGS_MAX)
      return new Rejection(
        "ValidationError",
        `1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length between 1 and ${PRINCIPAL_TAGS_MAX}`,
      );
    for (const t of raw) {
      const key = isRecord(t) ? t["Key"] : undefined;
      const value = isRecord(t) ? t["Value"] : undefined;
      if (typeof key !== "string" || !TAG_KEY.test(key) || typeof value !== "string" || !TAG_VALUE.test(value)) {
        return new Rejection(
          "ValidationError",
          "1 validation error detected: Value at 'tags' failed to satisfy constraint: each tag needs a Key of 1 to 128 and a Value of at most 256 letters, digits, spaces and _.:/=+-@",
        );
      }
      tags.push([key, value]);
    }
    const taggable = this.taggable(caller, kind, entityName);
    if (taggable instanceof Rejection) return taggable;
    const { arn, tags: before } = taggable;
    const denied = this.authorize(caller, kind === "role" ? "iam:TagRole" : "iam:TagUser", arn);
    if (denied !== undefined) return denied;
    if (tags.some(([k]) => k.startsWith("aws:")))
      return new Rejection("InvalidInput", "User-defined tag keys cannot begin with the prefix aws:");
    const after = new Set([...before.keys(), ...tags.map(([k]) => k)]);
    if (after.size > PRINCIPAL_TAGS_MAX)
      return new Rejection("LimitExceeded", `The number of tags has reached the maximum limit of ${PRINCIPAL_TAGS_MAX}.`);
    for (const [k, v] of tags) this.setTag(arn, k, v);
    return ok({});
  }

  untag(caller: string, kind: "role" | "user", input: JsonObject): Outcome {
    const entityName = entityNameOf(input, kind);
    if (entityName instanceof Rejection) return entityName;
    const raw = input["TagKeys"];
    if (!Array.isArray(raw) || raw.length > PRINCIPAL_TAGS_MAX || !raw.every((k) => typeof k === "string" && TAG_KEY.test(k))) {
      return new Rejection(
        "ValidationError",
        `1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must be a list of at most ${PRINCIPAL_TAGS_MAX} keys of 1 to 128 letters, digits, spaces and _.:/=+-@`,
      );
    }
    const taggable = this.taggable(caller, kind, entityName);
    if (taggable instanceof Rejection) return taggable;
    const { arn } = taggable;
    const denied = this.authorize(caller, kind === "role" ? "iam:UntagRole" : "iam:UntagUser", arn);
    if (denied !== undefined) return denied;
    for (const k of raw as string[]) this.setTag(arn, k, undefined);
    return ok({});
  }

  /**
   * Starts the service-linked role's deletion (spec §10): a task that deletes the role, or fails and keeps
   * it while a CloudHSM key store of the account uses it; its id is `task/aws-service-role/<principal>/<role>/<uuid>`.
   */
  deleteServiceLinkedRole(caller: string, input: JsonObject): Outcome {
    const roleName = name(input, "RoleName", 64);
    if (roleName instanceof Rejection) return roleName;
    const arn = this.serviceLinkedRoleArn(caller);
    const denied = this.authorize(caller, "iam:DeleteServiceLinkedRole", arn);
    if (denied !== undefined) return denied;
    if (roleName !== SERVICE_LINKED_ROLE || !this.iam.serviceLinkedRoleExists)
      return new Rejection("NoSuchEntity", `The role with name ${roleName} cannot be found.`);
    const uuid = `${this.deletionTasks.size.toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`;
    const id = `task/aws-service-role/cks.kms.amazonaws.com/${SERVICE_LINKED_ROLE}/${uuid}`;
    if (this.cloudHsmStoresExist(IamDirectory.accountOf(caller))) this.deletionTasks.set(id, { Status: "FAILED", Reason: SLR_IN_USE });
    else {
      this.deletionTasks.set(id, { Status: "SUCCEEDED" });
      this.iam.serviceLinkedRoleExists = false;
      this.serviceRoleTags.delete(arn);
    }
    return ok({ DeletionTaskId: id });
  }

  /** What became of a deletion task: SUCCEEDED, or FAILED with the reason. */
  deletionStatus(caller: string, input: JsonObject): Outcome {
    const id = input["DeletionTaskId"];
    if (typeof id !== "string" || id.length < 1 || id.length > 1000)
      return new Rejection(
        "ValidationError",
        "1 validation error detected: Value at 'deletionTaskId' failed to satisfy constraint: Member must have length between 1 and 1000",
      );
    const denied = this.authorize(caller, "iam:GetServiceLinkedRoleDeletionStatus", this.serviceLinkedRoleArn(caller));
    if (denied !== undefined) return denied;
    if (!id.startsWith("task/aws-service-role/")) return new Rejection("InvalidInput", `Invalid deletion task id ${id}.`);
    const task = this.deletionTasks.get(id);
    if (task === undefined) return new Rejection("NoSuchEntity", `Deletion task ${id} cannot be found.`);
    return ok(task.Reason === undefined ? { Status: task.Status } : { Status: task.Status, Reason: { Reason: task.Reason } });
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
  "iam:GetServiceLinkedRoleDeletionStatus": (s, caller, input) => s.deletionStatus(caller, input),
};

export const IAM_OPERATIONS = Object.keys(OPERATIONS);
