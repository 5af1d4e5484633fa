import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { assertClean, assertSteady, census, ops, parentRefusal, previewRefused, secretsIn } from "../acceptance/harness";
import { multiError } from "../engine/engine";
import { tempDir } from "../temp";
import { describeScenario, useTarget } from "./target";

// Issue 29, on the emulator or a real Odoo (ODOO_ACC=1): a RecordSet's whole life. Rows keyed by
// external id, one naming another of the set, one set read from a CSV data file; a preview that
// refuses a bad row; an update adding, changing and removing rows, summed up at preview; drift on
// one row; a row Odoo refuses, failing alone while the others are kept; destroy leaving nothing.

describeScenario(
  "RecordSet: many rows of one model in one resource",
  (version) => {
    const ctx = useTarget("record-set", version);
    const set = (key: string, value: unknown) => ctx.engine.setConfig(`test:${key}`, typeof value === "string" ? value : JSON.stringify(value));
    const ref = (xmlId: string) => ({ __odooRef: xmlId });
    const tags = async () =>
      (
        await ctx.client.call<{ id: number; name: string; color: number; parent_id: [number, string] | false }[]>("res.partner.category", "search_read", {
          domain: [["name", "=like", "RS %"]],
          fields: ["name", "color", "parent_id"],
          order: "name",
        })
      ).map((tag) => [tag.name, tag.color, tag.parent_id && tag.parent_id[1]]);
    // Every row declares its color: a real Odoo gives a tag a random one otherwise.
    const rows = {
      "pulumi_acc.rs_vip": { name: "RS VIP", color: 3 },
      "pulumi_acc.rs_new": { name: "RS New", color: 1, parent_id: ref("pulumi_acc.rs_vip") },
      "pulumi_acc.rs_old": { name: "RS Old", color: 2 },
    };
    let before: Record<string, number>;

    test("a row naming a field the model lacks is refused at preview, naming the row, and nothing is written", async () => {
      before = await census(ctx.client);
      set("records", { ...rows, "pulumi_acc.rs_old": { nmae: "RS Old" } });
      await previewRefused(ctx, [`tags: records["pulumi_acc.rs_old"].nmae: 'nmae' is not a field of res.partner.category: did you mean 'name'?`]);
    });

    test("a row naming another resource's output, not known at the first preview, is judged with the rest", async () => {
      set("parentTag", "RS Parent");
      set("records", { ...rows, "pulumi_acc.rs_child": { name: "RS Child", color: "red", parent_id: { __parentTag: true } } });
      await previewRefused(ctx, [`tags: records["pulumi_acc.rs_child"].color: must be a whole number (an integer field)`]);
      set("parentTag", "");
    });

    test("up makes the rows, the one naming another after it, and a set read from a CSV data file", async () => {
      const file = path.join(tempDir("record-set-"), "res.partner.category.csv");
      writeFileSync(file, 'id,name,color,parent_id/id\nrs_csv_top,"RS CSV, top",4,\nrs_csv_sub,RS CSV sub,5,rs_csv_top\n');
      set("records", rows);
      set("csv", file);
      const result = await ctx.engine.up();
      assertClean(result);
      assert.deepEqual(await tags(), [
        ["RS CSV sub", 5, "RS CSV, top"],
        ["RS CSV, top", 4, false],
        ["RS New", 1, "RS VIP"],
        ["RS Old", 2, false],
        ["RS VIP", 3, false],
      ]);
      const ids = result.outputs.ids as Record<string, number>;
      assert.deepEqual(Object.keys(ids).sort(), ["pulumi_acc.rs_new", "pulumi_acc.rs_old", "pulumi_acc.rs_vip"]);
      const [xmlModel, vipId] = await ctx.client.call<[string, number]>("ir.model.data", "check_object_reference", { module: "pulumi_acc", xml_id: "rs_vip" });
      assert.deepEqual([xmlModel, vipId], ["res.partner.category", ids["pulumi_acc.rs_vip"]]);
      await assertSteady(ctx.engine);
    });

    test("one changed, one added, one removed: preview sums it up in a line; up does just that", async () => {
      set("records", {
        ...rows,
        "pulumi_acc.rs_vip": { name: "RS VIP", color: 5 },
        "pulumi_acc.rs_old": undefined,
        "pulumi_acc.rs_more": { name: "RS More", color: 6 },
      });
      const logs = ctx.engine.logs.length;
      assert.deepEqual(
        ops(await ctx.engine.preview()).filter((op) => !op.startsWith("same")),
        ["update tags [records]"],
      );
      assert.match(
        ctx.engine.logs.slice(logs).join(""),
        /RecordSet of res\.partner\.category: 1 to add \(pulumi_acc\.rs_more\), 1 to change \(pulumi_acc\.rs_vip\), 1 to remove \(pulumi_acc\.rs_old\)/,
      );
      assertClean(await ctx.engine.up());
      assert.deepEqual(await tags(), [
        ["RS CSV sub", 5, "RS CSV, top"],
        ["RS CSV, top", 4, false],
        ["RS More", 6, false],
        ["RS New", 1, "RS VIP"],
        ["RS VIP", 5, false],
      ]);
      await assertSteady(ctx.engine);
    });

    test("a row renamed by hand is drift at refresh; up puts it back", async () => {
      const [id] = await ctx.client.call<number[]>("res.partner.category", "search", { domain: [["name", "=", "RS More"]] });
      await ctx.client.call("res.partner.category", "write", { ids: [id], vals: { name: "RS Renamed" } });
      assert.deepEqual(
        ops(await ctx.engine.refresh()).filter((op) => op.includes("[")),
        ["refresh tags [records]"],
      );
      assertClean(await ctx.engine.up());
      assert.deepEqual((await tags()).map(([name]) => name).includes("RS More"), true);
      await assertSteady(ctx.engine);
    });

    test("a row Odoo refuses fails the resource with its external id and Odoo's sentence; the others are kept, and up carries on once it is mended", async () => {
      const current = { ...rows, "pulumi_acc.rs_vip": { name: "RS VIP", color: 5 }, "pulumi_acc.rs_more": { name: "RS More", color: 6 } };
      delete (current as Record<string, unknown>)["pulumi_acc.rs_old"];
      set("records", { ...current, "pulumi_acc.rs_bad": { name: "RS Bad", parent_id: 999999999 }, "pulumi_acc.rs_good": { name: "RS Good" } });
      const failed = await ctx.engine.up();
      // Said as the engine says a failure that keeps its resource in the state (Go's multierror).
      assert.deepEqual(failed.errors, [
        `tags: ${multiError([`1 of 5 rows of res.partner.category could not be applied: 'pulumi_acc.rs_bad': ${parentRefusal(ctx.version)}; the others are applied, and the next pulumi up carries on`])}`,
      ]);
      assert.deepEqual(
        (await tags()).map(([name]) => name).filter((name) => name === "RS Good" || name === "RS Bad"),
        ["RS Good"],
      );
      set("records", { ...current, "pulumi_acc.rs_good": { name: "RS Good" } });
      assertClean(await ctx.engine.up());
      await assertSteady(ctx.engine);
    });

    test("destroy deletes every row and its external id: the server is as it was", async () => {
      assertClean(await ctx.engine.destroy());
      assert.deepEqual(await tags(), []);
      assert.deepEqual(await census(ctx.client), before);
      assert.deepEqual(secretsIn(ctx, [ctx.apiKey]), []);
    });
  },
  [19, 17],
);
