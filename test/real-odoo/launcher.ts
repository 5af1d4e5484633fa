import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { freePort } from "../free-port";
import { DEBIAN_PACKAGES, PYTHON_MODULES } from "./packages";

// Starts a real Odoo from a source tree (a tarball of ../shared/odoo, or any checkout), on loopback,
// with its own PostgreSQL role and database: the judge our emulator is measured against. It installs
// what it needs from Debian's packages, starts PostgreSQL if it is down, and stops what it started.

const run = promisify(execFile);
/** Debian's interpreter: a pyenv python3 first on PATH cannot import Odoo's packages (shared/odoo/README). */
const PYTHON = "/usr/bin/python3";
const SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

export interface RealOdooOptions {
  /** A `.tar.xz` of an Odoo tree, or a directory holding `odoo-bin`. */
  source: string;
  /** Where tarballs are extracted and the server keeps its files; default: a folder in the temp dir. */
  workDir?: string;
  /** The HTTP port; default: a free one. */
  port?: number;
  /** The database to create; default `pulumi_<port>` (PostgreSQL's names are shared by every server on it). */
  database?: string;
  /**
   * Worker processes: 0 (the default) runs one threaded server; 2 or more run Odoo as production
   * does, prefork (a process per request at a time, its cron workers, a gevent process for the bus).
   */
  workers?: number;
  /** Progress lines for the person waiting. */
  log?: (line: string) => void;
}

/** What a program or a test needs to reach the server: the same fields as `npm run emulator` prints. */
export interface RealOdooInfo {
  url: string;
  database: string;
  apiKey: string;
  login: string;
  adminPassword: string;
  masterPassword: string;
  /** The server's major version, e.g. 19. */
  version: number;
  /** Its worker processes (0: threaded). */
  workers: number;
  /** The server's log file: a restart shows there as "Initiating server reload". */
  logFile: string;
  pid: number;
  /**
   * The database in PostgreSQL as Odoo's own role reaches it (postgresql://role:password@host/db):
   * for tests that act as another process of the server would, such as a scheduled action's lock.
   */
  postgresUrl: string;
}

export class RealOdoo {
  info!: RealOdooInfo;
  private process: ChildProcess | undefined;
  private startedPostgres = false;
  private role = "";
  private readonly say: (line: string) => void;

  constructor(private readonly options: RealOdooOptions) {
    this.say = options.log ?? (() => {});
  }

