import { createWriteStream } from "node:fs";
import { access, constants, rename, rm, stat } from "node:fs/promises";
import * as path from "node:path";
import { pipeline } from "node:stream/promises";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isOdooError, mayHaveApplied, OdooError } from "../client/errors";
import { updateOnce } from "../internal/unknown-outcome";
import { settings } from "../config";
import { type CheckFailure, checkInputs } from "../internal/check";
import { diffInputs } from "../internal/diff";
import { compact, progress, GONE, OdooResource, implementation } from "../internal/resource";
import { type JournalEntry, journalPath, readJournal, removeJournal, writeJournal } from "../upgrade/journal";
import { type PlatformRequest, redactKey, UpgradePlatformClient, UpgradePlatformError } from "../upgrade/platform-client";
import { publicKeyOf, sftpUpload } from "../upgrade/sftp";

// UpgradeRequest: a version upgrade through Odoo's upgrade platform (shared/upgrade-platform.md):
// create, upload the dump, process, then wait on the request's status until it finishes. A run that
// stops part-way is resumed by the next `pulumi up`: the request is in the state (or the journal).

/** The properties of an UpgradeRequest. */
export interface UpgradeRequestArgs {
  /** Enterprise contract reference; default odoo:upgradeContract. */
  contract?: pulumi.Input<string>;
  /** Where the platform writes about the request. */
  email: pulumi.Input<string>;
  /** The version to upgrade to, e.g. "19.0". */
  target: pulumi.Input<string>;
  /** "test" (a trial upgrade) or "production" (the one you go live with). */
  aim: pulumi.Input<"test" | "production">;
  /** The database dump to upgrade (a backup's .dump or .zip), streamed from disk. */
  dumpFile: pulumi.Input<string>;
  /** "https", "sftp", or "auto" (the default: SFTP above sftpThresholdMiB). */
  transfer?: pulumi.Input<"https" | "sftp" | "auto">;
  /** With transfer "auto": dumps larger than this go by SFTP (default 1024 MiB). */
  sftpThresholdMiB?: pulumi.Input<number>;
  /** Private key for SFTP; its public half is sent to the platform. */
  sshKey?: pulumi.Input<string>;
  /** How long `pulumi up` waits for the request to finish, in minutes (default 240); run up again to wait more. */
  timeoutMinutes?: pulumi.Input<number>;
  /** How often the platform is asked while waiting, in seconds (default 30). */
  pollSeconds?: pulumi.Input<number>;
  /** Where to download the upgraded dump once done. */
  downloadTo?: pulumi.Input<string>;
  /** The upgrade platform (default https://upgrade.odoo.com). */
  platformUrl?: pulumi.Input<string>;
}

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
    timeoutMinutes: z.number().positive("must be positive").max(60 * 24 * 14, "is at most two weeks").default(240),
    pollSeconds: z.number().min(0.01, "must be at least 0.01").max(3600, "is at most an hour").default(30),
    downloadTo: z.string().min(1).optional(),
    platformUrl: z.string().regex(/^https?:\/\/[^\s/]+/, "must be an http(s) URL such as https://upgrade.odoo.com").default("https://upgrade.odoo.com"),
  });
}

export type UpgradeRequestInputs = z.infer<ReturnType<typeof inputsSchema>>;

type Phase = JournalEntry["phase"] | "finished";

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

const WAITING = new Set(["draft", "pending", "processing", "testing"]);

