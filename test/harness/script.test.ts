// The strict Step-list reader: every mistake a person makes writing a script is one InputError
// naming the file, the step and the field — never a silent pass, a crash or a finding.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { checkScript } from "../../harness/script.ts";
import { ADVANCE_MS_MAX, STEPS_MAX } from "../../harness/limits.ts";
import { InputError } from "../../protocol/input-error.ts";
import type { Json } from "../../protocol/step.ts";

const scenario = loadScenario("default");
const call = { call: "ListKeys", as: "admin", input: {} };

function problem(steps: Json[]): string {
  try {
    checkScript("s.json", steps, scenario);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error("checkScript accepted it");
}

describe("checkScript", () => {
  it("accepts the three kinds of step with every documented field", () => {
    const steps: Json[] = [
      { ...call, save: "k1", expect: { ok: true, output: {} } },
      {
        call: "DescribeKey",
        as: "app",
        input: { KeyId: { ref: "key", index: -1 } },
        expect: { ok: false, error: { name: "NotFoundException", message: "x" } },
      },
      { fault: "partition", hsm: "${world.hsms.0}", direction: "to-hsm", after: 3 },
      { fault: "slow-hsm", hsm: { ref: "hsm", index: 0 }, factor: 40 },
      { fault: "heal" },
      { fault: "service-failure", service: "iam", error: "ConcurrentModification" },
      { advance: ADVANCE_MS_MAX },
    ];
    expect(checkScript("s.json", steps, scenario)).toHaveLength(7);
  });

  const cases: [string, Json[], RegExp][] = [
    ["a reference as a whole step", [{ ref: "key", index: 0 }], /^s\.json: steps\.0: a generated reference .* not for a whole step$/],
    ["a misspelt field", [{ ...call, expct: { ok: true } }], /^s\.json: steps\.0\.expct: unknown field of a call/],
    ["a save that is not a name", [{ ...call, save: 5 }], /^s\.json: steps\.0\.save: must be a name/],
    ["an input that is not an object", [{ ...call, input: "hello" }], /^s\.json: steps\.0\.input: must be an object/],
    ["a call without as", [{ call: "ListKeys", input: {} }], /^s\.json: steps\.0\.as: is required/],
    ["an unknown principal", [{ ...call, as: "mallory" }], /steps\.0\.as: unknown principal 'mallory'/],
    ["an unknown call", [{ ...call, call: "Frobnicate" }], /steps\.0\.call: unknown call 'Frobnicate'/],
    ["an expectation with a typo", [{ ...call, expect: { ok: false, eror: { name: "X" } } }], /steps\.0\.expect\.eror: unknown field/],
    ["an expectation without ok", [{ ...call, expect: { error: { name: "X" } } }], /steps\.0\.expect: must be an outcome/],
    [
      "an error name that is empty",
      [{ ...call, expect: { ok: false, error: { name: "" } } }],
      /steps\.0\.expect\.error\.name: must be a non-empty string/,
    ],
    ["an advance past the limit", [{ advance: 9007199254740991 }], /steps\.0\.advance: must be a whole number of milliseconds from 0 to/],
    ["a negative advance", [{ advance: -1 }], /steps\.0\.advance: must be a whole number/],
    ["a fractional landing", [{ fault: "heal", after: 1.5 }], /steps\.0\.after: must be a whole number/],
    ["an unknown fault", [{ fault: "meteor" }], /steps\.0\.fault: unknown fault "meteor"/],
    ["an unknown fault field", [{ fault: "heal", hsmm: "x" }], /steps\.0\.hsmm: unknown field of a fault/],
    [
      "a service failure of an unknown service",
      [{ fault: "service-failure", service: "s3", error: "ServiceFailure" }],
      /steps\.0\.service: must be one of kms, cloudhsmv2, iam, not "s3"/,
    ],
    [
      "a service failure with another service's error",
      [{ fault: "service-failure", service: "kms", error: "ServiceFailure" }],
      /steps\.0\.error: must be one of kms's own errors \(KMSInternalException, DependencyTimeoutException, KeyUnavailableException\), not "ServiceFailure"/,
    ],
    [
      "a service failure without its error",
      [{ fault: "service-failure", service: "cloudhsmv2" }],
      /steps\.0\.error: must be one of cloudhsmv2's own errors/,
    ],
    [
      "a service failure landing mid-call",
      [{ fault: "service-failure", service: "kms", error: "KMSInternalException", after: 2 }],
      /steps\.0\.after: a service failure takes none/,
    ],
    ["a service on another fault", [{ fault: "heal", service: "kms" }], /steps\.0\.service: is for fault "service-failure" only/],
    ["a step of two kinds", [{ ...call, advance: 5 }], /steps\.0: has both "call" and "advance"/],
    ["a step of no kind", [{ as: "admin" }], /steps\.0: needs "call", "fault" or "advance" \(has: as\)/],
    ["a step that is not an object", [call, "ListKeys"], /steps\.1: must be an object/],
    ["too much virtual time", Array.from({ length: 100 }, () => ({ advance: ADVANCE_MS_MAX })), /steps\.\d+: the script passes more than/],
  ];
  for (const [what, steps, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(problem(steps)).toMatch(message);
    });
  }

  it(`refuses more than ${STEPS_MAX} steps`, () => {
    expect(problem(Array.from({ length: STEPS_MAX + 1 }, () => ({ advance: 1 })))).toMatch(/at most 10000/);
  });
});
