// The virtual KMS: the system under test. It holds custom key stores and keys, talks to the virtual
// CloudHSM cluster only over the simulated network, and answers each call as a process on the
// virtual clock. It never imports the reference model. Operations live beside it (operations.ts
// lists them); this file holds the shared state, identifiers, lookups, deletion, the store quota and
// the dispatcher; authorization is access.ts.
import { spawn, type Proc } from "../kernel/process.ts";
import type { Network } from "../kernel/network.ts";
import type { Prng } from "../kernel/prng.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import type { VirtualCluster } from "../hsm/cluster.ts";
import type { CloudHsmService } from "../hsm/service.ts";
import type { CryptoBackend } from "../crypto/backend.ts";
import type { JsonObject, Outcome } from "../../protocol/step.ts";
import { HsmClient, type HsmAnswer } from "./hsm-client.ts";
import { KeyIdForms, keyArnOf } from "./key-id.ts";
import { IamDirectory } from "../iam/iam.ts";
import type { AliasRecord, GrantRecord, KeyRecord, KeyState, StoreRecord } from "./state.ts";
import { Rejection } from "../wire/validate.ts";
import { checkRequest } from "../wire/request-shape.ts";
import { FrontDoor } from "../service-failure.ts";
import { KMS_MODEL } from "../../protocol/aws/service-model.ts";

export interface KmsOptions {
  region: string;
  account: string;
  /** Wall-clock instant, in ms since 1970, that virtual time zero stands for (CreationDate). */
  epochMs: number;
  /** From ConnectCustomKeyStore until the login exchange starts, in microseconds. */
  connectDelayUs: number;
  /** From the start of the login exchange until the result is published, in microseconds. */
  connectExchangeUs: number;
  /** From DisconnectCustomKeyStore until the store reads DISCONNECTED, in microseconds. */
  disconnectDelayUs: number;
  hsmRequestTimeoutUs: number;
  /** Custom key stores per account and Region (spec §11.1: 10). */
  storesMax: number;
  /** Crypto requests per second one custom key store takes (spec §11.2). */
  storeRequestsPerSecond: number;
  /** Grants one key may have (spec §11.1). */
  grantsPerKey: number;
  /** Longest grant propagation delay, in microseconds (spec §12); each grant change draws 0..this. */
  grantPropagationUsMax: number;
}

export interface KmsContext {
  scheduler: Scheduler;
  network: Network;
  prng: Prng;
  iam: IamDirectory;
  /** The CloudHSM control plane, read as cloudhsm:DescribeClusters would (spec §10: the service-linked role). */
  cloudhsm: CloudHsmService;
  /** The AES-256-GCM the KMS seals AWS_KMS keys' ciphertexts with (sim/crypto/). */
  crypto: CryptoBackend;
  options: KmsOptions;
}

export type Operation = (kms: VirtualKms, caller: string, input: JsonObject) => Proc<Outcome>;

export class VirtualKms {
  readonly stores: StoreRecord[] = [];
  /** Keys by key ARN, in creation order. */
  readonly keys = new Map<string, KeyRecord>();
  /** Grants by GrantId, in creation order. */
  readonly grants = new Map<string, GrantRecord>();
  /** Retired and revoked grants, each authorizing until `goneAtUs` (spec §12). */
  retiredGrants: { grant: GrantRecord; goneAtUs: number }[] = [];
  /** Draws each grant change's propagation delay. */
  readonly grantPrng: Prng;
  /** Grant tokens the KMS has handed out → the GrantId each stands for. */
  readonly grantTokens = new Map<string, string>();
  /** Aliases by alias ARN, in creation order. */
  readonly aliases = new Map<string, AliasRecord>();
  /** ARNs of keys deleted after their waiting period. */
  readonly deletedKeyArns = new Set<string>();
  /** Deleted CloudHSM keys whose key material the KMS could not delete (CloudTrail's deletionStatus FAILURE, §4). */
  readonly orphanedKeyArns = new Set<string>();
  readonly hsm: HsmClient;
  private readonly keyIdForms: KeyIdForms;
  /** Where a `service-failure` fault arms one of KMS's own errors (sim/service-failure.ts). */
  readonly frontDoor = new FrontDoor(KMS_MODEL);
  readonly idPrng: Prng;
  readonly ivPrng: Prng;
  readonly materialPrng: Prng;
  readonly passwordPrng: Prng;
  /** Data keys and GenerateRandom bytes made by the KMS itself. */
  readonly dataKeyPrng: Prng;

  constructor(
    readonly ctx: KmsContext,
    private readonly operations: Record<string, Operation>,
  ) {
    this.keyIdForms = new KeyIdForms(ctx.options.region);
    this.hsm = new HsmClient(ctx.scheduler, ctx.network, { hsmRequestTimeoutUs: ctx.options.hsmRequestTimeoutUs });
    this.idPrng = ctx.prng.child("ids");
    this.ivPrng = ctx.prng.child("iv");
    this.materialPrng = ctx.prng.child("material");
    this.passwordPrng = ctx.prng.child("passwords");
    this.dataKeyPrng = ctx.prng.child("data-keys");
    this.grantPrng = ctx.prng.child("grants");
  }

