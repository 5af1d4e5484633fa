import { type Connection, databaseKey, OdooClient } from "./client/odoo-client";
import { OdooError } from "./client/errors";

// Credentials reach the provider at run time only: the stack's `odoo:*` configuration (handed to
// the dynamic provider's `configure`), then ODOO_* environment variables, and a resource's own
// `connection` input (a secret) above both. Nothing here is captured by the serialized provider.

export interface ProviderSettings {
  url?: string;
  database?: string;
  apiKey?: string;
  login?: string;
  masterPassword?: string;
  upgradeContract?: string;
  timeoutSeconds?: number;
}

/** Each setting: its name, its stack configuration key, its environment variable. */
export const KEYS: [keyof ProviderSettings, string, string][] = [
  ["url", "odoo:url", "ODOO_URL"],
  ["database", "odoo:database", "ODOO_DATABASE"],
  ["apiKey", "odoo:apiKey", "ODOO_API_KEY"],
  ["login", "odoo:login", "ODOO_LOGIN"],
  ["masterPassword", "odoo:masterPassword", "ODOO_MASTER_PASSWORD"],
  ["upgradeContract", "odoo:upgradeContract", "ODOO_UPGRADE_CONTRACT"],
  ["timeoutSeconds", "odoo:timeoutSeconds", "ODOO_TIMEOUT_SECONDS"],
];

let stackConfig: Record<string, string | undefined> = {};

/** Called by every provider's `configure` with the engine's view of the stack configuration. */
export function configure(config: { get(key: string): string | undefined } | undefined): void {
  if (!config) return;
  for (const [, key] of KEYS) {
    const value = config.get(key);
    if (value !== undefined) stackConfig[key] = value;
  }
}

export function settings(): ProviderSettings {
  return settingsFrom((key) => stackConfig[key]);
}

/**
 * The same settings read in a program's process (data sources, backupDatabase), where the stack
 * configuration is pulumi.Config("odoo") rather than what the provider's `configure` received.
 */
export function programSettings(): ProviderSettings {
  const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
  const config = new pulumi.Config("odoo");
  return settingsFrom((key) => config.get(key.slice("odoo:".length)));
}

function settingsFrom(stack: (key: string) => string | undefined): ProviderSettings {
  const result: ProviderSettings = {};
  for (const [name, key, env] of KEYS) {
    const value = stack(key) ?? process.env[env];
    if (value === undefined || value === "") continue;
    (result as Record<string, unknown>)[name] = name === "timeoutSeconds" ? Number(value) : value;
  }
  return result;
}

/**
 * `adopt` as a resource declares it, or true for every resource of a run started with
 * PULUMI_ODOO_ADOPT=true: the one step that recovers an interrupted `up` (whose creates may have gone
 * through unrecorded) or a lost state, without adding `adopt: true` to the program and removing it
 * again. It takes over by name only what adopt would (models, fields, databases); Records with an
 * external id are taken over always.
 */
export function adopting(declared: boolean | undefined): boolean {
  return declared === true || /^(1|true|yes)$/i.test(process.env.PULUMI_ODOO_ADOPT ?? "");
}

/** For tests: forget what configure was given. */
export function resetConfiguration(): void {
  stackConfig = {};
}

/** Where a resource's Odoo is, and how to sign in: each field overrides the stack's odoo:* configuration. */
export interface ConnectionInput {
  /** The server, e.g. https://odoo.example.com (odoo:url). */
  url?: string;
  /** The database, where the server holds several (odoo:database). */
  database?: string;
  /** An administrator's API key (odoo:apiKey); pass it as a secret. */
  apiKey?: string;
  /** Odoo 14–18 only: the user the key belongs to (odoo:login). */
  login?: string;
}

/** A resource's `connection` argument as programs write it: any field may be an Output (a secret). */
export type ConnectionArgs = { [K in keyof ConnectionInput]?: import("@pulumi/pulumi").Input<ConnectionInput[K]> };

/** Where a resource's Odoo is and how to sign in, once the stack's configuration is applied. */
export interface Target {
  url?: string;
  database?: string;
  apiKey?: string;
  login?: string;
  masterPassword?: string;
}

/** What a target must have for some work, in words, and where the stack configuration sets it. */
const NEEDED = {
  url: ["an Odoo URL", "odoo:url (ODOO_URL)"],
  apiKey: ["an API key", "odoo:apiKey as a secret (pulumi config set --secret odoo:apiKey …, or ODOO_API_KEY)"],
  masterPassword: ["the master password", "odoo:masterPassword as a secret (ODOO_MASTER_PASSWORD)"],
} as const;

/** What `given` names, over the stack's configuration (`base`), for each part of a target. */
export function mergeTarget(given: Target = {}, base: ProviderSettings = settings()): Target {
  return {
    url: given.url ?? base.url,
    database: given.database ?? base.database,
    apiKey: given.apiKey ?? base.apiKey,
    login: given.login ?? base.login,
    masterPassword: given.masterPassword ?? base.masterPassword,
  };
}

/**
 * The one way from what a resource gives to a server: `given` over the stack's configuration (the
 * provider's, or `programSettings()` in a program's process). What `needs` lists and neither has is
 * said in one sentence: who needs it, where to configure it, and what to give instead (`givenAs`).
 */
export function resolveTarget<K extends keyof typeof NEEDED>(
  given: Target,
  needs: readonly K[],
  who: string,
  givenAs: Record<K, string>,
  base: ProviderSettings = settings(),
): Target & Record<K, string> {
  const target = mergeTarget(given, base);
  const missing = needs.filter((key) => !target[key]);
  if (missing.length) {
    const words = (parts: string[]) => (parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}` : parts[0]);
    throw new OdooError(
      "ODOO_CONFIG",
      `${who} needs ${words(missing.map((key) => NEEDED[key][0]))}: set ${words(missing.map((key) => NEEDED[key][1]))}, or give ${words(missing.map((key) => givenAs[key]))}`,
    );
  }
  return target as Target & Record<K, string>;
}

/** A resource's connection, resolved: the server and key every Odoo call needs. */
export function resolveConnection(input?: ConnectionInput): Connection {
  const { url, apiKey, database, login } = resolveTarget(input ?? {}, ["url", "apiKey"], "this resource", {
    url: "its connection.url",
    apiKey: "its connection.apiKey",
  });
  return { url, apiKey, database, login };
}

/** True when a connection could be made now (check uses the server only when it can). */
export function hasConnection(input?: ConnectionInput): boolean {
  const target = mergeTarget(input);
  return !!target.url && !!target.apiKey;
}

const clients = new Map<string, OdooClient>();

/** One client per server, database and key in the provider host: reads can be coalesced across resources. */
export function clientFor(input?: ConnectionInput): OdooClient {
  const connection = resolveConnection(input);
  const key = JSON.stringify([databaseKey(connection), connection.apiKey, connection.login]);
  let client = clients.get(key);
  if (!client) {
    const timeoutSeconds = settings().timeoutSeconds;
    // Progress reaches people watching `pulumi up`: the provider host forwards its output.
    client = new OdooClient(connection, { timeoutMs: timeoutSeconds ? timeoutSeconds * 1000 : undefined, onProgress: (message) => console.log(message) });
    clients.set(key, client);
  }
  return client;
}

/** The server and database a connection input points at, configuration included (databaseKey). */
export function effectiveTarget(input?: ConnectionInput): string {
  return databaseKey(mergeTarget(input));
}
