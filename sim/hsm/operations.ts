// The virtual CloudHSM service's operations by step name, on the service of sim/hsm/service.ts: the
// cloudhsmv2 control plane, authorized by IAM as `cloudhsm:<Op>`, and the operator's actions inside a
// cluster (`hsm:<Action>`). Each returns its outcome; an operating error is a Rejection, and nothing
// is caught, so a throw (a broken invariant) is a crash.
import { CLOUDHSMV2_MODEL } from "../../protocol/aws/service-model.ts";
import { ok, type JsonObject, type Outcome } from "../../protocol/step.ts";
import { checkRequest } from "../wire/request-shape.ts";
import { optionalString, Rejection, requiredString } from "../wire/validate.ts";
import type { VirtualCluster, CryptoUser } from "./cluster.ts";
import type { CloudHsmService } from "./service.ts";

type ServiceOperation = (service: CloudHsmService, caller: string, input: JsonObject) => Outcome;

/** A cloudhsmv2 operation on the cluster a request names, once IAM allows `cloudhsm:<action>`. */
function onCluster(action: string, run: (s: CloudHsmService, cluster: VirtualCluster, input: JsonObject) => Outcome): ServiceOperation {
  return (s, caller, input) => {
    const denied = s.authorize(caller, `cloudhsm:${action}`);
    if (denied !== undefined) return denied;
    const cluster = s.mustCluster(input);
    return cluster instanceof Rejection ? cluster : run(s, cluster, input);
  };
}

/** An operator action on a cluster with a running HSM, for the crypto user the request names. */
function asUser(run: (cluster: VirtualCluster, name: string, user: CryptoUser, input: JsonObject) => Outcome): ServiceOperation {
  return (s, _caller, input) => {
    const cluster = s.operatorCluster(input);
    if (cluster instanceof Rejection) return cluster;
    const named = s.user(cluster, input);
    return named instanceof Rejection ? named : run(cluster, named.name, named.user, input);
  };
}

/** The service's operations by step name; cloudhsmv2 ones are authorized as `cloudhsm:<Op>`. */
const OPERATIONS: Record<string, ServiceOperation> = {
  "cloudhsmv2:DescribeClusters": (s, caller, input) => s.authorize(caller, "cloudhsm:DescribeClusters") ?? s.describeClusters(input),
  "cloudhsmv2:CreateCluster": (s, caller, input) => s.authorize(caller, "cloudhsm:CreateCluster") ?? s.createCluster(input),
  "cloudhsmv2:DeleteCluster": onCluster("DeleteCluster", (s, cluster) => s.deleteCluster(cluster)),
  "cloudhsmv2:CreateHsm": onCluster("CreateHsm", (s, cluster, input) => s.createHsm(cluster, input)),
  "cloudhsmv2:DeleteHsm": onCluster("DeleteHsm", (_s, cluster, input) => {
    // HsmId, EniId and EniIp are all optional in the API; kmsim's HSMs go by HsmId, and naming none is the caller's error.
    const hsmId = optionalString(input, "HsmId", 1, 64);
    if (hsmId instanceof Rejection) return hsmId;
    if (hsmId === undefined) return new Rejection("CloudHsmInvalidRequestException", "Specify the HSM to delete by its HsmId.");
    if (cluster.hsm(hsmId) === undefined)
      return new Rejection("CloudHsmResourceNotFoundException", `HSM ${hsmId} not found in ${cluster.id}.`);
    cluster.removeHsm(hsmId);
    return ok({ HsmId: hsmId });
  }),

  "hsm:Login": asUser((cluster, _name, user, input) => {
    const password = requiredString(input, "Password", 1, 64);
    if (password instanceof Rejection) return password;
    if (user.failedLogins >= cluster.options.failedLoginsMax) return new Rejection("HsmUserLockedOutException", "The user is locked out.");
    if (user.session !== undefined) return new Rejection("HsmUserLoggedInException", "The user is already logged in.");
    if (user.password !== password) {
      user.failedLogins += 1;
      return new Rejection("HsmInvalidCredentialsException", "Incorrect password.");
    }
    user.failedLogins = 0;
    user.session = "operator";
    return ok({});
  }),
  "hsm:Logout": asUser((_cluster, _name, user) => {
    if (user.session !== "operator") return new Rejection("HsmUserNotLoggedInException", "The operator is not logged in as this user.");
    user.session = undefined;
    return ok({});
  }),
  "hsm:ChangePassword": asUser((_cluster, _name, user, input) => {
    const password = requiredString(input, "NewPassword", 7, 32);
    if (password instanceof Rejection) return password;
    if (user.session === "kms") return new Rejection("HsmUserLoggedInException", "The user is logged in; its password cannot change.");
    user.password = password;
    user.failedLogins = 0;
    return ok({});
  }),
  "hsm:CreateUser": (s, _caller, input) => {
    const cluster = s.operatorCluster(input);
    if (cluster instanceof Rejection) return cluster;
    const name = requiredString(input, "Username", 1, 32);
    if (name instanceof Rejection) return name;
    const password = requiredString(input, "Password", 7, 32);
    if (password instanceof Rejection) return password;
    if (cluster.users.has(name)) return new Rejection("HsmUserExistsException", `User ${name} already exists.`);
    cluster.users.set(name, { password, session: undefined, failedLogins: 0 });
    return ok({});
  },
  "hsm:DeleteUser": asUser((cluster, name, user) => {
    if (user.session !== undefined) return new Rejection("HsmUserLoggedInException", "The user is logged in.");
    cluster.users.delete(name);
    return ok({});
  }),
  "hsm:CreateBackup": (s, _caller, input) => {
    const cluster = s.operatorCluster(input);
    return cluster instanceof Rejection ? cluster : s.createBackup(cluster);
  },
  "hsm:DeleteKey": (s, _caller, input) => {
    const cluster = s.operatorCluster(input);
    if (cluster instanceof Rejection) return cluster;
    const label = requiredString(input, "Label", 1, 2048);
    if (label instanceof Rejection) return label;
    // Only the owner (kmsuser, logged in by the operator) may delete kmsuser's keys (spec §4).
    if (cluster.kmsuser?.session !== "operator")
      return new Rejection("HsmUserNotLoggedInException", "Log in as kmsuser to delete its keys.");
    if (!cluster.deleteKeyObjects(label)) return new Rejection("HsmKeyNotFoundException", `No key labelled ${label}.`);
    return ok({});
  },
};
export const CLOUDHSM_OPERATIONS = Object.keys(OPERATIONS);

/** Runs one cloudhsmv2 or operator call on `service`. */
export function callCloudHsm(service: CloudHsmService, operation: string, caller: string, input: JsonObject): Outcome {
  const run = OPERATIONS[operation];
  if (run === undefined) throw new Error(`cloudhsm: no operation ${operation}`);
  // The operator's hsm:* actions happen inside the cluster, past the cloudhsmv2 API: its front door, then
  // its request validation against the service model (ValidationException, a common error of the API:
  // patterns such as ClusterId's `cluster-[2-7a-zA-Z]{11,16}`), before authorization [MODEL CHOICE, as
  // the KMS and IAM validate before they authorize; AWS documents no order].
  if (!operation.startsWith("cloudhsmv2:")) return run(service, caller, input);
  const name = operation.slice("cloudhsmv2:".length);
  return service.frontDoor.take(name) ?? checkRequest(name, input, CLOUDHSMV2_MODEL) ?? run(service, caller, input);
}