  get options(): KmsOptions {
    return this.ctx.options;
  }

  /**
   * Runs one call to completion on the scheduler; `onDone` receives its outcome. An armed service failure
   * (the front door), then AWS's request validation (sim/wire/request-shape.ts) answer at once, before the
   * operation's process starts. Operating errors come back as Rejections; nothing is caught (a crash).
   */
  start(operation: string, caller: string, input: JsonObject, onDone: (outcome: Outcome) => void): void {
    const run = this.operations[operation];
    if (run === undefined) throw new Error(`kms: no operation ${operation}`);
    const refused = this.frontDoor.take(operation) ?? checkRequest(operation, input);
    if (refused !== undefined) return onDone(refused);
    spawn(run(this, caller, input), onDone);
  }

  // ---- background processes ---------------------------------------------------------------------

  private readonly exchangeWaiters = new Map<string, Array<() => void>>();

  /** Starts a process that outlives the call that began it (a connect in progress). */
  startBackground(proc: Proc<void>): void {
    spawn(proc, () => undefined);
  }

  /** Runs `then` once the store's login exchange in flight has finished. */
  onExchangeDone(store: StoreRecord, then: () => void): void {
    const list = this.exchangeWaiters.get(store.CustomKeyStoreId) ?? [];
    list.push(then);
    this.exchangeWaiters.set(store.CustomKeyStoreId, list);
  }

  wakeExchangeWaiters(store: StoreRecord): void {
    const list = this.exchangeWaiters.get(store.CustomKeyStoreId) ?? [];
    this.exchangeWaiters.delete(store.CustomKeyStoreId);
    for (const then of list) then();
  }

  // ---- identifiers and time -------------------------------------------------------------------

