// Extracts what kmsim needs of AWS's service models (botocore's service-2.json for KMS, CloudHSMv2
// and IAM) into protocol/aws/*.json: for each operation kmsim models, its input and output shapes and
// declared errors, and every shape they reach with its constraints (type, required members, lengths,
// ranges, patterns, enums, sensitivity) and error codes — documentation dropped. The data is AWS's;
// both sides validate against it with code of their own. Run: node --import tsx tools/extract-aws-models.ts
// BOTOCORE_DATA_DIR VERSION, then npx prettier --write protocol/aws (the files are kept in Prettier's layout).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

type Raw = Record<string, unknown> & { shape?: string };
interface RawShape {
  type: string;
  required?: string[];
  members?: Record<string, Raw>;
  member?: Raw;
  key?: Raw;
  value?: Raw;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  exception?: boolean;
  error?: { code?: string };
}
interface RawModel {
  metadata: Record<string, unknown>;
  operations: Record<string, { input?: Raw; output?: Raw & { resultWrapper?: string }; errors?: Raw[] }>;
  shapes: Record<string, RawShape>;
}

/** The operations kmsim models, by service (step names without their prefix). */
const MODELLED: Record<string, { dir: string; operations: string[] }> = {
  kms: {
    dir: "kms/2014-11-01",
    operations: [
      "CreateCustomKeyStore",
      "ConnectCustomKeyStore",
      "DisconnectCustomKeyStore",
      "DescribeCustomKeyStores",
      "UpdateCustomKeyStore",
      "DeleteCustomKeyStore",
      "CreateKey",
      "DescribeKey",
      "ListKeys",
      "EnableKey",
      "DisableKey",
      "ScheduleKeyDeletion",
      "CancelKeyDeletion",
      "UpdateKeyDescription",
      "TagResource",
      "UntagResource",
      "ListResourceTags",
      "CreateAlias",
      "UpdateAlias",
      "DeleteAlias",
      "ListAliases",
      "Encrypt",
      "Decrypt",
      "GenerateDataKey",
      "GenerateDataKeyWithoutPlaintext",
      "ReEncrypt",
      "GenerateRandom",
      "PutKeyPolicy",
      "GetKeyPolicy",
      "ListKeyPolicies",
      "CreateGrant",
      "ListGrants",
      "RevokeGrant",
      "RetireGrant",
      "ListRetirableGrants",
      "EnableKeyRotation",
      "DisableKeyRotation",
      "GetKeyRotationStatus",
    ],
  },
  cloudhsmv2: {
    dir: "cloudhsmv2/2017-04-28",
    operations: ["DescribeClusters", "CreateCluster", "DeleteCluster", "CreateHsm", "DeleteHsm", "DescribeBackups"],
  },
  iam: {
    dir: "iam/2010-05-08",
    operations: [
      "PutRolePolicy",
      "PutUserPolicy",
      "DeleteRolePolicy",
      "DeleteUserPolicy",
      "TagRole",
      "TagUser",
      "UntagRole",
      "UntagUser",
      "DeleteServiceLinkedRole",
      "GetServiceLinkedRoleDeletionStatus",
    ],
  },
};

function extract(service: string, dataDir: string, version: string): unknown {
  const { dir, operations } = MODELLED[service]!;
  const file = join(dataDir, dir, "service-2.json.gz");
  const bytes = gunzipSync(readFileSync(file));
  const model = JSON.parse(bytes.toString("utf8")) as RawModel;
  const shapes: Record<string, unknown> = {};
  const visit = (name: string | undefined): void => {
    if (name === undefined || name in shapes) return;
    const s = model.shapes[name];
    if (s === undefined) throw new Error(`${service}: no shape ${name}`);
    const out: Record<string, unknown> = { type: s.type };
    for (const k of ["min", "max", "pattern", "enum", "sensitive"] as const) if (s[k] !== undefined) out[k] = s[k];
    if (s.required !== undefined) out["required"] = s.required;
    if (s.exception === true) out["error"] = s.error?.code ?? name;
    shapes[name] = out;
    if (s.members !== undefined) {
      out["members"] = Object.fromEntries(Object.entries(s.members).map(([m, ref]) => [m, ref.shape]));
      const sensitive = Object.entries(s.members)
        .filter(([, ref]) => ref["sensitive"] === true)
        .map(([m]) => m);
      if (sensitive.length > 0) out["sensitiveMembers"] = sensitive;
      for (const ref of Object.values(s.members)) visit(ref.shape);
    }
    for (const k of ["member", "key", "value"] as const) {
      const ref = s[k];
      if (ref !== undefined) {
        out[k] = ref.shape;
        visit(ref.shape);
      }
    }
  };
  const ops: Record<string, unknown> = {};
  for (const name of operations) {
    const op = model.operations[name];
    if (op === undefined) throw new Error(`${service}: no operation ${name}`);
    const errors = (op.errors ?? []).map((e) => e.shape!);
    ops[name] = { input: op.input?.shape ?? null, output: op.output?.shape ?? null, errors };
    visit(op.input?.shape);
    visit(op.output?.shape);
    for (const e of errors) visit(e);
  }
  const sorted = Object.fromEntries(
    Object.keys(shapes)
      .sort()
      .map((k) => [k, shapes[k]]),
  );
  return {
    source: {
      package: "botocore",
      version,
      file: `botocore/data/${dir}/service-2.json`,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      protocol: model.metadata["protocol"],
      apiVersion: model.metadata["apiVersion"],
      note: "constraints only (documentation dropped); regenerate with tools/extract-aws-models.ts",
    },
    operations: ops,
    shapes: sorted,
  };
}

const [dataDir, version = "unknown"] = process.argv.slice(2);
if (dataDir === undefined) throw new Error("usage: extract-aws-models.ts BOTOCORE_DATA_DIR [BOTOCORE_VERSION]");
for (const service of Object.keys(MODELLED)) {
  writeFileSync(join("protocol", "aws", `${service}.json`), `${JSON.stringify(extract(service, dataDir, version), null, 1)}\n`);
}
