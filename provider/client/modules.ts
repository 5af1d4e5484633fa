import { isOdooError, mayHaveApplied, OdooApiError, OdooError } from "./errors";
import type { OdooClient } from "./odoo-client";

// Odoo's Apps (ir.module.module), as its Apps screen drives them. button_immediate_install,
// _upgrade and _uninstall do the whole operation inside the request (seconds to minutes), bring
// dependencies in (or take dependents out), rebuild the registry, and answer an action, not a
// status: the state is read back. Modules left "to install / to upgrade / to remove" by an
// interrupted operation are carried out by the next one on Odoo 17 (silently installing or removing
// something else) and refused by 19: they are refused here, by name, on both.

/** What ir.module.module says of one module. */
export interface ModuleInfo {
  id: number;
  name: string;
  /** uninstalled, installed, to install, to upgrade, to remove, uninstallable. */
  state: string;
  /** The version installed in the database (ir.module.module's latest_version), if any. */
  installedVersion?: string;
  /** The version of the module's files on the server (ir.module.module's installed_version). */
  latestVersion?: string;
}

export type ModuleOperation = "install" | "upgrade" | "uninstall";

export interface ModuleOperationOptions {
  /** How long one operation may take (default 30 minutes): a large install runs for minutes. */
  timeoutMs?: number;
  /** How long to keep trying while Odoo is busy with a scheduled action or another operation. */
  busyTimeoutMs?: number;
  /** Told what is happening while it waits. */
  onProgress?: (message: string) => void;
}

/** How long one module operation may take, by default: a large install runs for minutes. */
export const MODULE_OPERATION_TIMEOUT_MS = 1_800_000;
const BUSY_TIMEOUT_MS = 300_000;
const PENDING_STATES = ["to install", "to upgrade", "to remove"];
const FIELDS = ["name", "state", "latest_version", "installed_version"];
const BUTTONS: Record<ModuleOperation, string> = {
  install: "button_immediate_install",
  upgrade: "button_immediate_upgrade",
  uninstall: "button_immediate_uninstall",
};
/** Odoo's own words when the cron table or the module table is locked by someone else. */
const BUSY = /currently processing (a scheduled action|another module operation)/;
/**
 * What Odoo answers instead when writing that refusal breaks on the transaction its failed lock
 * left aborted (../shared/odoo/README: an install failing at once so while "CRM: enrich leads" held
 * ir_cron, once in five runs on 19). The lock is the only statement before the operation.
 */
const ABORTED = /(^|\.)InFailedSqlTransaction$/;

export async function findModule(client: OdooClient, name: string): Promise<ModuleInfo | undefined> {
  const rows = await client.call<Record<string, unknown>[]>("ir.module.module", "search_read", { domain: [["name", "=", name]], fields: FIELDS });
  return rows[0] ? toInfo(rows[0]) : undefined;
}

/** Every module the database knows (its Apps list), by name, with its state. */
export async function moduleStates(client: OdooClient): Promise<Map<string, string>> {
  const rows = await client.call<{ name: string; state: string }[]>("ir.module.module", "search_read", { domain: [], fields: ["name", "state"] });
  return new Map(rows.map((row) => [row.name, row.state]));
}

/** The names of the installed modules, sorted. */
export async function installedModules(client: OdooClient): Promise<string[]> {
  const rows = await client.call<{ name: string }[]>("ir.module.module", "search_read", { domain: [["state", "=", "installed"]], fields: ["name"] });
  return rows.map((row) => row.name).sort();
}

/** Modules an interrupted operation left waiting (to install, to upgrade, to remove). */
export async function pendingModules(client: OdooClient): Promise<ModuleInfo[]> {
  const rows = await client.call<Record<string, unknown>[]>("ir.module.module", "search_read", {
    domain: [["state", "in", PENDING_STATES]],
    fields: FIELDS,
    order: "name",
  });
  return rows.map(toInfo);
}

/** The names of every module `name` depends on, directly or not, sorted. */
export async function dependenciesOf(client: OdooClient, name: string): Promise<string[]> {
  const found = new Set<string>();
  let frontier = [name];
  while (frontier.length) {
    const modules = await client.call<{ id: number }[]>("ir.module.module", "search_read", { domain: [["name", "in", frontier]], fields: ["id"] });
    const ids = modules.map((module) => module.id);
    const rows = await client.call<{ name: string }[]>("ir.module.module.dependency", "search_read", { domain: [["module_id", "in", ids]], fields: ["name"] });
    frontier = [...new Set(rows.map((row) => row.name))].filter((dep) => !found.has(dep) && dep !== name);
    for (const dep of frontier) found.add(dep);
  }
  return [...found].sort();
}

/** The installed modules that depend on this one: uninstalling it removes them too. */
export async function installedDependents(client: OdooClient, id: number): Promise<string[]> {
  const ids = await client.call<number[]>("ir.module.module", "downstream_dependencies", { ids: [id] });
  if (!ids.length) return [];
  const rows = await client.call<{ name: string; state: string }[]>("ir.module.module", "read", { ids, fields: ["name", "state"] });
  return rows
    .filter((row) => row.state !== "uninstalled")
    .map((row) => row.name)
    .sort();
}

/** Reads the modules on the server's disk into the Apps list: a module new on disk is unknown until then. */
export async function updateModuleList(client: OdooClient): Promise<void> {
  await client.call("ir.module.module", "update_list");
}

