// A replication pass due while a call is under way (model/branching.ts, spec §4): it may run before the
// call's HSM work, not yet, or — in a call that makes key objects — between two of its HSM attempts,
// where it leaves the objects placed as neither of the others does.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { modelWorld } from "../../harness/model-world.ts";
import { initialState } from "../../model/initial-state.ts";
import { modelStep } from "../../model/model.ts";
import type { ModelState } from "../../model/state.ts";
import { changed, withCluster } from "../../model/state-change.ts";
import type { Outcome } from "../../protocol/step.ts";

const scenario = loadScenario("default");
const world = modelWorld(scenario);
const fresh = initialState(world);
const cluster = fresh.clusters[0]!;
const [first, second] = cluster.hsms.map((h) => h.hsmId) as [string, string];
const STORE = "cks-00000000000000000";
const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const ARN = `arn:aws:kms:${world.region}:${world.account}:key/${KEY_ID}`;
const nowUs = 10_000_000;

/**
 * A connected store; the first HSM holds an older key object the second lacks, with a pass due 5 ms
 * into the call, and its replies to the KMS are cut: it serves GenerateKey, then the second does.
 */
function connected(): ModelState {
  const withStore = changed(fresh, (state) => {
    state.stores = [
      {
        id: STORE,
        account: world.account,
        name: "store",
        clusterId: cluster.id,
        lineage: cluster.lineage,
        trustAnchor: cluster.trustAnchor,
        password: "rotated",
        state: "CONNECTED",
        creationUs: 0,
      },
    ];
  });
  return withCluster(withStore, cluster.id, (c) => {
    c.users = { ...c.users, kmsuser: { password: "rotated", session: "kms", failedLogins: 0 } };
    c.hsms[0]!.objects = [`older@${first}`];
    c.hsms[0]!.cutFrom = true;
    c.replicationAtUs = c.replicationByUs = nowUs + 5_000;
  });
}

describe("a replication pass due during CreateKey", () => {
  it("may run between its HSM attempts: the second HSM gets the first's objects, the first not the second's", () => {
    const createKey = { call: "CreateKey", as: "admin", input: { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: STORE } };
    const answer = { ok: true, output: { KeyMetadata: { KeyId: KEY_ID } } } as unknown as Outcome;
    const placements = modelStep(world, connected(), createKey, nowUs).map((b) => {
      const hsms = b.next(answer).clusters[0]!.hsms;
      return hsms.map((h) => h.objects.join(" ")).join(" | ");
    });
    const made = (hsm: string) => `${ARN}@${hsm}`;
    const older = `older@${first}`;
    expect(new Set(placements)).toEqual(
      new Set([
        `${made(first)} ${older} | ${made(second)}`, // not run yet
        `${made(first)} ${older} | ${made(second)} ${older}`, // run before the HSM work
        `${made(first)} ${older} | ${made(first)} ${made(second)} ${older}`, // between the two attempts
        `${made(first)} ${made(second)} ${older} | ${made(first)} ${made(second)} ${older}`, // as the second's reply leaves
      ]),
    );
  });
});
