import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { tempDir } from "../temp";
import { pulumiSdkVersion } from "../pulumi-cli/build";

// A Python Pulumi program run through the real CLI and the provider plugin, as a Python user runs
// one: a virtualenv holding PyPI's pulumi (the version of our @pulumi/pulumi) and the SDK of
// sdk/python installed by pip, the project's Pulumi.yaml pointing at the plugin of this
// repository, a file backend of its own, every step a `pulumi` command.

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..", "..");

/**
 * The virtualenv, made once per pulumi version and SDK (cached under ~/.cache/pulumi-odoo/python):
 * pip installs from PyPI, and the SDK from a copy (pip builds in the folder it is given).
 */
export async function pythonVenv(): Promise<string> {
  const sdk = path.join(ROOT, "sdk", "python");
  const version = pulumiSdkVersion();
  const key = createHash("sha256").update(version).update(folderDigest(sdk)).digest("hex").slice(0, 16);
  const root = process.env.PULUMI_ODOO_PYTHON_CACHE ?? path.join(os.homedir(), ".cache", "pulumi-odoo", "python");
  const venv = path.join(root, `venv-${key}`);
  if (existsSync(path.join(venv, "ready"))) return venv;
  mkdirSync(root, { recursive: true });
  const work = `${venv}.${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  try {
    await run("python3", ["-m", "venv", work]);
    const copy = tempDir("pulumi-odoo-sdk-");
    cpSync(sdk, copy, { recursive: true });
    await run(path.join(work, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", `pulumi==${version}`, copy], { maxBuffer: 16 << 20 });
    writeFileSync(path.join(work, "ready"), `pulumi ${version}\n`);
    rmSync(venv, { recursive: true, force: true });
    renameSync(work, venv);
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    const { stderr } = error as { stderr?: string };
    throw new Error(
      `making the Python virtualenv failed: ${String(stderr || (error as Error).message)
        .trim()
        .split("\n")
        .pop()}`,
    );
  }
  return venv;
}

function folderDigest(dir: string): string {
  const hash = createHash("sha256");
  for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" }).sort()) {
    const full = path.join(dir, file);
    if (statSync(full).isFile()) hash.update(file).update(readFileSync(full));
  }
  return hash.digest("hex");
}

/** A Python example of this repository (the compiled tests' folder has none of its files). */
export function pythonExample(name: string): string {
  return path.join(ROOT, "examples", name);
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class PythonProject {
  readonly dir: string;
  private readonly env: NodeJS.ProcessEnv;
  /** Every command's output, to say what happened when an assertion fails. */
  readonly logs: string[] = [];
  private ended = false;

  constructor(
    private readonly cliDir: string,
    programDir: string,
    venv: string,
  ) {
    const home = tempDir("python-project-");
    this.dir = path.join(home, "project");
    cpSync(programDir, this.dir, { recursive: true, filter: (source) => !/^(venv|Pulumi\..+\.yaml|__pycache__)$/.test(path.basename(source)) });
    // The project as a user's beside this repository: the plugin and the virtualenv by absolute path.
    const project = readFileSync(path.join(this.dir, "Pulumi.yaml"), "utf8")
      .replace(/virtualenv: .*/, `virtualenv: ${venv}`)
      .replace(/path: \.\.\/\.\.\/plugin/, `path: ${path.join(ROOT, "plugin")}`);
    writeFileSync(path.join(this.dir, "Pulumi.yaml"), project);
    mkdirSync(path.join(home, "backend"));
    this.env = {
      ...process.env,
      // The virtualenv activated, as a user's shell has it: the Python language host we can build
      // (sdk/v3 v3.68.0's) runs the `python3` on PATH, and does not read Pulumi.yaml's virtualenv
      // from the CLI of today, which hands it over otherwise.
      PATH: [path.join(venv, "bin"), cliDir, process.env.PATH].join(path.delimiter),
      VIRTUAL_ENV: venv,
      PULUMI_HOME: path.join(home, "pulumi-home"),
      PULUMI_BACKEND_URL: `file://${path.join(home, "backend")}`,
      PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex"),
      PULUMI_SKIP_UPDATE_CHECK: "1",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
  }

  /** The test got to its end: its commands' output is not printed. */
  passed(): void {
    this.ended = true;
  }

  /** Prints every command's output when the test did not get to its end. */
  sayIfFailed(): void {
    if (!this.ended) console.log(this.logs.join("\n"));
  }

  /** `pulumi ARGS` in the project; its exit code and output (failing commands resolve too). */
  async pulumi(args: string[]): Promise<CommandResult> {
    const result = await run(path.join(this.cliDir, "pulumi"), [...args, "--non-interactive"], { cwd: this.dir, env: this.env, maxBuffer: 64 << 20 }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: typeof error.code === "number" ? error.code : 1,
        stdout: error.stdout ?? "",
        stderr: error.stderr ?? "",
      }),
    );
    this.logs.push(`$ pulumi ${args.join(" ")} (exit ${result.code})\n${result.stdout}${result.stderr}`);
    return result;
  }

  /** `pulumi ARGS`, which must succeed: its standard output. */
  async must(args: string[]): Promise<string> {
    const result = await this.pulumi(args);
    if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed (exit ${result.code}):\n${result.stdout}${result.stderr}`);
    return result.stdout;
  }

  /** A new stack with the odoo:* configuration (the key as a secret) and the program's own keys. */
  async stack(name: string, odoo: { url: string; database: string; apiKey: string; login?: string }, config: Record<string, string> = {}): Promise<void> {
    await this.must(["stack", "init", name]);
    await this.must(["config", "set", "odoo:url", odoo.url]);
    await this.must(["config", "set", "odoo:database", odoo.database]);
    await this.must(["config", "set", "--secret", "odoo:apiKey", odoo.apiKey]);
    if (odoo.login) await this.must(["config", "set", "odoo:login", odoo.login]);
    for (const [key, value] of Object.entries(config)) await this.must(["config", "set", key, value]);
  }

  /** The stack's state as `pulumi stack export` writes it. */
  async exported(): Promise<{ text: string; resources: { type: string; id?: string; urn: string; inputs?: any; outputs?: any }[] }> {
    const text = await this.must(["stack", "export"]);
    return { text, resources: JSON.parse(text).deployment.resources ?? [] };
  }
}
