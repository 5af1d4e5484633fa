import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { installedModules } from "../../provider/client/modules";
import { OdooClient } from "../../provider/client/odoo-client";
import type { ProgramEngine } from "../cli/locate";
import { DbManagerClient } from "../../provider/dbmanager/db-manager-client";
import { OdooEmulator } from "../emulator/server";
import { moduleByHand } from "../helpers";
import { assertClean, assertSteady, assertNoRestart, census, describeReal, examples, ops, type RealTarget, secretsIn, useRealEngine } from "./harness";

// Every example, unchanged, on a real Odoo through the engine path: preview sends nothing that
// changes the server, up, an empty second preview, an empty refresh, a change made behind Pulumi's
// back found by refresh and put back by up, and a destroy that leaves the server as it was.
// The upgrade platform is the emulator's (no real one can be reached); the dump it upgrades is the
// real server's backup, and the restore goes to the real server.

interface ExampleSpec {
  /** Makes a change in Odoo behind Pulumi's back; returns the refresh steps it must show. */
  drift(client: OdooClient, target: RealTarget, engine: ProgramEngine): Promise<string[]>;
  /** Puts back what the example leaves on purpose (an archived record). */
  cleanUp?(client: OdooClient): Promise<void>;
}

/** The API key the example's Database made in the new database. */
const madeKey = (engine: ProgramEngine) => String([...engine.state.values()].find((r) => r.type.endsWith("Database"))?.outputs.apiKey ?? "");
const ERP_ADMIN_PASSWORD = "erp-admin-acceptance-0123456789";
/** The new-database example's database: named after the server's own, since PostgreSQL's names are shared by every server on it. */
const erpName = (target: RealTarget) => `${target.database}-erp`;
const manager = (target: RealTarget) => new DbManagerClient(target.url, target.masterPassword!);
const modelId = async (client: OdooClient, model: string) =>
  (await client.call<{ id: number }[]>("ir.model", "search_read", { domain: [["model", "=", model]], fields: ["id"] }))[0].id;
const xmlIdOf = async (client: OdooClient, module: string, name: string) =>
  (await client.call<[string, number]>("ir.model.data", "check_object_reference", { module, xml_id: name }))[1];

/**
 * What contacts installed along in the example's new database, asked of the server: the modules
 * installed there but contacts, uom (which brings nothing) and those a new database has, as the
 * test database (made with the same form, and left as it was by every suite) shows.
 */
async function installedAlongContacts(target: RealTarget, apiKey: string, atCreation: string[]): Promise<string[]> {
  const erp = new OdooClient({ url: target.url, database: erpName(target), apiKey, login: target.login ? "admin" : undefined });
  try {
    return (await installedModules(erp)).filter((name) => !atCreation.includes(name) && name !== "contacts" && name !== "uom");
  } finally {
    await erp.close();
  }
}

const specs: Record<string, ExampleSpec> = {
  quickstart: {
    async drift(client) {
      await client.call("ir.model", "write", { ids: [await modelId(client, "x_library_book")], vals: { name: "Changed by hand" } });
      return ["refresh book [name]"];
    },
  },
  "custom-app": {
    async drift(client) {
      const [field] = await client.call<{ id: number }[]>("ir.model.fields", "search_read", {
        domain: [
          ["model", "=", "x_library_book"],
          ["name", "=", "x_isbn"],
        ],
        fields: ["id"],
      });
      await client.call("ir.model.fields", "write", { ids: [field.id], vals: { field_description: "Changed by hand" } });
      return ["refresh isbn [label]"];
    },
  },
  "reference-data": {
    async drift(client) {
      await client.call("res.partner", "write", { ids: [await xmlIdOf(client, "pulumi_demo", "acme")], vals: { email: "changed@by.hand" } });
      return ["refresh acme [values]"];
    },
    async cleanUp(client) {
      // acme is declared with onDelete: "archive": destroy leaves it archived.
      const [acme] = await client.call<number[]>("res.partner", "search", {
        domain: [
          ["name", "=", "Acme"],
          ["active", "=", false],
        ],
      });
      await client.call("res.partner", "unlink", { ids: [acme] });
    },
  },
  staging: {
    async drift(_client, target) {
      await manager(target).drop(`${target.database}-staging`);
      return ["read-gone staging"];
    },
  },
  "new-database": {
    async drift(_client, target, engine) {
      // Inside the new database, with the key its admin made (the Database's secret output).
      const erp = new OdooClient({ url: target.url, database: erpName(target), apiKey: madeKey(engine), login: target.login ? "admin" : undefined });
      try {
        await moduleByHand(erp, "uom", "uninstall");
      } finally {
        await erp.close();
      }
      return ["read-gone uom"];
    },
  },
  "upgrade-pipeline": {
    async drift(_client, target) {
      await manager(target).drop(`${target.database}-190`);
      return ["read-gone upgraded"];
    },
  },
};

