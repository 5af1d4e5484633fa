import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { findModule, runModuleOperation } from "../provider/client/modules";
import { OdooClient } from "../provider/client/odoo-client";
import { type EmulatorOptions, OdooEmulator } from "./emulator/server";

/** Starts an emulator for the enclosing test file (or describe block) and a client on it. */
export function useEmulator(options: EmulatorOptions = {}) {
  const context = {} as { emulator: OdooEmulator; client: OdooClient; url: string };
  before(async () => {
    context.emulator = new OdooEmulator(options);
    context.url = await context.emulator.start();
    const database = (options.databases ?? ["odoo"])[0];
    context.client = new OdooClient(
      { url: context.url, apiKey: context.emulator.apiKey(database), database, login: "admin" },
      { retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 50 } },
    );
  });
  after(async () => {
    await context.client.close();
    await context.emulator.stop();
  });
  return context;
}

/** Asserts that `promise` rejects with exactly this code and message. */
export async function rejectsWith(promise: Promise<unknown>, code: string, message: string | RegExp): Promise<Error> {
  let caught: unknown;
  await promise.then(
    () => assert.fail(`expected a rejection with ${code}`),
    (error) => (caught = error),
  );
  const error = caught as Error & { code?: string };
  assert.equal(error.code, code, `code of: ${error.message}`);
  if (typeof message === "string") assert.equal(error.message, message);
  else assert.match(error.message, message);
  return error;
}

/** Waits until `condition` holds (checked every millisecond, or 50 ms when longer waits are allowed), failing after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const started = Date.now(); !condition(); await new Promise((resolve) => setTimeout(resolve, timeoutMs > 5000 ? 50 : 1))) {
    if (Date.now() - started > timeoutMs) assert.fail(`waited ${timeoutMs / 1000} s for ${condition}`);
  }
}

/**
 * A suite that may not be able to run here (no sshd, no pulumi CLI): skipped, it still holds one
 * skipped test, so that the runner's closing count says "skipped" (a skipped suite alone counts 0).
 */
export function describeUnless(skip: string | false, name: string, suite: () => void): void {
  if (skip) describe(name, () => test(skip, { skip }, () => {}));
  else describe(name, suite);
}

/** "name state" of each of these modules, by name. */
export async function moduleStatesOf(client: OdooClient, names: string[]): Promise<string[]> {
  const rows = await client.call<{ name: string; state: string }[]>("ir.module.module", "search_read", {
    domain: [["name", "in", names]],
    fields: ["name", "state"],
    order: "name",
  });
  return rows.map((m) => `${m.name} ${m.state}`);
}

/**
 * Installs or uninstalls a module behind Pulumi's back, as a person in Apps would: through the
 * client's module operation, which waits while Odoo runs a scheduled action (a fresh database runs
 * its crons soon after it is made, seen on the real Odoo 17 and 19).
 */
export async function moduleByHand(client: OdooClient, name: string, operation: "install" | "uninstall"): Promise<void> {
  const module = await findModule(client, name);
  assert.ok(module, `no module '${name}'`);
  await runModuleOperation(client, module, operation);
}

/** How the refusal of modules left pending says to cancel them, on Odoo 17 and on 19. */
export function cancelAdvice(version: number): string {
  return version >= 19
    ? "cancel them with ir.module.module's button_reset_state (Odoo 19's Apps has no Cancel button)"
    : "cancel them in Apps (Cancel Install / Cancel Upgrade / Cancel Uninstall on each)";
}

/** Cancels the upgrade left pending on module `id`, as a person would on that version. */
export async function cancelPendingUpgrade(client: OdooClient, version: number, id: number): Promise<void> {
  if (version >= 19) await client.call("ir.module.module", "button_reset_state");
  else await client.call("ir.module.module", "button_upgrade_cancel", { ids: [id] });
}

/** The lines of `output` that belong to a stack trace (JavaScript's "at f (file:1:2)", Python's "Traceback"). */
export function tracesIn(output: string): string[] {
  return output.split("\n").filter((line) => /^\s+at .+:\d+:\d+\)?$/.test(line) || /Traceback \(most recent call last\)/.test(line));
}

/**
 * The id an external id names, read from ir.model.data: check_object_reference answers false for a
 * record the user may not see (before 19, base.menu_custom's menus; an archived record).
 */
export async function idOf(client: OdooClient, xmlId: string): Promise<number> {
  const [module, name] = xmlId.split(".");
  const rows = await client.call<{ res_id: number }[]>("ir.model.data", "search_read", {
    domain: [
      ["module", "=", module],
      ["name", "=", name],
    ],
    fields: ["res_id"],
  });
  assert.equal(rows.length, 1, `external id '${xmlId}'`);
  return rows[0].res_id;
}

/** Odoo 14–18's ir.ui.menu search leaves out the menus the user may not see, unless told to list them all. */
export const ALL_MENUS = { "ir.ui.menu.full_list": true };
