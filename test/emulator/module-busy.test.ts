import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { findModule, runModuleOperation } from "../../provider/client/modules";
import { holdCronLockForNext } from "./apps";
import { rejectsWith, useEmulator } from "../helpers";

// A module operation while a scheduled action holds the cron table: Odoo refuses it in its own words,
// or (../shared/odoo/README, once in five installs on a real 19) its refusal breaks on the
// transaction the failed lock aborted and it answers InFailedSqlTransaction. Both are waited out.

for (const version of [19, 17] as const) {
  describe(`a module operation while Odoo is busy (emulator of Odoo ${version})`, () => {
    const ctx = useEmulator({ version });
    const apps = () => ctx.emulator.databases.get("odoo")!.orm.apps!;

    test("a refusal broken on the aborted transaction is waited out like Odoo's own, and said so", async () => {
      holdCronLockForNext(apps(), 2, { broken: true });
      const said: string[] = [];
      const module = (await findModule(ctx.client, "uom"))!;
      const after = await runModuleOperation(ctx.client, module, "install", { onProgress: (message) => said.push(message) });
      assert.equal(after.state, "installed");
      assert.deepEqual(said, [
        "module 'uom': Odoo is holding a table lock (its refusal broke on the aborted transaction); trying again in 1 s",
        "module 'uom': Odoo is holding a table lock (its refusal broke on the aborted transaction); trying again in 2 s",
      ]);
    });

    test("past busyTimeoutMs, one sentence, and the module as it was", async () => {
      holdCronLockForNext(apps(), 100, { broken: true });
      const module = (await findModule(ctx.client, "contacts"))!;
      await rejectsWith(
        runModuleOperation(ctx.client, module, "install", { busyTimeoutMs: 1500 }),
        "ODOO_USER_ERROR",
        "cannot install module 'contacts': Odoo was still holding a table lock (its refusal broke on the aborted transaction) after 2 s of trying; run pulumi up again later (or raise busyTimeoutSeconds)",
      );
      assert.equal((await findModule(ctx.client, "contacts"))!.state, "uninstalled");
      holdCronLockForNext(apps(), 0);
    });
  });
}
