import { execFile } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

// Builds the Pulumi CLI from Go modules (the module proxy), at the release of the @pulumi/pulumi we
// install, with a Node.js language host beside it and @pulumi/pulumi's dynamic provider plugin:
// everything `pulumi up` needs to run a TypeScript program of ours. The result is cached per
// version, so a second run takes a second.

const run = promisify(execFile);
const PKG = "github.com/pulumi/pulumi/pkg/v3";
const SDK = "github.com/pulumi/pulumi/sdk/v3";

/**
 * Where the Node.js language host comes from, in the order tried. Its own module (tagged by nothing)
 * at the commit of the CLI's release is the host that ships with that CLI; the module proxy these
 * machines reach refuses it (403, "This module version is not available"). Until sdk/v3 v3.68.0 the
 * host was a package of sdk/v3, which the proxy serves: the last of those is the fallback.
 */
function languageHostSources(version: string, releaseTime: string): { module: string; version: string; pkg: string; note: string }[] {
  const sources = [];
  const commit = RELEASE_COMMITS[version];
  if (commit) {
    const stamp = releaseTime.replace(/[-:TZ]/g, "").slice(0, 14);
    const module = "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3";
    sources.push({ module, version: `v3.0.0-${stamp}-${commit}`, pkg: module, note: `the language host of v${version}` });
  }
  sources.push({
    module: SDK,
    version: "v3.68.0",
    pkg: `${SDK}/nodejs/cmd/pulumi-language-nodejs`,
    note: "the language host of sdk/v3 v3.68.0 (the last release that carried it in sdk/v3)",
  });
  return sources;
}

/** The commit of each `pkg/v3.X.Y` tag we build (the language host's module has no tags of its own). */
const RELEASE_COMMITS: Record<string, string> = { "3.248.0": "dc7edd58bc13" };

/** What a built folder holds, written last: a folder without it is not finished. */
export interface BuiltCli {
  version: string;
  /** The folder's layout: a folder of another is rebuilt around its CLI (the slow part, kept). */
  layout?: number;
  languageHost: string;
  /** Where the Python language host came from. */
  pythonHost?: string;
  go: string;
  seconds: number;
}

/**
 * 3: the language hosts in hosts/, each behind tools/langhost (installed under its name), which
 * answers code generation itself (`pulumi import --generate-code`, `pulumi package gen-sdk`); the
 * same as pulumi-language-go, for Go SDKs alone.
 */
const LAYOUT = 4;

/**
 * The Python language host. Like the Node.js one, its own module is refused by the module proxy
 * here, and sdk/v3 v3.68.0 is the last release that carried it as a package: that host runs the
 * program through the `pulumi-language-python-exec` script of the same release, copied beside it.
 * It runs the `python3` on PATH (the virtualenv activated): it does not get Pulumi.yaml's
 * `virtualenv` from the CLI of today, which hands it over otherwise.
 */
const PYTHON_HOST = { version: "v3.68.0", pkg: `${SDK}/python/cmd/pulumi-language-python`, note: "the Python language host of sdk/v3 v3.68.0" };

export class CliBuildError extends Error {}

/** The folder the CLI of this @pulumi/pulumi version is built into. */
export function cliCacheDir(version = pulumiSdkVersion()): string {
  const root = process.env.PULUMI_ODOO_CLI_CACHE ?? path.join(os.homedir(), ".cache", "pulumi-odoo", "pulumi-cli");
  return path.join(root, `v${version}`);
}

