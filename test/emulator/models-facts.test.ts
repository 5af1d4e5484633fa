import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { OdooClient } from "../../provider/client/odoo-client";
import { rejectsWith, useEmulator } from "../helpers";

// odoo19-facts §3 (ir.model), §4 (ir.model.data), §5 (ir.model.fields), row by row.

async function createModel(client: OdooClient, model: string, extra: Record<string, unknown> = {}): Promise<number> {
  const [id] = await client.call<number[]>("ir.model", "create", { vals_list: [{ name: model, model, state: "manual", ...extra }] });
  return id;
}

async function addField(client: OdooClient, modelId: number, vals: Record<string, unknown>): Promise<number> {
  const [id] = await client.call<number[]>("ir.model.fields", "create", { vals_list: [{ model_id: modelId, field_description: vals.name, ...vals }] });
  return id;
}

const fullAccess = (group = 1) => [[0, 0, { name: "all", group_id: group, perm_read: true, perm_write: true, perm_create: true, perm_unlink: true }]];

describe("ir.model (facts §3)", () => {
  const ctx = useEmulator();

  test("create answers the id and reads back as a manual model with x_name and the base fields, and no access rule", async () => {
    const id = await createModel(ctx.client, "x_pulumi_demo", { name: "Pulumi Demo", info: "demo model", order: "id desc" });
    const [row] = await ctx.client.call<Record<string, unknown>[]>("ir.model", "read", {
      ids: [id],
      fields: ["name", "model", "state", "info", "transient", "order", "access_ids", "field_id"],
    });
    assert.deepEqual(
      { ...row, field_id: (row.field_id as number[]).length },
      {
        id,
        name: "Pulumi Demo",
        model: "x_pulumi_demo",
        state: "manual",
        info: "demo model",
        transient: false,
        order: "id desc",
        access_ids: [],
        field_id: 7,
      },
    );
    const names = await ctx.client.call<Record<string, unknown>[]>("ir.model.fields", "search_read", {
      domain: [["model_id", "=", id]],
      fields: ["name", "state"],
      order: "id",
    });
    assert.deepEqual(names.map((f) => `${f.name}:${f.state}`).sort(), [
      "create_date:base",
      "create_uid:base",
      "display_name:base",
      "id:base",
      "write_date:base",
      "write_uid:base",
      "x_name:manual",
    ]);
    await rejectsWith(
      ctx.client.call("x_pulumi_demo", "create", { vals_list: [{ x_name: "a" }] }),
      "ODOO_ACCESS_DENIED",
      "x_pulumi_demo/create → 403 AccessError: You are not allowed to create 'Pulumi Demo' (x_pulumi_demo) records. No group currently allows this operation. Contact your administrator to request access if necessary.",
    );
  });

  const refusals: [string, Record<string, unknown>, string][] = [
    ["no x_ prefix", { model: "pulumi_demo" }, "ir.model/create → 422 ValidationError: The model name must start with 'x_'."],
    [
      "upper case",
      { model: "x_Bad" },
      "ir.model/create → 422 ValidationError: The model name can only contain lowercase characters, digits, underscores and dots.",
    ],
    [
      "a space",
      { model: "x_bad name" },
      "ir.model/create → 422 ValidationError: The model name can only contain lowercase characters, digits, underscores and dots.",
    ],
  ];
  for (const [name, vals, message] of refusals) {
    test(`refused: ${name}`, async () => {
      await rejectsWith(ctx.client.call("ir.model", "create", { vals_list: [{ name: "M", ...vals }] }), "ODOO_VALIDATION", message);
    });
  }

  test("a duplicate model name is refused", async () => {
    await createModel(ctx.client, "x_dup");
    await rejectsWith(
      ctx.client.call("ir.model", "create", { vals_list: [{ name: "D", model: "x_dup" }] }),
      "ODOO_VALIDATION",
      "ir.model/create → 422 ValidationError: The operation cannot be completed: Each model must have a unique name.",
    );
  });

  test("without state the model is manual; state base is stored as base and refuses deletion", async () => {
    const [manual] = await ctx.client.call<number[]>("ir.model", "create", { vals_list: [{ name: "N", model: "x_nostate" }] });
    const [base] = await ctx.client.call<number[]>("ir.model", "create", { vals_list: [{ name: "B", model: "x_basestate", state: "base" }] });
    assert.deepEqual(await ctx.client.call("ir.model", "read", { ids: [manual, base], fields: ["state"] }), [
      { id: manual, state: "manual" },
      { id: base, state: "base" },
    ]);
    await rejectsWith(
      ctx.client.call("ir.model", "unlink", { ids: [base] }),
      "ODOO_USER_ERROR",
      "ir.model/unlink → 422 UserError: This column contains module data and cannot be removed!",
    );
  });

  test("model and transient cannot be written; name, info and order can", async () => {
    const id = await createModel(ctx.client, "x_writes");
    await rejectsWith(
      ctx.client.call("ir.model", "write", { ids: [id], vals: { model: "x_other" } }),
      "ODOO_USER_ERROR",
      "ir.model/write → 422 UserError: Field Model cannot be modified on models.",
    );
    await rejectsWith(
      ctx.client.call("ir.model", "write", { ids: [id], vals: { transient: true } }),
      "ODOO_USER_ERROR",
      "ir.model/write → 422 UserError: Field Transient Model cannot be modified on models.",
    );
    assert.equal(await ctx.client.call("ir.model", "write", { ids: [id], vals: { name: "Renamed", info: "i", order: "x_name" } }), true);
  });

  test("stale access cache: a rule created after the model leaves creates refused until a rule is written", async () => {
    const id = await createModel(ctx.client, "x_pulumi_acl", { name: "Pulumi ACL" });
    const [rule] = await ctx.client.call<number[]>("ir.model.access", "create", {
      vals_list: [{ name: "r", model_id: id, group_id: 1, perm_read: true, perm_write: true, perm_create: true, perm_unlink: true }],
    });
    assert.deepEqual(await ctx.client.call("x_pulumi_acl", "search", { domain: [] }), []);
    await rejectsWith(
      ctx.client.call("x_pulumi_acl", "create", { vals_list: [{ x_name: "a" }] }),
      "ODOO_ACCESS_DENIED",
      /This operation is allowed for the following groups: - Role \/ User/,
    );
    await ctx.client.call("ir.model.access", "write", { ids: [rule], vals: { perm_create: true } });
    assert.equal((await ctx.client.call<number[]>("x_pulumi_acl", "create", { vals_list: [{ x_name: "a" }] })).length, 1);
  });

  test("a rule created inline with the model allows creates at once", async () => {
    await createModel(ctx.client, "x_inline", { access_ids: fullAccess() });
    assert.equal((await ctx.client.call<number[]>("x_inline", "create", { vals_list: [{ x_name: "a" }] })).length, 1);
  });

  test("unlink of a model with records drops the records, its rules and their external ids; calling it then is a 404", async () => {
    const id = await createModel(ctx.client, "x_full", { access_ids: fullAccess() });
    const [record] = await ctx.client.call<number[]>("x_full", "create", { vals_list: [{ x_name: "r" }] });
    await ctx.client.call("ir.model.data", "create", { vals_list: [{ module: "__pulumi__", name: "full_r", model: "x_full", res_id: record }] });
    assert.equal(await ctx.client.call("ir.model", "unlink", { ids: [id] }), true);
    assert.equal(await ctx.client.call("ir.model.access", "search_count", { domain: [["model_id", "=", id]] }), 0);
    await rejectsWith(
      ctx.client.call("ir.model.data", "check_object_reference", { module: "__pulumi__", xml_id: "full_r" }),
      "ODOO_SERVER_ERROR",
      "ir.model.data/check_object_reference → 500 ValueError: External ID not found in the system: __pulumi__.full_r",
    );
    await rejectsWith(ctx.client.call("x_full", "search", { domain: [] }), "ODOO_NOT_FOUND", "x_full/search → 404 NotFound: the model 'x_full' does not exist");
  });

  test("unlink is blocked by a related field of its own, and by a res.partner many2one towards it", async () => {
    const id = await createModel(ctx.client, "x_deps", { access_ids: fullAccess() });
    await addField(ctx.client, id, { name: "x_partner_id", ttype: "many2one", relation: "res.partner" });
    const related = await addField(ctx.client, id, { name: "x_partner_email", ttype: "char", related: "x_partner_id.email" });
    await rejectsWith(
      ctx.client.call("ir.model", "unlink", { ids: [id] }),
      "ODOO_USER_ERROR",
      "ir.model/unlink → 422 UserError: The field 'x_deps.x_partner_id' cannot be removed because the field 'x_deps.x_partner_email' depends on it.",
    );
    await ctx.client.call("ir.model.fields", "unlink", { ids: [related] });
    const partnerModel = (await ctx.client.call<{ id: number }[]>("ir.model", "search_read", { domain: [["model", "=", "res.partner"]], fields: ["id"] }))[0]
      .id;
    const onPartner = await addField(ctx.client, partnerModel, { name: "x_deps_id", ttype: "many2one", relation: "x_deps" });
    await rejectsWith(
      ctx.client.call("ir.model", "unlink", { ids: [id] }),
      "ODOO_USER_ERROR",
      "ir.model/unlink → 422 UserError: This column contains module data and cannot be removed!",
    );
    await ctx.client.call("ir.model.fields", "unlink", { ids: [onPartner] });
    assert.equal(await ctx.client.call("ir.model", "unlink", { ids: [id] }), true);
  });

  test("unlink of a base model is refused", async () => {
    await rejectsWith(
      ctx.client.call("ir.model", "unlink", { ids: [1] }),
      "ODOO_USER_ERROR",
      "ir.model/unlink → 422 UserError: This column contains module data and cannot be removed!",
    );
  });
});

