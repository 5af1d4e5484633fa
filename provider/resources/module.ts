import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { OdooError } from "../client/errors";
import {
  dependenciesOf,
  findModule,
  installedDependents,
  installedModules,
  type ModuleInfo,
  type ModuleOperation,
  moduleStates,
  runModuleOperation,
  updateModuleList,
} from "../client/modules";
import type { OdooClient } from "../client/odoo-client";
import { clientFor, type ConnectionArgs } from "../config";
import { checkInputs, closest, isUnknown } from "../internal/check";
import type { CheckFailure } from "../internal/failure";
import { diffInDatabase, diffInputs } from "../internal/diff";
import { compact, GONE, progress, OdooResource, implementation } from "../internal/resource";
import { connectionSchema } from "../internal/connection-schema";
import { canAskServer, connectionFailure } from "../internal/server-check";
import { forgetFields } from "../client/fields";

// Module: an Odoo app or module installed in a database (ir.module.module), upgraded when asked,
// and uninstalled on destroy only behind an explicit flag (uninstalling deletes its data).

/** The properties of a Module. */
export interface ModuleArgs {
  /** The module's technical name, as in its folder and Apps' "Technical Name", e.g. "sale_management". Replaces on change. */
  name: pulumi.Input<string>;
  /** Any value (a date, a release tag): each time it changes, the module is upgraded (Apps → Upgrade). */
  upgradeOn?: pulumi.Input<string>;
  /** Update the Apps list from the server's disk first, for a module added there since (default false). */
  updateList?: pulumi.Input<boolean>;
  /**
   * Uninstall the module when the resource is destroyed or replaced (default false: destroy leaves
   * it installed, and says so). Uninstalling deletes the module's data and removes the installed
   * modules that depend on it, so this must be applied (pulumi up) before a destroy uses it.
   */
  uninstallOnDestroy?: pulumi.Input<boolean>;
  /** How long to keep trying while Odoo is busy with a scheduled action or another module operation (default 300). */
  busyTimeoutSeconds?: pulumi.Input<number>;
  /** The server, database and key for this resource, above the stack's odoo:* configuration (its key stored as a secret: the state and a diff show the server and database). */
  connection?: pulumi.Input<ConnectionArgs>;
}

/** @internal What check accepts (zod: kept out of the published types, see tsconfig.json). */
export function inputsSchema() {
  return z.strictObject({
    name: z.string().regex(/^[a-z0-9_]+$/, "must be a module's technical name: lowercase letters, digits and underscores, e.g. 'sale_management'"),
    upgradeOn: z.string().optional(),
    updateList: z.boolean().default(false),
    uninstallOnDestroy: z.boolean().default(false),
    busyTimeoutSeconds: z.number().int().min(0, "must be 0 or more seconds").default(300),
    connection: connectionSchema(),
  });
}

/** @internal */
export type ModuleInputs = z.infer<ReturnType<typeof inputsSchema>>;

/** @internal */
export interface ModuleOutputs extends ModuleInputs {
  state: string;
  installedVersion?: string;
  latestVersion?: string;
  dependencies: string[];
  installedWith: string[];
  alreadyInstalled: boolean;
}

export const replaceOn = ["name"] as const;

/** The modules a database knows, with their states, asked once per client at preview. */
const knownModules = new WeakMap<OdooClient, Promise<Map<string, string>>>();

/**
 * The sentence for a name the Apps list does not have, with what it may have meant: the closest name
 * by spelling, else up to three names that hold it or that it holds ('sales' → 'sale', 'sale_management').
 */
function unknownModule(name: string, known: Map<string, string>): string {
  const names = [...known.keys()];
  const near = closest(name, names);
  const related = names
    .filter((other) => other.includes(name) || (other.length > 3 && name.includes(other)))
    .sort((a, b) => a.length - b.length || a.localeCompare(b))
    .slice(0, 3);
  const meant = near ? [near] : related;
  return `no module '${name}' in the database's Apps list${meant.length ? `: did you mean ${meant.map((m) => `'${m}'`).join(" or ")}?` : "."}`;
}

async function serverRules(args: ModuleInputs): Promise<CheckFailure[]> {
  const failure = await connectionFailure(args.connection);
  if (failure) return [failure];
  if (!canAskServer(args.connection) || isUnknown(args.name)) return [];
  const client = clientFor(args.connection);
  let modules = knownModules.get(client);
  if (!modules) knownModules.set(client, (modules = moduleStates(client)));
  const known = await modules.catch(() => undefined);
  if (!known) return [];
  if (!known.has(args.name)) {
    if (args.updateList) return [];
    const hint = " A module added to the server's addons since the list was last updated appears with updateList: true.";
    return [{ property: "name", reason: unknownModule(args.name, known) + hint }];
  }
  if (known.get(args.name) === "uninstallable") {
    return [
      {
        property: "name",
        reason: `module '${args.name}' cannot be installed on this server (Odoo marks it uninstallable: its files are missing or not installable for this version)`,
      },
    ];
  }
  return [];
}

