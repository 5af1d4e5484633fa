import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { freePort } from "../free-port";
import { userInfo } from "node:os";
import * as path from "node:path";
import type { SftpAccess } from "./upgrade-platform";
import { tempDir } from "../temp";

// A real OpenSSH server on a loopback port, for the upgrade platform's SFTP uploads: the SFTP user
// lands in a temporary directory, authenticated by the keys the fake platform writes.

export const SSHD = "/usr/sbin/sshd";

export function sshdMissing(): string | false {
  return existsSync(SSHD) ? false : `skipped: no OpenSSH server at ${SSHD} (.ci/run installs Debian's openssh-server)`;
}

export interface Sshd extends SftpAccess {
  process: ChildProcess;
  stop(): void;
  /** Ends every open SFTP session (an interrupted upload) while the server keeps listening. */
  dropSessions(): void;
}

export async function startSshd(): Promise<Sshd> {
  const root = tempDir("sshd-");
  const dir = path.join(root, "shared");
  mkdirSync(dir);
  mkdirSync("/run/sshd", { recursive: true });
  const hostKey = path.join(root, "host_ed25519");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKey]);
  const authorizedKeysFile = path.join(root, "authorized_keys");
  writeFileSync(authorizedKeysFile, "", { mode: 0o600 });
  const port = await freePort();
  const config = path.join(root, "sshd_config");
  writeFileSync(
    config,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${hostKey}`,
      `PidFile ${path.join(root, "sshd.pid")}`,
      `AuthorizedKeysFile ${authorizedKeysFile}`,
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PermitRootLogin prohibit-password",
      "UsePAM no",
      "StrictModes no",
      "Subsystem sftp internal-sftp",
      `ForceCommand internal-sftp -d ${dir}`,
      "",
    ].join("\n"),
  );
  const child = spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  await waitForPort(port, () => log);
  const user = userInfo().username;
  return {
    host: "127.0.0.1",
    port,
    user,
    dir,
    authorizedKeysFile,
    process: child,
    stop: () => child.kill(),
    dropSessions: () => {
      // Per-connection sshd processes are children of the listener (found in /proc: no procps needed).
      for (const pid of childrenOf(child.pid!)) process.kill(pid, "SIGKILL");
    },
  };
}

function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  return children;
}

async function waitForPort(port: number, log: () => string): Promise<void> {
  const { connect } = await import("node:net");
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not start: ${log()}`);
}

/**
 * A new ed25519 private key in OpenSSH format. ssh2's generateKeyPairSync makes one that its own
 * parseKey refuses as malformed about once in 200 (seen: 15 in 3,000), which failed a CI run: such a
 * key is made again. Keys from OpenSSH's ssh-keygen parse every time (200 of 200).
 */
export function newPrivateKey(): string {
  const { utils } = require("ssh2") as typeof import("ssh2");
  for (;;) {
    const key = utils.generateKeyPairSync("ed25519").private;
    const parsed = utils.parseKey(key);
    if (!((Array.isArray(parsed) ? parsed[0] : parsed) instanceof Error)) return key;
  }
}
