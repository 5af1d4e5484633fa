import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { OdooClient } from "../../provider/client/odoo-client";
import { DbManagerClient } from "../../provider/dbmanager/db-manager-client";
import { assertClean, assertNoRestart, describeReal, ops, secretsIn, useRealEngine } from "./harness";
import { tempDir } from "../temp";

// Database on a real Odoo's database manager, through the engine path: a fresh database, the
// deletion guard, a backup before the drop, a neutralized duplicate, drift (dropped by hand), a
// restore of that backup, and nothing left behind.

describeReal("acceptance: Database on a real Odoo", (target) => {
  const ctx = useRealEngine(target, path.join(__dirname, "../engine/programs/database"));
  const dir = tempDir("db-acceptance-");
  const manager = () => new DbManagerClient(target.url, target.masterPassword!);
  const name = `${target.database}_acc`;
  const adminPassword = "acceptance-admin-0123456789";
  let madeKey = "";
  let databases: string[];

  test("preview of a fresh database sends nothing to the database manager but its list", async () => {
    assert.ok(target.masterPassword, "ODOO_MASTER_PASSWORD is needed for the Database suite");
    databases = await manager().list();
    ctx.engine.setConfig("test:name", name);
    ctx.engine.setConfig("test:adminPassword", adminPassword, true);
    const from = ctx.proxy.calls.length;
    const result = await ctx.engine.preview();
    assertClean(result);
    assert.deepEqual(ops(result), ["create db"]);
    assert.deepEqual(ctx.proxy.writesSince(from), []);
  });

  test("a fresh database is created; a second preview and a refresh show nothing", async () => {
    const result = await ctx.engine.up();
    assertClean(result);
    // The new database's admin made an API key (a secret output): the uuid was read with it, and it works.
    const db = [...ctx.engine.state.values()][0];
    assert.ok(db.secretOutputs.includes("apiKey"));
    madeKey = String(db.outputs.apiKey);
    const client = new OdooClient({ url: target.url, database: name, apiKey: madeKey, login: target.login ? "admin" : undefined });
    const [param] = await client.call<{ value: string }[]>("ir.config_parameter", "search_read", {
      domain: [["key", "=", "database.uuid"]],
      fields: ["value"],
    });
    await client.close();
    assert.deepEqual(result.outputs, { source: "fresh", uuid: param.value, neutralized: false });
    assert.ok((await manager().list()).includes(name));
    assert.deepEqual((await ctx.engine.preview()).changes, []);
    assert.deepEqual((await ctx.engine.refresh()).changes, []);
  });

  test("deletion protection: destroy refuses and keeps the database and the state", async () => {
    const result = await ctx.engine.destroy();
    assert.deepEqual(result.errors, [
      `db: database '${name}' is protected from deletion: set deletionProtection: false and run pulumi up first, then destroy (or replace) it`,
    ]);
    assert.equal(ctx.engine.state.size, 1);
    assert.ok((await manager().list()).includes(name));
  });

  test("with the guard lifted by an update, destroy writes a complete backup, then drops", async () => {
    ctx.engine.setConfig("test:deletionProtection", "false");
    ctx.engine.setConfig("test:backupBeforeDrop", dir);
    assert.deepEqual(ops(await ctx.engine.preview()), ["update db [backupBeforeDrop,deletionProtection]"]);
    assertClean(await ctx.engine.up());
    assertClean(await ctx.engine.destroy());
    const backups = readdirSync(dir);
    assert.equal(backups.length, 1);
    assert.match(backups[0], new RegExp(`^${name}_.*\\.zip$`));
    assert.ok(!(await manager().list()).includes(name));
  });

  test("a neutralized duplicate of the test database; dropped by hand, refresh sees it gone and up makes it again", async () => {
    ctx.engine.setConfig("test:copyFrom", target.database);
    ctx.engine.setConfig("test:neutralize", "true");
    const result = await ctx.engine.up();
    assertClean(result);
    assert.equal(result.outputs.source, "copy");
    assert.equal(result.outputs.neutralized, true);
    assert.deepEqual((await ctx.engine.preview()).changes, []);
    await manager().drop(name);
    assert.deepEqual(ops(await ctx.engine.refresh()), ["read-gone db"]);
    assertClean(await ctx.engine.up());
    assert.ok((await manager().list()).includes(name));
    assertClean(await ctx.engine.destroy());
  });

  test("a restore of the backup; destroy leaves the server's databases as they were", async () => {
    ctx.engine.setConfig("test:copyFrom", "");
    ctx.engine.setConfig("test:neutralize", "false");
    ctx.engine.setConfig("test:restoreFrom", path.join(dir, readdirSync(dir)[0]));
    ctx.engine.setConfig("test:backupBeforeDrop", "");
    const result = await ctx.engine.up();
    assertClean(result);
    assert.equal(result.outputs.source, "restore");
    assert.ok((await manager().list()).includes(name));
    assert.deepEqual((await ctx.engine.preview()).changes, []);
    assertClean(await ctx.engine.destroy());
    assert.deepEqual(await manager().list(), databases);
    assert.deepEqual(secretsIn(ctx, [target.apiKey, target.masterPassword!, adminPassword, madeKey]), []);
    assertNoRestart(target);
  });
});
