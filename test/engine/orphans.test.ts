import assert from "node:assert/strict";
import { fork } from "node:child_process";
import * as path from "node:path";
import { test } from "node:test";

// A driver killed outright (SIGKILL: no handler runs) leaves no provider host behind: the host
// sees its stdin close and exits, as the engine's plugins do.

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test("the provider host exits when the driver that started it is killed", async () => {
  const driver = fork(path.join(__dirname, "orphans-driver.js"), [], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  const hostPid = await new Promise<number>((resolve) => driver.on("message", (pid) => resolve(pid as number)));
  assert.ok(alive(hostPid));
  driver.kill("SIGKILL");
  // Bounded: the host is given up to 10 s to notice (it takes milliseconds).
  for (let i = 0; i < 100 && alive(hostPid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(alive(hostPid), false);
});
