// Spec §8.1 step 3, §8.2, §16 step 5: the encryption algorithm a crypto call names — Encrypt's and
// Decrypt's EncryptionAlgorithm, ReEncrypt's SourceEncryptionAlgorithm and DestinationEncryptionAlgorithm,
// SYMMETRIC_DEFAULT when absent — and whether it suits the key. Every key kmsim simulates has KeySpec
// SYMMETRIC_DEFAULT and KeyUsage ENCRYPT_DECRYPT (CreateKey refuses other KeySpecs), so any other value of
// the EncryptionAlgorithmSpec enum is InvalidKeyUsageException; a value outside the enum is refused by
// validation before a rule reads it (model/validation.ts). Checked after authorization, before the key state.
import { refuse, oneOf, type Check } from "./refusal.ts";
import type { JsonObject } from "../protocol/step.ts";

/** EncryptionAlgorithmSpec (KMS service model). */
export const ENCRYPTION_ALGORITHMS = ["SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"] as const;

/** The KeySpec of every key the model holds (spec §8), and the algorithms it supports (DescribeKey's EncryptionAlgorithms). */
const KEY_SPEC = "SYMMETRIC_DEFAULT";
const KEY_ALGORITHMS: readonly string[] = ["SYMMETRIC_DEFAULT"];

/** The algorithm `input[field]` names; SYMMETRIC_DEFAULT when absent (its documented default). */
export function* algorithmOf(input: JsonObject, field: string): Check<string> {
  return (yield* oneOf(input, field, ENCRYPTION_ALGORITHMS)) ?? "SYMMETRIC_DEFAULT";
}

/**
 * InvalidKeyUsageException unless `algorithm` suits a symmetric encryption key. AWS's text, as real KMS
 * answered the converse case ("Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_4096.",
 * zalando/spring-cloud-config-aws-kms#82) and as floci-io/floci#3038 pins it, measured against AWS, for
 * RSAES_OAEP_SHA_256 on a symmetric key.
 */
export function* needAlgorithm(algorithm: string): Check<void> {
  if (!KEY_ALGORITHMS.includes(algorithm))
    yield* refuse("InvalidKeyUsageException", `Algorithm ${algorithm} is incompatible with key spec ${KEY_SPEC}.`);
}
