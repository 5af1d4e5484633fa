import { describeUnless } from "../helpers";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createReadStream, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { publicKeyOf, resumeOffset, sftpUpload } from "../../provider/upgrade/sftp";
import { newPrivateKey, type Sshd, sshdMissing, startSshd } from "./sshd";
import { tempDir } from "../temp";

// SFTP uploads against a real OpenSSH server: an upload interrupted half-way resumes from the bytes
// already on the server and sends only the rest; the result is byte for byte the dump.

const skip = sshdMissing();
if (skip) console.log(`# sftp ${skip}`);

describeUnless(skip, "SFTP upload with resume (real OpenSSH)", () => {
  let sshd: Sshd;
  const dir = tempDir("sftp-");
  const dump = path.join(dir, "prod.dump");
  const size = 24 * 1024 * 1024 + 12345;
  let privateKey = "";
  // What the SFTP library would print of its own (its default listeners print "Global … listener").
  const printed: string[] = [];
  const { error: consoleError, log: consoleLog } = console;

  before(async () => {
    console.error = (...args: unknown[]) => void printed.push(args.join(" "));
    console.log = (...args: unknown[]) => void printed.push(args.join(" "));
    sshd = await startSshd();
    privateKey = newPrivateKey();
    writeFileSync(sshd.authorizedKeysFile, `${publicKeyOf(privateKey)}\n`);
    const chunk = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + 7) % 251;
    writeFileSync(dump, Buffer.concat([...Array.from({ length: 24 }, () => chunk), chunk.subarray(0, 12345)]));
  });
  after(() => {
    Object.assign(console, { error: consoleError, log: consoleLog });
    sshd?.stop();
  });

  const target = () => ({ host: sshd.host, port: sshd.port, user: sshd.user, remotePath: "prod.dump" });

  test("an upload interrupted at 50 % resumes with only the rest", async () => {
    let dropped = false;
    const interrupted = await sftpUpload(target(), privateKey, dump, (done, total) => {
      // The server side of the session dies half-way, as a dropped connection would.
      if (!dropped && done >= total / 2) {
        dropped = true;
        sshd.dropSessions();
      }
    }).catch((error: Error) => error);
    assert.ok(interrupted instanceof Error, "the interrupted upload fails");
    assert.match(interrupted.message, /^SFTP upload to 127\.0\.0\.1:\d+ failed: .*; run pulumi up again to resume it$/);
    const partial = statSync(path.join(sshd.dir, "prod.dump")).size;
    assert.ok(partial > 0 && partial < size, `partial size ${partial}`);
    const resumed = await sftpUpload(target(), privateKey, dump);
    // Resumed one window (32 writes of 64 KiB) before the end of what the server holds.
    assert.deepEqual(resumed, { resumedFrom: Math.max(0, partial - 2 * 1024 * 1024), sent: size - Math.max(0, partial - 2 * 1024 * 1024) });
    assert.equal(await sha256(path.join(sshd.dir, "prod.dump")), await sha256(dump));
  });

  test("resumeOffset: full size is complete, larger starts over, partial backs off one window", () => {
    assert.equal(resumeOffset(undefined, 100), 0);
    assert.equal(resumeOffset(200, 100), 0);
    assert.equal(resumeOffset(100, 100), 100);
    assert.equal(resumeOffset(10 * 1024 * 1024, 20 * 1024 * 1024), 8 * 1024 * 1024);
    assert.equal(resumeOffset(1024, 20 * 1024 * 1024), 0);
  });

  test("a complete file is not sent again; a larger remote file is replaced", async () => {
    assert.deepEqual(await sftpUpload(target(), privateKey, dump), { resumedFrom: size, sent: 0 });
    const small = path.join(dir, "small.dump");
    writeFileSync(small, "small");
    assert.deepEqual(await sftpUpload(target(), privateKey, small), { resumedFrom: 0, sent: 5 });
  });

  test("a wrong key is refused with a clear message and no key in it", async () => {
    const other = newPrivateKey();
    const error = (await sftpUpload(target(), other, dump).catch((e: Error) => e)) as Error;
    assert.match(error.message, /^SFTP upload to 127\.0\.0\.1:\d+ failed: .*authentication/i);
    assert.ok(!error.message.includes(other.split("\n")[1]));
  });

  test("dropped connections and refused keys print nothing: the errors above say it all", () => {
    assert.deepEqual(
      printed.filter((line) => /listener/i.test(line)),
      [],
    );
  });
});

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (c) => hash.update(c))
      .on("end", () => resolve(hash.digest("hex")))
      .on("error", reject);
  });
}
