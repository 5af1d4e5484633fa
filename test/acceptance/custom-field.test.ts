import assert from "node:assert/strict";
import { test } from "node:test";
import { assertClean, assertSteady, previewWritingNothing, assertNoRestart, census, describeReal, ops, programs, secretsIn, useRealEngine } from "./harness";

// CustomField on a real Odoo, through the engine path with its parallelism: a field of every type on
// a custom model and on res.partner, an empty second preview, drift, an update, a replacement, and
// a destroy that leaves nothing behind.

const TYPES = [
  "amount",
  "binary",
  "boolean",
  "code",
  "currency_id",
  "date",
  "datetime",
  "float",
  "html",
  "integer",
  "json",
  "line_ids",
  "parent_id",
  "properties_definition",
  "reference",
  "res_id",
  "selection",
  "tag_ids",
  "text",
];

describeReal("acceptance: CustomField of every type on a real Odoo", (target) => {
  const ctx = useRealEngine(target, programs("every-field"));
  const fields = async (model: string) =>
    Object.fromEntries(
      (
        await ctx.client.call<{ name: string; ttype: string; field_description: string }[]>("ir.model.fields", "search_read", {
          domain: [["model", "=", model], "|", ["name", "=like", "x_acc_%"], ["name", "=", "x_currency_id"]],
          fields: ["name", "ttype", "field_description"],
        })
      ).map((f) => [f.name, f.ttype]),
    );
  let before: Record<string, number>;
  let staleCopies = 0;
  let legacyCurrency = false;

  test("preview sends nothing that changes the server", async () => {
    before = await census(ctx.client);
    // Odoo 16's ir.model.fields has no currency_field: its monetary fields take the model's x_currency_id.
    legacyCurrency = !("currency_field" in (await ctx.client.call<Record<string, unknown>>("ir.model.fields", "fields_get", { attributes: ["type"] })));
    if (legacyCurrency) ctx.engine.setConfig("test:legacyCurrency", "true");
    assert.equal((await previewWritingNothing(ctx)).steps.length, 4 + 2 * TYPES.length);
  });

  test("up makes every field on both models, and each works", async () => {
    const result = await ctx.engine.up();
    assertClean(result);
    const expected = {
      x_acc_amount: "monetary",
      x_acc_binary: "binary",
      x_acc_boolean: "boolean",
      x_acc_code: "char",
      [legacyCurrency ? "x_currency_id" : "x_acc_currency_id"]: "many2one",
      x_acc_date: "date",
      x_acc_datetime: "datetime",
      x_acc_float: "float",
      x_acc_html: "html",
      x_acc_integer: "integer",
      x_acc_json: "json",
      x_acc_line_ids: "one2many",
      x_acc_parent_id: "many2one",
      x_acc_properties_definition: "properties_definition",
      x_acc_reference: "reference",
      x_acc_res_id: "many2one_reference",
      x_acc_selection: "selection",
      x_acc_tag_ids: "many2many",
      x_acc_text: "text",
    };
    assert.deepEqual(await fields("x_acc_every"), expected);
    assert.deepEqual(await fields("res.partner"), expected);
    // Every field can be written and read at once (no stale registry, odoo17-facts: concurrency).
    const values = {
      x_acc_code: "C-1",
      x_acc_boolean: true,
      x_acc_date: "2026-11-24",
      x_acc_float: 1.5,
      x_acc_integer: 7,
      x_acc_selection: "b",
      x_acc_reference: "res.partner,1",
      x_acc_tag_ids: [[6, 0, []]],
    };
    const [id] = await ctx.client.call<number[]>("x_acc_every", "create", { vals_list: [{ x_name: "one", ...values }] });
    const [row] = await ctx.client.call<Record<string, unknown>[]>("x_acc_every", "read", {
      ids: [id],
      fields: ["x_acc_code", "x_acc_boolean", "x_acc_date", "x_acc_float", "x_acc_integer", "x_acc_selection", "x_acc_reference"],
    });
    assert.deepEqual(row, {
      id,
      x_acc_code: "C-1",
      x_acc_boolean: true,
      x_acc_date: "2026-11-24",
      x_acc_float: 1.5,
      x_acc_integer: 7,
      x_acc_selection: "b",
      x_acc_reference: "res.partner,1",
    });
    const [partner] = await ctx.client.call<number[]>("res.partner", "create", { vals_list: [{ name: "Acceptance partner", ...values }] });
    await ctx.client.call("res.partner", "unlink", { ids: [partner] });
  });

  test("a second preview shows no change, and refresh no drift", async () => {
    await assertSteady(ctx.engine);
  });

  test("a label changed in Odoo is found by refresh and put back by up", async () => {
    const [field] = await ctx.client.call<{ id: number }[]>("ir.model.fields", "search_read", {
      domain: [
        ["model", "=", "res.partner"],
        ["name", "=", "x_acc_code"],
      ],
      fields: ["id"],
    });
    await ctx.client.call("ir.model.fields", "write", { ids: [field.id], vals: { field_description: "Changed by hand" } });
    assert.deepEqual(
      ops(await ctx.engine.refresh()).filter((op) => op.includes("[")),
      ["refresh partner-code [label]"],
    );
    assertClean(await ctx.engine.up());
    assert.deepEqual(
      (await ctx.client.call<{ field_description: string }[]>("ir.model.fields", "read", { ids: [field.id], fields: ["field_description"] }))[0]
        .field_description,
      "Acc code",
    );
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("a new label and a new name are updates in place, and the data stays; a new type replaces the field", async () => {
    ctx.engine.setConfig("test:label", "Reference code");
    assert.deepEqual(
      ops(await ctx.engine.preview()).filter((op) => !op.startsWith("same")),
      ["update every-code [label]", "update partner-code [label]"],
    );
    assertClean(await ctx.engine.up());
    const [id] = await ctx.client.call<number[]>("x_acc_every", "create", { vals_list: [{ x_name: "kept", x_acc_code: "K-1" }] });
    ctx.engine.setConfig("test:codeName", "x_acc_ref");
    assert.deepEqual(
      ops(await ctx.engine.preview()).filter((op) => !op.startsWith("same")),
      ["update every-code [name]", "update partner-code [name]"],
    );
    assertClean(await ctx.engine.up());
    assert.deepEqual(await ctx.client.call("x_acc_every", "read", { ids: [id], fields: ["x_acc_ref"] }), [{ id, x_acc_ref: "K-1" }]);
    // Odoo 17 and 18 rename the field, but not its copy on res.users (19 renames it): whichever this
    // server did, the user is told exactly when it is so.
    staleCopies = await ctx.client.call<number>("ir.model.fields", "search_count", {
      domain: [
        ["model", "=", "res.users"],
        ["name", "=", "x_acc_code"],
      ],
    });
    const stale = `warning: Odoo ${ctx.versionName} did not rename the copy of res.partner.x_acc_code on res.users: 'res.users.x_acc_code' stays in ir.model.fields, and Odoo refuses to change or delete it through the API`;
    assert.equal(ctx.engine.logs.join("").includes(stale), staleCopies === 1);
    assert.deepEqual((await ctx.engine.preview()).changes, []);
    ctx.engine.setConfig("test:codeType", "text");
    assert.deepEqual(
      ops(await ctx.engine.preview()).filter((op) => !op.startsWith("same")),
      ["replace every-code [type]", "replace partner-code [type]"],
    );
    assertClean(await ctx.engine.up());
    assert.equal((await fields("res.partner")).x_acc_ref, "text");
    assert.equal((await fields("x_acc_every")).x_acc_ref, "text");
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("destroy leaves nothing behind, no secret is anywhere, and the server never restarted", async () => {
    assertClean(await ctx.engine.destroy());
    assert.equal(ctx.engine.state.size, 0);
    // The res.users copy of the renamed field that Odoo kept, if it did (and said so above): 17 keeps
    // it after the field is deleted; 18 deletes it when its registry reloads after the delete, on a
    // later request, so it is read until the copy is gone or the count holds still (at most 10 s).
    const stale = () =>
      ctx.client.call<number>("ir.model.fields", "search_count", {
        domain: [
          ["model", "=", "res.users"],
          ["name", "=", "x_acc_code"],
        ],
      });
    let left = await stale();
    for (let waited = 0; left > 0 && waited < 10; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      left = await stale();
    }
    assert.ok(left <= staleCopies);
    assert.deepEqual(await census(ctx.client), { ...before, fields: before.fields + left });
    assert.deepEqual(secretsIn(ctx, [target.apiKey]), []);
    assertNoRestart(target);
  });
});
