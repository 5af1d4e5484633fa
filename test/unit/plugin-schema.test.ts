import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { declaredSecrets, conceal, reveal, secret } from "../../provider/plugin/secrets";
import { generateSchema, schemaFile } from "../../tools/generate-schema";

// The provider plugin's schema is generated from the code (npm run schema): the checked-in file
// must be what the generator makes of the code as it is, or the SDKs made from it lie.

test("provider/plugin/schema.json is what npm run schema makes of the code", () => {
  const checkedIn = JSON.parse(readFileSync(schemaFile(), "utf8"));
  assert.deepEqual(checkedIn, generateSchema(), "provider/plugin/schema.json is stale: run npm run sdk (schema and Python SDK)");
});

test("the schema types every resource, with its docs, required inputs and secrets", () => {
  const schema = generateSchema() as any;
  assert.deepEqual(Object.keys(schema.resources), [
    "odoo:index:CustomModel",
    "odoo:index:CustomField",
    "odoo:index:Record",
    "odoo:index:RecordSet",
    "odoo:index:Database",
    "odoo:index:UpgradeRequest",
    "odoo:index:Module",
    "odoo:index:Settings",
  ]);
  const model = schema.resources["odoo:index:CustomModel"];
  assert.deepEqual(model.requiredInputs, ["model", "name"]);
  assert.deepEqual(model.inputProperties.access, {
    type: "array",
    items: { $ref: "#/types/odoo:index:CustomModelAccess" },
    description: "Who may do what. Default: full rights for base.group_user.",
  });
  assert.deepEqual(model.properties.modelId, { type: "number", description: "The model's `ir.model` id." });
  assert.equal(schema.types["odoo:index:CustomModelAccess"].properties.group.description, 'External id of a res.groups record, e.g. "base.group_user".');
  assert.equal(schema.types["odoo:index:Connection"].properties.apiKey.secret, true);
  assert.equal(schema.resources["odoo:index:Database"].properties.apiKey.secret, true);
  assert.equal(schema.resources["odoo:index:Database"].inputProperties.masterPassword.secret, true);
  assert.equal(schema.config.variables.apiKey.secret, true);
  assert.equal(schema.config.variables.url.secret, undefined);
  assert.equal(
    schema.resources["odoo:index:Record"].inputProperties.onDelete.description,
    'What destroy does: "unlink" (default), "archive" (active = false) or "keep" (leave it in Odoo). One of: unlink, archive, keep.',
  );
});

test("secrets: what came in secret and what the kind declares secret go back secret; the implementations see plain values", () => {
  const given = { model: "x_a", connection: { url: "http://odoo", apiKey: secret("k") }, values: { x_note: secret("n") } };
  const { plain, secrets } = reveal(given);
  assert.deepEqual(plain, { model: "x_a", connection: { url: "http://odoo", apiKey: "k" }, values: { x_note: "n" } });
  assert.deepEqual(secrets, [
    ["connection", "apiKey"],
    ["values", "x_note"],
  ]);
  const outs = { ...plain, applied: { x_note: "n" }, recordId: 4 };
  assert.deepEqual(conceal(outs, [...secrets, ...declaredSecrets("record")]), {
    model: "x_a",
    connection: { url: "http://odoo", apiKey: secret("k") },
    values: { x_note: secret("n") },
    applied: secret({ x_note: "n" }),
    recordId: 4,
  });
  // A key given in plain text is kept secret all the same; an absent one stays absent.
  assert.deepEqual(conceal({ connection: { apiKey: "k" } }, declaredSecrets("customModel")), { connection: { apiKey: secret("k") } });
  assert.deepEqual(conceal({ model: "x_a" }, declaredSecrets("customModel")), { model: "x_a" });
});
