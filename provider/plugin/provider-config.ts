import { KEYS } from "../config";
import { urlSchema } from "../internal/connection-schema";

// The plugin's own configuration: an explicit `odoo.Provider`'s arguments, or the stack's odoo:*
// keys for the default provider (the same keys, and ODOO_* beneath them, as the dynamic provider).

/** Each setting's name and what it holds, as the schema's configuration and checkConfig say it. */
export const PROVIDER_SETTINGS: Record<(typeof KEYS)[number][0], string> = {
  url: "The Odoo server, e.g. https://odoo.example.com (ODOO_URL).",
  database: "The database, where the server holds several (ODOO_DATABASE).",
  apiKey: "An administrator's API key (ODOO_API_KEY): set it as a secret.",
  login: "Odoo 14–18 only: the user the API key belongs to (ODOO_LOGIN).",
  masterPassword: "The server's master password, for Database resources (ODOO_MASTER_PASSWORD).",
  upgradeContract: "The Odoo Enterprise contract for UpgradeRequest resources (ODOO_UPGRADE_CONTRACT).",
  timeoutSeconds: "How long one request to Odoo may take, in seconds (ODOO_TIMEOUT_SECONDS).",
};

/** The settings kept as secrets (the schema marks them so, and the SDKs send them so). */
export const PROVIDER_SECRETS: readonly string[] = ["apiKey", "masterPassword", "upgradeContract"];

/** What checkConfig refuses, a sentence each; keys the engine adds (version, …) pass. */
export function configFailures(config: Record<string, unknown>): { property: string; reason: string }[] {
  const failures: { property: string; reason: string }[] = [];
  const { url, timeoutSeconds } = config;
  const urlRefused = url === undefined ? undefined : urlSchema().safeParse(String(url)).error?.issues[0];
  if (urlRefused) failures.push({ property: "url", reason: urlRefused.message });
  if (timeoutSeconds !== undefined && !(Number(timeoutSeconds) > 0))
    failures.push({ property: "timeoutSeconds", reason: "must be a number of seconds greater than 0" });
  for (const name of Object.keys(PROVIDER_SETTINGS)) {
    const value = config[name];
    if (value !== undefined && typeof value !== "string" && typeof value !== "number") failures.push({ property: name, reason: "must be a string" });
  }
  return failures;
}

/** The settings whose value differs (the provider is configured anew, never replaced). */
export function configChanged(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  return Object.keys(PROVIDER_SETTINGS).filter((name) => String(olds[name] ?? "") !== String(news[name] ?? ""));
}