async function fileRules(u: UpgradeRequestInputs): Promise<CheckFailure[]> {
  const failures: CheckFailure[] = [];
  const file = path.resolve(u.dumpFile);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) failures.push({ property: "dumpFile", reason: `no dump file at ${file}` });
  else if (!(await access(file, constants.R_OK).then(() => true, () => false))) failures.push({ property: "dumpFile", reason: `${file} is not readable` });
  const sftp = u.transfer === "sftp" || (u.transfer === "auto" && info && info.size > u.sftpThresholdMiB * 1024 * 1024);
  if (sftp && !u.sshKey) {
    failures.push({ property: "sshKey", reason: `is required for an SFTP upload${u.transfer === "auto" ? ` (the dump is over ${u.sftpThresholdMiB} MiB)` : ""}: a private key, as a secret` });
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

export const upgradeRequestProvider = implementation<UpgradeRequestInputs, UpgradeRequestOutputs>({
  async check(_olds, news) {
    return checkInputs(inputsSchema(), news, fileRules);
  },

  async diff(_id, olds, news) {
    return diffInputs(olds, news, replaceOn);
  },

  async create(args) {
    const platform = new UpgradePlatformClient(args.platformUrl);
    const journal = journalPath([args.platformUrl, args.email, args.target, args.aim, path.resolve(args.dumpFile)]);
    try {
      let entry = await readJournal(journal);
      if (entry) {
        progress(`upgrade request ${entry.id}: resuming it (found in ${path.relative(process.cwd(), journal)})`);
      } else {
        const request = await platform.create({
          contract: args.contract ?? settings().upgradeContract!,
          email: args.email,
          target: args.target,
          aim: args.aim,
          filename: path.basename(args.dumpFile),
        });
        entry = { id: request.id, key: request.key, phase: "created" };
        await writeJournal(journal, entry);
        progress(`upgrade request ${entry.id} created (target ${args.target}, aim ${args.aim})`);
      }
      const outs = await carryOn(platform, args, entry, journal, args.__provider).catch(async (error) => {
        // An error that carries the request's id puts it in the state: the journal is done with.
        if (error.id) await removeJournal(journal);
        throw error;
      });
      await removeJournal(journal);
      return { id: String(entry.id), outs };
    } finally {
      await platform.close();
    }
  },

  async read(id, args) {
    const platform = new UpgradePlatformClient(args.platformUrl);
    try {
      const request = await platform.status({ id: Number(id), key: args.key });
      return { id, props: outputs(args, request, args.phase, args.transferUsed) };
    } catch (error) {
      if (error instanceof UpgradePlatformError && error.failures.some((f) => /NOT_FOUND/.test(f.reason))) return GONE;
      throw error;
    } finally {
      await platform.close();
    }
  },

  async update(id, previous, args) {
    // Resumes a request that a previous run left part-way (a timeout, an interrupted upload).
    const platform = new UpgradePlatformClient(args.platformUrl);
    try {
      const entry: JournalEntry = { id: Number(id), key: previous.key, phase: previous.phase === "finished" ? "processing" : previous.phase };
      if (previous.phase === "finished" && previous.state === "done" && !(args.downloadTo && args.downloadTo !== previous.downloadTo)) {
        return { outs: { ...previous, ...args } };
      }
      progress(`upgrade request ${id}: resuming (${previous.phase}, state ${previous.state})`);
      return { outs: await carryOn(platform, args, entry, undefined, args.__provider, previous.transferUsed) };
    } finally {
      await platform.close();
    }
  },

  async delete(id) {
    // The platform has no way to delete a request: it is only forgotten here.
    progress(`upgrade request ${id}: forgotten (the upgrade platform keeps its requests; nothing was deleted there)`);
  },
});

/**
 * Uploads, processes and waits, from wherever the request is. A failure once the request exists is
 * thrown with its id and properties, so the engine keeps it in the state and the next `up` resumes it.
 */
async function carryOn(
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
      throw new OdooError("ODOO_UPGRADE", `upgrade request ${entry.id} ended in state '${last.state}': ${message} (the notes are at the notesUrl output: pulumi stack output --show-secrets)`);
    }
    if (args.downloadTo) await download(args, last);
    return outputs(args, last, phase, transferUsed);
  } catch (error) {
    const message = redactKey((error as Error).message, entry.key);
    const properties = { ...outputs(args, last, phase, transferUsed), __provider: provider };
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
  const access = await updateOnce(`upgrade request ${entry.id}`, () => platform.requestSftpAccess(entry, keys), async () => undefined);
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

async function download(args: UpgradeRequestInputs, request: PlatformRequest): Promise<void> {
  const url = request.upgraded_dump_url;
  if (typeof url !== "string" || !url) throw new OdooError("ODOO_UPGRADE", `upgrade request ${request.id} is done but offers no upgraded dump to download`);
  const { request: get } = await import("undici");
  const target = path.resolve(args.downloadTo!);
  const partial = `${target}.partial`;
  const response = await get(new URL(url, args.platformUrl).toString(), { method: "GET", headersTimeout: 120_000, bodyTimeout: 30 * 60_000 });
  if (response.statusCode !== 200) {
    await response.body.dump();
    throw new OdooError("ODOO_UPGRADE", `download of the upgraded dump → HTTP ${response.statusCode}`);
  }
  try {
    await pipeline(response.body, createWriteStream(partial, { mode: 0o600, highWaterMark: 1024 * 1024 }));
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  progress(`upgrade request ${request.id}: upgraded dump written to ${target}`);
}

function outputs(args: UpgradeRequestInputs, request: PlatformRequest, phase: Phase, transferUsed?: "https" | "sftp"): UpgradeRequestOutputs {
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

/**
 * A request on Odoo's upgrade platform: the dump is uploaded, processed, and `pulumi up` waits until
 * it is done (resumable after an interruption), then downloads the result if asked.
 */
export class UpgradeRequest extends OdooResource {
  /** The platform's request id. */
  declare readonly requestId: pulumi.Output<number>;
  /** The platform's state of the request, e.g. "done". */
  declare readonly state: pulumi.Output<string>;
  /** The database's version as the platform read it from the dump. */
  declare readonly databaseVersion: pulumi.Output<string | undefined>;
  /** The PostgreSQL version the platform used. */
  declare readonly postgresql: pulumi.Output<string | undefined>;
  /** The platform's estimate of how long processing takes. */
  declare readonly estimatedTime: pulumi.Output<string | undefined>;
  /** How long processing took. */
  declare readonly elapsed: pulumi.Output<string | undefined>;
  /** The platform's message about the request (why it failed, what to check). */
  declare readonly customerMessage: pulumi.Output<string | undefined>;
  /** The request's key (a secret: it opens the request on the platform). */
  declare readonly key: pulumi.Output<string>;
  /** Every platform URL of the request (a secret: each embeds the key). */
  declare readonly urls: pulumi.Output<Record<string, string>>;


  /**
   * @param name The Pulumi name of the resource.
   * @param args Its properties.
   * @param opts Pulumi's resource options.
   */
  constructor(name: string, args: UpgradeRequestArgs, opts?: pulumi.CustomResourceOptions) {
    super("upgradeRequest", name, args, opts, {
      outputs: ["requestId", "key", "phase", "state", "databaseVersion", "postgresql", "estimatedTime", "elapsed", "customerMessage", "urls", "transferUsed"],
      secretInputs: ["contract", "sshKey"],
      secretOutputs: ["key", "urls"],
    });
  }
}