export const moduleProvider = implementation<ModuleInputs, ModuleOutputs>({
  async check(_olds, news) {
    return checkInputs(inputsSchema(), news, serverRules);
  },

  async diff(_id, olds, news) {
    return diffInDatabase(olds, news, replaceOn);
  },

  async create(args) {
    const client = clientFor(args.connection);
    if (args.updateList) {
      progress(`module '${args.name}': updating the Apps list from the server's addons…`);
      await updateModuleList(client);
    }
    const module = await findModule(client, args.name);
    if (!module) throw new OdooError("ODOO_NOT_FOUND", unknownModule(args.name, await moduleStates(client)));
    if (module.state === "installed" || module.state === "to upgrade") {
      return { id: String(module.id), outs: await readOutputs(client, args, module, { installedWith: [], alreadyInstalled: true }) };
    }
    // Alone on the database, so that what is installed before and after is this install's doing.
    const { after, installedWith } = await client.exclusively(`install module '${args.name}'`, async () => {
      const before = await installedModules(client);
      const after = await operate(client, args, module, "install");
      return { after, installedWith: (await installedModules(client)).filter((name) => !before.includes(name) && name !== args.name) };
    });
    return { id: String(module.id), outs: await readOutputs(client, args, after, { installedWith, alreadyInstalled: false }) };
  },

  async read(id, previous) {
    const client = clientFor(previous.connection);
    const module = await findModule(client, previous.name);
    // Uninstalled outside Pulumi: gone, so that the next up installs it again.
    if (!module || String(module.id) !== id || module.state === "uninstalled" || module.state === "uninstallable") return GONE;
    return { id, props: await readOutputs(client, previous, module, previous) };
  },

  async update(_id, previous, args) {
    const client = clientFor(args.connection);
    const { changed } = diffInputs(previous, args, replaceOn);
    let module = await findModule(client, args.name);
    if (!module) throw new OdooError("ODOO_MISSING", `module '${args.name}' is no longer in the database's Apps list: run pulumi refresh`);
    if (changed.includes("upgradeOn") && args.upgradeOn !== undefined) module = await operate(client, args, module, "upgrade");
    return { outs: await readOutputs(client, args, module, previous) };
  },

  async delete(_id, args) {
    if (!args.uninstallOnDestroy) {
      progress(
        `module '${args.name}' stays installed: destroy uninstalls a module only when uninstallOnDestroy: true was applied first (uninstalling deletes its data)`,
      );
      return;
    }
    const client = clientFor(args.connection);
    const module = await findModule(client, args.name);
    if (!module || module.state === "uninstalled") return;
    const dependents = await installedDependents(client, module.id);
    if (dependents.length) progress(`module '${args.name}': uninstalling it also uninstalls ${dependents.join(", ")}, which depend on it`);
    await operate(client, args, module, "uninstall");
  },
});

/** Runs an operation with progress, and forgets what it may have changed of the models' fields. */
async function operate(client: OdooClient, args: ModuleInputs, module: ModuleInfo, operation: ModuleOperation): Promise<ModuleInfo> {
  const started = Date.now();
  progress(
    `module '${args.name}': ${operation === "install" ? "installing" : operation === "upgrade" ? "upgrading" : "uninstalling"} (Odoo does it inside the request: seconds to minutes)…`,
  );
  try {
    return await runModuleOperation(client, module, operation, { busyTimeoutMs: args.busyTimeoutSeconds * 1000, onProgress: progress });
  } finally {
    forgetFields(client);
    progress(`module '${args.name}': ${operation} ended after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** The outputs: the inputs and the module as Odoo has it now (its state, versions and dependencies). */
async function readOutputs(
  client: OdooClient,
  args: ModuleInputs,
  module: ModuleInfo,
  kept: Pick<ModuleOutputs, "installedWith" | "alreadyInstalled">,
): Promise<ModuleOutputs> {
  return compact({
    ...args,
    state: module.state,
    installedVersion: module.installedVersion,
    latestVersion: module.latestVersion,
    dependencies: await dependenciesOf(client, module.name),
    installedWith: kept.installedWith,
    alreadyInstalled: kept.alreadyInstalled,
  });
}

/**
 * An Odoo module (an app such as Sales, or a technical module) installed in a database, with its
 * dependencies. Changing `upgradeOn` upgrades it. Destroy leaves it installed unless
 * `uninstallOnDestroy: true` was applied first: uninstalling deletes its data.
 */
export class Module extends OdooResource {
  /** The module's technical name. */
  declare readonly name: pulumi.Output<string>;
  /** Its state in Odoo: "installed" (or "to upgrade" while an upgrade is pending). */
  declare readonly state: pulumi.Output<string>;
  /** The version installed in the database, e.g. "19.0.1.0". */
  declare readonly installedVersion: pulumi.Output<string | undefined>;
  /** The version of its files on the server: newer than installedVersion when an upgrade is due. */
  declare readonly latestVersion: pulumi.Output<string | undefined>;
  /** Every module it depends on, directly or not. */
  declare readonly dependencies: pulumi.Output<string[]>;
  /** The modules its install brought in that were not installed before. */
  declare readonly installedWith: pulumi.Output<string[]>;
  /** True when it was installed before this resource was created (it was adopted, not installed). */
  declare readonly alreadyInstalled: pulumi.Output<boolean>;

  /**
   * @param name The Pulumi name of the resource.
   * @param args Its properties.
   * @param opts Pulumi's resource options.
   */
  constructor(name: string, args: ModuleArgs, opts?: pulumi.CustomResourceOptions) {
    super("module", name, args, opts, { outputs: ["state", "installedVersion", "latestVersion", "dependencies", "installedWith", "alreadyInstalled"] });
  }
}
