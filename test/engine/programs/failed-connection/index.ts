import * as pulumi from "@pulumi/pulumi";
import * as odoo from "pulumi-odoo";

// Test program: five Records on one connection that fails in the program (as a key read from a vault
// would), three given it whole and two only its key, so that all five fail on the same error.
const cfg = new pulumi.Config("test");
const connection = pulumi.output(cfg.require("url")).apply((url): odoo.ConnectionInput => {
  throw new Error(`the vault has no key for ${url}`);
});
for (let i = 1; i <= 5; i++) {
  const given = i <= 3 ? connection : { url: cfg.require("url"), apiKey: connection.apply((c) => c.apiKey) };
  new odoo.Record(`tag-${i}`, { connection: given, model: "res.partner.category", values: { name: `Tag ${i}` } });
}
