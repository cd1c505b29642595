// ListRetirableGrants' RetiringPrincipal on the virtual KMS (spec §9.7: a principal in the caller's
// account). AWS does not say when it answers InvalidArnException or NotFoundException [MODEL CHOICE]:
// not an IAM principal's ARN (root, user, role, assumed role, federated user) is InvalidArnException,
// checked before authorization; another account's principal, or one IAM does not know, NotFoundException.
// Key policies read the same shape (sim/kms/key-policies.ts).
import { IamDirectory } from "../iam/iam.ts";
import { Rejection } from "../wire/validate.ts";
import type { VirtualKms } from "./kms.ts";

const IAM_PRINCIPAL = /^arn:aws:iam::\d{12}:(root|user\/.+|role\/.+)$/;
const STS_PRINCIPAL = /^arn:aws:sts::\d{12}:(assumed-role|federated-user)\/.+$/;

/** Is `arn` shaped as an IAM principal's ARN (root, user, role, assumed role, federated user)? */
export function isPrincipalArn(arn: string): boolean {
  return IAM_PRINCIPAL.test(arn) || STS_PRINCIPAL.test(arn);
}

/** InvalidArnException unless `arn` is shaped as an IAM principal's ARN. */
export function checkPrincipalArn(arn: string): Rejection | undefined {
  if (isPrincipalArn(arn)) return undefined;
  return new Rejection("InvalidArnException", `${arn} is not the ARN of an IAM principal.`);
}

/** NotFoundException unless `arn` is a principal of the caller's account that IAM knows (its root included). */
export function checkCallerAccountPrincipal(kms: VirtualKms, caller: string, arn: string): Rejection | undefined {
  const account = IamDirectory.accountOf(caller);
  if (IamDirectory.accountOf(arn) === account && (kms.ctx.iam.has(arn) || arn === `arn:aws:iam::${account}:root`)) return undefined;
  return new Rejection("NotFoundException", `Principal ${arn} was not found in account ${account}.`);
}
