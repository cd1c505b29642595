// ListRetirableGrants' RetiringPrincipal (spec §9.7: "a principal in the caller's account"). AWS lists
// InvalidArnException and NotFoundException for the operation but does not say when [MODEL CHOICE]:
// a value that is not the ARN of an IAM principal (an account's root, a user, a role, an assumed role or
// a federated user) is InvalidArnException, before authorization; after it, a principal of another
// account, or one the world does not have, is NotFoundException. Key policies read the same shape
// (model/key-policies.ts).
import { accountOf } from "./authorize.ts";
import type { CallContext } from "./context.ts";
import { refuse, type Check } from "./refusal.ts";

const PRINCIPAL_ARN = /^arn:aws:(iam::\d{12}:(root|user\/.+|role\/.+)|sts::\d{12}:(assumed-role|federated-user)\/.+)$/;

/** Has `arn` the shape of an IAM principal's ARN? */
export function isPrincipalArn(arn: string): boolean {
  return PRINCIPAL_ARN.test(arn);
}

/** InvalidArnException unless `arn` has the shape of an IAM principal's ARN. */
export function* principalArn(arn: string): Check<void> {
  if (!isPrincipalArn(arn)) yield* refuse("InvalidArnException");
}

/** NotFoundException unless `arn` is the caller's account's root or one of the world's principals of that account. */
export function* principalOfCallerAccount(ctx: CallContext, arn: string): Check<void> {
  const account = accountOf(ctx.caller.arn);
  const known = arn === `arn:aws:iam::${account}:root` || Object.values(ctx.world.principals).some((p) => p.arn === arn);
  if (accountOf(arn) !== account || !known) yield* refuse("NotFoundException");
}
