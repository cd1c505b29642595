// Turns a step as written into the step both sides run: `${world.x}` and `${name.Path}` strings are
// replaced from the world's constants and earlier saved outputs, and generated references
// `{"ref": kind, "index": n}` pick the (n mod count)-th thing of that kind made so far (-1 the most
// recent), so a shrunk list never dangles; a context reference may ask for a variation of the context
// (`"vary"`: one value changed, one key added or removed). Anything that cannot be resolved is the script's mistake: an InputError.
import { InputError } from "../protocol/input-error.ts";
import { operation } from "./operations/index.ts";
import { CONTEXT_VARIATIONS, REF_KINDS, type RefKind } from "./operations/refs.ts";
import type { Scenario } from "./scenario.ts";
import type { Json, JsonObject, Outcome, Step } from "../protocol/step.ts";

/** What a reference resolves to when nothing of its kind exists yet: well-formed, but naming nothing. */
const NOTHING: Record<RefKind, Json> = {
  key: "1234abcd-12ab-34cd-56ef-1234567890ab",
  keyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  store: "cks-1234567890abcdef0",
  ciphertext: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
  context: {},
  cluster: "cluster-nosuchcluster",
  hsm: "hsm-nosuchhsm234",
  backup: "backup-nosuchbackup",
  grant: "0000000000000000000000000000000000000000000000000000000000000000",
  grantToken: "AQIDBAUGBwgJCgsMDQ4PEA==",
  deletionTask:
    "task/aws-service-role/cks.kms.amazonaws.com/AWSServiceRoleForKeyManagementServiceCustomKeyStores/ffffffff-0000-4000-8000-000000000000",
  grantKey: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
};

const worldValuesByScenario = new WeakMap<Scenario, Readonly<Record<string, Json>>>();

/** The `${world.x}` constants of a scenario's world: made once per scenario object (a run only reads them). */
function worldValuesOf(scenario: Scenario): Readonly<Record<string, Json>> {
  let values = worldValuesByScenario.get(scenario);
  if (values !== undefined) return values;
  const w = scenario.world;
  const hsms = w.cluster.hsms;
  values = Object.freeze({
    clusterId: w.cluster.clusterId,
    trustAnchor: w.cluster.trustAnchor,
    kmsuserPassword: w.cluster.kmsuserPassword,
    account: w.account,
    partnerAccount: w.partnerAccount,
    region: w.region,
    ...Object.fromEntries(hsms.map((h, i) => [`hsms.${i}`, h.hsmId])),
    ...Object.fromEntries(hsms.map((h, i) => [`subnets.${i}`, h.subnetId])),
    ...Object.fromEntries(hsms.map((h, i) => [`azs.${i}`, h.availabilityZone])),
    // The clusters of other lineages and the uninitialized ones, for scripts with more than one store.
    ...Object.fromEntries(
      w.otherClusters.flatMap((c, i) => [
        [`otherClusters.${i}.clusterId`, c.clusterId],
        [`otherClusters.${i}.trustAnchor`, c.trustAnchor],
        [`otherClusters.${i}.kmsuserPassword`, c.kmsuserPassword],
      ]),
    ),
    ...Object.fromEntries(w.uninitializedClusterIds.map((id, i) => [`uninitializedClusterIds.${i}`, id])),
  });
  worldValuesByScenario.set(scenario, values);
  return values;
}

export class Resolver {
  private readonly saved = new Map<string, Outcome>();
  private readonly made: Record<RefKind, Json[]>;
  private readonly worldValues: Readonly<Record<string, Json>>;

  constructor(scenario: Scenario) {
    const w = scenario.world;
    const hsms = w.cluster.hsms;
    this.made = {
      key: [],
      keyArn: [],
      store: [],
      ciphertext: [],
      context: [],
      cluster: [w.cluster.clusterId],
      hsm: hsms.map((h) => h.hsmId),
      deletionTask: [],
      backup: [],
      grant: [],
      grantToken: [],
      grantKey: [],
    };
    this.worldValues = worldValuesOf(scenario);
  }

  /** Every HSM id the run has known: the world's and those created since. */
  knownHsms(): readonly Json[] {
    return this.made.hsm;
  }

  /** The step with every reference replaced; `where` names the step in error messages. */
  resolve(step: Step, where: string): Step {
    return this.value(step as unknown as Json, where) as unknown as Step;
  }

  /** Records what a step made, for later `${save}` and `{ref}` references (what its descriptor says it makes). */
  record(step: Step, outcome: Outcome): void {
    if ("save" in step && typeof step.save === "string") this.saved.set(step.save, outcome);
    if (!("call" in step) || !outcome.ok) return;
    const made = operation(step.call).makes?.(outcome.output, step.input ?? {}) ?? {};
    for (const [kind, value] of Object.entries(made) as [RefKind, Json][]) {
      // An idempotent re-create answers an existing store's id: it is the same store.
      if (kind === "store" && this.made.store.includes(value)) continue;
      this.made[kind].push(value);
    }
  }

