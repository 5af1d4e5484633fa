import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { installedModules, MODULE_OPERATION_TIMEOUT_MS, refuseIfPending } from "../client/modules";
import type { OdooClient } from "../client/odoo-client";
import { applySettings, readSettings, type SettingsField, settingsFields } from "../client/settings";
import { clientFor, type ConnectionArgs } from "../config";
import { checkInputs, isUnknown, unknownPaths } from "../internal/check";
import type { CheckFailure } from "../internal/failure";
import { diffInDatabase, diffInputs } from "../internal/diff";
import { compact, progress, OdooResource, implementation } from "../internal/resource";
import { connectionSchema } from "../internal/connection-schema";
import { canAskServer, connectionFailure } from "../internal/server-check";
import { resolveXmlId } from "../internal/xmlid";
import { forgetFields } from "../client/fields";
import { checkValues, fromOdoo, isRef, type OdooRef, resolveRefs, toOdoo } from "../values";
import { OdooError } from "../client/errors";
import { saveEffects } from "./settings-effects";

// Settings: values of Odoo's Settings form (res.config.settings), applied as its Save button does,
// read back with default_get. Only the declared keys are read, compared and reported as drift.

/** A value of the Settings form: true/false, a number, a string, an id or odoo.ref(...) of a record. */
export type SettingsValue = boolean | number | string | null | OdooRef;

/** The properties of a Settings resource. */
export interface SettingsArgs {
  /**
   * The settings, by their field name in res.config.settings (Settings → hover a setting in
   * developer mode), e.g. { group_multi_currency: true, show_effect: false }. Keys are checked at
   * preview against the server's Settings form. `module_*` keys install (true) or uninstall (false)
   * modules: prefer odoo.Module for that.
   */
  values: pulumi.Input<Record<string, pulumi.Input<SettingsValue>>>;
  /** The company whose settings these are (an id or odoo.ref("base.main_company")); default: the user's company. */
  company?: pulumi.Input<number | OdooRef>;
  /**
   * Modules that add these settings (pass Module outputs, e.g. [sales.name]): while they are not
   * installed yet, preview does not judge keys it cannot see, and the settings wait for them.
   */
  modules?: pulumi.Input<pulumi.Input<string>[]>;
  /** The server, database and key for this resource, above the stack's odoo:* configuration (its key stored as a secret: the state and a diff show the server and database). */
  connection?: pulumi.Input<ConnectionArgs>;
}

const refSchema = z.strictObject({ __odooRef: z.string() });

/** @internal What check accepts (zod: kept out of the published types, see tsconfig.json). */
export function inputsSchema() {
  return z.strictObject({
    values: z
      .record(
        z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a settings field name (lowercase letters, digits and underscores)"),
        z.union([z.boolean(), z.number(), z.string(), z.null(), refSchema]),
      )
      .refine((values) => Object.keys(values).length > 0, "must declare at least one setting"),
    company: z.union([z.number().int().positive("must be a company id"), refSchema]).optional(),
    modules: z.array(z.string().min(1)).default([]),
    connection: connectionSchema(),
  });
}

/** @internal */
export type SettingsInputs = z.infer<ReturnType<typeof inputsSchema>>;

/** @internal */
export interface SettingsOutputs extends SettingsInputs {
  /** What Odoo held for the declared keys right after the last apply (so Odoo's own normalisation is not drift). */
  applied: Record<string, unknown>;
  companyId?: number;
}

export const replaceOn = [] as const;

async function serverRules(args: SettingsInputs): Promise<CheckFailure[]> {
  const failure = await connectionFailure(args.connection);
  if (failure) return [failure];
  if (!canAskServer(args.connection)) return [];
  const client = clientFor(args.connection);
  const fields = await settingsFields(client).catch(() => undefined);
  if (!fields) return [];
  // Keys a module of this program adds cannot be judged before it is installed.
  const waiting = args.modules.some(isUnknown) || (await notInstalled(client, args.modules)).length > 0;
  const judged = Object.fromEntries(Object.entries(args.values).filter(([key]) => !waiting || key in fields));
  const failures = checkValues("res.config.settings (the Settings form)", judged, fields).map((f) => ({
    ...f,
    reason: f.reason.replace(/^'([^']+)' is not a field of/, "'$1' is not a setting of"),
  }));
  for (const [key, value] of Object.entries(judged)) {
    if (fields[key]?.readonly && !unknownPaths(value).length)
      failures.push({ property: `values.${key}`, reason: `is read-only: Odoo computes it (${fields[key].string ?? key})` });
  }
  // What saving the form would do beyond the declared keys (judged once the keys themselves pass).
  if (!failures.length) for (const reason of await saveEffects(client, args.values, fields)) failures.push({ property: "values", reason });
  // Said of a key Odoo has, once the values pass: a refused key installs nothing.
  const refused = new Set(failures.map((f) => f.property));
  for (const key of Object.keys(judged).filter((k) => k.startsWith("module_") && k in fields && !refused.has(`values.${k}`))) {
    console.warn(
      `warning: values.${key} ${args.values[key] ? "installs" : "uninstalls (deleting its data)"} module '${key.slice("module_".length)}' when the settings are applied: prefer an odoo.Module resource, which shows it in preview and guards the uninstall`,
    );
  }
  return failures;
}

