// The strict reader of a Step list as a person writes it (a script, a repro file): every field is
// known, every value has the right type and stays within harness/limits.ts, so a typo (`"expct"`)
// cannot silently turn a check off. Each problem is one InputError naming the file, step and field.
// What needs the run to judge (an HSM id made by an earlier step) is left to the executor.
import { InputError } from "../protocol/input-error.ts";
import { FAULT_NAMES, type Json, type JsonObject, type Step } from "../protocol/step.ts";
import { FAILING_SERVICES, SERVICE_FAILURES, type FailingService } from "../protocol/service-failures.ts";
import { OPERATION_NAMES } from "./operations/index.ts";
import { ADVANCE_MS_MAX, SCRIPT_VIRTUAL_MS_MAX, STEPS_MAX } from "./limits.ts";
import type { Scenario } from "./scenario.ts";

const CALL_FIELDS = ["call", "as", "input", "save", "expect"];
const FAULT_FIELDS = ["fault", "after", "hsm", "direction", "az", "subnet", "factor", "service", "error"];
const EXPECT_FIELDS = ["ok", "output", "error"];

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isRef(v: Json | undefined): boolean {
  return isObject(v) && "ref" in v;
}

class StepReader {
  constructor(
    private readonly file: string,
    private readonly i: number,
  ) {}

  fail(field: string | null, problem: string): never {
    throw new InputError(`${this.file}: steps.${this.i}${field === null ? "" : `.${field}`}: ${problem}`);
  }

  only(step: JsonObject, allowed: readonly string[], what: string): void {
    for (const field of Object.keys(step))
      if (!allowed.includes(field)) this.fail(field, `unknown field of ${what} (known: ${allowed.join(", ")})`);
  }

  whole(v: Json | undefined, field: string, max: number): number {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0 || v > max)
      this.fail(field, `must be a whole number of milliseconds from 0 to ${max}, not ${JSON.stringify(v)}`);
    return v;
  }

  text(v: Json | undefined, field: string, optional = false): void {
    if (v === undefined && optional) return;
    if (v === undefined) this.fail(field, "is required");
    if (typeof v !== "string" || v === "") this.fail(field, `must be a non-empty string, not ${JSON.stringify(v)}`);
  }
}

function checkCall(r: StepReader, step: JsonObject, scenario: Scenario): void {
  r.only(step, CALL_FIELDS, "a call");
  r.text(step["call"], "call");
  if (!OPERATION_NAMES.includes(step["call"] as string)) r.fail("call", `unknown call '${String(step["call"])}'`);
  if (step["as"] === undefined)
    r.fail("as", `is required: the principal making the call (one of ${Object.keys(scenario.world.principals).join(", ")})`);
  r.text(step["as"], "as");
  if (!Object.hasOwn(scenario.world.principals, step["as"] as string))
    r.fail("as", `unknown principal '${String(step["as"])}' (known: ${Object.keys(scenario.world.principals).join(", ")})`);
  if (step["input"] !== undefined && !isObject(step["input"]))
    r.fail("input", `must be an object of the call's fields, not ${JSON.stringify(step["input"])}`);
  if (step["save"] !== undefined && (typeof step["save"] !== "string" || !/^[A-Za-z_][\w-]*$/.test(step["save"])))
    r.fail("save", `must be a name (letters, digits, _ or -), not ${JSON.stringify(step["save"])}`);
  const expect = step["expect"];
  if (expect === undefined) return;
  if (!isObject(expect) || typeof expect["ok"] !== "boolean")
    r.fail("expect", `must be an outcome such as {"ok": true} or {"ok": false, "error": {"name": "..."}}`);
  for (const field of Object.keys(expect))
    if (!EXPECT_FIELDS.includes(field)) r.fail(`expect.${field}`, `unknown field (known: ${EXPECT_FIELDS.join(", ")})`);
  if (expect["ok"] === true && expect["error"] !== undefined) r.fail("expect.error", `is for {"ok": false}`);
  if (expect["ok"] === false && expect["output"] !== undefined) r.fail("expect.output", `is for {"ok": true}`);
  if (expect["output"] !== undefined && !isObject(expect["output"])) r.fail("expect.output", "must be an object");
  const error = expect["error"];
  if (error === undefined) return;
  if (!isObject(error)) r.fail("expect.error", `must be {"name", "message"?}`);
  for (const field of Object.keys(error))
    if (field !== "name" && field !== "message") r.fail(`expect.error.${field}`, "unknown field (known: name, message)");
  r.text(error["name"], "expect.error.name");
  if (error["message"] !== undefined && typeof error["message"] !== "string")
    r.fail("expect.error.message", "must be a string (AWS's message, exactly)");
}

