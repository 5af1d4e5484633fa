import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { backupDatabase } from "../../provider/backup";
import { isOdooError } from "../../provider/client/errors";
import { transportHooks } from "../../provider/client/transport";
import { configure, resetConfiguration } from "../../provider/config";
import { resources as host } from "../../provider/host";
import type { Fault } from "./server";
import { describeUnless, useEmulator } from "../helpers";
import { newPrivateKey, type Sshd, sshdMissing, startSshd } from "./sshd";
import { tempDir } from "../temp";

// The fault matrix: every fault a network, a proxy or a restarting Odoo can produce, injected into
// the request each resource operation depends on. What must hold in every cell:
// - read-only operations recover within their retry budget and answer exactly what they answer
//   without the fault;
// - a write is never sent twice unless Odoo provably did not take the first (refused, 429) or it
//   was looked for first and found missing; nothing is ever made twice;
// - an operation that fails says so in one sentence naming the operation and the cause, with no
//   traceback, and what it leaves behind is either nothing or findable (a unique name, an external
//   id) so that the next `up` can take it over.

// undici checks its timeouts on a 500 ms tick: a 300 ms timeout fires within about a second.
const TIMEOUT_MS = 300;
const LATE_MS = 1600;

interface FaultCase {
  name: string;
  fault?: Omit<Fault, "match" | "times"> & { times?: number };
  /** Closes the emulator's port; the first wait between attempts opens it again. */
  refused?: boolean;
  /** What a failure must name as its cause. */
  cause: RegExp;
  /** Read-only operations must get through this one. */
  transient: boolean;
}

const FAULTS: FaultCase[] = [
  { name: "connection refused", refused: true, cause: /could not reach http:\/\/127\.0\.0\.1:\d+/, transient: true },
  { name: "connection reset before the work", fault: { kind: "reset" }, cause: /the connection to http:\/\/127\.0\.0\.1:\d+ failed/, transient: true },
  { name: "connection reset after the work", fault: { kind: "reset-after" }, cause: /the connection to http:\/\/127\.0\.0\.1:\d+ failed/, transient: true },
  { name: "no answer in time", fault: { kind: "delay", delayMs: LATE_MS }, cause: /no answer within 0\.3 s/, transient: true },
  { name: "429 with Retry-After", fault: { kind: "status", status: 429, retryAfter: "7" }, cause: /HTTP 429/, transient: true },
  { name: "429 without Retry-After", fault: { kind: "status", status: 429 }, cause: /HTTP 429/, transient: true },
  { name: "502 from the proxy", fault: { kind: "status", status: 502 }, cause: /HTTP 502/, transient: true },
  { name: "503 from the proxy", fault: { kind: "status", status: 503 }, cause: /HTTP 503/, transient: true },
  { name: "504 from the proxy after the work", fault: { kind: "status", status: 504, afterWork: true }, cause: /HTTP 504/, transient: true },
  { name: "an HTML page where JSON was expected", fault: { kind: "html", status: 200 }, cause: /HTTP 200/, transient: false },
  {
    name: "JSON cut short after the work",
    fault: { kind: "truncated", afterWork: true },
    cause: /not complete JSON|HTTP 200 without an error message/,
    transient: true,
  },
  { name: "401 from an expired API key", fault: { kind: "unauthorized" }, cause: /HTTP 401|API key was refused/, transient: false },
  { name: "503 that outlasts the retry budget", fault: { kind: "status", status: 503, times: Infinity }, cause: /HTTP 503/, transient: false },
];

interface Operation {
  name: string;
  /** The request the fault hits: "METHOD /path". */
  target: RegExp;
  /** The operation changes nothing: it must get through transient faults. */
  readOnly?: boolean;
  /** Makes what the operation needs; returns the call and what to compare or check afterwards. */
  prepare(n: number): Promise<{ run: () => Promise<unknown>; effect: () => Promise<number>; expected?: unknown }>;
  /** How a failure names the operation. */
  label: RegExp;
  /** What a success does to `effect`: 1 for a create (or an update: what holds the new value), -1 for a delete. */
  change?: 1 | -1;
  /** Why the operation cannot be tried here, if it cannot. */
  skip?: string | false;
}