  private value(v: Json, where: string): Json {
    if (typeof v === "string") return this.interpolate(v, where);
    if (Array.isArray(v)) {
      // Copied only from the first item that resolves to something else.
      let out: Json[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const x = v[i]!;
        const resolved = this.value(x, where);
        if (out !== undefined) out.push(resolved);
        else if (resolved !== x) (out = v.slice(0, i)).push(resolved);
      }
      return out ?? v;
    }
    if (!isObject(v)) return v;
    // The members are read as for-in gives them, never by name: a step's objects come in many shapes,
    // and a read by name (of members most objects lack) misses V8's property caches on nearly every step.
    let ref: Json | undefined;
    let index: Json | undefined;
    let vary: Json | undefined;
    let members = 0;
    for (const k in v) {
      members++;
      if (k === "ref") ref = v[k];
      else if (k === "index") index = v[k];
      else if (k === "vary") vary = v[k];
    }
    const varied = ref === "context" && typeof vary === "string" && members === 3;
    if (typeof ref === "string" && typeof index === "number" && (members === 2 || varied)) {
      const kind = ref as RefKind;
      if (!(REF_KINDS as readonly string[]).includes(kind))
        throw new InputError(`${where}: unknown ref kind '${kind}' (known: ${REF_KINDS.join(", ")})`);
      const list = this.made[kind];
      // A negative index counts from the end: -1 is the most recent.
      const found = list.length === 0 ? NOTHING[kind] : list[((Math.trunc(index) % list.length) + list.length) % list.length]!;
      return varied ? varyContext(found, vary as string, where) : found;
    }
    // Copied only when a member resolves to something else (by spreading, which keeps the object's
    // shape; then those members are replaced): otherwise the step as run shares it with the step as
    // written. Nothing writes to a step once made (test/harness/resolve.test.ts runs seeds on frozen
    // steps), and the model reads its input by identity only to remember what depends on nothing else.
    // fast-check's fc.record gives about half its records a null prototype (a boolean it draws): V8
    // keeps such an object in dictionary mode, slow to read member by member for both sides, and each
    // one a shape of its own. The step as run gets a plain object with the same members in the same
    // order (the same JSON, the same trace hash); the draw stays, so every seed makes the same steps.
    let out: JsonObject | undefined = Object.getPrototypeOf(v) === null ? { ...v } : undefined;
    for (const k in v) {
      const x = v[k]!;
      const resolved = this.value(x, where);
      if (resolved !== x) (out ??= { ...v })[k] = resolved;
    }
    return out ?? v;
  }

  private interpolate(text: string, where: string): Json {
    if (!text.includes("${")) return text; // most strings (blobs above all) reference nothing
    const whole = /^\$\{([^}]+)\}$/.exec(text);
    if (whole !== null) return this.lookup(whole[1]!, where);
    return text.replace(/\$\{([^}]+)\}/g, (_, path: string) => {
      const found = this.lookup(path, where);
      return typeof found === "string" ? found : JSON.stringify(found);
    });
  }

  private lookup(path: string, where: string): Json {
    if (path.startsWith("world.")) {
      const found = this.worldValues[path.slice("world.".length)];
      if (found === undefined)
        throw new InputError(
          `${where}: \${${path}} is not a world constant (known: ${Object.keys(this.worldValues)
            .map((k) => `world.${k}`)
            .join(", ")})`,
        );
      return found;
    }
    const [name, ...fields] = path.split(".");
    const outcome = this.saved.get(name ?? "");
    if (outcome === undefined) throw new InputError(`${where}: \${${path}}: no earlier step saved '${name}'`);
    if (!outcome.ok) throw new InputError(`${where}: \${${path}}: step '${name}' failed with ${outcome.error.name}, it has no output`);
    let at: Json = outcome.output;
    for (const field of fields) {
      const next: Json | undefined = Array.isArray(at) ? at[Number(field)] : isObject(at) ? at[field] : undefined;
      if (next === undefined) throw new InputError(`${where}: \${${path}}: '${name}' has no field ${fields.join(".")}`);
      at = next;
    }
    return at;
  }
}

function varyContext(context: Json, vary: string, where: string): Json {
  if (!isObject(context)) return context;
  const names = Object.keys(context).sort();
  const first = names[0];
  switch (vary) {
    case "value":
      return first === undefined ? context : { ...context, [first]: context[first] === "prod" ? "test" : "prod" };
    case "add":
      return { ...context, [names.includes("env") ? "stage" : "env"]: "prod" };
    case "remove":
      return Object.fromEntries(Object.entries(context).filter(([k]) => k !== names[names.length - 1]));
  }
  throw new InputError(`${where}: unknown context variation '${vary}' (known: ${CONTEXT_VARIATIONS.join(", ")})`);
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
