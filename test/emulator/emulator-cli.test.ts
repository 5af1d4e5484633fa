import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { createServer } from "node:net";
import * as path from "node:path";
import { test } from "node:test";

// `npm run emulator` for a person: a taken port is one clear sentence; the first line is the JSON.

const main = path.join(__dirname, "main.js");

test("a taken port is said in one sentence, with what to do", async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  const port = (blocker.address() as { port: number }).port;
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve) =>
    execFile(process.execPath, [main], { env: { ...process.env, PORT: String(port) } }, (error, _stdout, stderr) =>
      resolve({ code: error ? (error.code as number) : 0, stderr }),
    ),
  );
  blocker.close();
  assert.deepEqual(result, {
    code: 1,
    stderr: `error: port ${port} on 127.0.0.1 is already taken (an Odoo runs there?): set PORT to another port, or PORT=0 for any free one\n`,
  });
});

test("PORT=0: any free port, and the first line on stdout is the JSON object", async () => {
  const child = spawn(process.execPath, [main], { env: { ...process.env, PORT: "0" }, stdio: ["ignore", "pipe", "ignore"] });
  const line = await new Promise<string>((resolve) => {
    let buffer = "";
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      if (buffer.includes("\n")) resolve(buffer.split("\n")[0]);
    });
  });
  child.kill();
  const info = JSON.parse(line);
  assert.deepEqual(Object.keys(info).sort(), ["apiKey", "apiKey2", "database", "database2", "masterPassword", "upgradePlatformUrl", "url"]);
  assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
});
