import * as path from "node:path";
import { stat } from "node:fs/promises";
import { isOdooError, mayHaveApplied, OdooError } from "../../client/errors";
import { updateOnce } from "../../internal/unknown-outcome";
import { compact, progress } from "../../internal/resource";
import { type JournalEntry, writeJournal } from "../../upgrade/journal";
import { type PlatformRequest, redactKey, type UpgradePlatformClient, UpgradePlatformError } from "../../upgrade/platform-client";
import { publicKeyOf, sftpUpload } from "../../upgrade/sftp";
import type { Phase, UpgradeRequestInputs, UpgradeRequestOutputs } from "./inputs";

// An upgrade request's steps after its creation: the upload (HTTPS or SFTP), the processing, the
// wait for its end, the download of the upgraded dump; each resumable from the phase it reached.

const WAITING = new Set(["draft", "pending", "processing", "testing"]);

/**
 * Uploads, processes and waits, from wherever the request is. A failure once the request exists is
 * thrown with its id and properties, so the engine keeps it in the state and the next `up` resumes it.
 */
export async function carryOn(
  platform: UpgradePlatformClient,
  args: UpgradeRequestInputs,
  entry: JournalEntry,
  journal: string | undefined,
  provider: unknown,
  transferUsed?: "https" | "sftp",
): Promise<UpgradeRequestOutputs> {
  let phase: Phase = entry.phase;
  let last: PlatformRequest = { id: entry.id, key: entry.key };
  const save = async (next: JournalEntry["phase"]) => {
    phase = next;
    if (journal) await writeJournal(journal, { ...entry, phase: next });
  };
  try {
    if (phase === "created") {
      transferUsed = await upload(platform, args, entry);
      await save("uploaded");
    }
    if (phase === "uploaded") {
      // Asking twice is harmless (the platform answers a request past draft as it is); a lost
      // answer is settled by the request's state.
      last = await updateOnce(
        `upgrade request ${entry.id}`,
        () => platform.process(entry),
        async () => {
          const request = await platform.status(entry);
          return request.state !== "draft" ? request : undefined;
        },
      );
      await save("processing");
      progress(`upgrade request ${entry.id}: processing asked`);
    }
    last = await waitForEnd(platform, args, entry);
    phase = "finished";
    if (last.state !== "done") {
      const message = typeof last.customer_message === "string" && last.customer_message ? last.customer_message : "no message from the platform";
      throw new OdooError(
        "ODOO_UPGRADE",
        `upgrade request ${entry.id} ended in state '${last.state}': ${message} (the notes are at the notesUrl output: pulumi stack output --show-secrets)`,
      );
    }
    if (args.downloadTo) await download(platform, args, last);
    return outputsOf(args, last, phase, transferUsed);
  } catch (error) {
    const message = redactKey((error as Error).message, entry.key);
    const properties = { ...outputsOf(args, last, phase, transferUsed), __provider: provider };
    // With an id and properties, the engine keeps the request in the state: the next up resumes it.
    const failure = new OdooError(isOdooError(error) ? error.code : "ODOO_UPGRADE", message, { outcomeUnknown: mayHaveApplied(error) });
    throw Object.assign(failure, { id: String(entry.id), properties, reasons: [message] });
  }
}

