// The one place the harness reads the world's inside: stores, keys, grants, key policies, HSM key
// objects, crypto users and their sessions, principals' tags, the decisions and condition tests of the
// last call. The executor drives the world through calls, faults and pauses (what any KMS answers);
// everything an invariant, a probe or the state audit needs beyond the answers comes from here, as plain
// data, so another system under test could sit behind the same seam by giving the same views.
import type { ModelState } from "../model/state.ts";
import type { Decision } from "../protocol/decision.ts";
import type { FaultStep } from "../protocol/step.ts";
import { claimHolds } from "../sim/faults.ts";
import { KMS_NODE } from "../sim/kms/hsm-client.ts";
import type { KeyRecord } from "../sim/kms/state.ts";
import type { World } from "../sim/world.ts";
import { judgedExactlyInPlace } from "./in-place-exact.ts";
import { stateAgrees } from "./state-agrees.ts";

/** A crypto user as the audit compares it. */
export interface UserView {
  session: string | null;
  failedLogins: number;
  /** The stores whose password is the user's current one. */
  passwordHeldBy: string[];
}

/** A grant as the audit compares it (spec §9.7). */
export interface GrantView {
  keyArn: string;
  grantee: string;
  retiring: string | null;
  operations: string[];
  name: string | null;
  constraints: Record<string, Record<string, string>> | null;
}

/** The world as the state audit compares it with a model state (see harness/audit.ts). */
export interface Observed {
  stores: Record<string, { state: string; errorCode: string | null }>;
  keys: Record<
    string,
    { state: string; enabled: boolean; description: string; tags: Record<string, string>; policy: string; rotationDays: number | null }
  >;
  /** Alias ARN → the ARN of the key it points at. */
  aliases: Record<string, string>;
  /** GrantId → the grant, for every grant not retired or revoked. */
  grants: Record<string, GrantView>;
  clusters: Record<string, { state: string; hsms: Record<string, { up: boolean; keys: string[] }>; users?: Record<string, UserView> }>;
  /** Service → the error a `service-failure` fault armed there and no call has met yet. */
  armedFailures: Record<string, string>;
  /** Principal ARN (the service-linked role's too) → its tags, for each principal that has any. */
  principalTags: Record<string, Record<string, string>>;
}

/** What the store-level invariants read (spec §17.2, §17.6). */
export interface StoreView {
  id: string;
  state: string;
  errorCode: string | undefined;
  /** Does the KMS hold kmsuser's session in the store's cluster? Undefined when the cluster is gone. */
  kmsLoggedIn: boolean | undefined;
}

const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

/** Do two maps have the same keys? */
function sameKeys(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const key of a.keys()) if (!b.has(key)) return false;
  return true;
}

export class Observer {
  constructor(private readonly world: World) {}

  /** What the last call's authorizations decided, in order. */
  decisions(): readonly Decision[] {
    return this.world.iam.decisionLog;
  }

  /** The condition tests the last call's authorizations evaluated, each "operator=true|false". */
  conditionTests(): readonly string[] {
    return this.world.iam.conditionLog;
  }

  stores(): StoreView[] {
    const { kms } = this.world;
    return kms.stores.map((s) => {
      const cluster = kms.cluster(s.CloudHsmClusterId);
      return {
        id: s.CustomKeyStoreId,
        state: s.ConnectionState,
        errorCode: s.ConnectionErrorCode,
        kmsLoggedIn: cluster === undefined ? undefined : cluster.kmsuser?.session === "kms",
      };
    });
  }

  /** Each store's ConnectionState, as one comparable line (spec §17.1). */
  storeStates(): string {
    return this.world.kms.stores.map((s) => `${s.CustomKeyStoreId}=${s.ConnectionState}`).join(",");
  }

  /**
   * The first cluster whose replication has settled but whose ACTIVE HSMs do not all hold the same key
   * objects (by handle), if any. Asked after every step, so compared in place, handle by handle, with
   * no list or text built.
   */
  divergentSettledCluster(): string | undefined {
    for (const c of this.world.cloudhsm.clusters.values()) {
      if (c.replicationPending) continue;
      let first: ReadonlyMap<string, unknown> | undefined;
      for (const h of c.hsms) {
        if (!h.up) continue;
        if (first === undefined) first = h.objects;
        else if (!sameKeys(first, h.objects)) return c.id;
      }
    }
    return undefined;
  }

  deletedKeyArns(): ReadonlySet<string> {
    return this.world.kms.deletedKeyArns;
  }

