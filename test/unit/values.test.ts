import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { FieldInfo } from "../../provider/client/fields";
import type { OdooClient } from "../../provider/client/odoo-client";
import { forVersion } from "../../provider/resources/record/ui";
import { checkValues, FIELD_TYPES, fieldType, fromOdoo, ref, resolveRefs, storedForm, toOdoo } from "../../provider/values";

// The value layer, table by table: what each field type accepts, how values go to Odoo and come
// back, and what differs by Odoo version. Every sentence is the one a user reads at preview.

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // the engine's unknown value

const fields: Record<string, FieldInfo> = {
  name: { type: "char", string: "Name" },
  note: { type: "text" },
  body: { type: "html" },
  count: { type: "integer" },
  ratio: { type: "float" },
  price: { type: "monetary" },
  active: { type: "boolean" },
  day: { type: "date" },
  at: { type: "datetime" },
  state: {
    type: "selection",
    selection: [
      ["draft", "Draft"],
      ["done", "Done"],
    ],
  },
  partner_id: { type: "many2one", relation: "res.partner" },
  tag_ids: { type: "many2many", relation: "res.partner.category" },
  line_ids: { type: "one2many", relation: "sale.order.line" },
  source: {
    type: "reference",
    selection: [
      ["res.partner", "Partner"],
      ["res.users", "User"],
    ],
  },
  image: { type: "binary" },
  data: { type: "json" },
};

describe("what each field type accepts (checkValues)", () => {
  const cases: [field: string, value: unknown, problem: string | undefined][] = [
    ["name", "Acme", undefined],
    ["name", false, undefined],
    ["name", null, undefined],
    ["name", 3, "must be a string (a char field), or false to leave it empty"],
    ["note", ["a"], "must be a string (a text field), or false to leave it empty"],
    ["body", "<p>x</p>", undefined],
    ["count", 3, undefined],
    ["count", 3.5, "must be a whole number (an integer field)"],
    ["count", "3", "must be a whole number (an integer field)"],
    ["ratio", 0.25, undefined],
    ["ratio", Number.NaN, "must be a number (a float field)"],
    ["price", "9.99", "must be a number (a monetary field)"],
    ["active", true, undefined],
    ["active", "yes", "must be true or false (a boolean field)"],
    ["day", "2026-01-31", undefined],
    ["day", false, undefined],
    ["day", "2026-02-30x", "must be a date as YYYY-MM-DD (Odoo's format), e.g. 2026-01-31"],
    ["day", "31/01/2026", "must be a date as YYYY-MM-DD (Odoo's format), e.g. 2026-01-31"],
    ["at", "2026-01-31 12:34:56", undefined],
    ["at", "2026-01-31T12:34:56Z", "must be a UTC date and time as YYYY-MM-DD HH:MM:SS (Odoo's format), e.g. 2026-01-31 12:34:56"],
    ["state", "done", undefined],
    ["state", "cancel", "must be one of 'draft', 'done'"],
    ["partner_id", 7, undefined],
    ["partner_id", ref("base.main_partner"), undefined],
    ["partner_id", ref("main_partner"), "'main_partner' is not an external id (module.name)"],
    ["partner_id", 0, 'must be the id of a res.partner record, odoo.ref("module.name"), or false'],
    ["partner_id", "Acme", 'must be the id of a res.partner record, odoo.ref("module.name"), or false'],
    ["tag_ids", [1, ref("base.tag"), 3], undefined],
    ["tag_ids", [], undefined],
    ["tag_ids", 4, "must be a list of res.partner.category ids (or odoo.ref(...)): the full set"],
    ["tag_ids", [1, -2], "must be a list of res.partner.category ids (or odoo.ref(...)): the full set"],
    ["line_ids", [1], "is a one2many: declare the sale.order.line records as Records of their own, with their many2one pointing here"],
    ["source", "res.users,2", undefined],
    ["source", false, undefined],
    ["source", "res.company,1", "'res.company' is not a model this reference accepts: one of 'res.partner', 'res.users'"],
    ["source", 2, 'must be "model,id", such as "res.partner,7" (a reference field; pulumi.interpolate builds it from a Record\'s recordId), or false'],
    ["image", "aGVsbG8=", undefined],
    ["data", { a: 1 }, undefined],
    ["partner_id", UNKNOWN, undefined],
  ];
  for (const [field, value, problem] of cases) {
    test(`${fields[field].type} ${field} = ${JSON.stringify(value)}: ${problem ?? "accepted"}`, () => {
      assert.deepEqual(checkValues("res.partner", { [field]: value }, fields), problem ? [{ property: `values.${field}`, reason: problem }] : []);
    });
  }

  test("a field the model does not have: the closest name; a custom x_ field may be made by the program", () => {
    assert.deepEqual(checkValues("res.partner", { nmae: "Acme", x_code: "A1" }, fields), [
      { property: "values.nmae", reason: "'nmae' is not a field of res.partner: did you mean 'name'?" },
    ]);
  });
});

