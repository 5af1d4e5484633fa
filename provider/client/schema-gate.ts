// Odoo rebuilds a database's registry on every change to its models, fields, access rules or
// modules. Two such changes at once deadlock a threaded Odoo in PostgreSQL, or fail with a KeyError
// from a registry that does not know the other's model yet; a call on a model while its registry is
// rebuilt fails the same way (shared/odoo19-facts.md, odoo17-facts.md: concurrency). Odoo's own web
// client never sends two. So, per database, in this process: a schema change runs alone, and other
// calls run side by side between schema changes, in the order they arrived.

/** Models whose create, write or unlink rebuilds the registry. */
const SCHEMA_MODELS = new Set(["ir.model", "ir.model.fields", "ir.model.fields.selection", "ir.model.access", "ir.model.constraint", "ir.model.relation"]);
const SCHEMA_WRITES = new Set(["create", "write", "unlink"]);

/** Module operations, and settings that may install modules, rebuild the registry too. */
const MODULE_METHODS = new Set([
  "button_immediate_install",
  "button_immediate_upgrade",
  "button_immediate_uninstall",
  "button_install",
  "button_upgrade",
  "button_uninstall",
  "update_list",
]);

export function changesSchema(model: string, method: string): boolean {
  if (SCHEMA_MODELS.has(model)) return SCHEMA_WRITES.has(method);
  if (model === "ir.module.module") return MODULE_METHODS.has(method);
  return model === "res.config.settings" && method === "execute";
}

interface Waiter {
  exclusive: boolean;
  what: string;
  start: () => void;
}

/** How long calls wait before progress says what they wait for, and how often it says so again. */
export interface GatePatience {
  firstMs: number;
  againMs: number;
}

const PATIENCE: GatePatience = { firstMs: 5_000, againMs: 10_000 };

/** One database's gate: many shared holders, or one exclusive holder; waiters in arrival order. */
export class SchemaGate {
  private shared = 0;
  private exclusive: string | undefined;
  private readonly queue: Waiter[] = [];
  private readonly names = new Set<string>();
  /** Says what the waiting calls wait for: once after firstMs, then every againMs, while any waits. */
  private reporter: { timer: NodeJS.Timeout; since: number; said: number; say: (message: string) => void } | undefined;

  constructor(private readonly patience: GatePatience = PATIENCE) {}

  /** Model and field names that schema changes through this gate made. */
  remember(names: string[]): void {
    for (const name of names) this.names.add(name);
  }

  knows(name: string): boolean {
    return this.names.has(name);
  }

  async run<T>(exclusive: boolean, what: string, work: () => Promise<T>, onWait?: (message: string) => void): Promise<T> {
    await this.enter(exclusive, what, onWait);
    try {
      return await work();
    } finally {
      this.leave(exclusive);
    }
  }

  private enter(exclusive: boolean, what: string, onWait?: (message: string) => void): Promise<void> {
    if (!this.queue.length && this.free(exclusive)) {
      this.take(exclusive, what);
      return Promise.resolve();
    }
    if (onWait && !this.reporter) this.reporter = { timer: setTimeout(() => this.report(), this.patience.firstMs), since: Date.now(), said: 0, say: onWait };
    return new Promise((resolve) => this.queue.push({ exclusive, what, start: resolve }));
  }

  /** One line for every call waiting, however many: the first time what they are, then how long. */
  private report(): void {
    const reporter = this.reporter;
    if (!reporter) return;
    const holder = this.exclusive ?? "calls in flight";
    const seconds = Math.round((Date.now() - reporter.since) / 1000);
    const waiting = this.queue.length;
    const shown = this.queue.slice(0, 3).map((waiter) => waiter.what);
    const calls = waiting === 1 ? shown[0] : `${waiting} calls (${shown.join(", ")}${waiting > 3 ? ", …" : ""})`;
    reporter.say(
      reporter.said++ === 0
        ? `${calls}: waiting for ${holder} to finish (Odoo rebuilds its registry one change at a time)`
        : `still waiting for ${holder} to finish: ${waiting === 1 ? "1 call" : `${waiting} calls`}, ${seconds} s so far`,
    );
    reporter.timer = setTimeout(() => this.report(), this.patience.againMs);
  }

  private free(exclusive: boolean): boolean {
    return this.exclusive === undefined && (!exclusive || this.shared === 0);
  }

  private take(exclusive: boolean, what: string): void {
    if (exclusive) this.exclusive = what;
    else this.shared++;
  }

  private leave(exclusive: boolean): void {
    if (exclusive) this.exclusive = undefined;
    else this.shared--;
    // Start waiters from the front while they fit: a run of shared ones together, or one exclusive.
    while (this.queue.length && this.free(this.queue[0].exclusive)) {
      const next = this.queue.shift()!;
      this.take(next.exclusive, next.what);
      next.start();
      if (next.exclusive) break;
    }
    if (!this.queue.length && this.reporter) {
      clearTimeout(this.reporter.timer);
      this.reporter = undefined;
    }
  }
}

const gates = new Map<string, SchemaGate>();

/** The gate of one database of one server (its databaseKey), shared by every client of this process that reaches it. */
export function schemaGate(key: string): SchemaGate {
  let gate = gates.get(key);
  if (!gate) gates.set(key, (gate = new SchemaGate()));
  return gate;
}
