import { access, constants, stat } from "node:fs/promises";
import * as path from "node:path";
import { z } from "zod";
import { settings } from "../../config";
import type { CheckFailure } from "../../internal/failure";
import type { JournalEntry } from "../../upgrade/journal";
import { publicKeyOf } from "../../upgrade/sftp";

// What an UpgradeRequest accepts and holds: its properties' rules (the dump file and the key
// checked at preview) and its outputs.

export function inputsSchema() {
  return z.strictObject({
    contract: z.string().min(1, "must not be empty").optional(),
    email: z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "must be an email address"),
    target: z.string().regex(/^(saas~)?\d{1,2}\.\d$/, "must be an Odoo version such as '19.0' or 'saas~18.4'"),
    aim: z.enum(["test", "production"], { error: "must be 'test' or 'production'" }),
    dumpFile: z.string().min(1, "must be the path of a dump file"),
    transfer: z.enum(["https", "sftp", "auto"], { error: "must be 'https', 'sftp' or 'auto'" }).default("auto"),
    sftpThresholdMiB: z.number().positive("must be positive").default(1024),
    sshKey: z.string().min(1, "must not be empty").optional(),
    timeoutMinutes: z
      .number()
      .positive("must be positive")
      .max(60 * 24 * 14, "is at most two weeks")
      .default(240),
    pollSeconds: z.number().min(0.01, "must be at least 0.01").max(3600, "is at most an hour").default(30),
    downloadTo: z.string().min(1).optional(),
    platformUrl: z
      .string()
      .regex(/^https?:\/\/[^\s/]+/, "must be an http(s) URL such as https://upgrade.odoo.com")
      .default("https://upgrade.odoo.com"),
  });
}

export type UpgradeRequestInputs = z.infer<ReturnType<typeof inputsSchema>>;

export type Phase = JournalEntry["phase"] | "finished";

export interface UpgradeRequestOutputs extends UpgradeRequestInputs {
  requestId: number;
  key: string;
  phase: Phase;
  state: string;
  databaseVersion?: string;
  postgresql?: string;
  estimatedTime?: string;
  elapsed?: string;
  customerMessage?: string;
  /** Every platform URL of the request: each embeds the key. */
  urls: Record<string, string>;
  transferUsed?: "https" | "sftp";
}

/** A new request for anything that changes what is upgraded; waiting and downloading change in place. */
export const replaceOn = ["contract", "email", "target", "aim", "dumpFile", "platformUrl"] as const;

export async function fileRules(u: UpgradeRequestInputs): Promise<CheckFailure[]> {
  const failures: CheckFailure[] = [];
  const file = path.resolve(u.dumpFile);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) failures.push({ property: "dumpFile", reason: `no dump file at ${file}` });
  else if (
    !(await access(file, constants.R_OK).then(
      () => true,
      () => false,
    ))
  )
    failures.push({ property: "dumpFile", reason: `${file} is not readable` });
  const sftp = u.transfer === "sftp" || (u.transfer === "auto" && info && info.size > u.sftpThresholdMiB * 1024 * 1024);
  if (sftp && !u.sshKey) {
    failures.push({
      property: "sshKey",
      reason: `is required for an SFTP upload${u.transfer === "auto" ? ` (the dump is over ${u.sftpThresholdMiB} MiB)` : ""}: a private key, as a secret`,
    });
  }
  if (u.sshKey) {
    try {
      publicKeyOf(u.sshKey);
    } catch (error) {
      failures.push({ property: "sshKey", reason: (error as Error).message.replace(/^sshKey /, "") });
    }
  }
  if (!u.contract && !settings().upgradeContract) {
    failures.push({ property: "contract", reason: "is required: set odoo:upgradeContract as a secret (or ODOO_UPGRADE_CONTRACT), or give contract" });
  }
  return failures;
}