  orphanedKeyArns(): ReadonlySet<string> {
    return this.world.kms.orphanedKeyArns;
  }

  private keyNamed(keyIdOrArn: string): KeyRecord | undefined {
    return this.world.kms.keys.get(keyIdOrArn) ?? [...this.world.kms.keys.values()].find((k) => k.KeyId === keyIdOrArn);
  }

  /** The survival claim of sim/faults.ts for the key a call names by id or ARN: does crypto on it work now? */
  survivalClaimHolds(keyIdOrArn: string): boolean {
    const key = this.keyNamed(keyIdOrArn);
    return key !== undefined && claimHolds(this.world.kms, this.world.network, key);
  }

  /** Has store `storeId` a cluster with ACTIVE HSMs in two Availability Zones (spec §3.5)? */
  storeHasTwoActiveAzs(storeId: string): boolean {
    const store = this.world.kms.store(storeId);
    const cluster = store === undefined ? undefined : this.world.cloudhsm.clusters.get(store.CloudHsmClusterId);
    return cluster !== undefined && new Set(cluster.hsms.filter((h) => h.up).map((h) => h.spec.availabilityZone)).size >= 2;
  }

  /**
   * The crypto path of a CloudHSM key (spec §17.10): its store's state, and whether an ACTIVE HSM of the
   * store's cluster that holds its material is reachable both ways. Undefined for a key not in a store.
   */
  cryptoPath(keyArn: string): { storeState: string | undefined; served: boolean } | undefined {
    const { kms, network } = this.world;
    const key = kms.keys.get(keyArn);
    if (key?.CustomKeyStoreId === undefined) return undefined;
    const store = kms.store(key.CustomKeyStoreId);
    const cluster = store === undefined ? undefined : kms.cluster(store.CloudHsmClusterId);
    const served =
      cluster
        ?.activeHsms()
        .some((h) => h.objects.has(key.backingKeyHandle ?? "") && !network.isCut(KMS_NODE, h.id) && !network.isCut(h.id, KMS_NODE)) ??
      false;
    return { storeState: store?.ConnectionState, served };
  }

  /** How many key objects (by handle) carry `keyArn` as their label, over its cluster (spec §4). */
  keyObjectsLabelled(keyArn: string): number {
    const key = this.world.kms.keys.get(keyArn);
    const cluster = key?.CloudHsmClusterId === undefined ? undefined : this.world.cloudhsm.clusters.get(key.CloudHsmClusterId);
    if (cluster === undefined) return 0;
    // In place: only the handles that carry the label are gathered (no list of every HSM's objects).
    const handles = new Set<string>();
    for (const h of cluster.hsms) for (const [handle, o] of h.objects) if (o.label === keyArn) handles.add(handle);
    return handles.size;
  }

  /** The fault steps that lift every fault standing now: links healed, zones and HSMs back, subnets restored, no HSM slow. */
  faultsToLift(): FaultStep[] {
    const { cloudhsm, network } = this.world;
    const hsms = [...cloudhsm.clusters.values()].flatMap((c) => c.hsms);
    const steps: FaultStep[] = [];
    if (hsms.some((h) => network.isCut(KMS_NODE, h.id) || network.isCut(h.id, KMS_NODE))) steps.push({ fault: "heal" });
    for (const az of sorted(new Set(hsms.filter((h) => h.zoneDown).map((h) => h.spec.availabilityZone))))
      steps.push({ fault: "az-restore", az });
    for (const h of hsms) if (h.crashed) steps.push({ fault: "hsm-restore", hsm: h.id });
    for (const subnet of cloudhsm.subnets.values())
      if (subnet.deleted || subnet.full) steps.push({ fault: "subnet-restore", subnet: subnet.subnetId });
    for (const h of hsms) if (h.slowFactor !== 1) steps.push({ fault: "slow-hsm", hsm: h.id, factor: 1 });
    return steps;
  }