describe("ir.model.data (facts §4)", () => {
  const ctx = useEmulator();

  test("create, look up, refuse duplicates, and disappear with the record", async () => {
    const [partner] = await ctx.client.call<number[]>("res.partner", "create", { vals_list: [{ name: "X" }] });
    await ctx.client.call("ir.model.data", "create", {
      vals_list: [{ module: "__pulumi__", name: "demo_full", model: "res.partner", res_id: partner, noupdate: true }],
    });
    assert.deepEqual(await ctx.client.call("ir.model.data", "check_object_reference", { module: "__pulumi__", xml_id: "demo_full" }), ["res.partner", partner]);
    await rejectsWith(
      ctx.client.call("ir.model.data", "create", { vals_list: [{ module: "__pulumi__", name: "demo_full", model: "res.partner", res_id: partner }] }),
      "ODOO_VALIDATION",
      'ir.model.data/create → 422 ValidationError: The operation cannot be completed: duplicate key value violates unique constraint "ir_model_data_module_name_uniq_index" DETAIL: Key (module, name)=(__pulumi__, demo_full) already exists.',
    );
    await ctx.client.call("res.partner", "unlink", { ids: [partner] });
    await rejectsWith(
      ctx.client.call("ir.model.data", "check_object_reference", { module: "__pulumi__", xml_id: "demo_full" }),
      "ODOO_SERVER_ERROR",
      /External ID not found in the system: __pulumi__\.demo_full/,
    );
  });
});

