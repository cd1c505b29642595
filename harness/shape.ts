// A step's shape, checked as it is about to run (its references resolved): the call, principal, fault,
// HSM, zone and subnet it names must exist, a slow-hsm factor must be one the timing makes all in time
// or all late, a service failure must name a service and one of its own errors, numbers must be whole. A bad step is the script's mistake: an InputError naming it.
import { InputError } from "../protocol/input-error.ts";
import { FAULT_NAMES, isAdvance, isCall, isFault, type Step } from "../protocol/step.ts";
import { FAILING_SERVICES, SERVICE_FAILURES } from "../protocol/service-failures.ts";
import { lateFactorMin, slowFactorEffect } from "../sim/config.ts";
import { OPERATION_NAMES, OPERATIONS } from "./operations/index.ts";
import type { Scenario } from "./scenario.ts";

/** Checks a step's shape before it runs: unknown call names, principals, faults, HSMs, zones and subnets are input errors. */
export function checkShape(scenario: Scenario, step: Step, where: string, knownHsms: readonly unknown[]): void {
  if (isCall(step)) {
    if (!OPERATIONS.has(step.call)) throw new InputError(`${where}: unknown call '${step.call}' (known: ${OPERATION_NAMES.join(", ")})`);
    if (!Object.hasOwn(scenario.world.principals, step.as))
      throw new InputError(`${where}: unknown principal '${step.as}' (known: ${Object.keys(scenario.world.principals).join(", ")})`);
    const expect = step.expect;
    if (expect !== undefined && (typeof expect !== "object" || expect === null || typeof expect["ok"] !== "boolean")) {
      throw new InputError(`${where}: expect must be an outcome such as {"ok": true} or {"ok": false, "error": {"name": "..."}}`);
    }
    return;
  }
  if (isFault(step)) {
    if (!(FAULT_NAMES as readonly string[]).includes(step.fault))
      throw new InputError(`${where}: unknown fault '${step.fault}' (known: ${FAULT_NAMES.join(", ")})`);
    const hsms = scenario.world.cluster.hsms;
    const needs = (field: "hsm" | "az" | "subnet", known: readonly unknown[], optional = false) => {
      const value = step[field];
      if (value === undefined && optional) return;
      if (value === undefined) throw new InputError(`${where}: fault '${step.fault}' needs "${field}"`);
      if (!known.includes(value)) throw new InputError(`${where}: unknown ${field} '${value}' (known: ${known.join(", ")})`);
    };
    if (step.fault === "hsm-crash" || step.fault === "hsm-restore" || step.fault === "partition" || step.fault === "slow-hsm")
      needs("hsm", knownHsms);
    if (step.fault === "slow-hsm") {
      const factor = step.factor;
      if (typeof factor !== "number" || !Number.isSafeInteger(factor) || factor < 1)
        throw new InputError(`${where}: fault 'slow-hsm' needs "factor", a whole number >= 1`);
      if (slowFactorEffect(scenario.timing, factor) === undefined) {
        throw new InputError(
          `${where}: slow-hsm factor ${factor} leaves replies sometimes in time, sometimes late under this scenario's timing; use one whose replies are all in time or all late (>= ${lateFactorMin(scenario.timing)})`,
        );
      }
    }
    if (step.fault === "heal") needs("hsm", knownHsms, true);
    if (step.fault === "service-failure") {
      const { service, error } = step;
      if (service === undefined || !Object.hasOwn(SERVICE_FAILURES, service))
        throw new InputError(`${where}: fault 'service-failure' needs "service", one of ${FAILING_SERVICES.join(", ")}`);
      if (error === undefined || !SERVICE_FAILURES[service].includes(error))
        throw new InputError(
          `${where}: fault 'service-failure' on ${service} needs "error", one of ${SERVICE_FAILURES[service].join(", ")}`,
        );
      if (step.after !== undefined) throw new InputError(`${where}: fault 'service-failure' takes no "after": it arms at once`);
    }
    if (step.fault === "az-outage" || step.fault === "az-restore") needs("az", [...new Set(hsms.map((h) => h.availabilityZone))]);
    if (step.fault.startsWith("subnet-"))
      needs(
        "subnet",
        hsms.map((h) => h.subnetId),
      );
    if (step.direction !== undefined && !["both", "to-hsm", "from-hsm"].includes(step.direction)) {
      throw new InputError(`${where}: direction must be "both", "to-hsm" or "from-hsm"`);
    }
    if (step.after !== undefined && (!Number.isSafeInteger(step.after) || step.after < 0)) {
      throw new InputError(`${where}: after must be a whole number of milliseconds >= 0`);
    }
    return;
  }
  if (isAdvance(step)) {
    if (!Number.isSafeInteger(step.advance) || step.advance < 0)
      throw new InputError(`${where}: advance must be a whole number of milliseconds >= 0`);
    return;
  }
  throw new InputError(`${where}: a step needs "call", "fault" or "advance"`);
}
