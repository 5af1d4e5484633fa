import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { settings } from "../../config";
import { diffInputs } from "../../internal/diff";
import { checkInputs } from "../../internal/check";
import { progress, GONE, OdooResource, implementation } from "../../internal/resource";
import { type JournalEntry, journalPath, readJournal, removeJournal, writeJournal } from "../../upgrade/journal";
import { UpgradePlatformClient, UpgradePlatformError } from "../../upgrade/platform-client";
import { fileRules, inputsSchema, replaceOn, type UpgradeRequestInputs, type UpgradeRequestOutputs } from "./inputs";
import { carryOn, outputsOf } from "./steps";

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
      return { id, props: outputsOf(args, request, args.phase, args.transferUsed) };
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
    });
  }
}