describe("ir.model.fields (facts §5)", () => {
  const ctx = useEmulator();
  let modelId = 0;

  test("setup: a custom model", async () => {
    modelId = await createModel(ctx.client, "x_fields", { access_ids: fullAccess() });
  });

  test("model_id is required; names need x_, allowed characters and uniqueness", async () => {
    await rejectsWith(
      ctx.client.call("ir.model.fields", "create", { vals_list: [{ name: "x_a", field_description: "A", ttype: "char", model: "x_fields" }] }),
      "ODOO_VALIDATION",
      /Missing required value for the field 'Model' \(model_id\)/,
    );
    await rejectsWith(
      ctx.client.call("ir.model.fields", "create", { vals_list: [{ name: "noprefix", field_description: "A", ttype: "char", model_id: modelId }] }),
      "ODOO_VALIDATION",
      "ir.model.fields/create → 422 ValidationError: The operation cannot be completed: Custom fields must have a name that starts with 'x_'!",
    );
    await rejectsWith(
      ctx.client.call("ir.model.fields", "create", { vals_list: [{ name: "x_bad-name", field_description: "A", ttype: "char", model_id: modelId }] }),
      "ODOO_VALIDATION",
      "ir.model.fields/create → 422 ValidationError: Field names can only contain characters, digits and underscores (up to 63).",
    );
    await addField(ctx.client, modelId, { name: "x_once", ttype: "char" });
    await rejectsWith(
      ctx.client.call("ir.model.fields", "create", { vals_list: [{ name: "x_once", field_description: "A", ttype: "char", model_id: modelId }] }),
      "ODOO_VALIDATION",
      "ir.model.fields/create → 422 ValidationError: The operation cannot be completed: Field names must be unique per model.",
    );
  });

  test("tracking does not exist without the mail module", async () => {
    await rejectsWith(
      ctx.client.call("ir.model.fields", "create", { vals_list: [{ name: "x_t", field_description: "T", ttype: "char", model_id: modelId, tracking: 1 }] }),
      "ODOO_SERVER_ERROR",
      "ir.model.fields/create → 500 ValueError: Invalid field 'tracking' in 'ir.model.fields'",
    );
  });

  test("translate: true reads back as 'standard'", async () => {
    const id = await addField(ctx.client, modelId, { name: "x_label", ttype: "char", translate: true });
    assert.deepEqual(await ctx.client.call("ir.model.fields", "read", { ids: [id], fields: ["translate", "copied"] }), [
      { id, translate: "standard", copied: true },
    ]);
  });

  test("selection: Python-literal, JSON and selection_ids forms all read back in Odoo's form", async () => {
    const a = await addField(ctx.client, modelId, { name: "x_state", ttype: "selection", selection: "[('draft','Draft'),('done','Done')]" });
    const b = await addField(ctx.client, modelId, { name: "x_json", ttype: "selection", selection: '[["x","X"],["y","Y"]]' });
    const c = await addField(ctx.client, modelId, {
      name: "x_ids",
      ttype: "selection",
      selection_ids: [
        [0, 0, { value: "a", name: "Alpha", sequence: 1 }],
        [0, 0, { value: "b", name: "Beta", sequence: 2 }],
      ],
    });
    const d = await addField(ctx.client, modelId, { name: "x_none", ttype: "selection" });
    const rows = await ctx.client.call<{ selection: string }[]>("ir.model.fields", "read", { ids: [a, b, c, d], fields: ["selection"] });
    assert.deepEqual(
      rows.map((r) => r.selection),
      ["[('draft', 'Draft'), ('done', 'Done')]", "[('x', 'X'), ('y', 'Y')]", "[('a', 'Alpha'), ('b', 'Beta')]", "[]"],
    );
    const fields = await ctx.client.call<Record<string, { selection: unknown }>>("x_fields", "fields_get", {
      allfields: ["x_state"],
      attributes: ["selection"],
    });
    assert.deepEqual(fields.x_state.selection, [
      ["draft", "Draft"],
      ["done", "Done"],
    ]);
  });

  test("many2one: without relation it is accepted but no column; unknown comodel and bad on_delete refused", async () => {
    await addField(ctx.client, modelId, { name: "x_ghost_id", ttype: "many2one" });
    const fields = await ctx.client.call<Record<string, unknown>>("x_fields", "fields_get", { attributes: ["type"] });
    assert.equal("x_ghost_id" in fields, false);
    await rejectsWith(
      ctx.client.call("ir.model.fields", "create", {
        vals_list: [{ name: "x_m", field_description: "M", ttype: "many2one", relation: "x_no_such_model", model_id: modelId }],
      }),
      "ODOO_VALIDATION",
      "ir.model.fields/create → 422 ValidationError: Unknown model name 'x_no_such_model' in Related Model",
    );
    await rejectsWith(
      ctx.client.call("ir.model.fields", "create", {
        vals_list: [{ name: "x_m", field_description: "M", ttype: "many2one", relation: "res.partner", on_delete: "nope", model_id: modelId }],
      }),
      "ODOO_SERVER_ERROR",
      "ir.model.fields/create → 500 ValueError: Wrong value for ir.model.fields.on_delete: 'nope'",
    );
    const ok = await addField(ctx.client, modelId, { name: "x_partner_id", ttype: "many2one", relation: "res.partner" });
    assert.deepEqual(await ctx.client.call("ir.model.fields", "read", { ids: [ok], fields: ["on_delete"] }), [{ id: ok, on_delete: "set null" }]);
  });

  test("one2many without relation_field: 500 KeyError", async () => {
    await rejectsWith(
      ctx.client.call("ir.model.fields", "create", {
        vals_list: [{ name: "x_o", field_description: "O", ttype: "one2many", relation: "res.partner", model_id: modelId }],
      }),
      "ODOO_SERVER_ERROR",
      "ir.model.fields/create → 500 KeyError: unknown key 'relation_field' (usually a field name that does not exist on the model)",
    );
  });

  test("many2many gets Odoo's default table and columns", async () => {
    const id = await addField(ctx.client, modelId, { name: "x_tag_ids", ttype: "many2many", relation: "res.partner.category" });
    assert.deepEqual(await ctx.client.call("ir.model.fields", "read", { ids: [id], fields: ["relation_table", "column1", "column2"] }), [
      { id, relation_table: "x_res_partner_category_x_fields_rel", column1: "x_fields_id", column2: "res_partner_category_id" },
    ]);
  });

  test("type and model changes are refused; a rename keeps the data", async () => {
    const id = await addField(ctx.client, modelId, { name: "x_qty", ttype: "integer" });
    const [record] = await ctx.client.call<number[]>("x_fields", "create", { vals_list: [{ x_name: "r", x_qty: 7 }] });
    await rejectsWith(
      ctx.client.call("ir.model.fields", "write", { ids: [id], vals: { ttype: "char" } }),
      "ODOO_USER_ERROR",
      "ir.model.fields/write → 422 UserError: Changing the type of a field is not yet supported. Please drop it and create it again!",
    );
    await rejectsWith(
      ctx.client.call("ir.model.fields", "write", { ids: [id], vals: { model_id: 1 } }),
      "ODOO_USER_ERROR",
      "ir.model.fields/write → 422 UserError: Changing the model of a field is forbidden!",
    );
    await ctx.client.call("ir.model.fields", "write", { ids: [id], vals: { name: "x_quantity" } });
    assert.deepEqual(await ctx.client.call("x_fields", "read", { ids: [record], fields: ["x_quantity"] }), [{ id: record, x_quantity: 7 }]);
  });

  test("an indexed field cannot be renamed (real 17 and 19); unindexed first, it can", async () => {
    const id = await addField(ctx.client, modelId, { name: "x_sku", ttype: "char", index: true });
    await rejectsWith(
      ctx.client.call("ir.model.fields", "write", { ids: [id], vals: { name: "x_sku2" } }),
      "ODOO_SERVER_ERROR",
      'ir.model.fields/write → 500 UndefinedTable: relation "x_fields_x_sku_index" does not exist',
    );
    await ctx.client.call("ir.model.fields", "write", { ids: [id], vals: { index: false } });
    await ctx.client.call("ir.model.fields", "write", { ids: [id], vals: { name: "x_sku2", index: true } });
  });

  test("a required field added to a table with rows is not enforced", async () => {
    await addField(ctx.client, modelId, { name: "x_must", ttype: "char", required: true });
    assert.equal((await ctx.client.call<number[]>("x_fields", "create", { vals_list: [{ x_name: "no must" }] })).length, 1);
  });

  test("a res.partner field is copied to res.users; the inverse of a one2many cannot be removed", async () => {
    const partnerModel = (await ctx.client.call<{ id: number }[]>("ir.model", "search_read", { domain: [["model", "=", "res.partner"]], fields: ["id"] }))[0]
      .id;
    const field = await addField(ctx.client, partnerModel, { name: "x_demo_id", ttype: "many2one", relation: "x_fields" });
    const copies = await ctx.client.call<Record<string, unknown>[]>("ir.model.fields", "search_read", {
      domain: [
        ["model", "=", "res.users"],
        ["name", "=", "x_demo_id"],
      ],
      fields: ["state"],
    });
    assert.deepEqual(
      copies.map((c) => c.state),
      ["base"],
    );
    await addField(ctx.client, modelId, { name: "x_partner_ids", ttype: "one2many", relation: "res.partner", relation_field: "x_demo_id" });
    await rejectsWith(
      ctx.client.call("ir.model.fields", "unlink", { ids: [field] }),
      "ODOO_USER_ERROR",
      "ir.model.fields/unlink → 422 UserError: The field 'res.partner.x_demo_id' cannot be removed because the field 'x_fields.x_partner_ids' depends on it.",
    );
  });

  test("unlinking a base field is refused; an already deleted field is a 404", async () => {
    const [name] = await ctx.client.call<{ id: number }[]>("ir.model.fields", "search_read", {
      domain: [
        ["model", "=", "res.partner"],
        ["name", "=", "name"],
      ],
      fields: ["id"],
    });
    await rejectsWith(
      ctx.client.call("ir.model.fields", "unlink", { ids: [name.id] }),
      "ODOO_USER_ERROR",
      "ir.model.fields/unlink → 422 UserError: This column contains module data and cannot be removed!",
    );
    const id = await addField(ctx.client, modelId, { name: "x_short_lived", ttype: "char" });
    await ctx.client.call("ir.model.fields", "unlink", { ids: [id] });
    await rejectsWith(ctx.client.call("ir.model.fields", "unlink", { ids: [id] }), "ODOO_MISSING", /404 MissingError/);
  });
});