for (const [example, spec] of Object.entries(specs)) {
  describeReal(`acceptance: examples/${example} on a real Odoo`, (target) => {
    const ctx = useRealEngine(target, examples(example));
    let platform: OdooEmulator | undefined;
    let before0: Record<string, number>;
    let databases: string[];
    let key = "";
    before(async () => {
      ctx.engine.setConfig("pulumi-odoo-test:source", target.database);
      if (example === "new-database") {
        ctx.engine.setConfig("pulumi-odoo-test:adminPassword", ERP_ADMIN_PASSWORD, true);
        ctx.engine.setConfig("pulumi-odoo-test:database", erpName(target));
      }
      if (example === "upgrade-pipeline") {
        platform = new OdooEmulator({ upgrade: { stepMs: 10 } });
        ctx.engine.setConfig("odoo:upgradeContract", "M-EXAMPLE", true);
        ctx.engine.setConfig("pulumi-odoo-test:email", "ops@example.com");
        ctx.engine.setConfig("pulumi-odoo-test:upgradePlatformUrl", `${await platform.start()}/upgrade`);
        ctx.engine.setConfig("pulumi-odoo-test:pollSeconds", "0.05");
      }
    });
    after(async () => {
      // The dumps and backups the example wrote are in the engine's own copy of its folder.
      await platform?.stop();
    });

    test("preview sends nothing that changes the server; up; then a preview and a refresh show nothing", async () => {
      before0 = await census(ctx.client);
      const atCreation = await installedModules(ctx.client);
      databases = await manager(target).list();
      const from = ctx.proxy.calls.length;
      const preview = await ctx.engine.preview();
      assertClean(preview);
      assert.ok(preview.steps.every((s) => s.op === "create"));
      // The upgrade pipeline backs its source up while the program runs, in preview too (a read).
      assert.deepEqual(
        ctx.proxy.writesSince(from).filter((call) => call !== "web/database/backup"),
        [],
      );
      const up = await ctx.engine.up();
      assertClean(up);
      assert.ok(up.steps.every((s) => s.op === "create"));
      if (example === "new-database") {
        key = madeKey(ctx.engine);
        // What contacts brings is the server's to say (mail; base_setup on 16; on a full tree a dozen
        // more that depend on mail): ask the new database.
        assert.deepEqual(up.outputs, {
          database: erpName(target),
          apps: { contacts: await installedAlongContacts(target, key, atCreation), uom: "installed" },
        });
      }
      await assertSteady(ctx.engine);
    });

    test("a change made in Odoo is found by refresh and put back by up", async () => {
      const expected = await spec.drift(ctx.client, target, ctx.engine);
      assert.deepEqual(
        ops(await ctx.engine.refresh()).filter((op) => op.includes("[") || op.startsWith("read-gone")),
        expected,
      );
      assertClean(await ctx.engine.up());
      await assertSteady(ctx.engine);
    });

    test("destroy leaves the server as it was, and no secret is anywhere", async () => {
      assertClean(await ctx.engine.destroy());
      assert.equal(ctx.engine.state.size, 0);
      await spec.cleanUp?.(ctx.client);
      assert.deepEqual(await census(ctx.client), before0);
      assert.deepEqual(await manager(target).list(), databases);
      assert.deepEqual(secretsIn(ctx, [target.apiKey, target.masterPassword ?? "", "M-EXAMPLE", ERP_ADMIN_PASSWORD, key]), []);
      assertNoRestart(target);
    });
  });
}