test("the table's flags: which types Odoo may store otherwise (read back), which are found again by =, which are written as a set", () => {
  const flags = Object.fromEntries(Object.entries(FIELD_TYPES).map(([type, t]) => [type, [t.normalised, t.searchable, !!t.setCommand]]));
  assert.deepEqual(flags, {
    char: [false, true, false],
    text: [false, true, false],
    html: [true, false, false],
    integer: [false, true, false],
    float: [true, false, false],
    monetary: [true, false, false],
    boolean: [false, true, false],
    date: [false, true, false],
    datetime: [false, true, false],
    selection: [false, true, false],
    many2one: [false, true, false],
    many2many: [false, false, true],
    one2many: [false, false, false],
    reference: [true, false, false],
    binary: [true, false, false],
    json: [true, false, false],
    properties: [true, false, false],
    properties_definition: [true, false, false],
    many2one_reference: [true, false, false],
  });
  // A type this provider does not know: Odoo judges it, and it is read back.
  assert.deepEqual(
    [fieldType("image2").problem({ type: "image2" }, 1), fieldType("image2").normalised, fieldType("image2").searchable],
    [undefined, true, false],
  );
});

/** A client that knows two external ids, as ir.model.data/check_object_reference answers. */
/** A client whose ir.model.data holds these external ids: search_read answers them as Odoo does. */
function clientKnowing(ids: Record<string, [string, number]>): OdooClient {
  return {
    async call(model: string, method: string, args: { domain: [string, string, string[]][]; fields: string[] }) {
      assert.equal(`${model}/${method}`, "ir.model.data/search_read");
      const [[, , modules], [, , names]] = args.domain;
      return Object.entries(ids)
        .map(([xmlId, [model, id]]) => ({ module: xmlId.split(".")[0], name: xmlId.split(".")[1], model, res_id: id }))
        .filter((row) => modules.includes(row.module) && names.includes(row.name));
    },
  } as unknown as OdooClient;
}

describe("values to Odoo and back", () => {
  const client = clientKnowing({ "base.main_partner": ["res.partner", 3], "base.tag_vip": ["res.partner.category", 12] });

  test("toOdoo: references resolved, a list as a set command (a field fields_get does not know yet included), null as false", async () => {
    const written = await toOdoo(
      client,
      { name: "Acme", partner_id: ref("base.main_partner"), tag_ids: [ref("base.tag_vip"), 4], x_new_ids: [5], day: null, active: false },
      fields,
    );
    assert.deepEqual(written, { name: "Acme", partner_id: 3, tag_ids: [[6, 0, [12, 4]]], x_new_ids: [[6, 0, [5]]], day: false, active: false });
  });

  test("toOdoo: a reference that does not resolve fails with the external id named", async () => {
    await assert.rejects(toOdoo(client, { partner_id: ref("base.nobody") }, fields), {
      code: "ODOO_MISSING",
      message: "external id 'base.nobody' does not exist in this database",
    });
  });

  test("resolveRefs: what resolves now becomes its id; what does not (made by the same program) stays a ref", async () => {
    assert.deepEqual(await resolveRefs(client, { partner_id: ref("base.main_partner"), tag_ids: [ref("acme.new_tag"), 4], name: "x" }), {
      partner_id: 3,
      tag_ids: [ref("acme.new_tag"), 4],
      name: "x",
    });
  });

  test("storedForm: what read answers for a written value (a set command becomes its ids)", () => {
    assert.deepEqual([storedForm([[6, 0, [1, 2]]]), storedForm("x"), storedForm(false), storedForm([1, 2])], [[1, 2], "x", false, [1, 2]]);
  });

  test("fromOdoo: Odoo's own normalisation is no drift, a change made in Odoo is, many2many order is not", () => {
    const declared = { body: "<p>Hi", price: 9.999, tag_ids: [3, 1], name: "Acme", note: "n" };
    const applied = { body: "<p>Hi</p>", price: 10, tag_ids: [1, 3], name: "Acme", note: "n" };
    const row = { body: "<p>Hi</p>", price: 10, tag_ids: [3, 1], name: "Acme Ltd", note: undefined };
    assert.deepEqual(fromOdoo(declared, row, applied), { body: "<p>Hi", price: 9.999, tag_ids: [3, 1], name: "Acme Ltd", note: null });
  });
});

describe("values by Odoo version", () => {
  const view = { model: "res.partner", type: "list", arch: '<list string="Partners"><field name="name"/></list>' };
  const action = { view_mode: "list,form" };
  const cases: [version: number, model: string, values: Record<string, unknown>, expected: Record<string, unknown>][] = [
    [19, "ir.ui.view", view, view],
    [18, "ir.ui.view", view, view],
    [17, "ir.ui.view", view, { model: "res.partner", type: "tree", arch: '<tree string="Partners"><field name="name"/></tree>' }],
    [16, "ir.ui.view", view, { model: "res.partner", type: "tree", arch: '<tree string="Partners"><field name="name"/></tree>' }],
    [19, "ir.actions.act_window", action, action],
    [17, "ir.actions.act_window", action, { view_mode: "tree,form" }],
    [16, "res.partner", { type: "list", name: "<list>" }, { type: "list", name: "<list>" }],
  ];
  for (const [version, model, values, expected] of cases) {
    test(`Odoo ${version}, ${model}: ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(forVersion(version, model, values), expected);
    });
  }
});