describe("fault matrix: every fault in every resource operation", () => {
  const dir = tempDir("fault-matrix-");
  const dump = path.join(dir, "db.dump");
  writeFileSync(dump, Buffer.alloc(64 * 1024, 1));
  const ctx = useEmulator({ upgrade: { stepMs: 5, contracts: ["M-FAULTS"] } });
  const sleeps: number[] = [];
  let sshd: Sshd | undefined;
  let sshKey = "";
  let refusing = false;
  const originalSleep = transportHooks.sleep;
  const tally = { injected: 0, recovered: 0, failedClearly: 0 };
  const leftBehind: string[] = [];
  /** operation → fault → "ok" (recovered), "error" (failed clearly) or "kept" (failed, kept in the state). */
  const outcomes = new Map<string, Map<string, string>>();
  let keptInState = 0;

  before(async () => {
    if (!sshdMissing()) {
      sshd = await startSshd();
      ctx.emulator.upgrade.options.sftp = sshd;
      sshKey = newPrivateKey();
    }
    configure({
      get: (key: string) =>
        ({
          "odoo:url": ctx.url,
          "odoo:apiKey": ctx.emulator.apiKey(),
          "odoo:database": "odoo",
          "odoo:masterPassword": ctx.emulator.masterPassword,
          "odoo:upgradeContract": "M-FAULTS",
        })[key],
    });
    transportHooks.timeoutCapMs = TIMEOUT_MS;
    transportHooks.sleep = async (ms) => {
      sleeps.push(ms);
      if (refusing) {
        refusing = false;
        await ctx.emulator.acceptConnections();
      }
    };
  });
  after(() => {
    sshd?.stop();
    transportHooks.sleep = originalSleep;
    transportHooks.timeoutCapMs = undefined;
    resetConfiguration();
    const unclear = tally.injected - tally.recovered - tally.failedClearly;
    for (const line of leftBehind) console.log(`# left behind: ${line}`);
    console.log(`# fault matrix: ${keptInState} failures kept what they had made in the state, to be resumed`);
    // The table the README quotes.
    console.log(`# | operation | ${FAULTS.map((f) => f.name).join(" | ")} |`);
    for (const [operation, row] of outcomes) console.log(`# | ${operation} | ${FAULTS.map((f) => row.get(f.name) ?? "–").join(" | ")} |`);
    console.log(
      `# fault matrix: ${tally.injected} faults injected, ${tally.recovered} recovered from, ${tally.failedClearly} failed with a clear sentence, ${unclear} otherwise`,
    );
  });

  // `olds`: the inputs in the state, as the engine passes them to an update's check.
  const checked = async (resource: keyof typeof host, inputs: Record<string, unknown>, olds: Record<string, unknown> = {}) => {
    const { inputs: normalised, failures } = await host[resource].check(olds, inputs);
    assert.deepEqual(failures, []);
    return normalised;
  };
  const partners = (name: string) => ctx.client.call<number>("res.partner", "search_count", { domain: [["name", "=", name]] });
  const models = (model: string) => ctx.client.call<number>("ir.model", "search_count", { domain: [["model", "=", model]] });
  const fields = (name: string) =>
    ctx.client.call<number>("ir.model.fields", "search_count", {
      domain: [
        ["model", "=", "res.partner"],
        ["name", "=", name],
      ],
    });
  const databases = (name: string) => (ctx.emulator.databases.has(name) ? 1 : 0);
  const upgradeRequests = () => ctx.emulator.upgrade.requests.size;
  const upgradeInputs = () =>
    checked("upgradeRequest", {
      email: "ops@example.com",
      target: "19.0",
      aim: "test",
      dumpFile: dump,
      transfer: "https",
      pollSeconds: 0.01,
      platformUrl: `${ctx.url}/upgrade`,
      timeoutMinutes: 1,
    });

  const record = (n: number, extra: Record<string, unknown> = {}) =>
    checked("record", { model: "res.partner", values: { name: `Fault ${n}`, ref: `F${n}` }, ...extra });
  const createdRecord = async (n: number) => host.record.create(await record(n));
  const model = (n: number) => checked("customModel", { model: `x_fault_${n}`, name: `Fault ${n}` });
  const createdModel = async (n: number) => host.customModel.create(await model(n));
  const field = (n: number) => checked("customField", { model: "res.partner", name: `x_fault_${n}`, type: "char" });
  const createdField = async (n: number) => host.customField.create(await field(n));
  const copy = (n: number) => checked("database", { name: `copy_${n}`, copyFrom: "odoo", deletionProtection: false });
  const createdCopy = async (n: number) => host.database.create(await copy(n));

  const OPERATIONS: Operation[] = [
    {
      name: "Record create",
      change: 1,
      target: /res\.partner\/create$/,
      label: /^res\.partner\/create/,
      async prepare(n) {
        const inputs = await record(n);
        return { run: () => host.record.create(inputs), effect: () => partners(`Fault ${n}`) };
      },
    },
    {
      name: "Record create with an external id",
      change: 1,
      target: /res\.partner\/create$/,
      label: /^res\.partner\/create/,
      async prepare(n) {
        const inputs = await record(n, { xmlId: `pulumi_faults.r${n}` });
        return { run: () => host.record.create(inputs), effect: () => partners(`Fault ${n}`) };
      },
    },
    {
      name: "Record create (its external id)",
      change: 1,
      target: /ir\.model\.data\/create$/,
      label: /^ir\.model\.data\/create/,
      async prepare(n) {
        const inputs = await record(n, { xmlId: `pulumi_faults.x${n}` });
        return { run: () => host.record.create(inputs), effect: () => partners(`Fault ${n}`) };
      },
    },
    {
      name: "Record read",
      target: /res\.partner\/(read|search_read)$/,
      readOnly: true,
      label: /^res\.partner\/(read|search_read)/,
      async prepare(n) {
        const { id, outs } = await createdRecord(n);
        return { run: () => host.record.read(id, outs), effect: () => partners(`Fault ${n}`), expected: await host.record.read(id, outs) };
      },
    },
    {
      name: "Record update",
      change: 1,
      target: /res\.partner\/write$/,
      label: /^res\.partner\/write/,
      async prepare(n) {
        const { id, outs } = await createdRecord(n);
        const news = await record(n, { values: { name: `Fault ${n}`, ref: `G${n}` } });
        const updated = () => ctx.client.call<number>("res.partner", "search_count", { domain: [["ref", "=", `G${n}`]] });
        return { run: () => host.record.update(id, outs, news), effect: updated };
      },
    },
    {
      name: "Record delete",
      change: -1,
      target: /res\.partner\/unlink$/,
      label: /^res\.partner\/unlink/,
      async prepare(n) {
        const { id, outs } = await createdRecord(n);
        return { run: () => host.record.delete(id, outs), effect: () => partners(`Fault ${n}`) };
      },
    },
    {
      name: "CustomModel create",
      change: 1,
      target: /ir\.model\/create$/,
      label: /^ir\.model\/create/,
      async prepare(n) {
        const inputs = await model(n);
        return { run: () => host.customModel.create(inputs), effect: () => models(`x_fault_${n}`) };
      },
    },
    {
      name: "CustomModel read",
      target: /ir\.model\/read$/,
      readOnly: true,
      label: /^ir\.model\/read/,
      async prepare(n) {
        const { id, outs } = await createdModel(n);
        return { run: () => host.customModel.read(id, outs), effect: () => models(`x_fault_${n}`), expected: await host.customModel.read(id, outs) };
      },
    },
    {
      name: "CustomModel update",
      change: 1,
      target: /ir\.model\/write$/,
      label: /^ir\.model\/write/,
      async prepare(n) {
        const { id, outs } = await createdModel(n);
        const news = await checked("customModel", { model: `x_fault_${n}`, name: `Renamed ${n}` }, outs);
        const updated = () => ctx.client.call<number>("ir.model", "search_count", { domain: [["name", "=", `Renamed ${n}`]] });
        return { run: () => host.customModel.update(id, outs, news), effect: updated };
      },
    },
    {
      name: "CustomModel delete",
      change: -1,
      target: /ir\.model\/unlink$/,
      label: /^ir\.model\/unlink/,
      async prepare(n) {
        const { id, outs } = await createdModel(n);
        return { run: () => host.customModel.delete(id, outs), effect: () => models(`x_fault_${n}`) };
      },
    },
    {
      name: "CustomField create",
      change: 1,
      target: /ir\.model\.fields\/create$/,
      label: /^ir\.model\.fields\/create/,
      async prepare(n) {
        const inputs = await field(n);
        return { run: () => host.customField.create(inputs), effect: () => fields(`x_fault_${n}`) };
      },
    },
    {
      name: "CustomField read",
      target: /ir\.model\.fields\/read$/,
      readOnly: true,
      label: /^ir\.model\.fields\/read/,
      async prepare(n) {
        const { id, outs } = await createdField(n);
        return { run: () => host.customField.read(id, outs), effect: () => fields(`x_fault_${n}`), expected: await host.customField.read(id, outs) };
      },
    },
    {
      name: "CustomField update",
      change: 1,
      target: /ir\.model\.fields\/write$/,
      label: /^ir\.model\.fields\/write/,
      async prepare(n) {
        const { id, outs } = await createdField(n);
        const news = await checked("customField", { model: "res.partner", name: `x_fault_${n}`, type: "char", label: `Renamed ${n}` }, outs);
        const updated = () => ctx.client.call<number>("ir.model.fields", "search_count", { domain: [["field_description", "=", `Renamed ${n}`]] });
        return { run: () => host.customField.update(id, outs, news), effect: updated };
      },
    },
    {
      name: "CustomField delete",
      change: -1,
      target: /ir\.model\.fields\/unlink$/,
      label: /^ir\.model\.fields\/unlink/,
      async prepare(n) {
        const { id, outs } = await createdField(n);
        return { run: () => host.customField.delete(id, outs), effect: () => fields(`x_fault_${n}`) };
      },
    },
    {
      name: "Database create (fresh)",
      change: 1,
      target: /\/web\/database\/create$/,
      label: /^database create/,
      async prepare(n) {
        const inputs = await checked("database", { name: `fresh_${n}`, adminPassword: "admin-pw", deletionProtection: false });
        return { run: () => host.database.create(inputs), effect: async () => databases(`fresh_${n}`) };
      },
    },
    {
      name: "Database create (duplicate)",
      change: 1,
      target: /\/web\/database\/duplicate$/,
      label: /^database duplicate/,
      async prepare(n) {
        const inputs = await copy(n);
        return { run: () => host.database.create(inputs), effect: async () => databases(`copy_${n}`) };
      },
    },
    {
      name: "Database create (restore)",
      change: 1,
      target: /\/web\/database\/restore$/,
      label: /^database restore/,
      async prepare(n) {
        const backup = path.join(dir, "restore-from.zip");
        await backupDatabase({ name: "odoo", format: "zip", to: backup, url: ctx.url, masterPassword: ctx.emulator.masterPassword });
        const inputs = await checked("database", { name: `restored_${n}`, restoreFrom: backup, deletionProtection: false });
        return { run: () => host.database.create(inputs), effect: async () => databases(`restored_${n}`) };
      },
    },
    {
      name: "Database read (list)",
      target: /\/web\/database\/list$/,
      readOnly: true,
      label: /^database list/,
      async prepare(n) {
        const { id, outs } = await createdCopy(n);
        return { run: () => host.database.read(id, outs), effect: async () => databases(`copy_${n}`), expected: await host.database.read(id, outs) };
      },
    },
    {
      name: "Database delete (drop)",
      change: -1,
      target: /\/web\/database\/drop$/,
      label: /^database drop/,
      async prepare(n) {
        const { id, outs } = await createdCopy(n);
        return { run: () => host.database.delete(id, outs), effect: async () => databases(`copy_${n}`) };
      },
    },
    {
      name: "Database backup",
      target: /\/web\/database\/backup$/,
      readOnly: true,
      label: /^database backup/,
      async prepare(n) {
        const to = path.join(dir, `backup_${n}.zip`);
        const run = () => backupDatabase({ name: "odoo", format: "zip", to, url: ctx.url, masterPassword: ctx.emulator.masterPassword }).then((r) => r.size);
        return {
          run,
          effect: async () => ctx.emulator.databases.size,
          expected: await backupDatabase({ name: "odoo", format: "zip", to: `${to}.baseline`, url: ctx.url, masterPassword: ctx.emulator.masterPassword }).then(
            (r) => r.size,
          ),
        };
      },
    },
    ...(["create", "upload", "process", "status"] as const).map((method): Operation => ({
      name: `UpgradeRequest create (platform ${method})`,
      change: 1,
      target: new RegExp(`/upgrade/database/v1/${method}$`),
      readOnly: method === "status",
      label: new RegExp(`upgrade platform ${method}`),
      async prepare() {
        const inputs = await upgradeInputs();
        return { run: () => host.upgradeRequest.create(inputs), effect: async () => upgradeRequests() };
      },
    })),
    {
      name: "UpgradeRequest read (status)",
      target: /\/upgrade\/database\/v1\/status$/,
      readOnly: true,
      label: /upgrade platform status/,
      async prepare() {
        const { id, outs } = await host.upgradeRequest.create(await upgradeInputs());
        return { run: () => host.upgradeRequest.read(id, outs), effect: async () => upgradeRequests(), expected: await host.upgradeRequest.read(id, outs) };
      },
    },
    {
      name: "UpgradeRequest create (platform request_sftp_access)",
      change: 1,
      target: /\/upgrade\/database\/v1\/request_sftp_access$/,
      label: /upgrade platform request_sftp_access/,
      skip: sshdMissing(),
      async prepare() {
        const inputs = await checked("upgradeRequest", { ...(await upgradeInputs()), transfer: "sftp", sshKey });
        return { run: () => host.upgradeRequest.create(inputs), effect: async () => upgradeRequests() };
      },
    },
  ];

  let n = 0;
  for (const operation of OPERATIONS) {
    describeUnless(operation.skip ?? false, operation.name, () => {
      for (const fault of FAULTS) {
        test(fault.name, async () => {
          const cell = ++n;
          const { run, effect, expected } = await operation.prepare(cell);
          const before = await effect();
          const sent = () => ctx.emulator.requests.filter((r) => operation.target.test(`${r.method} ${r.path}`)).length;
          const sentBefore = sent();
          const logged = ctx.emulator.requests.length;
          sleeps.length = 0;
          if (fault.refused) {
            refusing = true;
            await ctx.emulator.refuseConnections();
          } else {
            ctx.emulator.inject({ match: operation.target, ...fault.fault! });
          }
          tally.injected++;
          let result: unknown;
          let failure: unknown;
          try {
            result = await run();
          } catch (error) {
            failure = error;
          } finally {
            ctx.emulator.clearFaults();
            if (refusing) {
              refusing = false;
              await ctx.emulator.acceptConnections();
            }
          }
          // A fault whose work lands late (a timeout) is waited out before the server is looked at.
          if (fault.fault?.kind === "delay") await new Promise((resolve) => setTimeout(resolve, fault.fault!.delayMs! + 50));
          const after = await effect();
          const attempts = sent() - sentBefore;
          if (fault.fault)
            assert.ok(
              ctx.emulator.requests.slice(logged).some((r) => r.fault),
              "the fault was met",
            );
          if (fault.fault && operation.readOnly && failure === undefined) assert.ok(attempts >= 2, "recovered by asking again");

          if (!outcomes.has(operation.name)) outcomes.set(operation.name, new Map());
          outcomes.get(operation.name)!.set(fault.name, failure === undefined ? "ok" : (failure as { id?: string }).id ? "kept" : "error");
          if (failure === undefined) {
            tally.recovered++;
            if (expected !== undefined) assert.deepEqual(result, expected, "a recovered read answers what it answers without the fault");
          } else {
            const error = failure as Error;
            assert.ok(isOdooError(error), `an OdooError, not: ${error?.stack}`);
            assert.doesNotMatch(error.message, /\n|Traceback/, "one line, no traceback");
            assert.match(error.message, operation.label, `names the operation: ${error.message}`);
            assert.match(error.message, fault.cause, `names the cause: ${error.message}`);
            assert.ok(!error.message.includes(ctx.emulator.apiKey()) && !error.message.includes(ctx.emulator.masterPassword), "no secret");
            if (operation.readOnly) assert.equal(fault.transient, false, `a read-only operation gives up on a transient fault: ${error.message}`);
            tally.failedClearly++;
          }
          // Nothing is ever made twice: each effect is 0 or 1 per name, and a write is sent at most
          // twice (the second after a refused connection, a 429, or a look that found nothing).
          assert.ok(after - before <= 1, `made twice: ${before} → ${after}`);
          const change = after - before;
          if (failure === undefined) {
            // The state is told only of what exists: a create made one, a delete removed it.
            assert.equal(change, operation.change ?? 0, "what the operation reported is what happened");
          } else if (change === 1 && (failure as { id?: string }).id) {
            // Kept in the state (the engine's "failed to initialize"): the next up carries on.
            keptInState++;
          } else if (change === 1) {
            // Made, but not in the state: the message must give the way back.
            leftBehind.push(`${operation.name} / ${fault.name}: ${(failure as Error).message}`);
            assert.match((failure as Error).message, /set adopt: true|look for it|it may or may not have been applied/, "a way back");
          }
          if (!operation.readOnly) assert.ok(attempts <= 2, `${attempts} writes sent`);
          if (fault.fault?.retryAfter && attempts > 1) assert.ok(sleeps.includes(7000), `Retry-After honoured: ${sleeps}`);
        });
      }
    });
  }
});
