import { DbManagerClient } from "../provider/dbmanager/db-manager-client";
import { UpgradePlatformClient } from "../provider/upgrade/platform-client";
import { sftpUpload } from "../provider/upgrade/sftp";

// Runs one transfer in a process of its own, so that its time and peak memory are its own.
async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]);
  const started = process.hrtime.bigint();
  let bytes = 0;
  if (job.kind === "https") {
    const platform = new UpgradePlatformClient(job.platformUrl);
    await platform.upload(job.request, job.file, (sent) => (bytes = sent));
    await platform.close();
  } else if (job.kind === "sftp") {
    const result = await sftpUpload(job.target, job.privateKey, job.file);
    bytes = result.sent;
  } else if (job.kind === "backup") {
    const manager = new DbManagerClient(job.url, job.masterPassword);
    bytes = await manager.backup({ name: job.name, format: "zip" }, job.to);
    await manager.close();
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(JSON.stringify({ ms, bytes, maxRssMiB: process.resourceUsage().maxRSS / 1024 }) + "\n");
}

void main();
