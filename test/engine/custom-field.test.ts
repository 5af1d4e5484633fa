import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assertClean, ops, useEngine, writesSince } from "./harness";

// CustomField through the real provider host: fields created with the model in one program, no
// perpetual diff, in-place updates, a rename that keeps data, replacement on type change, removal of
// a declared property, preview-time checks, and deletion in dependency order.

describe("CustomField, engine level", () => {
  const ctx = useEngine("custom-field");
  const field = async (name = "x_code") =>
    (
      await ctx.client.call<Record<string, any>[]>("ir.model.fields", "search_read", {
        domain: [
          ["model", "=", "x_engine_thing"],
          ["name", "=", name],
        ],
        fields: ["name", "ttype", "field_description", "help", "size", "required", "translate", "selection"],
      })
    )[0];

  test("preview of a model and its fields: everything is a create, even fields of a model not yet in Odoo", async () => {
    const from = ctx.emulator.requests.length;
    const result = await ctx.engine.preview();
    assertClean(result);
    assert.deepEqual(ops(result).sort(), ["create field", "create partner-thing", "create thing"]);
    assert.deepEqual(writesSince(ctx.emulator, from), [].sort());
  });

  test("up creates them in order, and a second preview shows no change", async () => {
    ctx.engine.setConfig("test:label", "Code");
    ctx.engine.setConfig("test:size", "8");
    ctx.engine.setConfig("test:translate", "true");
    const result = await ctx.engine.up();
    assertClean(result);
    const row = await field();
    assert.deepEqual(row, {
      id: row.id,
      name: "x_code",
      ttype: "char",
      field_description: "Code",
      help: false,
      size: 8,
      required: false,
      translate: "standard",
      selection: false,
    });
    assert.deepEqual(result.outputs, { fieldId: row.id, partnerFieldId: result.outputs.partnerFieldId });
    assert.deepEqual((await ctx.engine.preview()).changes, []);
    assert.deepEqual((await ctx.engine.refresh()).changes, []);
  });

  test("label, help and size update in place; removing help resets it", async () => {
    const before = await field();
    ctx.engine.setConfig("test:label", "Stock code");
    ctx.engine.setConfig("test:help", "Eight characters");
    ctx.engine.setConfig("test:size", "10");
    assert.deepEqual(ops(await ctx.engine.preview()).sort(), ["update field [help,label,size]", "same partner-thing", "same thing"].sort());
    const from = ctx.emulator.requests.length;
    assertClean(await ctx.engine.up());
    assert.deepEqual(writesSince(ctx.emulator, from), ["ir.model.fields/write"]);
    assert.deepEqual(await field(), { ...before, field_description: "Stock code", help: "Eight characters", size: 10 });
    ctx.engine.setConfig("test:help", "");
    assert.deepEqual(ops(await ctx.engine.preview()).sort(), ["update field [help]", "same partner-thing", "same thing"].sort());
    assertClean(await ctx.engine.up());
    assert.equal((await field()).help, false);
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("a rename is an update that keeps the data, even of an indexed field", async () => {
    await ctx.client.call("x_engine_thing", "create", { vals_list: [{ x_name: "one", x_code: "A-1" }] });
    ctx.engine.setConfig("test:extra", JSON.stringify({ index: true }));
    assertClean(await ctx.engine.up());
    ctx.engine.setConfig("test:name", "x_stock_code");
    assert.deepEqual(ops(await ctx.engine.preview()).sort(), ["update field [name]", "same partner-thing", "same thing"].sort());
    assertClean(await ctx.engine.up());
    assert.deepEqual(await ctx.client.call("x_engine_thing", "search_read", { domain: [], fields: ["x_stock_code"] }), [{ id: 1, x_stock_code: "A-1" }]);
    assert.deepEqual((await ctx.engine.preview()).changes, []);
    ctx.engine.setConfig("test:extra", "{}");
    assertClean(await ctx.engine.up());
  });

  test("required on a table with rows: applied, with a warning that Odoo cannot enforce it", async () => {
    await ctx.client.call("x_engine_thing", "create", { vals_list: [{ x_name: "two" }] });
    ctx.engine.setConfig("test:required", "true");
    const logs = ctx.engine.logs.length;
    assertClean(await ctx.engine.up());
    assert.equal((await field("x_stock_code")).required, true);
    assert.match(
      ctx.engine.logs.slice(logs).join(""),
      /warning: x_engine_thing\.x_stock_code is required, but 1 existing record has no value: Odoo could not add the NOT NULL constraint/,
    );
    ctx.engine.setConfig("test:required", "false");
    assertClean(await ctx.engine.up());
  });

  test("a type change replaces the field", async () => {
    ctx.engine.setConfig("test:type", "selection");
    ctx.engine.setConfig("test:translate", "false");
    ctx.engine.setConfig("test:size", "");
    ctx.engine.setConfig(
      "test:selection",
      JSON.stringify([
        { value: "a", label: "Alpha" },
        { value: "b", label: "Beta" },
      ]),
    );
    assert.deepEqual(ops(await ctx.engine.preview()).sort(), ["replace field [type]", "same partner-thing", "same thing"].sort());
    // The same name cannot exist twice: Pulumi's default create-before-delete would collide, so the
    // provider asks for delete-before-replace when the name stays.
    const result = await ctx.engine.up();
    assertClean(result);
    assert.deepEqual((await field("x_stock_code")).selection, "[('a', 'Alpha'), ('b', 'Beta')]");
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("bad input fails at preview with the property named, and nothing is written", async () => {
    ctx.engine.setConfig("test:type", "many2one");
    ctx.engine.setConfig("test:selection", "");
    ctx.engine.setConfig("test:extra", JSON.stringify({ onDelete: "nope", size: 3 }));
    const from = ctx.emulator.requests.length;
    const result = await ctx.engine.preview();
    assert.deepEqual(result.steps.find((s) => s.name === "field")?.failures, [{ property: "onDelete", reason: "must be one of cascade, set null, restrict" }]);
    ctx.engine.setConfig("test:extra", JSON.stringify({ size: 3 }));
    assert.deepEqual((await ctx.engine.preview()).steps.find((s) => s.name === "field")?.failures, [
      { property: "relation", reason: "is required for a many2one field: the comodel, such as 'res.partner' (without it Odoo makes no column at all)" },
      { property: "size", reason: "only applies to char fields, not to a many2one field" },
    ]);
    ctx.engine.setConfig("test:type", "selection");
    ctx.engine.setConfig(
      "test:extra",
      JSON.stringify({
        selection: [
          { value: "a", label: "A" },
          { value: "a", label: "B" },
        ],
      }),
    );
    assert.deepEqual((await ctx.engine.preview()).steps.find((s) => s.name === "field")?.failures, [
      { property: "selection", reason: "has the same value twice" },
    ]);
    assert.deepEqual(writesSince(ctx.emulator, from), []);
    ctx.engine.setConfig("test:extra", "{}");
    ctx.engine.setConfig(
      "test:selection",
      JSON.stringify([
        { value: "a", label: "Alpha" },
        { value: "b", label: "Beta" },
      ]),
    );
  });

  test("destroy deletes the fields before the model (the res.partner field would block it)", async () => {
    const result = await ctx.engine.destroy();
    assertClean(result);
    assert.deepEqual(ops(result).sort(), ["delete field", "delete partner-thing", "delete thing"]);
    assert.equal(ops(result).at(-1), "delete thing", "the model goes last");
    assert.equal(await ctx.client.call("ir.model.fields", "search_count", { domain: [["name", "=", "x_thing_id"]] }), 0);
  });
});

describe("CustomField, engine level, Odoo 16 (no currency_field in ir.model.fields)", () => {
  const ctx = useEngine("custom-field", { version: 16 });

  test("a currencyField other than what 16 takes fails at preview, naming it; x_currency_id is applied and steady", async () => {
    ctx.engine.setConfig("test:type", "monetary");
    ctx.engine.setConfig("test:extra", JSON.stringify({ currencyField: "x_acc_currency" }));
    assert.deepEqual((await ctx.engine.preview()).steps.find((s) => s.name === "field")?.failures, [
      {
        property: "currencyField",
        reason:
          "can only be 'currency_id' or 'x_currency_id' on Odoo 16, which has no currency field setting: a monetary field there takes its model's currency_id, or else its x_currency_id; name the currency field so, or use Odoo 17 or newer",
      },
    ]);
    assert.equal(await ctx.client.call("ir.model", "search_count", { domain: [["model", "=", "x_engine_thing"]] }), 0);
    ctx.engine.setConfig("test:extra", JSON.stringify({ currencyField: "x_currency_id" }));
    const up = await ctx.engine.up();
    assertClean(up);
    assert.deepEqual(await ctx.client.call("ir.model.fields", "search_read", { domain: [["name", "=", "x_code"]], fields: ["ttype"] }), [
      { id: up.outputs.fieldId, ttype: "monetary" },
    ]);
    assert.deepEqual((await ctx.engine.preview()).changes, []);
    assertClean(await ctx.engine.destroy());
  });
});
