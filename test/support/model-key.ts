// A key of the reference model's state, made by hand for a test that starts the model from a state
// rather than from calls: an enabled AWS_KMS key of the world's account with the default key policy
// (the account's root may do everything, §9.4) and no tags, changed by `more`.
import type { ModelKey, ModelWorld } from "../../model/state.ts";

/** The key ARN of key `id` in `world`'s region and account. */
export const modelKeyArn = (world: ModelWorld, id: string): string => `arn:aws:kms:${world.region}:${world.account}:key/${id}`;

export function modelKey(world: ModelWorld, id: string, more: Partial<ModelKey> = {}): ModelKey {
  return {
    id,
    arn: modelKeyArn(world, id),
    account: world.account,
    creationUs: 0,
    description: "",
    origin: "AWS_KMS",
    enabled: true,
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${world.account}:root` }, Action: "kms:*", Resource: "*" }],
    }),
    tags: {},
    ...more,
  };
}