  /** What is still on its way: connects and disconnects under way, replication, key deletions, grant changes propagating. */
  unsettled(): string[] {
    const { kms, cloudhsm } = this.world;
    const now = kms.nowUs;
    // Pushed into one array literal: a list spread together from `.map`s is of another hidden class
    // empty than full, and changes again once this is optimized (protocol/packed-map.ts), sending the
    // liveness check's caller back to be compiled again.
    const left: string[] = [];
    for (const s of kms.stores)
      if (s.ConnectionState === "CONNECTING" || s.ConnectionState === "DISCONNECTING")
        left.push(`store ${s.CustomKeyStoreId} still ${s.ConnectionState}`);
    for (const c of cloudhsm.clusters.values()) if (c.replicationPending) left.push(`cluster ${c.id} still replicating`);
    for (const k of kms.keys.values()) if (k.deletionUs !== undefined) left.push(`key ${k.Arn} still pending deletion`);
    for (const g of kms.grants.values()) if (g.visibleAtUs > now) left.push(`grant ${g.GrantId} not yet propagated`);
    for (const r of kms.retiredGrants) if (r.goneAtUs > now) left.push(`grant ${r.grant.GrantId} still authorizing after it was retired`);
    if (this.world.faultInFlight) left.push("a fault still in flight");
    return left;
  }

  /**
   * Does the world hold exactly what model state `state` holds, as the audit compares them? True only
   * when `snapshot(withUsers)` would equal the state's view (harness/audit.ts) structurally, judged in
   * place without building either (harness/state-agrees.ts). `agreed`: a state it answered true for in
   * the same audit (same world, same `withUsers`), whose shared parts need no second look.
   */
  agreesWith(state: ModelState, withUsers: boolean, agreed?: ModelState): boolean {
    return stateAgrees(this.world, state, withUsers, agreed);
  }

  /** Does `agreesWith(state, …)` answering false mean the views differ (harness/in-place-exact.ts)? */
  judgesExactly(state: ModelState): boolean {
    return judgedExactlyInPlace(this.world, state);
  }

  /** The world as the state audit compares it; `withUsers` false leaves crypto users out (see harness/audit.ts). */
  snapshot(withUsers: boolean): Observed {
    const { kms, cloudhsm } = this.world;
    const stores: Observed["stores"] = {};
    for (const s of kms.stores) stores[s.CustomKeyStoreId] = { state: s.ConnectionState, errorCode: s.ConnectionErrorCode ?? null };
    const keys: Observed["keys"] = {};
    for (const k of kms.keys.values()) {
      keys[k.Arn] = {
        state: kms.keyState(k),
        enabled: k.enabled,
        description: k.Description,
        tags: Object.fromEntries(k.tags),
        policy: k.policy,
        rotationDays: k.rotation?.periodDays ?? null,
      };
    }
    const aliases: Observed["aliases"] = {};
    for (const a of kms.aliases.values()) aliases[a.AliasArn] = kms.keyArn(a.account, a.TargetKeyId);
    const grants: Observed["grants"] = {};
    for (const g of kms.grants.values()) {
      grants[g.GrantId] = {
        keyArn: g.KeyArn,
        grantee: g.GranteePrincipal,
        retiring: g.RetiringPrincipal ?? null,
        operations: g.Operations,
        name: g.Name ?? null,
        constraints: (g.Constraints as Record<string, Record<string, string>> | undefined) ?? null,
      };
    }
    // A key's material on an HSM counts while the KMS holds the key or has deleted it (orphaned or not).
    const known = (label: string) => kms.keys.has(label) || kms.deletedKeyArns.has(label);
    const clusters: Observed["clusters"] = {};
    for (const c of cloudhsm.clusters.values()) {
      const hsms: Observed["clusters"][string]["hsms"] = {};
      for (const h of c.hsms) hsms[h.id] = { up: h.up, keys: h.labels().filter(known) };
      const view: Observed["clusters"][string] = { state: c.state, hsms };
      if (withUsers) {
        const users: Record<string, UserView> = {};
        for (const [name, u] of c.users) {
          users[name] = {
            session: u.session ?? null,
            failedLogins: u.failedLogins,
            passwordHeldBy: sorted(
              kms.stores.filter((s) => s.CloudHsmClusterId === c.id && s.password === u.password).map((s) => s.CustomKeyStoreId),
            ),
          };
        }
        view.users = users;
      }
      clusters[c.id] = view;
    }
    const armedFailures: Observed["armedFailures"] = {};
    for (const [service, door] of Object.entries(this.world.doors)) if (door.armed !== undefined) armedFailures[service] = door.armed;
    const principalTags: Observed["principalTags"] = {};
    const { iam, iamService } = this.world;
    for (const tagsByArn of [iam.tagsOfPrincipals, iamService.tagsOfServiceLinkedRoles])
      for (const [arn, tags] of tagsByArn) if (tags.size > 0) principalTags[arn] = Object.fromEntries(tags);
    return { stores, keys, aliases, grants, clusters, armedFailures, principalTags };
  }
}
