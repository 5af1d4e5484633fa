import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { recordSetProvider, summary } from "../../provider/resources/record-set";
import type { RecordSetOutputs } from "../../provider/resources/record-set/inputs";
import { decoded, decodedProps } from "../../provider/resources/record-set/wire";
import { csv } from "../../provider/values/csv";
import { ref } from "../../provider/values";
import { useEmulator } from "../helpers";
import { tempDir } from "../temp";

// RecordSet called as the provider host calls it: its checks, and its rows made, changed, adopted,
// read and removed in gathered calls (counted: the point of a RecordSet is few calls for many rows).
// What it hands the engine holds the rows as JSON text (wire.ts): `state` is that, `rows(state)` reads it.

describe("RecordSet", () => {
  const ctx = useEmulator();
  const connection = () => ({ url: ctx.url, apiKey: ctx.emulator.apiKey(), database: "odoo" });
  const check = (records: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    recordSetProvider.check({}, { model: "res.partner.category", records, connection: connection(), ...extra });
  /** The JSON-2 calls sent since request `from`, as model/method. */
  const calls = (from = 0) =>
    ctx.emulator.requests
      .slice(from)
      .map((r) => r.path.replace(/^\/json\/2\//, ""))
      .filter((p) => !p.startsWith("/"));
  const tags = async () =>
    (
      await ctx.client.call<{ id: number; name: string; color: number; parent_id: [number, string] | false }[]>("res.partner.category", "search_read", {
        domain: [["name", "like", "RS "]],
        fields: ["name", "color", "parent_id"],
        order: "name",
      })
    ).map((tag) => ({ ...tag, parent_id: tag.parent_id && tag.parent_id[0] }));
  let state: Record<string, unknown>;
  const rows = (props: Record<string, unknown>) => decodedProps<RecordSetOutputs>(props);

  test("check refuses, naming the row and field: a key that is not an external id, an unknown field, a wrong type, rows in a circle", async () => {
    assert.deepEqual((await check({ vip: { name: "RS VIP" } })).failures, [
      { property: "records.vip", reason: "each key must be an external id as module.name, e.g. 'acme.tag_vip'" },
    ]);
    assert.deepEqual((await check({ "acme.vip": { nmae: "RS VIP" }, "acme.new": { name: "RS New", color: "red" } })).failures, [
      { property: 'records["acme.new"].color', reason: "must be a whole number (an integer field)" },
      { property: 'records["acme.vip"].nmae', reason: "'nmae' is not a field of res.partner.category: did you mean 'name'?" },
    ]);
    assert.deepEqual((await check({ "acme.a": { name: "RS A", parent_id: ref("acme.b") }, "acme.b": { name: "RS B", parent_id: ref("acme.a") } })).failures, [
      { property: 'records["acme.a"]', reason: "its rows name each other in a circle (acme.a → acme.b → acme.a): Odoo cannot make them in one go" },
    ]);
    assert.deepEqual(
      calls().filter((c) => !/fields_get|search_read|version|context_get/.test(c)),
      [],
    );
  });

  test("a CSV data file: cells turned into the field's types; what is wrong named with the file and line", async () => {
    const dir = tempDir("record-set-csv-");
    const file = path.join(dir, "res.partner.category.csv");
    writeFileSync(file, 'id,name,color,parent_id/id\ntag_top,"RS Top, the first",3,\ntag_sub,RS Sub,x,acme.tag_top\n');
    const result = await check(csv(file, { module: "acme" }));
    assert.deepEqual(result.failures, [{ property: 'records["acme.tag_sub"].color', reason: `'x' is not a whole number (${file} line 3)` }]);
    writeFileSync(file, "id,name,color\ntag_top,RS Top,3\ntag_top,RS Again,4\n");
    assert.deepEqual((await check(csv(file, { module: "acme" }))).failures, [
      { property: "records", reason: `${file} line 3: 'acme.tag_top' is already the id of line 2` },
    ]);
    writeFileSync(file, 'id,name,color,parent_id/id\ntag_top,"RS Top, the first",3,\ntag_sub,RS Sub,5,tag_top\n');
    const good = await check(csv(file, { module: "acme" }));
    assert.deepEqual(good.failures, []);
    assert.equal(typeof good.inputs.records, "string");
    assert.deepEqual(decoded(good.inputs.records), {
      "acme.tag_top": { name: "RS Top, the first", color: 3, parent_id: null },
      "acme.tag_sub": { name: "RS Sub", color: 5, parent_id: { __odooRef: "acme.tag_top" } },
    });
  });

  test("create: three rows, one naming another of the set, in one lookup, two creates, two registrations", async () => {
    const { inputs } = await check({
      "acme.rs_vip": { name: "RS VIP", color: 3 },
      "acme.rs_new": { name: "RS New", parent_id: ref("acme.rs_vip") },
      "acme.rs_old": { name: "RS Old" },
    });
    const from = ctx.emulator.requests.length;
    const made = await recordSetProvider.create(inputs);
    state = made.outs;
    assert.deepEqual(
      ["records", "ids", "applied"].map((key) => typeof state[key]),
      ["string", "string", "string"],
    );
    const sent = calls(from);
    assert.deepEqual(
      sent.filter((c) => /create|write|unlink/.test(c)),
      ["res.partner.category/create", "ir.model.data/create", "res.partner.category/create", "ir.model.data/create"],
    );
    const [newTag, oldTag, vip] = await tags();
    assert.deepEqual(rows(state).ids, { "acme.rs_vip": vip.id, "acme.rs_new": newTag.id, "acme.rs_old": oldTag.id });
    assert.deepEqual(newTag.parent_id, vip.id);
    assert.deepEqual(rows(state).records["acme.rs_new"], { name: "RS New", parent_id: vip.id });
  });

  test("a second check resolves the reference, so nothing differs; diff says nothing", async () => {
    const { inputs } = await check({
      "acme.rs_vip": { name: "RS VIP", color: 3 },
      "acme.rs_new": { name: "RS New", parent_id: ref("acme.rs_vip") },
      "acme.rs_old": { name: "RS Old" },
    });
    assert.equal((await recordSetProvider.diff("x", state, inputs)).changes, false);
  });

  test("update: one changed, one added, one removed: one write, one create, one unlink; the preview's summary", async () => {
    const { inputs } = await check({
      "acme.rs_vip": { name: "RS VIP", color: 5 },
      "acme.rs_new": { name: "RS New", parent_id: ref("acme.rs_vip") },
      "acme.rs_more": { name: "RS More" },
    });
    assert.equal(
      summary("res.partner.category", rows(state).records, rows(inputs).records),
      "RecordSet of res.partner.category: 1 to add (acme.rs_more), 1 to change (acme.rs_vip), 1 to remove (acme.rs_old)",
    );
    const from = ctx.emulator.requests.length;
    state = (await recordSetProvider.update("x", state, inputs)).outs;
    assert.deepEqual(
      calls(from)
        .filter((c) => /create|write|unlink/.test(c))
        .sort(),
      ["ir.model.data/create", "res.partner.category/create", "res.partner.category/unlink", "res.partner.category/write"],
    );
    assert.deepEqual(
      (await tags()).map((t) => [t.name, t.color]),
      [
        ["RS More", 0],
        ["RS New", 0],
        ["RS VIP", 5],
      ],
    );
  });

  test("refresh: a row renamed by hand is drift on that row; a row deleted by hand is gone from the state", async () => {
    await ctx.client.call("res.partner.category", "write", { ids: [rows(state).ids["acme.rs_vip"]], vals: { name: "RS Renamed" } });
    await ctx.client.call("res.partner.category", "unlink", { ids: [rows(state).ids["acme.rs_more"]] });
    const props = (await recordSetProvider.read("x", state)).props;
    assert.deepEqual(rows(props).records["acme.rs_vip"], { name: "RS Renamed", color: 5 });
    assert.deepEqual(Object.keys(rows(props).ids).sort(), ["acme.rs_new", "acme.rs_vip"]);
    state = props;
  });

  test("a row Odoo refuses fails the resource naming it; the rows applied are kept in the state for the next up", async () => {
    const { inputs } = await check({
      "acme.rs_vip": { name: "RS VIP", color: 5 },
      "acme.rs_new": { name: "RS New", parent_id: ref("acme.rs_vip") },
      "acme.rs_more": { name: "RS More" },
      "acme.rs_bad": { name: "RS Bad", parent_id: 999999 },
    });
    const error = (await recordSetProvider.update("x", state, inputs).then(
      () => assert.fail("expected a failure"),
      (e) => e,
    )) as Error & { properties: Record<string, unknown>; id: string };
    assert.match(
      error.message,
      /^1 of 4 rows of res\.partner\.category could not be applied: 'acme\.rs_bad': .+; the others are applied, and the next pulumi up carries on$/,
    );
    assert.deepEqual(Object.keys(rows(error.properties).ids).sort(), ["acme.rs_more", "acme.rs_new", "acme.rs_vip"]);
    assert.equal(error.id, "x");
    state = error.properties;
  });

  test("destroy unlinks every row in one call", async () => {
    const from = ctx.emulator.requests.length;
    await recordSetProvider.delete("x", state);
    assert.deepEqual(
      calls(from).filter((c) => /unlink/.test(c)),
      ["res.partner.category/unlink"],
    );
    assert.deepEqual(await tags(), []);
  });

  test("rows whose external id exists are taken over: one read of them all, and only the values Odoo holds otherwise are written", async () => {
    const made = await ctx.client.call<number[]>("res.partner.category", "create", {
      vals_list: [
        { name: "RS Kept", color: 2 },
        { name: "RS Other", color: 4 },
      ],
    });
    await ctx.client.call("ir.model.data", "create", {
      vals_list: made.map((id, i) => ({ module: "acme", name: `rs_taken_${i}`, model: "res.partner.category", res_id: id })),
    });
    const { inputs } = await check({ "acme.rs_taken_0": { name: "RS Kept", color: 2 }, "acme.rs_taken_1": { name: "RS Other", color: 6 } });
    const from = ctx.emulator.requests.length;
    const adopted = (await recordSetProvider.create(inputs)).outs;
    assert.deepEqual(
      calls(from).filter((c) => !/fields_get|context_get/.test(c)),
      ["ir.model.data/search_read", "res.partner.category/read", "res.partner.category/write"],
    );
    assert.deepEqual(rows(adopted).ids, { "acme.rs_taken_0": made[0], "acme.rs_taken_1": made[1] });
    assert.deepEqual(
      (await tags()).map((t) => [t.name, t.color]),
      [
        ["RS Kept", 2],
        ["RS Other", 6],
      ],
    );
    await recordSetProvider.delete("x", adopted);
    assert.deepEqual(await tags(), []);
  });

  test("the registration of the rows' external ids lands and its answer is lost: it is looked up, not sent again, and the rows stay", async () => {
    ctx.emulator.inject({ match: /ir\.model\.data\/create$/, kind: "reset-after" });
    const { inputs } = await check({ "acme.rs_lost_a": { name: "RS Lost A" }, "acme.rs_lost_b": { name: "RS Lost B" } });
    const from = ctx.emulator.requests.length;
    const made = (await recordSetProvider.create(inputs)).outs;
    assert.deepEqual(
      calls(from).filter((c) => /create|unlink|ir\.model\.data/.test(c)),
      ["ir.model.data/search_read", "res.partner.category/create", "ir.model.data/create", "ir.model.data/search_read"],
    );
    const [a, b] = await tags();
    assert.deepEqual(rows(made).ids, { "acme.rs_lost_a": a.id, "acme.rs_lost_b": b.id });
    await recordSetProvider.delete("x", made);
  });

  test("rows given record ids in adoptIds are taken over in the database those ids are of (their external ids registered), and made anew in another", async () => {
    const made = await ctx.client.call<number[]>("res.partner.category", "create", { vals_list: [{ name: "RS Had none", color: 1 }] });
    const [{ value: uuid }] = await ctx.client.call<{ value: string }[]>("ir.config_parameter", "search_read", {
      domain: [["key", "=", "database.uuid"]],
      fields: ["value"],
    });
    const declared = { "acme.rs_had_none": { name: "RS Had none", color: 1 } };
    const strays = await check(declared, { adoptIds: { database: uuid, ids: { "acme.rs_other": 5 } } });
    assert.deepEqual(strays.failures, [{ property: 'adoptIds.ids["acme.rs_other"]', reason: "names no row of records" }]);
    const from = ctx.emulator.requests.length;
    const here = (await recordSetProvider.create((await check(declared, { adoptIds: { database: uuid, ids: { "acme.rs_had_none": made[0] } } })).inputs)).outs;
    assert.deepEqual(
      calls(from).filter((c) => !/fields_get|context_get/.test(c)),
      ["ir.model.data/search_read", "ir.config_parameter/search_read", "res.partner.category/read", "ir.model.data/create", "res.partner.category/read"],
    );
    assert.deepEqual(rows(here).ids, { "acme.rs_had_none": made[0] });
    assert.deepEqual(await ctx.client.call("ir.model.data", "check_object_reference", { module: "acme", xml_id: "rs_had_none" }), [
      "res.partner.category",
      made[0],
    ]);
    await recordSetProvider.delete("x", here);
    const elsewhere = (
      await recordSetProvider.create((await check(declared, { adoptIds: { database: "another-database", ids: { "acme.rs_had_none": 1 } } })).inputs)
    ).outs;
    assert.notEqual(rows(elsewhere).ids["acme.rs_had_none"], 1);
    assert.deepEqual(
      (await tags()).map((t) => t.name),
      ["RS Had none"],
    );
    await recordSetProvider.delete("x", elsewhere);
  });
});
