// The virtual KMS's operation table: every call name the virtual KMS answers, by AWS's name.
import { CreateAlias, DeleteAlias, ListAliases, UpdateAlias } from "./aliases.ts";
import { GetKeyPolicy, ListKeyPolicies, PutKeyPolicy } from "./key-policies.ts";
import { CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant } from "./grants.ts";
import { Decrypt, Encrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, GenerateRandom, ReEncrypt } from "./crypto.ts";
import { ListResourceTags, TagResource, UntagResource, UpdateKeyDescription } from "./tags.ts";
import type { Operation } from "./kms.ts";
import { DisableKeyRotation, EnableKeyRotation, GetKeyRotationStatus } from "./rotation.ts";
import { CancelKeyDeletion, CreateKey, DescribeKey, DisableKey, EnableKey, ListKeys, ScheduleKeyDeletion } from "./keys.ts";
import {
  ConnectCustomKeyStore,
  CreateCustomKeyStore,
  DeleteCustomKeyStore,
  DescribeCustomKeyStores,
  DisconnectCustomKeyStore,
  UpdateCustomKeyStore,
} from "./keystores.ts";

export const KMS_OPERATIONS: Record<string, Operation> = {
  CreateCustomKeyStore,
  ConnectCustomKeyStore,
  DisconnectCustomKeyStore,
  DescribeCustomKeyStores,
  UpdateCustomKeyStore,
  DeleteCustomKeyStore,
  CreateKey,
  DescribeKey,
  ListKeys,
  EnableKeyRotation,
  DisableKeyRotation,
  GetKeyRotationStatus,
  GenerateDataKey,
  GenerateDataKeyWithoutPlaintext,
  ReEncrypt,
  GenerateRandom,
  PutKeyPolicy,
  GetKeyPolicy,
  ListKeyPolicies,
  CreateGrant,
  ListGrants,
  RevokeGrant,
  RetireGrant,
  ListRetirableGrants,
  CreateAlias,
  UpdateAlias,
  DeleteAlias,
  ListAliases,
  EnableKey,
  DisableKey,
  ScheduleKeyDeletion,
  CancelKeyDeletion,
  UpdateKeyDescription,
  TagResource,
  UntagResource,
  ListResourceTags,
  Encrypt,
  Decrypt,
};