async function notInstalled(client: OdooClient, modules: string[]): Promise<string[]> {
  if (!modules.length) return [];
  const installed = await installedModules(client);
  return modules.filter((name) => !installed.includes(name));
}

export const settingsProvider = implementation<SettingsInputs, SettingsOutputs>({
  async check(_olds, news) {
    const result = await checkInputs(inputsSchema(), news, serverRules);
    const args = result.inputs as SettingsInputs;
    // odoo.ref(...) values are kept as the id they name, as Record does, so the state shows it.
    if (!result.failures.length && canAskServer(args.connection))
      args.values = (await resolveRefs(clientFor(args.connection), args.values)) as SettingsInputs["values"];
    return result;
  },

  async diff(_id, olds, news) {
    // `modules` only orders and relaxes preview: it changes nothing in Odoo.
    return diffInDatabase(olds, news, replaceOn, { ignore: ["modules"] });
  },

  async create(args) {
    const client = clientFor(args.connection);
    const companyId = await companyOf(client, args);
    return { id: `settings-${companyId ?? "user-company"}`, outs: await apply(client, args, companyId, { unlessHeld: true }) };
  },

  async read(id, previous) {
    const client = clientFor(previous.connection);
    const fields = await settingsFields(client);
    const current = await readSettings(
      client,
      Object.keys(previous.values).filter((key) => key in fields),
      fields,
      previous.companyId,
    );
    return { id, props: { ...previous, values: fromOdoo(previous.values, current, previous.applied) } };
  },

  async update(_id, olds, args) {
    const client = clientFor(args.connection);
    const { changed } = diffInputs(olds, args, replaceOn, { ignore: ["modules"] });
    const companyId = changed.includes("company") ? await companyOf(client, args) : olds.companyId;
    return { outs: await apply(client, args, companyId) };
  },

  async delete(_id, args) {
    progress(`settings ${Object.keys(args.values).join(", ")} stay as they are: destroy does not reset Odoo's settings`);
  },
});

async function companyOf(client: OdooClient, args: SettingsInputs): Promise<number | undefined> {
  if (args.company === undefined) return undefined;
  return isRef(args.company) ? resolveXmlId(client, args.company.__odooRef, "res.company") : args.company;
}

/**
 * Saves the form with the declared values. `unlessHeld` (a new resource): when Odoo holds every value
 * already, nothing is saved, since saving writes the whole form (a database taken over stays untouched).
 */
async function apply(client: OdooClient, args: SettingsInputs, companyId: number | undefined, { unlessHeld = false } = {}): Promise<SettingsOutputs> {
  // Fields are asked afresh: a module installed since preview adds settings.
  const fields: Record<string, SettingsField> = await settingsFields(client);
  const values = await toOdoo(client, args.values, fields);
  // The same refusal as at preview, before anything is written: records made since may be at stake.
  const [effect] = await saveEffects(client, values, fields, companyId);
  if (effect) throw new OdooError("ODOO_VALIDATION", `values: ${effect}`);
  if (unlessHeld) {
    const held = await readSettings(client, Object.keys(values), fields, companyId);
    if (Object.keys(values).every((key) => sameSetting(held[key], values[key]))) {
      progress(`settings: ${Object.keys(values).join(", ")} already hold the declared values: nothing saved`);
      return compact({ ...args, values: (await resolveRefs(client, args.values)) as SettingsInputs["values"], applied: held, companyId });
    }
  }
  const installs = Object.keys(values).some((key) => key.startsWith("module_"));
  // Saving the form installs modules: Odoo 17 would carry out modules left pending along with them.
  if (installs) await refuseIfPending(client, "apply settings that install modules");
  progress(
    `settings: applying ${Object.keys(values).join(", ")}${installs ? " (module_* settings install or uninstall modules: this can take minutes)" : ""}…`,
  );
  await applySettings(client, values, companyId, installs ? MODULE_OPERATION_TIMEOUT_MS : undefined);
  if (installs) forgetFields(client);
  const applied = await readSettings(client, Object.keys(values), fields, companyId);
  return compact({ ...args, values: (await resolveRefs(client, args.values)) as SettingsInputs["values"], applied, companyId });
}

/** A value as read and as declared: the same, or both empty (Odoo reads an unset record or text as false). */
function sameSetting(held: unknown, declared: unknown): boolean {
  const blank = (v: unknown) => v === false || v === null || v === undefined || v === "";
  return held === declared || (blank(held) && blank(declared));
}

/**
 * Values of Odoo's Settings form (res.config.settings), applied as its Save button does. Refresh
 * reports drift of the declared keys only. Destroy leaves the settings as they are.
 */
export class Settings extends OdooResource {
  /** The declared settings, as Odoo holds them after refresh. */
  declare readonly values: pulumi.Output<Record<string, SettingsValue>>;
  /** What Odoo held for them right after the last apply (its own normalisation of html, for example). */
  declare readonly applied: pulumi.Output<Record<string, unknown>>;
  /** The company they were applied to, when one was given. */
  declare readonly companyId: pulumi.Output<number | undefined>;

  /**
   * @param name The Pulumi name of the resource.
   * @param args Its properties.
   * @param opts Pulumi's resource options.
   */
  constructor(name: string, args: SettingsArgs, opts?: pulumi.CustomResourceOptions) {
    super("settings", name, args, opts, { outputs: ["applied", "companyId"] });
  }
}
