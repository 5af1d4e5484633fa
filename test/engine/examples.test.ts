import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { OdooClient } from "../../provider/client/odoo-client";
import type { OdooVersion } from "../emulator/orm";
import { OdooEmulator } from "../emulator/server";
import { Engine } from "./engine";
import { assertClean } from "./harness";

// Every example under examples/ runs unchanged: up, an empty second preview, an empty refresh, destroy.

const examplesDir = path.join(__dirname, "../../examples");

const runs: [string, OdooVersion][] = [
  ["quickstart", 19],
  ["custom-app", 19],
  ["reference-data", 19],
  ["staging", 19],
  ["upgrade-pipeline", 19],
  ["new-database", 19],
  ["custom-app", 17],
  ["new-database", 17],
  // 16 has no currency_field: the example's monetary field names x_currency_id, what 16 takes anyway.
  ["custom-app", 16],
];

for (const [example, version] of runs) {
  describe(`examples/${example} on Odoo ${version}${version < 19 ? " (no JSON-2: /jsonrpc)" : ""}`, () => {
    let emulator: OdooEmulator;
    let engine: Engine;
    let client: OdooClient;
    before(async () => {
      emulator = new OdooEmulator({ version, databases: ["odoo", "production"], upgrade: { stepMs: 10 } });
      const url = await emulator.start();
      client = new OdooClient({ url, apiKey: emulator.apiKey(), database: "odoo", login: "admin" });
      engine = new Engine({
        programDir: path.join(examplesDir, example),
        config: {
          "odoo:url": url,
          "odoo:apiKey": emulator.apiKey(),
          "odoo:database": "odoo",
          "odoo:login": "admin",
          "odoo:masterPassword": emulator.masterPassword,
        },
        secretConfig: ["odoo:apiKey", "odoo:masterPassword"],
      });
      if (example === "upgrade-pipeline") {
        rmSync(path.join(examplesDir, example, "dumps"), { recursive: true, force: true });
        engine.setConfig("odoo:upgradeContract", "M-EXAMPLE", true);
        engine.setConfig("pulumi-odoo-test:email", "ops@example.com");
        engine.setConfig("pulumi-odoo-test:upgradePlatformUrl", `${url}/upgrade`);
        engine.setConfig("pulumi-odoo-test:pollSeconds", "0.02");
      }
      if (example === "new-database") engine.setConfig("pulumi-odoo-test:adminPassword", "erp-admin-0123456789", true);
    });
    after(async () => {
      await client.close();
      await emulator.stop();
    });

    test("preview, up, then a preview and a refresh that show nothing, then destroy", async () => {
      // Values another resource makes (the upgraded dump's path) are unknown at preview, not wrong.
      assertClean(await engine.preview());
      const up = await engine.up();
      assertClean(up);
      const secrets = [emulator.apiKey(), emulator.masterPassword, "M-EXAMPLE", "erp-admin-0123456789", ...(emulator.databases.get("dev-erp")?.apiKeys ?? [])];
      const checkpoint = engine.checkpoint();
      for (const secret of secrets) assert.ok(!checkpoint.includes(secret), "a secret in plaintext in the checkpoint");
      assert.ok(up.steps.every((s) => s.op === "create"));
      assert.deepEqual((await engine.preview()).changes, []);
      assert.deepEqual((await engine.refresh()).changes, []);
      if (example === "custom-app") await usable(client, version);
      if (example === "staging") assert.ok(emulator.databases.has("production-staging"));
      if (example === "new-database") {
        // mail brings web_tour, and from 18 html_editor (their manifests; the emulator's catalogue follows them).
        const broughtByContacts = version >= 18 ? ["html_editor", "mail", "web_tour"] : ["mail", "web_tour"];
        assert.deepEqual(up.outputs, { database: "dev-erp", apps: { contacts: broughtByContacts, uom: "installed" } });
        const erp = new OdooClient({ url: emulator.url, apiKey: [...emulator.databases.get("dev-erp")!.apiKeys][1], database: "dev-erp", login: "admin" });
        assert.deepEqual(await erp.call("res.config.settings", "default_get", { fields: ["group_multi_currency", "show_effect"] }), {
          group_multi_currency: true,
          show_effect: false,
        });
        const [tag] = await erp.call<number[]>("res.partner.category", "search", { domain: [["name", "=", "Key account"]] });
        assert.deepEqual(await erp.call("res.partner", "search_read", { domain: [["name", "=", "Acme Corporation"]], fields: ["is_company", "category_id"] }), [
          { id: 4, is_company: true, category_id: [tag] },
        ]);
        await erp.close();
      }
      if (example === "upgrade-pipeline") {
        assert.deepEqual(up.outputs, { state: "done", databaseVersion: "17.0", database: "production-190" });
        assert.ok(emulator.databases.has("production-190"));
      }
      if (version < 19) assert.equal(emulator.requests.filter((r) => r.path.startsWith("/json/2/")).length, 0);
      const destroy = await engine.destroy();
      assertClean(destroy);
      const logs = engine.logs.join("");
      for (const secret of secrets) assert.ok(!logs.includes(secret), "a secret in the logs");
      assert.equal(engine.state.size, 0);
      assert.equal(await client.call("ir.model", "search_count", { domain: [["model", "=like", "x_%"]] }), 0);
      if (example === "new-database") assert.equal(emulator.databases.has("dev-erp"), false);
    });
  });
}

