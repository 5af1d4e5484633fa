import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { tempDir } from "../temp";
import { pulumiSdkVersion } from "../pulumi-cli/build";

// A Pulumi program that uses the provider plugin, run through the real CLI as its user runs it: in
// Python, a virtualenv holding PyPI's pulumi (the version of our @pulumi/pulumi) and the SDK of
// sdk/python installed by pip; in TypeScript, the SDK of sdk/nodejs compiled into the project's
// node_modules. The project's Pulumi.yaml points at the plugin of this repository; a file backend
// of its own; every step a `pulumi` command.

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
    // Another process (CI's lanes side by side) may have made it meanwhile: its copy stays, in use.
    if (existsSync(path.join(venv, "ready"))) rmSync(work, { recursive: true, force: true });
    else {
      rmSync(venv, { recursive: true, force: true });
      renameSync(work, venv);
    }
  } catch (error) {
    if (existsSync(path.join(venv, "ready"))) return venv;
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

/** An example of this repository as written (the compiled tests' folder has no Python files). */
export function pythonExample(name: string): string {
  return path.join(ROOT, "examples", name);
}

/** An empty TypeScript project using the plugin's SDK (@pulumi-odoo/odoo), to be written by `pulumi import`. */
export function typescriptProject(): string {
  const dir = tempDir("typescript-program-");
  writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    "name: odoo-imports\nruntime: nodejs\nmain: index.js\nplugins:\n  providers:\n    - name: odoo\n      path: ../../plugin\n",
  );
  writeFileSync(path.join(dir, "index.ts"), "");
  const compilerOptions = { target: "ES2022", module: "commonjs", moduleResolution: "node", strict: true, skipLibCheck: true, types: ["node"] };
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["index.ts"] }, null, 2));
  return dir;
}

/** Compiles sdk/nodejs into `project`'s node_modules/@pulumi-odoo/odoo, as npm would install the published SDK. */
export async function installNodeSdk(project: string): Promise<void> {
  // Its @pulumi/pulumi and @types/node are this package's: the copy is inside it, and resolves them.
  const copy = tempDir("nodejs-sdk-", stacksDir());
  cpSync(path.join(ROOT, "sdk", "nodejs"), copy, { recursive: true });
  const into = path.join(project, "node_modules", "@pulumi-odoo", "odoo");
  await run(process.execPath, [TSC, "-p", path.join(copy, "tsconfig.json"), "--outDir", path.join(into, "bin")]).catch((error) => {
    throw new Error(`tsc of sdk/nodejs: ${(error as { stdout?: string }).stdout ?? (error as Error).message}`);
  });
  const manifest = JSON.parse(readFileSync(path.join(copy, "package.json"), "utf8"));
  writeFileSync(path.join(into, "package.json"), JSON.stringify({ ...manifest, main: "bin/index.js", types: "bin/index.d.ts" }, null, 2));
  cpSync(path.join(copy, "package.json"), path.join(into, "bin", "package.json"));
}

/** Compiles a TypeScript project's index.ts (the language host we can build runs JavaScript). */
export async function compileProgram(project: string): Promise<void> {
  await run(process.execPath, [TSC, "-p", path.join(project, "tsconfig.json"), "--typeRoots", path.join(ROOT, "node_modules", "@types")]).catch((error) => {
    throw new Error(`tsc: ${(error as { stdout?: string }).stdout ?? (error as Error).message}`);
  });
}

const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");

/** Where projects are made: inside this package, so that a TypeScript program finds @pulumi/pulumi as a user's would in its node_modules. */
function stacksDir(): string {
  const dir = path.join(__dirname, "stacks");
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class PluginProject {
  readonly dir: string;
  private readonly env: NodeJS.ProcessEnv;
  /** Every command's output, to say what happened when an assertion fails. */
  readonly logs: string[] = [];
  private ended = false;

  /** `venv`: the Python virtualenv, for a Python program. */
  constructor(
    private readonly cliDir: string,
    programDir: string,
    venv?: string,
  ) {
    const home = tempDir("plugin-project-", stacksDir());
    this.dir = path.join(home, "project");
    cpSync(programDir, this.dir, { recursive: true, filter: (source) => !/^(venv|Pulumi\..+\.yaml|__pycache__)$/.test(path.basename(source)) });
    // The project as a user's beside this repository: the plugin and the virtualenv by absolute path.
    const project = readFileSync(path.join(this.dir, "Pulumi.yaml"), "utf8")
      .replace(/virtualenv: .*/, `virtualenv: ${venv ?? "venv"}`)
      .replace(/path: \.\.\/\.\.\/plugin/, `path: ${path.join(ROOT, "plugin")}`);
    writeFileSync(path.join(this.dir, "Pulumi.yaml"), project);
    mkdirSync(path.join(home, "backend"));
    this.env = {
      ...process.env,
      // The virtualenv activated, as a user's shell has it: the Python language host we can build
      // (sdk/v3 v3.68.0's) runs the `python3` on PATH, and does not read Pulumi.yaml's virtualenv
      // from the CLI of today, which hands it over otherwise.
      PATH: [...(venv ? [path.join(venv, "bin")] : []), cliDir, process.env.PATH].join(path.delimiter),
      ...(venv ? { VIRTUAL_ENV: venv } : {}),
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
