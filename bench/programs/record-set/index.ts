import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Benchmark program: one RecordSet of `bench:count` partner tags (default 10000), the first
// `bench:changed` of them with a color; or, with bench:noop, one resource of a provider that does
// nothing: the floor the engine itself costs.
const cfg = new pulumi.Config("bench");
const count = cfg.getNumber("count") ?? 10000;
const changed = cfg.getNumber("changed") ?? 0;

/** A provider that does nothing. */
const noop: pulumi.dynamic.ResourceProvider = {
  async create() {
    return { id: "noop", outs: {} };
  },
  async delete() {},
};

/** A resource of the no-op provider. */
class Noop extends pulumi.dynamic.Resource {
  constructor(name: string) {
    super(noop, name, {}, {});
  }
}

if (cfg.getBoolean("noop")) new Noop("noop");
else {
  const records: Record<string, { name: string; color?: number }> = {};
  for (let i = 0; i < count; i++) records[`bench.tag_${i}`] = { name: `Set tag ${String(i).padStart(5, "0")}`, ...(i < changed ? { color: 7 } : {}) };
  new odoo.RecordSet("tags", { model: "res.partner.category", records });
}
