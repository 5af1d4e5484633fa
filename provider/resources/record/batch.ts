import type { OdooClient } from "../../client/odoo-client";

// When the engine refreshes hundreds of records it calls Read for each at once, over gRPC, spread
// over some milliseconds. A model's reads are gathered until none has come for QUIET_MS (at most
// MAX_WAIT_MS after the first), then share one `read` call (pages of PAGE ids; a full page goes at once).

const PAGE = 500;
const QUIET_MS = 40;
const MAX_WAIT_MS = 1000;

interface Waiter {
  id: number;
  resolve: (row: Record<string, unknown> | undefined) => void;
  reject: (error: unknown) => void;
}

interface Queue {
  client: OdooClient;
  model: string;
  fields: Set<string>;
  waiters: Waiter[];
  started: number;
  timer?: NodeJS.Timeout;
}

const queues = new Map<string, Queue>();

export function readCoalesced(client: OdooClient, model: string, id: number, fields: string[]): Promise<Record<string, unknown> | undefined> {
  const key = `${clientKey(client)}\u0000${model}`;
  let queue = queues.get(key);
  if (!queue) {
    queue = { client, model, fields: new Set(), waiters: [], started: Date.now() };
    queues.set(key, queue);
  }
  const current = queue;
  clearTimeout(current.timer);
  const wait = Math.max(0, Math.min(QUIET_MS, current.started + MAX_WAIT_MS - Date.now()));
  current.timer = setTimeout(() => void flush(key, current), wait);
  for (const field of fields) queue.fields.add(field);
  const result = new Promise<Record<string, unknown> | undefined>((resolve, reject) => queue!.waiters.push({ id, resolve, reject }));
  if (queue.waiters.length >= PAGE) void flush(key, queue);
  return result;
}

async function flush(key: string, queue: Queue): Promise<void> {
  if (queues.get(key) !== queue) return;
  queues.delete(key);
  clearTimeout(queue.timer);
  const ids = [...new Set(queue.waiters.map((w) => w.id))];
  try {
    const rows = new Map<number, Record<string, unknown>>();
    for (let start = 0; start < ids.length; start += PAGE) {
      const page = ids.slice(start, start + PAGE);
      const found = await queue.client.call<Record<string, unknown>[]>(queue.model, "read", { ids: page, fields: [...queue.fields], load: null });
      for (const row of found) rows.set(row.id as number, row);
    }
    for (const waiter of queue.waiters) waiter.resolve(rows.get(waiter.id));
  } catch (error) {
    for (const waiter of queue.waiters) waiter.reject(error);
  }
}

const keys = new WeakMap<OdooClient, string>();
let nextKey = 0;
function clientKey(client: OdooClient): string {
  let key = keys.get(client);
  if (!key) keys.set(client, (key = String(nextKey++)));
  return key;
}