async function upload(platform: UpgradePlatformClient, args: UpgradeRequestInputs, entry: JournalEntry): Promise<"https" | "sftp"> {
  const file = path.resolve(args.dumpFile);
  const size = (await stat(file)).size;
  const sftp = args.transfer === "sftp" || (args.transfer === "auto" && size > args.sftpThresholdMiB * 1024 * 1024);
  const report = percentReporter(`upgrade request ${entry.id}: uploading ${path.basename(file)} (${mib(size)} MiB) over ${sftp ? "SFTP" : "HTTPS"}`);
  if (!sftp) {
    await platform.upload(entry, file, report);
    return "https";
  }
  // Granting access twice is harmless: a lost answer is simply asked again.
  const keys = `# pulumi-odoo\n${publicKeyOf(args.sshKey!)}\n`;
  const access = await updateOnce(
    `upgrade request ${entry.id}`,
    () => platform.requestSftpAccess(entry, keys),
    async () => undefined,
  );
  const result = await sftpUpload(
    { host: String(access.hostname), port: Number(access.sftp_port), user: String(access.sftp_user), remotePath: String(access.shared_file) },
    args.sshKey!,
    file,
    report,
  );
  if (result.resumedFrom) progress(`upgrade request ${entry.id}: resumed the upload at ${mib(result.resumedFrom)} MiB, sent ${mib(result.sent)} MiB`);
  return "sftp";
}

async function waitForEnd(platform: UpgradePlatformClient, args: UpgradeRequestInputs, entry: JournalEntry): Promise<PlatformRequest> {
  const deadline = Date.now() + args.timeoutMinutes * 60_000;
  let seen = "";
  for (;;) {
    let request: PlatformRequest | undefined;
    try {
      request = await platform.status(entry);
    } catch (error) {
      // A SERVER:ERROR while polling is passing, as Odoo's own upgrade script treats it.
      if (!(error instanceof UpgradePlatformError && error.failures.every((f) => f.reason === "SERVER:ERROR"))) throw error;
      progress(`upgrade request ${entry.id}: the platform answered SERVER:ERROR, asking again`);
    }
    if (request) {
      const state = String(request.state);
      if (state !== seen) {
        const eta = request.estimated_time ? ` (estimated time ${request.estimated_time})` : "";
        progress(`upgrade request ${entry.id}: ${state}${eta}`);
        seen = state;
      }
      if (!WAITING.has(state)) return request;
    }
    if (Date.now() + args.pollSeconds * 1000 > deadline) {
      throw new OdooError(
        "ODOO_TIMEOUT",
        `upgrade request ${entry.id} is still '${seen || "unknown"}' after ${args.timeoutMinutes} minutes: run pulumi up again to keep waiting on the same request (raise timeoutMinutes if needed)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, args.pollSeconds * 1000));
  }
}

async function download(platform: UpgradePlatformClient, args: UpgradeRequestInputs, request: PlatformRequest): Promise<void> {
  const url = request.upgraded_dump_url;
  if (typeof url !== "string" || !url) throw new OdooError("ODOO_UPGRADE", `upgrade request ${request.id} is done but offers no upgraded dump to download`);
  const target = path.resolve(args.downloadTo!);
  await platform.download(url, target);
  progress(`upgrade request ${request.id}: upgraded dump written to ${target}`);
}

export function outputsOf(args: UpgradeRequestInputs, request: PlatformRequest, phase: Phase, transferUsed?: "https" | "sftp"): UpgradeRequestOutputs {
  const text = (value: unknown) => (typeof value === "string" && value ? value : undefined);
  const urls: Record<string, string> = {};
  for (const [key, value] of Object.entries(request)) {
    if (key.endsWith("_url") && typeof value === "string" && value) urls[camel(key)] = new URL(value, args.platformUrl).toString();
  }
  return compact({
    ...args,
    requestId: request.id,
    key: request.key,
    phase,
    state: text(request.state) ?? "draft",
    databaseVersion: text(request.database_version),
    postgresql: text(request.postgresql),
    estimatedTime: text(request.estimated_time),
    elapsed: text(request.elapsed),
    customerMessage: text(request.customer_message),
    urls,
    transferUsed,
  }) as UpgradeRequestOutputs;
}

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** Logs an upload's progress every 10 %. */
function percentReporter(label: string): (done: number, total: number) => void {
  let next = 0;
  progress(`${label}…`);
  return (done, total) => {
    const percent = total ? Math.floor((done / total) * 100) : 100;
    if (percent >= next) {
      progress(`${label}: ${percent} %`);
      next = percent - (percent % 10) + 10;
    }
  };
}