/** Refuses `what` when an interrupted operation left modules pending, naming them. */
export async function refuseIfPending(client: OdooClient, what: string): Promise<void> {
  const pending = await pendingModules(client);
  if (pending.length) throw pendingRefusal(what, pending, (await client.version()).major);
}

/** The refusal for modules left pending, naming them and how to cancel them on this version. */
function pendingRefusal(what: string, pending: ModuleInfo[], major: number): OdooError {
  const list = pending.map((m) => `${m.name} (${m.state})`).join(", ");
  const cancel =
    major >= 19
      ? "cancel them with ir.module.module's button_reset_state (Odoo 19's Apps has no Cancel button)"
      : "cancel them in Apps (Cancel Install / Cancel Upgrade / Cancel Uninstall on each)";
  return new OdooError(
    "ODOO_USER_ERROR",
    `cannot ${what}: Odoo has module operations left pending: ${list}, which Odoo 17 would carry out along with it and Odoo 19 refuses to run beside; ${cancel}, then run pulumi up again`,
  );
}

/**
 * Runs one operation on a module and returns what it became. Refuses when other modules are left
 * pending; while Odoo is busy (a scheduled action holds the cron table, another operation the
 * module table) waits and tries again, within options.busyTimeoutMs. An answer lost on the way
 * (a proxy's timeout) is settled by waiting for the module to leave its pending state.
 */
export function runModuleOperation(
  client: OdooClient,
  module: ModuleInfo,
  operation: ModuleOperation,
  options: ModuleOperationOptions = {},
): Promise<ModuleInfo> {
  // Alone on the database: no other module operation of this process slips in between the look at
  // pending modules and the operation.
  return client.exclusively(`${operation} module '${module.name}'`, () => operate(client, module, operation, options));
}

async function operate(client: OdooClient, module: ModuleInfo, operation: ModuleOperation, options: ModuleOperationOptions): Promise<ModuleInfo> {
  const what = `${operation} module '${module.name}'`;
  const expected = operation === "uninstall" ? "uninstalled" : "installed";
  // Another operation of this program may have done it while this one waited its turn: uninstalling
  // a module takes its dependents along (Odoo then refuses the second uninstall: "already been
  // uninstalled"), installing one brings its dependencies.
  if (operation !== "upgrade") {
    const now = await findModule(client, module.name);
    if (now?.state === expected) return now;
  }
  await refuseIfPending(client, what);
  const busyMs = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
  const busyUntil = Date.now() + busyMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.call("ir.module.module", BUTTONS[operation], { ids: [module.id] }, { timeoutMs: options.timeoutMs ?? MODULE_OPERATION_TIMEOUT_MS });
      break;
    } catch (error) {
      if (mayHaveApplied(error)) {
        options.onProgress?.(`module '${module.name}': the answer to the ${operation} was lost; waiting for Odoo to finish it`);
        const now = await waitWhilePending(client, module.name, busyUntil);
        // Sending it again is harmless: an upgrade twice is an upgrade, and an install that happened is not repeated.
        if (operation === "upgrade" || now.state === expected) break;
        continue;
      }
      const busy = await busyWith(client, module, error);
      if (!busy) throw error;
      const wait = Math.min(30_000, 1000 * 2 ** (attempt - 1));
      if (Date.now() + wait > busyUntil) {
        throw new OdooError(
          "ODOO_USER_ERROR",
          `cannot ${what}: Odoo was still ${busy} after ${Math.round(busyMs / 1000)} s of trying; run pulumi up again later (or raise busyTimeoutSeconds)`,
        );
      }
      options.onProgress?.(`module '${module.name}': Odoo is ${busy}; trying again in ${wait / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  const after = await findModule(client, module.name);
  if (after?.state !== expected) {
    throw new OdooError("ODOO_USER_ERROR", `${what}: Odoo answered, but the module is '${after?.state ?? "gone"}', not '${expected}'`);
  }
  return after;
}

/**
 * What keeps Odoo from a module operation for now, when the error says it is busy: its refusal, or
 * the aborted transaction that refusal broke on, provided the module is as it was (nothing began).
 */
async function busyWith(client: OdooClient, module: ModuleInfo, error: unknown): Promise<string | undefined> {
  if (isOdooError(error, "ODOO_USER_ERROR")) return BUSY.exec((error as Error).message)?.[0];
  if (!(error instanceof OdooApiError) || !ABORTED.test(error.odooName)) return undefined;
  const now = await findModule(client, module.name);
  return now?.state === module.state ? "holding a table lock (its refusal broke on the aborted transaction)" : undefined;
}

async function waitWhilePending(client: OdooClient, name: string, until: number): Promise<ModuleInfo> {
  for (;;) {
    const module = await findModule(client, name).catch(() => undefined);
    if (module && !PENDING_STATES.includes(module.state)) return module;
    if (Date.now() > until)
      throw new OdooError(
        "ODOO_TIMEOUT",
        `module '${name}' is still '${module?.state ?? "unknown"}': Odoo may still be at work on it; run pulumi up again later`,
      );
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function toInfo(row: Record<string, unknown>): ModuleInfo {
  const text = (value: unknown) => (typeof value === "string" && value ? value : undefined);
  return {
    id: row.id as number,
    name: String(row.name),
    state: String(row.state),
    installedVersion: text(row.latest_version),
    latestVersion: text(row.installed_version),
  };
}
