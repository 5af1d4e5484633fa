import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { getRecord, getRecords } from "../../provider/data-sources";
import { rejectsWith, useEmulator } from "../helpers";

describe("data sources: getRecord and getRecords", () => {
  const ctx = useEmulator();
  const connection = () => ({ url: ctx.url, apiKey: ctx.emulator.apiKey(), database: "odoo" });

  test("getRecord by external id or id", async () => {
    assert.deepEqual(await getRecord({ model: "res.country", xmlId: "base.be", fields: ["name", "code"], connection: connection() }), {
      id: 1,
      name: "Belgium",
      code: "BE",
    });
    assert.deepEqual(await getRecord({ model: "res.country", id: 2, connection: connection() }), { id: 2, display_name: "France" });
  });

  test("getRecord fails clearly", async () => {
    await rejectsWith(
      getRecord({ model: "res.country", xmlId: "base.zz", connection: connection() }),
      "ODOO_MISSING",
      "external id 'base.zz' does not exist in this database",
    );
    await rejectsWith(
      getRecord({ model: "res.partner", xmlId: "base.be", connection: connection() }),
      "ODOO_CONFIG",
      "external id 'base.be' points at a res.country record, not a res.partner",
    );
    await rejectsWith(getRecord({ model: "res.country", connection: connection() }), "ODOO_CONFIG", "getRecord needs exactly one of xmlId and id");
  });

  test("getRecords pages through all matches, or up to a limit", async () => {
    await ctx.client.call("res.partner.category", "create", { vals_list: Array.from({ length: 450 }, (_, i) => ({ name: `Page ${i}` })) });
    const from = ctx.emulator.requests.length;
    const all = await getRecords({ model: "res.partner.category", domain: [["name", "=like", "Page %"]], fields: ["name"], connection: connection() });
    assert.equal(all.length, 450);
    assert.deepEqual(all.slice(0, 2), [
      { id: 2, name: "Page 0" },
      { id: 3, name: "Page 1" },
    ]);
    assert.equal(ctx.emulator.requests.slice(from).filter((r) => r.path.endsWith("/search_read")).length, 3);
    assert.equal(
      (await getRecords({ model: "res.partner.category", domain: [["name", "=like", "Page %"]], limit: 250, connection: connection() })).length,
      250,
    );
  });
});
