import { isOdooError } from "./errors";
import type { OdooClient } from "./odoo-client";

// Calls of one kind that arrive together (the engine's parallel steps: creates, deletes, reads of
// one model) are gathered and sent as one. Each caller still gets its own outcome.
// PULUMI_ODOO_BATCH=off sends every call on its own (to compare, or to rule batching out).

/** One item's outcome in a batch: its value, or its own error. */
export type Outcome<R> = { value: R } | { error: unknown };

export interface BatchWindow {
  /** A batch goes when no item has come for this long... */
  quietMs: number;
  /** ...or this long after its first item... */
  maxWaitMs: number;
  /** ...or as soon as it holds this many. */
  maxItems: number;
  /** An item that finds nothing gathered or under way for its key goes on the event loop's next turn. */
  goWhenIdle: boolean;
}

/**
 * The window of writes. An item that finds nothing under way for its key goes at once (one
 * resource alone waits for nothing); while a batch of the key is in flight, items are gathered,
 * since the engine's other steps arrive a few milliseconds apart. At most 1,000 a call: 10,000
 * partner tags took 1.78 s in calls of 500, 1.2 s of 1,000, 1.0 s of 2,000 on a real Odoo 19
 * (two workers; each call pays its authentication), and a call of 1,000 leaves a model 60 ms of
 * CPU a row inside Odoo's default limit (limit_time_cpu, 60 s).
 */
export const WRITE_WINDOW: BatchWindow = { quietMs: 4, maxWaitMs: 25, maxItems: 1000, goWhenIdle: true };

/** Reads by name (external ids) cost Odoo little a row: 5,000 a call. */
export const LOOKUP_WINDOW: BatchWindow = { ...WRITE_WINDOW, maxItems: 5000 };

interface Queue<T, R> {
  items: { item: T; resolve: (value: R) => void; reject: (error: unknown) => void }[];
  started: number;
  timer?: NodeJS.Timeout | NodeJS.Immediate;
}

export class Batcher<T, R> {
  private readonly queues = new Map<string, Queue<T, R>>();
  private readonly inFlight = new Map<string, number>();

  /**
   * @param send sends one batch and answers one outcome per item, in order; when it throws, every
   *   item of the batch fails with that error.
   */
  constructor(
    private readonly send: (key: string, items: T[]) => Promise<Outcome<R>[]>,
    private readonly window: BatchWindow = WRITE_WINDOW,
  ) {}

  add(key: string, item: T): Promise<R> {
    let queue = this.queues.get(key);
    const first = !queue;
    if (!queue) this.queues.set(key, (queue = { items: [], started: Date.now() }));
    const result = new Promise<R>((resolve, reject) => queue.items.push({ item, resolve, reject }));
    this.clearTimer(queue);
    if (queue.items.length >= this.window.maxItems || process.env.PULUMI_ODOO_BATCH === "off") {
      void this.flush(key, queue);
    } else if (first && !this.inFlight.get(key) && this.window.goWhenIdle) {
      queue.timer = setImmediate(() => void this.flush(key, queue));
    } else {
      const wait = Math.max(0, Math.min(this.window.quietMs, queue.started + this.window.maxWaitMs - Date.now()));
      queue.timer = setTimeout(() => void this.flush(key, queue), wait);
    }
    return result;
  }

  private clearTimer(queue: Queue<T, R>): void {
    clearTimeout(queue.timer as NodeJS.Timeout);
    clearImmediate(queue.timer as NodeJS.Immediate);
  }

  private async flush(key: string, queue: Queue<T, R>): Promise<void> {
    if (this.queues.get(key) !== queue) return;
    this.queues.delete(key);
    this.clearTimer(queue);
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    try {
      const outcomes = await this.send(
        key,
        queue.items.map((entry) => entry.item),
      );
      queue.items.forEach((entry, index) => {
        const outcome = outcomes[index];
        if ("value" in outcome) entry.resolve(outcome.value);
        else entry.reject(outcome.error);
      });
    } catch (error) {
      for (const entry of queue.items) entry.reject(error);
    } finally {
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left) this.inFlight.set(key, left);
      else this.inFlight.delete(key);
    }
  }
}

/**
 * Odoo refusals that may concern one record of a batch only (a constraint, a record gone, a bad
 * value): Odoo rolled the whole batch back, so it is split to find the records at fault. Access
 * refusals and argument errors concern the call, not a record.
 */
export function isItemFault(error: unknown): boolean {
  return isOdooError(error, "ODOO_VALIDATION", "ODOO_USER_ERROR", "ODOO_SERVER_ERROR", "ODOO_MISSING");
}

/**
 * Sends `items` as one call; when Odoo refuses it for what may be one item's fault, sends each half
 * again, down to single items, which then fail alone with their own error. Other failures (a lost
 * answer, a refused key) are every item's.
 */
export async function sendSplitting<T, R>(items: T[], sendAll: (items: T[]) => Promise<Outcome<R>[]>): Promise<Outcome<R>[]> {
  try {
    return await sendAll(items);
  } catch (error) {
    if (items.length === 1) return [{ error }];
    if (!isItemFault(error)) throw error;
    const half = Math.ceil(items.length / 2);
    const [head, tail] = await Promise.all([sendSplitting(items.slice(0, half), sendAll), sendSplitting(items.slice(half), sendAll)]);
    return [...head, ...tail];
  }
}

const keys = new WeakMap<OdooClient, string>();
let nextKey = 0;

/** Batches are per client (a server, database and key) and model. */
export function keyOf(client: OdooClient, model: string): string {
  let key = keys.get(client);
  if (!key) keys.set(client, (key = String(nextKey++)));
  return `${key}\u0000${model}`;
}