  async start(): Promise<RealOdooInfo> {
    if (process.platform !== "linux") throw new Error("starting a real Odoo needs Linux with Debian's packages");
    await ensurePackages(this.say);
    const tree = await this.tree();
    const version = majorVersion(tree);
    this.startedPostgres = await ensurePostgres(this.say);
    const port = this.options.port ?? (await freePort());
    const workers = this.options.workers ?? 0;
    // Prefork also serves the bus on gevent_port (8072 by default): a port of its own, so that servers side by side do not meet.
    let busPort = port;
    while (busPort === port) busPort = await freePort();
    const prefork = workers > 0 ? [`workers = ${workers}`, `gevent_port = ${busPort}`] : ["workers = 0"];
    const runDir = path.join(this.workDir(), `run-${port}`);
    mkdirSync(runDir, { recursive: true });
    // One PostgreSQL role per server: Odoo lists, and lets the manager drop, only its role's databases.
    this.role = `pulumi_odoo_${port}`;
    const dbPassword = secret();
    await psql(`DROP ROLE IF EXISTS ${this.role}; CREATE ROLE ${this.role} LOGIN CREATEDB PASSWORD '${dbPassword}'`);
    const masterPassword = secret();
    const config = path.join(runDir, "odoo.conf");
    // No inline comments: Odoo's ConfigParser would keep them as part of the value.
    writeFileSync(
      config,
      [
        "[options]",
        `admin_passwd = ${masterPassword}`,
        "db_host = 127.0.0.1",
        "db_port = 5432",
        `db_user = ${this.role}`,
        `db_password = ${dbPassword}`,
        "http_interface = 127.0.0.1",
        `http_port = ${port}`,
        ...prefork,
        "list_db = True",
        `data_dir = ${path.join(runDir, "data")}`,
        `addons_path = ${addonsPath(tree).join(",")}`,
        "",
      ].join("\n"),
      { mode: 0o600 },
    );
    const logFile = path.join(runDir, "odoo.log");
    const url = `http://127.0.0.1:${port}`;
    this.say(`starting Odoo ${version}${workers ? ` with ${workers} workers (prefork)` : ""} from ${tree} on ${url} (log: ${logFile})`);
    const out = createWriteStream(logFile, { flags: "a" });
    this.process = spawn(PYTHON, ["odoo-bin", "-c", config], {
      cwd: tree,
      env: { PATH: SYSTEM_PATH, HOME: runDir, LANG: "C.UTF-8" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.process.stdout!.pipe(out);
    this.process.stderr!.pipe(out);
    await waitForServer(url, this.process, logFile);
    const database = this.options.database ?? `pulumi_${port}`;
    const adminPassword = secret();
    this.say(`creating database '${database}' (about 12 s)`);
    await createDatabase(url, masterPassword, database, adminPassword);
    this.say("making an API key for admin");
    const apiKey = await makeApiKey(tree, config, database);
    const postgresUrl = `postgresql://${this.role}:${dbPassword}@127.0.0.1:5432/${database}`;
    this.info = { url, database, apiKey, login: "admin", adminPassword, masterPassword, version, workers, logFile, pid: this.process.pid!, postgresUrl };
    return this.info;
  }

  /** Stops Odoo, drops the role's databases and the role, and stops PostgreSQL if this started it. */
  async stop(): Promise<void> {
    const child = this.process;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    }
    if (this.role) {
      const { stdout } = await psql(`SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = '${this.role}')`, true);
      for (const name of stdout.split("\n").filter(Boolean)) await psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await psql(`DROP ROLE IF EXISTS ${this.role}`);
    }
    if (this.startedPostgres) await run("pg_ctlcluster", ["15", "main", "stop"]);
  }

  private workDir(): string {
    return this.options.workDir ?? path.join(os.tmpdir(), "pulumi-odoo-real");
  }

  /** The Odoo tree: a directory as given, or a tarball extracted once into the work dir. */
  private async tree(): Promise<string> {
    const source = path.resolve(this.options.source);
    if (!existsSync(source)) throw new Error(`${source} does not exist: give an Odoo checkout or a .tar.xz of one`);
    if (!source.endsWith(".tar.xz")) {
      if (!existsSync(path.join(source, "odoo-bin"))) throw new Error(`${source} holds no odoo-bin: give the top folder of an Odoo checkout`);
      return source;
    }
    const target = path.join(this.workDir(), path.basename(source, ".tar.xz"));
    const top = () =>
      readdirSync(target)
        .map((name) => path.join(target, name))
        .find((dir) => existsSync(path.join(dir, "odoo-bin")));
    if (existsSync(target) && top()) return top()!;
    mkdirSync(target, { recursive: true });
    this.say(`extracting ${source}`);
    await run("tar", ["-xJf", source, "-C", target]);
    const found = top();
    if (!found) throw new Error(`${source} holds no folder with odoo-bin`);
    return found;
  }
}

function secret(): string {
  return randomBytes(18).toString("base64url");
}

/** The major version, from odoo/release.py's version_info (e.g. `version_info = (19, 0, 0, FINAL, 0, '')`). */
export function majorVersion(tree: string): number {
  const release = readFileSync(path.join(tree, "odoo", "release.py"), "utf8");
  const match = /^version_info\s*=\s*\(\s*(?:'saas~)?(\d+)/m.exec(release);
  if (!match) throw new Error(`${tree}/odoo/release.py has no version_info`);
  return Number(match[1]);
}

/** The git layout has addons/ beside odoo/addons; the sdist layout has only odoo/addons. */
function addonsPath(tree: string): string[] {
  const paths = [path.join(tree, "addons"), path.join(tree, "odoo", "addons")];
  return paths.filter((dir) => existsSync(dir) && readdirSync(dir).some((name) => existsSync(path.join(dir, name, "__manifest__.py"))));
}

async function ensurePackages(say: (line: string) => void): Promise<void> {
  const missing = await missingPrerequisites();
  if (!missing.length) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing ${missing.join(", ")}: as root, run apt-get install ${DEBIAN_PACKAGES.join(" ")}`);
  }
  say(`installing Debian's packages for Odoo (missing: ${missing.join(", ")}; about a minute)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  await run("apt-get", ["update", "-qq"], { env, maxBuffer: 64 << 20 });
  await run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...DEBIAN_PACKAGES], { env, maxBuffer: 64 << 20 });
  const still = await missingPrerequisites();
  if (still.length) throw new Error(`still missing after apt-get install: ${still.join(", ")}`);
}

async function missingPrerequisites(): Promise<string[]> {
  const missing: string[] = [];
  for (const tool of ["/usr/bin/pg_ctlcluster", "/usr/lib/postgresql/15/bin/postgres", "/usr/bin/xz"]) if (!existsSync(tool)) missing.push(tool);
  const probe = `import importlib, sys\nfor name in ${JSON.stringify(PYTHON_MODULES)}:\n    try: importlib.import_module(name)\n    except Exception: print(name)`;
  try {
    const { stdout } = await run(PYTHON, ["-c", probe], { env: { PATH: SYSTEM_PATH } });
    missing.push(
      ...stdout
        .split("\n")
        .filter(Boolean)
        .map((name) => `python module ${name}`),
    );
  } catch {
    missing.push(PYTHON);
  }
  return missing;
}

/** Starts the 15/main cluster if it is down (creating it if there is none); true when this started it. */
async function ensurePostgres(say: (line: string) => void): Promise<boolean> {
  const { stdout } = await run("pg_lsclusters", ["--no-header"]);
  const line = stdout.split("\n").find((l) => /^15\s+main\s/.test(l));
  if (line && /\sonline\b/.test(line)) return false;
  if (!line) {
    say("creating PostgreSQL cluster 15/main");
    await run("pg_createcluster", ["15", "main", "--port=5432"]);
  }
  say("starting PostgreSQL 15/main");
  const started = await run("pg_ctlcluster", ["15", "main", "start"]).then(
    () => true,
    async (error) => {
      // Two launchers started at once: the other one started it, and stops it when it stops.
      const { stdout: now } = await run("pg_lsclusters", ["--no-header"]);
      if (now.split("\n").some((l) => /^15\s+main\s.*\sonline\b/.test(l))) return false;
      throw error;
    },
  );
  for (let i = 0; i < 50; i++) {
    if (
      await run("pg_isready", ["-h", "127.0.0.1", "-p", "5432"]).then(
        () => true,
        () => false,
      )
    )
      return started;
    await sleep(200);
  }
  throw new Error("PostgreSQL 15/main did not become ready on 127.0.0.1:5432");
}

/** Runs SQL as the postgres superuser (peer authentication on the socket). */
function psql(sql: string, tuplesOnly = false): Promise<{ stdout: string }> {
  const args = ["-u", "postgres", "--", "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", ...(tuplesOnly ? ["-At"] : []), "-c", sql];
  return run("runuser", args, { cwd: "/" });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for the version route, which answers on every version from 14 on without a database. */
async function waitForServer(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Odoo exited with ${child.exitCode}: ${tail(logFile)}`);
    const answered = await fetch(`${url}/web/webclient/version_info`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    }).then(
      (r) => r.ok,
      () => false,
    );
    if (answered) return;
    await sleep(250);
  }
  throw new Error(`Odoo did not answer on ${url} within 90 s: ${tail(logFile)}`);
}

function tail(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").slice(-8).join("\n") : "(no log)";
}

/** The database manager's form; success is a 303, failure a 200 page with the error (shared/odoo/README). */
async function createDatabase(url: string, masterPassword: string, name: string, adminPassword: string): Promise<void> {
  // No `demo` field at all: the controller reads bool(post.get('demo')), so "false" installs demo data.
  const form = new URLSearchParams({ master_pwd: masterPassword, name, login: "admin", password: adminPassword, lang: "en_US", country_code: "", phone: "" });
  const response = await fetch(`${url}/web/database/create`, { method: "POST", body: form, redirect: "manual", signal: AbortSignal.timeout(300_000) });
  if (response.status !== 303) {
    const page = await response.text();
    const alert = /Database creation error:[^<]*/.exec(page)?.[0].replace(/&#39;/g, "'").trim();
    throw new Error(`creating database '${name}' failed (HTTP ${response.status}): ${alert ?? page.slice(0, 200)}`);
  }
}

/** An API key for admin, made with `odoo-bin shell` (_generate is private over RPC; its arity differs by version). */
async function makeApiKey(tree: string, config: string, database: string): Promise<string> {
  const script = [
    "import inspect",
    "generate = env['res.users.apikeys'].with_user(env.ref('base.user_admin'))._generate",
    "arguments = (None, 'pulumi-odoo', None) if len(inspect.signature(generate).parameters) >= 3 else (None, 'pulumi-odoo')",
    "key = generate(*arguments)",
    "env.cr.commit()",
    "print('@@KEY@@' + key)",
  ].join("\n");
  const shell = spawn(PYTHON, ["odoo-bin", "shell", "-c", config, "-d", database, "--no-http", "--log-level=warn"], {
    cwd: tree,
    env: { PATH: SYSTEM_PATH, LANG: "C.UTF-8" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  shell.stdout.on("data", (chunk) => (output += chunk));
  shell.stderr.on("data", (chunk) => (output += chunk));
  shell.stdin.end(script + "\n");
  await new Promise((resolve) => shell.once("exit", resolve));
  const key = /@@KEY@@(\S+)/.exec(output)?.[1];
  if (!key) throw new Error(`odoo-bin shell made no API key: ${output.trim().split("\n").slice(-5).join(" | ")}`);
  return key;
}