function checkFault(r: StepReader, step: JsonObject): number {
  r.only(step, FAULT_FIELDS, "a fault");
  if (typeof step["fault"] !== "string" || !(FAULT_NAMES as readonly string[]).includes(step["fault"]))
    r.fail("fault", `unknown fault ${JSON.stringify(step["fault"])} (known: ${FAULT_NAMES.join(", ")})`);
  for (const field of ["hsm", "az", "subnet"]) if (step[field] !== undefined && !isRef(step[field])) r.text(step[field], field);
  if (step["direction"] !== undefined && !["both", "to-hsm", "from-hsm"].includes(step["direction"] as string))
    r.fail("direction", `must be "both", "to-hsm" or "from-hsm"`);
  if (step["factor"] !== undefined && (typeof step["factor"] !== "number" || !Number.isSafeInteger(step["factor"]) || step["factor"] < 1))
    r.fail("factor", "must be a whole number >= 1");
  checkServiceFailure(r, step);
  return step["after"] === undefined ? 0 : r.whole(step["after"], "after", ADVANCE_MS_MAX);
}

/** A service failure's service and error (protocol/service-failures.ts); other faults have neither. */
function checkServiceFailure(r: StepReader, step: JsonObject): void {
  const { service, error } = step;
  if (step["fault"] !== "service-failure") {
    if (service !== undefined) r.fail("service", `is for fault "service-failure" only`);
    if (error !== undefined) r.fail("error", `is for fault "service-failure" only`);
    return;
  }
  if (typeof service !== "string" || !Object.hasOwn(SERVICE_FAILURES, service))
    r.fail("service", `must be one of ${FAILING_SERVICES.join(", ")}, not ${JSON.stringify(service)}`);
  const errors = SERVICE_FAILURES[service as FailingService];
  if (typeof error !== "string" || !errors.includes(error))
    r.fail("error", `must be one of ${service}'s own errors (${errors.join(", ")}), not ${JSON.stringify(error)}`);
  if (step["after"] !== undefined) r.fail("after", `a service failure takes none: it arms its service at once`);
}

/** Checks a written Step list against the scenario it runs in; returns it typed. */
export function checkScript(file: string, steps: readonly Json[], scenario: Scenario): Step[] {
  if (steps.length > STEPS_MAX) throw new InputError(`${file}: steps: ${steps.length} steps; at most ${STEPS_MAX}`);
  let virtualMs = 0;
  steps.forEach((step, i) => {
    const r = new StepReader(file, i);
    if (!isObject(step)) return r.fail(null, `must be an object with "call", "fault" or "advance", not ${JSON.stringify(step)}`);
    if (isRef(step))
      r.fail(null, `a generated reference {"ref": …, "index": …} stands for a value inside a step (such as "KeyId"), not for a whole step`);
    const kinds = ["call", "fault", "advance"].filter((k) => k in step);
    if (kinds.length !== 1)
      r.fail(
        null,
        kinds.length === 0
          ? `needs "call", "fault" or "advance" (has: ${Object.keys(step).join(", ") || "nothing"})`
          : `has both "${kinds[0]}" and "${kinds[1]}"`,
      );
    if (kinds[0] === "call") checkCall(r, step, scenario);
    else if (kinds[0] === "fault") virtualMs += checkFault(r, step);
    else {
      r.only(step, ["advance"], "a pause");
      virtualMs += r.whole(step["advance"], "advance", ADVANCE_MS_MAX);
    }
    if (virtualMs > SCRIPT_VIRTUAL_MS_MAX)
      r.fail(null, `the script passes more than ${SCRIPT_VIRTUAL_MS_MAX} ms of virtual time by this step (100 years, the most a run may)`);
  });
  return steps as unknown as Step[];
}