/** The version of @pulumi/pulumi installed beside this package (the lockfile's). */
export function pulumiSdkVersion(): string {
  return JSON.parse(readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")).version;
}

/** The built CLI's record, if the folder holds a finished build. */
export function builtCli(dir = cliCacheDir()): BuiltCli | undefined {
  const record = path.join(dir, "built.json");
  if (!existsSync(record) || !existsSync(path.join(dir, "pulumi"))) return undefined;
  return JSON.parse(readFileSync(record, "utf8"));
}

/** Builds the CLI unless it is cached; returns its folder. `say` gets progress lines. */
export async function buildCli(say: (line: string) => void = () => {}): Promise<string> {
  const version = pulumiSdkVersion();
  const dir = cliCacheDir(version);
  const cached = builtCli(dir);
  if (cached?.layout === LAYOUT) return dir;
  const started = Date.now();
  const go = await goVersion();
  mkdirSync(path.dirname(dir), { recursive: true });
  const work = mkdtempSync(path.join(path.dirname(dir), "build-"));
  const out = path.join(work, "out");
  mkdirSync(path.join(out, "hosts"), { recursive: true });
  try {
    const goCmd = goRunner();
    const cliDir = path.join(work, "cli");
    mkdirSync(cliDir);
    writeFileSync(path.join(cliDir, "go.mod"), "module pulumi-odoo/pulumi-cli\n");
    const downloaded = JSON.parse(await goCmd(cliDir, ["mod", "download", "-json", `${PKG}@v${version}`]));
    const pkgMod = readFileSync(downloaded.GoMod, "utf8");
    const info = JSON.parse(readFileSync(downloaded.Info, "utf8")) as { Time: string };
    if (cached) {
      say(`keeping the Pulumi CLI v${version} built before; rebuilding what is beside it`);
      copyFileSync(path.join(dir, "pulumi"), path.join(out, "pulumi"));
      chmodSync(path.join(out, "pulumi"), 0o755);
    } else {
      say(`building the Pulumi CLI v${version} from Go modules with ${go} (a few minutes the first time)`);
      writeModule(cliDir, pkgMod, [`${PKG} v${version}`, `${SDK} v${version}`], `${PKG}/cmd/pulumi`);
      await goCmd(cliDir, ["mod", "tidy"]);
      const ldflags = `-X ${SDK}/go/common/version.Version=v${version}`;
      await goCmd(cliDir, ["build", "-trimpath", "-ldflags", ldflags, "-o", path.join(out, "pulumi"), `${PKG}/cmd/pulumi`]);
    }

    let languageHost = "";
    for (const source of languageHostSources(version, info.Time)) {
      const hostDir = path.join(work, `host-${source.version}`);
      mkdirSync(hostDir);
      writeFileSync(path.join(hostDir, "go.mod"), "module pulumi-odoo/pulumi-language-nodejs\n");
      try {
        const hostMod = JSON.parse(await goCmd(hostDir, ["mod", "download", "-json", `${source.module}@${source.version}`]));
        writeModule(hostDir, readFileSync(hostMod.GoMod, "utf8"), [`${source.module} ${source.version}`], source.pkg);
        await goCmd(hostDir, ["mod", "tidy"]);
        await goCmd(hostDir, ["build", "-trimpath", "-o", path.join(out, "hosts", "pulumi-language-nodejs"), source.pkg]);
        languageHost = source.note;
        break;
      } catch (error) {
        say(`${source.note} cannot be had here (${(error as Error).message}); trying the next`);
      }
    }
    if (!languageHost) throw new CliBuildError("no Node.js language host could be built from the module proxy");
    say(`language host: ${languageHost}`);
    const pythonHost = await buildPythonHost(path.join(out, "hosts"), goCmd, work, say);
    await buildWrapper(out, goCmd, work, pkgMod, version);

    // The dynamic provider plugin is a script inside @pulumi/pulumi: the CLI looks for it beside itself.
    const plugin = path.join(out, "pulumi-resource-pulumi-nodejs");
    copyFileSync(path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "pulumi-resource-pulumi-nodejs"), plugin);
    chmodSync(plugin, 0o755);
    const printed = (await run(path.join(out, "pulumi"), ["version"], { env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "1" } })).stdout.trim();
    if (printed !== `v${version}`) throw new CliBuildError(`the built CLI says it is ${printed}, not v${version}`);
    const seconds = Math.round((Date.now() - started) / 1000) + (cached?.seconds ?? 0);
    const record: BuiltCli = { version, layout: LAYOUT, languageHost, pythonHost, go, seconds };
    writeFileSync(path.join(out, "built.json"), JSON.stringify(record, null, 2) + "\n");
    rmSync(dir, { recursive: true, force: true });
    renameSync(out, dir);
    say(`built in ${Math.round((Date.now() - started) / 1000)} s`);
    return dir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

type GoCmd = (cwd: string, args: string[]) => Promise<string>;

/** Builds the Python language host into `out`, with its exec script; returns where it came from. */
async function buildPythonHost(out: string, goCmd: GoCmd, work: string, say: (line: string) => void): Promise<string> {
  const hostDir = path.join(work, "python-host");
  mkdirSync(hostDir);
  writeFileSync(path.join(hostDir, "go.mod"), "module pulumi-odoo/pulumi-language-python\n");
  const sdk = JSON.parse(await goCmd(hostDir, ["mod", "download", "-json", `${SDK}@${PYTHON_HOST.version}`]));
  writeModule(hostDir, readFileSync(sdk.GoMod, "utf8"), [`${SDK} ${PYTHON_HOST.version}`], PYTHON_HOST.pkg);
  await goCmd(hostDir, ["mod", "tidy"]);
  await goCmd(hostDir, ["build", "-trimpath", "-o", path.join(out, "pulumi-language-python"), PYTHON_HOST.pkg]);
  const exec = path.join(out, "pulumi-language-python-exec");
  copyFileSync(path.join(sdk.Dir, "python", "cmd", "pulumi-language-python-exec"), exec);
  chmodSync(exec, 0o755);
  say(`python language host: ${PYTHON_HOST.note}`);
  return PYTHON_HOST.note;
}

/**
 * Builds tools/langhost (the language hosts' wrapper, with pkg/v3's code generators at the CLI's
 * release) and installs it under each host's name; the hosts themselves are in hosts/.
 */
async function buildWrapper(out: string, goCmd: GoCmd, work: string, pkgMod: string, version: string): Promise<void> {
  const dir = path.join(work, "langhost");
  mkdirSync(dir);
  writeModule(dir, pkgMod, [`${PKG} v${version}`, `${SDK} v${version}`]);
  copyFileSync(path.join(__dirname, "..", "..", "..", "tools", "langhost", "main.go"), path.join(dir, "main.go"));
  await goCmd(dir, ["mod", "tidy"]);
  const wrapper = path.join(out, "pulumi-language-nodejs");
  await goCmd(dir, ["build", "-trimpath", "-ldflags", `-X main.version=${version}`, "-o", wrapper, "."]);
  for (const name of ["pulumi-language-python", "pulumi-language-go"]) {
    copyFileSync(wrapper, path.join(out, name));
    chmodSync(path.join(out, name), 0o755);
  }
}

/** Runs `go`, saying what went wrong in one line (`go mod download -json` says it in its JSON answer). */
function goRunner(): GoCmd {
  const env = { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=mod", GOTOOLCHAIN: "local" };
  return async (cwd, args) => {
    try {
      return (await run("go", args, { cwd, env, maxBuffer: 64 << 20 })).stdout;
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      const said =
        /"Error": "(.*)"/.exec(stdout ?? "")?.[1] ??
        String(stderr || (error as Error).message)
          .trim()
          .split("\n")
          .filter(Boolean)
          .pop();
      throw new CliBuildError(`go ${args.slice(0, 2).join(" ")} failed: ${said}`);
    }
  };
}

/** `go version`, checked to be 1.25 or later (the CLI's go.mod asks for it). */
async function goVersion(): Promise<string> {
  let printed: string;
  try {
    printed = (await run("go", ["version"])).stdout;
  } catch {
    throw new CliBuildError("building the Pulumi CLI needs Go 1.25 or later on PATH, and none was found");
  }
  const match = /go(\d+)\.(\d+)(\.\d+)?/.exec(printed);
  if (!match || Number(match[1]) < 1 || (Number(match[1]) === 1 && Number(match[2]) < 25)) {
    throw new CliBuildError(`building the Pulumi CLI needs Go 1.25 or later, and PATH has ${match?.[0] ?? printed.trim()}`);
  }
  return match[0];
}

/**
 * A module of our own that requires what we build and repeats the built module's `replace`
 * directives that point to other modules (`go build` of a module with replaces is refused; the
 * local ones point inside Pulumi's repository and are the required versions themselves).
 */
function writeModule(dir: string, builtGoMod: string, requires: string[], mainPackage?: string): void {
  const goLine = /^go (\S+)$/m.exec(builtGoMod)?.[1] ?? "1.25";
  const replaces: string[] = [];
  for (const match of builtGoMod.matchAll(/^replace\s+(?:\(\n([\s\S]*?)\n\)|(.+))$/gm)) {
    for (const line of (match[1] ?? match[2])
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)) {
      const target = line.split("=>")[1]?.trim() ?? "";
      if (!target.startsWith(".") && !target.startsWith("/")) replaces.push(line);
    }
  }
  const lines = ["module pulumi-odoo/build", "", `go ${goLine}`, "", "require (", ...requires.map((r) => `\t${r}`), ")", ""];
  if (replaces.length) lines.push("replace (", ...replaces.map((r) => `\t${r}`), ")", "");
  writeFileSync(path.join(dir, "go.mod"), lines.join("\n"));
  if (mainPackage) writeFileSync(path.join(dir, "tools.go"), `//go:build tools\n\npackage tools\n\nimport _ "${mainPackage}"\n`);
}
