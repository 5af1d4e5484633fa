import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { customFieldProvider } from "../../provider/resources/custom-field";

// CustomField's check: each bad input gets exactly one failure naming the property and what is valid.

const base = { model: "x_book", name: "x_isbn", type: "char" };

const cases: [string, Record<string, unknown>, { property: string; reason: string }[]][] = [
  ["no x_ prefix", { name: "isbn" }, [{ property: "name", reason: "must start with 'x_' (Odoo's rule for custom fields), e.g. 'x_isbn'" }]],
  ["bad characters", { name: "x_ISBN-13" }, [{ property: "name", reason: "may only hold lowercase letters, digits and underscores (Odoo's rule)" }]],
  ["too long", { name: `x_${"a".repeat(62)}` }, [{ property: "name", reason: "may be at most 63 characters long (Odoo's rule)" }]],
  [
    "unknown type",
    { type: "string" },
    [
      {
        property: "type",
        reason:
          "must be one of binary, boolean, char, date, datetime, float, html, integer, json, many2many, many2one, many2one_reference, monetary, one2many, properties, properties_definition, reference, selection, text",
      },
    ],
  ],
  ["model name", { model: "Res Partner" }, [{ property: "model", reason: "must be a model's technical name such as 'res.partner' or 'x_library_book'" }]],
  [
    "many2one without relation",
    { type: "many2one" },
    [{ property: "relation", reason: "is required for a many2one field: the comodel, such as 'res.partner' (without it Odoo makes no column at all)" }],
  ],
  [
    "one2many without relationField",
    { type: "one2many", relation: "x_loan" },
    [{ property: "relationField", reason: "is required for a one2many field: the many2one on the comodel that points back here" }],
  ],
  [
    "selection without options",
    { type: "selection" },
    [{ property: "selection", reason: "is required for a selection field: a list of {value, label} options" }],
  ],
  ["empty selection", { type: "selection", selection: [] }, [{ property: "selection", reason: "needs at least one option" }]],
  [
    "duplicate option values",
    {
      type: "selection",
      selection: [
        { value: "a", label: "A" },
        { value: "a", label: "B" },
      ],
    },
    [{ property: "selection", reason: "has the same value twice" }],
  ],
  [
    "onDelete outside its set",
    { type: "many2one", relation: "res.partner", onDelete: "nope" },
    [{ property: "onDelete", reason: "must be one of cascade, set null, restrict" }],
  ],
  ["onDelete on a char", { onDelete: "restrict" }, [{ property: "onDelete", reason: "only applies to many2one fields, not to a char field" }]],
  ["size on an integer", { type: "integer", size: 4 }, [{ property: "size", reason: "only applies to char fields, not to an integer field" }]],
  ["negative size", { size: -1 }, [{ property: "size", reason: "must be positive" }]],
  [
    "translate on an integer",
    { type: "integer", translate: true },
    [{ property: "translate", reason: "only applies to char, text and html fields, not to an integer field" }],
  ],
  [
    "relation on a char",
    { relation: "res.partner" },
    [{ property: "relation", reason: "only applies to many2one, one2many and many2many fields, not to a char field" }],
  ],
  [
    "relationTable on a many2one",
    { type: "many2one", relation: "res.partner", relationTable: "x_rel" },
    [{ property: "relationTable", reason: "only applies to many2many fields, not to a many2one field" }],
  ],
  [
    "columns without a table",
    { type: "many2many", relation: "res.partner", column1: "a_id" },
    [{ property: "relationTable", reason: "is required when column1 or column2 is given" }],
  ],
  [
    "currencyField on a float",
    { type: "float", currencyField: "x_currency_id" },
    [{ property: "currencyField", reason: "only applies to monetary fields, not to a float field" }],
  ],
  [
    "compute without depends",
    { compute: "for r in self: r['x_isbn'] = 1" },
    [{ property: "depends", reason: "is required with compute: the fields it is computed from, e.g. 'x_qty, x_price'" }],
  ],
  ["a bad related path", { related: "partner email" }, [{ property: "related", reason: "must be a path of field names such as 'x_partner_id.email'" }]],
  [
    "a group that is not an external id",
    { groups: ["Internal User"] },
    [{ property: "groups.0", reason: "must be a group's external id such as 'base.group_user'" }],
  ],
  [
    "a typo",
    { lable: "ISBN" },
    [
      {
        property: "lable",
        reason:
          "unknown property 'lable': did you mean 'label'? Valid properties: model, name, type, label, required, readonly, index, copied, translate, help, size, selection, relation, relationField, relationTable, column1, column2, onDelete, currencyField, domain, groups, related, compute, depends, store, adopt, connection.",
      },
    ],
  ],
  ["a wrong type of value", { required: "yes" }, [{ property: "required", reason: "Invalid input: expected boolean, received string" }]],
  [
    "a malformed connection URL",
    { connection: { url: "odoo.example.com" } },
    [{ property: "connection.url", reason: "must be an http(s) URL such as https://odoo.example.com" }],
  ],
  ["an empty API key", { connection: { apiKey: "" } }, [{ property: "connection.apiKey", reason: "must not be empty: pass the API key as a secret" }]],
];

describe("CustomField check", () => {
  for (const [name, change, failures] of cases) {
    test(name, async () => {
      assert.deepEqual((await customFieldProvider.check({}, { ...base, ...change })).failures, failures);
    });
  }

  test("a valid field passes with defaults applied", async () => {
    const { inputs, failures } = await customFieldProvider.check({}, { ...base, label: "ISBN", size: 13 });
    assert.deepEqual(failures, []);
    assert.deepEqual(inputs, { ...base, label: "ISBN", size: 13, required: false, readonly: false, index: false, translate: false, adopt: false });
  });
});
