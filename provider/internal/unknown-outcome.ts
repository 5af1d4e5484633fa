import { mayHaveApplied, mayStillRun, OUTCOME_UNKNOWN, OdooError } from "../client/errors";
import { progress } from "./resource";

// A write whose answer is lost (a reset connection, a proxy's 504, an answer cut short) may have
// been applied. Sending a create again blindly could make a second one; giving up could leave the
// first one in Odoo and out of the state; a delete reported failed may be done. So: look first.

/**
 * Sends `create` and settles an unknown outcome. When the failure leaves it open, `find` looks for
 * what the create makes (by its unique name, or its external id): found, that is the result; not
 * found, the create is sent once more, which the unique name keeps from making a second one. Not
 * when Odoo may still be at work on the first (a timeout, a proxy's 504): that is said instead.
 */
export function createOnce<T>(
  what: string,
  create: () => Promise<T>,
  find: () => Promise<T | undefined>,
  later = `run pulumi up again later, and if it then says ${what} exists, set adopt: true`,
): Promise<T> {
  return writeOnce(what, "create", create, find, (error) => {
    if (!mayStillRun(error)) return;
    throw new OdooError(
      (error as OdooError).code,
      `${withoutUnknown(error)}; ${what} was not there afterwards, but Odoo may still be at work on it: ${later}`,
      {
        cause: error,
        outcomeUnknown: true,
      },
    );
  });
}

/**
 * Runs an update and settles an unknown outcome. An update brings Odoo to the declared state from
 * wherever it is, so running it twice does no harm: `current` reads the resource back, and gives
 * it when it holds the declared state; otherwise the update runs once more.
 */
export function updateOnce<T>(what: string, update: () => Promise<T>, current: () => Promise<T | undefined>): Promise<T> {
  return writeOnce(what, "update", update, current);
}

/** Sends a write; after a lost answer, `look`s, and sends it once more only if `look` found nothing. */
async function writeOnce<T>(
  what: string,
  kind: "create" | "update",
  write: () => Promise<T>,
  look: () => Promise<T | undefined>,
  beforeSendingAgain?: (error: unknown) => void,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!mayHaveApplied(error)) throw error;
    const found = await settle(what, error, look);
    if (found !== undefined) {
      progress(`${what}: the answer to the ${kind} was lost, but the ${kind} went through; carrying on`);
      return found;
    }
    beforeSendingAgain?.(error);
    progress(`${what}: the answer to the ${kind} was lost, and it did not go through; sending it again`);
    return write();
  }
}

/** The error's message without its "may or may not have been applied", to say what was found. */
export function withoutUnknown(error: unknown): string {
  return (error as Error).message.replace(OUTCOME_UNKNOWN, "");
}

/** What `find` sees after a failure of unknown outcome; when it cannot look, one error says both. */
export async function settle<T>(what: string, error: unknown, find: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await find();
  } catch (findError) {
    const first = error as OdooError;
    throw new OdooError(first.code, `${first.message}, and looking at ${what} afterwards failed too: ${(findError as Error).message}`, {
      cause: error,
      outcomeUnknown: true,
    });
  }
}

/**
 * Sends a delete and settles an unknown outcome by looking: what is gone is deleted, whatever the
 * answer said; what is still there is deleted once more (deleting what is gone is harmless: the
 * caller takes "missing" for done). A second failure keeps the error, and so the state.
 */
export async function deleteOnce(what: string, remove: () => Promise<unknown>, stillThere: () => Promise<boolean>): Promise<void> {
  try {
    await remove();
  } catch (error) {
    if (!mayHaveApplied(error)) throw error;
    if (!(await settle(what, error, stillThere))) {
      progress(`${what}: the answer to the delete was lost, but it is gone`);
      return;
    }
    progress(`${what}: the answer to the delete was lost and it is still there; deleting again`);
    await remove();
  }
}

/**
 * What a create does after Odoo made the thing (read it back, warn): should that fail, the thing
 * is deleted again, so the failed create leaves nothing behind and the next up makes it anew.
 * Should the delete fail too, the error says what is left in Odoo and how to go on.
 */
export async function finishCreate<T>(what: string, finish: () => Promise<T>, undo: () => Promise<unknown>): Promise<T> {
  try {
    return await finish();
  } catch (error) {
    const undone = await undo().then(
      () => true,
      () => false,
    );
    if (undone || !(error instanceof Error)) throw error;
    const code = error instanceof OdooError ? error.code : "ODOO_SERVER_ERROR";
    throw new OdooError(
      code,
      `${error.message}; ${what} was made in Odoo and could not be deleted again: delete it in Odoo, or set adopt: true to take it over`,
      { cause: error },
    );
  }
}
