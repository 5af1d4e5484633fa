import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Benchmark program: `bench:count` partner tags (default 1000) as Records of one model, or, with
// bench:noop, as many resources of a provider that does nothing: the floor the engine itself costs.
const cfg = new pulumi.Config("bench");
const count = cfg.getNumber("count") ?? 1000;

/** A provider that does nothing: what the engine, the provider host and gRPC cost on their own. */
const noop: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: String(inputs.name), outs: inputs };
  },
  async delete() {},
};

/** A resource of the no-op provider. */
class NoopTag extends pulumi.dynamic.Resource {
  constructor(name: string, args: { name: string }) {
    super(noop, name, args, {});
  }
}

for (let i = 0; i < count; i++) {
  const name = `Bulk tag ${String(i).padStart(4, "0")}`;
  if (cfg.getBoolean("noop")) new NoopTag(`tag-${i}`, { name });
  else new odoo.Record(`tag-${i}`, { model: "res.partner.category", values: { name } });
}
