import * as path from "node:path";
import { RealOdoo } from "./launcher";

// `npm run real-odoo -- <tarball or checkout>`: starts a real Odoo for a person or for CI. The first
// line on stdout is one JSON object, as `npm run emulator` prints; progress goes to stderr. It serves
// until stopped (Ctrl-C or SIGTERM), then stops Odoo, drops what it made and stops what it started.

async function main(): Promise<void> {
  const [source, ...rest] = process.argv.slice(2);
  if (!source || rest.length) {
    process.stderr.write("usage: npm run real-odoo -- <odoo-*.tar.xz or an Odoo checkout> (PORT=… to choose the port, WORKERS=2 for a prefork server)\n");
    process.exit(2);
  }
  const server = new RealOdoo({
    source: path.resolve(source),
    port: process.env.PORT ? Number(process.env.PORT) : undefined,
    workers: process.env.WORKERS ? Number(process.env.WORKERS) : undefined,
    log: (line) => process.stderr.write(`real-odoo: ${line}\n`),
  });
  let stopping: Promise<void> | undefined;
  const stop = (code: number) =>
    (stopping ??= server.stop().then(
      () => process.exit(code),
      (error) => {
        process.stderr.write(`real-odoo: stopping failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    ));
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  try {
    const info = await server.start();
    process.stdout.write(JSON.stringify(info) + "\n");
    process.stderr.write(`real-odoo: Odoo ${info.version} serving ${info.url}, database '${info.database}' (Ctrl-C to stop)\n`);
  } catch (error) {
    process.stderr.write(`real-odoo: ${(error as Error).message}\n`);
    await stop(1);
  }
}

void main();
