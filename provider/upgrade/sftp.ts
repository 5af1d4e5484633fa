import { open, stat } from "node:fs/promises";
import { OdooError } from "../client/errors";

// SFTP upload of a dump to the upgrade platform (ssh2-sftp-client), resumable: the bytes already
// on the server are kept and only the rest is sent, like OpenSSH's `put -a`.

export interface SftpTarget {
  host: string;
  port: number;
  user: string;
  /** The remote file: the only one the platform lets us write. */
  remotePath: string;
}

export interface SftpUploadResult {
  /** Bytes found on the server before this upload (a resume), and bytes sent now. */
  resumedFrom: number;
  sent: number;
}

/** The public half of a private key, as an authorized_keys line. */
export function publicKeyOf(privateKey: string): string {
  const { utils } = require("ssh2") as typeof import("ssh2");
  const parsed = utils.parseKey(privateKey);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error)
    throw new OdooError("ODOO_CONFIG", "sshKey is not a private key that can be read (OpenSSH or PEM format, without a passphrase)");
  return `${key.type} ${key.getPublicSSH().toString("base64")} pulumi-odoo`;
}

/** Writes in flight at once, and their size: OpenSSH's own client keeps 64 requests of 32 KiB going. */
const IN_FLIGHT = 32;
const CHUNK = 64 * 1024;

/**
 * Sends [offset, total) of the file with positioned writes, IN_FLIGHT at a time: one write and its
 * acknowledgement at a time would leave the connection idle most of the time. Writes are issued
 * strictly in file order, and OpenSSH executes a session's writes in that order, so an interrupted
 * upload leaves a clean prefix on the server. Memory stays at IN_FLIGHT × CHUNK.
 */
async function pipelinedWrite(
  connection: import("node:events").EventEmitter,
  raw: import("ssh2").SFTPWrapper,
  remotePath: string,
  file: string,
  offset: number,
  total: number,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const handle = await new Promise<Buffer>((resolve, reject) =>
    raw.open(remotePath, offset ? "r+" : "w", { mode: 0o600 }, (error, h) => (error ? reject(error) : resolve(h))),
  );
  const local = await open(file, "r");
  let connectionLost = false;
  connection.once("close", () => (connectionLost = true));
  try {
    await new Promise<void>((resolve, reject) => {
      let inFlight = 0;
      let done = offset;
      let failed = false;
      let wake: (() => void) | undefined;
      const fail = (error: unknown) => {
        if (!failed) reject(error);
        failed = true;
        wake?.();
      };
      // A dropped connection answers no pending write: the connection's end says it.
      connection.once("close", () => done < total && fail(new Error("the SFTP connection closed")));
      connection.once("error", fail);
      const produce = async () => {
        for (let position = offset; position < total && !failed;) {
          while (inFlight >= IN_FLIGHT && !failed) await new Promise<void>((woken) => (wake = woken));
          if (failed) return;
          const length = Math.min(CHUNK, total - position);
          const buffer = Buffer.allocUnsafe(length);
          const { bytesRead } = await local.read(buffer, 0, length, position);
          const at = position;
          position += length;
          inFlight++;
          raw.write(handle, buffer, 0, bytesRead, at, (error) => {
            inFlight--;
            if (error) return fail(error);
            done += bytesRead;
            onProgress?.(done, total);
            if (done >= total) resolve();
            const woken = wake;
            wake = undefined;
            woken?.();
          });
        }
      };
      produce().catch(fail);
    });
  } finally {
    await local.close();
    // On a dead connection, closing the remote file would wait for an answer forever.
    if (!connectionLost) await new Promise<void>((resolve) => raw.close(handle, () => resolve()));
  }
}

/**
 * Where to resume: a full-size remote file is complete (the last write is executed last); otherwise
 * back off one window of in-flight writes, in case a server completed them out of order.
 */
export function resumeOffset(remoteSize: number | undefined, total: number): number {
  if (remoteSize === undefined || remoteSize > total) return 0;
  if (remoteSize === total) return total;
  return Math.max(0, remoteSize - IN_FLIGHT * CHUNK);
}

export async function sftpUpload(
  target: SftpTarget,
  privateKey: string,
  file: string,
  onProgress?: (done: number, total: number) => void,
): Promise<SftpUploadResult> {
  const SftpClient = require("ssh2-sftp-client") as typeof import("ssh2-sftp-client");
  // Its default listeners print "Global error listener: …" lines; the same errors reach us as
  // rejections, and become one sentence below.
  const quiet = () => undefined;
  const sftp = new SftpClient("pulumi-odoo", { error: quiet, end: quiet, close: quiet });
  const total = (await stat(file)).size;
  try {
    await sftp.connect({ host: target.host, port: target.port, username: target.user, privateKey, readyTimeout: 30_000 });
    const remote = await sftp.stat(target.remotePath).catch(() => undefined);
    // A remote file larger than ours is not a partial upload of this dump: start over.
    const offset = resumeOffset(remote?.size, total);
    if (offset === total && total > 0) return { resumedFrom: offset, sent: 0 };
    // ssh2-sftp-client's own put writes one chunk at a time; its connection and channel serve ours.
    const { client, sftp: raw } = sftp as unknown as { client: import("ssh2").Client; sftp: import("ssh2").SFTPWrapper };
    await pipelinedWrite(client, raw, target.remotePath, file, offset, total, onProgress);
    return { resumedFrom: offset, sent: total - offset };
  } catch (error) {
    throw new OdooError(
      "ODOO_TRANSPORT",
      `SFTP upload to ${target.host}:${target.port} failed: ${(error as Error).message.replace(/\s+/g, " ")}; run pulumi up again to resume it`,
      { cause: error },
    );
  } finally {
    await sftp.end().catch(() => undefined);
  }
}
