// The encryption algorithm a crypto call to the virtual KMS names (spec §8.1 step 3, §8.2) — Encrypt's
// and Decrypt's EncryptionAlgorithm, ReEncrypt's Source- and DestinationEncryptionAlgorithm, by default
// SYMMETRIC_DEFAULT — and the check that the key supports it. The virtual KMS makes only symmetric
// encryption keys (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT), which support SYMMETRIC_DEFAULT
// alone; the RSAES_* and SM2PKE algorithms are InvalidKeyUsageException, checked after authorization and
// before the key state (§16 step 5). A value outside the enum was refused by validation already.
import type { JsonObject } from "../../protocol/step.ts";
import { optionalEnum, Rejection } from "../wire/validate.ts";

/** EncryptionAlgorithmSpec in the KMS service model. */
const ALGORITHM_SPECS = ["SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"] as const;

/** The KeySpec of every key the virtual KMS holds, and the algorithms that key spec supports. */
const SYMMETRIC_KEY_SPEC = "SYMMETRIC_DEFAULT";
const SYMMETRIC_ALGORITHMS: readonly string[] = ["SYMMETRIC_DEFAULT"];

/** The algorithm `input[field]` names, SYMMETRIC_DEFAULT when it names none. */
export function encryptionAlgorithm(input: JsonObject, field: string): string | Rejection {
  const named = optionalEnum(input, field, ALGORITHM_SPECS);
  return named ?? "SYMMETRIC_DEFAULT";
}

/**
 * InvalidKeyUsageException when a symmetric key cannot use `algorithm`, in AWS's words (real KMS answered
 * "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_4096." for the converse case,
 * zalando/spring-cloud-config-aws-kms#82).
 */
export function checkAlgorithm(algorithm: string): Rejection | undefined {
  if (SYMMETRIC_ALGORITHMS.includes(algorithm)) return undefined;
  return new Rejection("InvalidKeyUsageException", `Algorithm ${algorithm} is incompatible with key spec ${SYMMETRIC_KEY_SPEC}.`);
}
