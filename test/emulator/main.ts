import { OdooEmulator } from "./server";

// `npm run emulator`: starts the emulator for a person. The first line on stdout is one JSON
// object with everything needed to point a program at it; then it serves until stopped.

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8069);
  const emulator = new OdooEmulator({
    databases: ["odoo", "odoo_staging"],
    port,
    masterPassword: process.env.ODOO_MASTER_PASSWORD,
    // For benchmarks: an answer time like a real server's, and a large backup to download.
    latencyMs: Number(process.env.EMULATOR_LATENCY_MS ?? 0),
    backupPaddingBytes: Number(process.env.EMULATOR_BACKUP_BYTES ?? 0),
    upgrade: { stepMs: 50 },
  });
  const url = await emulator.start().catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EADDRINUSE") throw error;
    process.stderr.write(`error: port ${port} on 127.0.0.1 is already taken (an Odoo runs there?): set PORT to another port, or PORT=0 for any free one\n`);
    process.exit(1);
  });
  process.stdout.write(
    JSON.stringify({
      url,
      database: "odoo",
      apiKey: emulator.apiKey("odoo"),
      masterPassword: emulator.masterPassword,
      database2: "odoo_staging",
      apiKey2: emulator.apiKey("odoo_staging"),
      upgradePlatformUrl: `${url}/upgrade`,
    }) + "\n",
  );
  process.stderr.write(`Odoo 19 emulator listening on ${url} (Ctrl-C to stop)\n`);
  const stop = () => void emulator.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