/** The app works: books with every kind of field, loans pointing at them. */
async function usable(client: OdooClient, version: number): Promise<void> {
  // The app in the web client: Library in the home menu opens the books, Loans sits under it.
  const menus = await client.call<{ id: number; name: string; parent_id: [number, string] | false; action: string }[]>("ir.ui.menu", "search_read", {
    domain: [["name", "in", ["Library", "Loans"]]],
    fields: ["name", "parent_id", "action"],
    order: "id",
  });
  assert.deepEqual(
    menus.map((menu) => [menu.name, menu.parent_id && menu.parent_id[1]]),
    [
      ["Library", false],
      ["Loans", "Library"],
    ],
  );
  const [, actionId] = menus[0].action.split(",");
  assert.deepEqual(await client.call("ir.actions.act_window", "search_read", { domain: [["id", "=", Number(actionId)]], fields: ["res_model", "view_mode"] }), [
    // Odoo 17 calls the list view "tree": the provider says it so there.
    { id: Number(actionId), res_model: "x_library_book", view_mode: version >= 18 ? "list,form" : "tree,form" },
  ]);
  const views = await client.call<{ type: string }[]>("ir.ui.view", "search_read", {
    domain: [["model", "=", "x_library_book"]],
    fields: ["type"],
    order: "type",
  });
  assert.deepEqual(
    views.map((view) => view.type),
    version >= 18 ? ["form", "list"] : ["form", "tree"],
  );
  const books = await client.call<{ x_name: string }[]>("x_library_book", "search_read", { domain: [], fields: ["x_name"], order: "x_name" });
  assert.deepEqual(
    books.map((book) => book.x_name),
    ["Dune", "The Hobbit"],
  );
  const eur = (await client.call<[string, number]>("ir.model.data", "check_object_reference", { module: "base", xml_id: "EUR" }))[1];
  const [bookId] = await client.call<number[]>("x_library_book", "create", {
    vals_list: [{ x_name: "Dune", x_isbn: "9780441013593", x_condition: "good", x_currency_id: eur, x_price: 12.345, x_tag_ids: [1] }],
  });
  await client.call("x_library_loan", "create", { vals_list: [{ x_name: "Loan 1", x_book_id: bookId, x_borrower_id: 3, x_due_date: "2026-12-24" }] });
  assert.deepEqual(await client.call("x_library_book", "read", { ids: [bookId], fields: ["x_isbn", "x_condition", "x_price", "x_tag_ids", "x_loan_ids"] }), [
    { id: bookId, x_isbn: "9780441013593", x_condition: "good", x_price: 12.35, x_tag_ids: [1], x_loan_ids: [1] },
  ]);
  // The example's models keep the delete guard (no forceDestroy): empty them before the destroy.
  await client.call("x_library_loan", "unlink", { ids: [1] });
  await client.call("x_library_book", "unlink", { ids: [bookId] });
}