  newKeyId(): string {
    const h = this.idPrng.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  newStoreId(): string {
    return `cks-${this.idPrng.hex(17)}`;
  }

  keyArn(account: string, keyId: string): string {
    return keyArnOf(this.options.region, account, keyId);
  }

  /** The ARN of alias `aliasName` ("alias/…") in `account` (spec §1). */
  aliasArn(account: string, aliasName: string): string {
    return `arn:aws:kms:${this.options.region}:${account}:${aliasName}`;
  }

  /** Seconds since 1970 with millisecond precision, as the KMS JSON protocol sends timestamps. */
  date(timeUs: number): number {
    return (this.options.epochMs + Math.floor(timeUs / 1000)) / 1000;
  }

  get nowUs(): number {
    return this.ctx.scheduler.clock.nowUs;
  }

  // ---- lookups ------------------------------------------------------------------------------------

  store(storeId: string): StoreRecord | undefined {
    for (const s of this.stores) if (s.CustomKeyStoreId === storeId) return s; // a loop: asked several times a crypto call
    return undefined;
  }

  /** A store of the caller's account (spec §3.4: no cross-account use; another account's store is not found). */
  storeOf(caller: string, storeId: string): StoreRecord | undefined {
    const store = this.store(storeId);
    return store?.account === IamDirectory.accountOf(caller) ? store : undefined;
  }

  /** The custom key stores of the caller's account, in creation order. */
  storesOf(caller: string): StoreRecord[] {
    const account = IamDirectory.accountOf(caller);
    return this.stores.filter((s) => s.account === account);
  }

  cluster(clusterId: string): VirtualCluster | undefined {
    return this.ctx.cloudhsm.clusters.get(clusterId);
  }

  /** The cluster a CloudHSM key's store is associated with now (an update may have moved it). */
  storeCluster(key: KeyRecord): VirtualCluster | undefined {
    const store = key.CustomKeyStoreId === undefined ? undefined : this.store(key.CustomKeyStoreId);
    return store === undefined ? undefined : this.cluster(store.CloudHsmClusterId);
  }

  keyState(key: KeyRecord): KeyState {
    if (key.deletionUs !== undefined) return "PendingDeletion"; // spec §5.5 fn 13: even while the store is down
    if (key.CustomKeyStoreId !== undefined && this.store(key.CustomKeyStoreId)?.ConnectionState !== "CONNECTED") return "Unavailable";
    return key.enabled ? "Enabled" : "Disabled";
  }

  /**
   * Resolves a KeyId parameter (spec §1, §6.3) in the forms AWS accepts (key-id.ts reads which): a key id
   * in the caller's account, or a key ARN in any account; an alias name (in the caller's account) or
   * alias ARN only where `aliasesAccepted`. Texts as recorded from
   * real AWS (LocalStack tests/aws/services/kms/test_kms.snapshot.json): an unknown well-formed id or
   * ARN names the full key ARN; a malformed id is `Invalid keyId`; an ARN in another Region is
   * `Invalid arn <region>`. A string that starts "arn:" but is no KMS ARN is InvalidArnException where
   * the operation's service model declares that error, and NotFoundException where it declares none (the
   * crypto operations, CreateAlias, UpdateAlias: `malformedArn`) [MODEL CHOICE: AWS's texts for either
   * are not recorded].
   */
  resolveKey(
    caller: string,
    keyId: string,
    aliasesAccepted: boolean,
    malformedArn: "InvalidArnException" | "NotFoundException" = "InvalidArnException",
  ): KeyRecord | Rejection {
    const form = this.keyIdForms.of(keyId);
    let arn: string | Rejection;
    if (form.kind === "keyArn") arn = keyId;
    else if (form.kind === "keyId") arn = this.keyArn(IamDirectory.accountOf(caller), keyId);
    else if (form.kind === "aliasArn") arn = this.aliasTarget(keyId, aliasesAccepted);
    else if (form.kind === "malformedArn") return new Rejection(malformedArn, `Invalid arn ${keyId}`);
    else if (form.kind === "otherRegion") return new Rejection("NotFoundException", `Invalid arn ${form.region}`);
    else if (form.kind === "aliasName" && aliasesAccepted)
      arn = this.aliasTarget(this.aliasArn(IamDirectory.accountOf(caller), keyId), true);
    else return new Rejection("NotFoundException", `Invalid keyId '${keyId}'`);
    if (arn instanceof Rejection) return arn;
    return this.keys.get(arn) ?? new Rejection("NotFoundException", `Key '${arn}' does not exist`);
  }

  /** The key ARN an alias ARN points at (NotFoundException if there is no such alias, or aliases are not accepted here). */
  private aliasTarget(aliasArn: string, aliasesAccepted: boolean): string | Rejection {
    if (!aliasesAccepted) return new Rejection("NotFoundException", `Invalid keyId '${aliasArn}'`);
    const alias = this.aliases.get(aliasArn);
    if (alias === undefined) return new Rejection("NotFoundException", `Alias ${aliasArn} is not found.`);
    return this.keyArn(alias.account, alias.TargetKeyId);
  }

  // ---- deletion ----------------------------------------------------------------------------------

  /**
   * The waiting period is over (spec §4, §5.4): the key, and all the KMS holds of it, is gone. For a
   * CloudHSM key the KMS then tries, best effort, to delete its key objects in the cluster — only if the
   * store is CONNECTED; otherwise, or if no HSM takes the request, the material is orphaned.
   */
  deleteKey(key: KeyRecord): void {
    this.keys.delete(key.Arn);
    for (const [arn, alias] of this.aliases) if (alias.account === key.account && alias.TargetKeyId === key.KeyId) this.aliases.delete(arn);
    for (const [id, grant] of this.grants) if (grant.KeyArn === key.Arn) this.grants.delete(id);
    this.retiredGrants = this.retiredGrants.filter((r) => r.grant.KeyArn !== key.Arn);
    this.deletedKeyArns.add(key.Arn);
    if (key.CustomKeyStoreId === undefined) return;
    const store = this.store(key.CustomKeyStoreId);
    const cluster = store?.ConnectionState === "CONNECTED" ? this.cluster(store.CloudHsmClusterId) : undefined;
    if (cluster === undefined) return void this.orphanedKeyArns.add(key.Arn);
    this.startBackground(this.deleteMaterial(cluster, key.Arn));
  }

  private *deleteMaterial(cluster: VirtualCluster, label: string): Proc<void> {
    const answer = (yield this.hsm.askAny(cluster, { op: "DeleteKey", label })) as HsmAnswer;
    if (answer?.ok !== true) this.orphanedKeyArns.add(label);
  }

  // ---- quotas --------------------------------------------------------------------------------------

  /**
   * Accepted crypto requests per store, by receipt time (µs), oldest first, for the sliding one-second
   * window: times only grow (the clock never goes back), so those past the window are a prefix.
   */
  private readonly storeRequests = new Map<string, number[]>();

  /**
   * Spec §11.2: a crypto request on a CloudHSM key (or GenerateRandom in a store) counts against the
   * store's quota over the last second; past it, ThrottlingException. Counted once the key (store) is
   * known [MODEL CHOICE]; a ReEncrypt counts in each store it touches, once.
   */
  countStoreRequest(storeId: string | undefined): Rejection | undefined {
    if (storeId === undefined) return undefined;
    const now = this.nowUs;
    let recent = this.storeRequests.get(storeId);
    if (recent === undefined) this.storeRequests.set(storeId, (recent = []));
    let expired = 0;
    while (expired < recent.length && recent[expired]! <= now - 1_000_000) expired++;
    // One expired (the usual case): shift, compiled in place, where a length change calls the runtime.
    if (expired === 1) recent.shift();
    else if (expired > 1) recent.splice(0, expired);
    if (recent.length >= this.options.storeRequestsPerSecond)
      return new Rejection(
        "ThrottlingException",
        "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.",
      );
    recent.push(now);
    return undefined;
  }
}
