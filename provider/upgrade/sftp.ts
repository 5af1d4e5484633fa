import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Transform } from "node:stream";
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
  if (!key || key instanceof Error) throw new OdooError("ODOO_CONFIG", "sshKey is not a private key that can be read (OpenSSH or PEM format, without a passphrase)");
  return `${key.type} ${key.getPublicSSH().toString("base64")} pulumi-odoo`;
}

export async function sftpUpload(
  target: SftpTarget,
  privateKey: string,
  file: string,
  onProgress?: (done: number, total: number) => void,
): Promise<SftpUploadResult> {
  const SftpClient = require("ssh2-sftp-client") as typeof import("ssh2-sftp-client");
  const sftp = new SftpClient("pulumi-odoo");
  const total = (await stat(file)).size;
  try {
    await sftp.connect({ host: target.host, port: target.port, username: target.user, privateKey, readyTimeout: 30_000 });
    const remote = await sftp.stat(target.remotePath).catch(() => undefined);
    // A remote file larger than ours is not a partial upload of this dump: start over.
    const offset = remote && remote.size <= total ? remote.size : 0;
    if (offset === total && total > 0) return { resumedFrom: offset, sent: 0 };
    let done = offset;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        done += chunk.length;
        onProgress?.(done, total);
        callback(null, chunk);
      },
    });
    const source = createReadStream(file, { start: offset, highWaterMark: 1024 * 1024 }).pipe(counter);
    // "r+" with a start offset writes after the bytes already there; the typings only list "a" and
    // "w", but ssh2's createWriteStream takes any open flags (and OpenSSH may ignore "a").
    const options = { writeStreamOptions: { flags: offset ? "r+" : "w", start: offset, mode: 0o600 } };
    await sftp.put(source, target.remotePath, options as unknown as Parameters<typeof sftp.put>[2]);
    return { resumedFrom: offset, sent: total - offset };
  } catch (error) {
    throw new OdooError("ODOO_TRANSPORT", `SFTP upload to ${target.host}:${target.port} failed: ${(error as Error).message.replace(/\s+/g, " ")}; run pulumi up again to resume it`, { cause: error });
  } finally {
    await sftp.end().catch(() => undefined);
  }
}
