// Ingestion of interactions: batches of up to 1,000, idempotent by the client's key, all or
// nothing per call.
//
// Rules: a side that is not a member is given as null and is never stored — the interaction only
// adds to the member side's anonymousReach. A member may record only their own engagement (they
// are the actor); an ADMIN (an ingestion service account) may record any. One call is one
// transaction: every row is checked before anything is written, a key seen before (in an earlier
// call or earlier in this one) is reported back and not counted again, and the graph events of
// the new member-to-member interactions are appended last.

import { sqltag } from "@prisma/client/runtime/client";
import type { Config } from "../config.js";
import type { Db } from "../db/client.js";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.js";
import type { InteractionKind } from "../generated/prisma/sqlite/enums.js";
import { appendGraphEvents } from "../scorer/events.js";
import { type Columns, insertRows, rowsTable, throughIndex } from "../scorer/sql.js";
import { requireViewer } from "./access.js";
import type { Viewer } from "./accounts.js";
import type { Notify } from "./index.js";
import { transaction } from "./transaction.js";
import { normalizeHandle } from "./validation.js";

export const maxInteractionsPerCall = 1000;
/** How far in the future an interaction's time may be (clock skew between systems). */
const futureSkewMs = 5 * 60 * 1000;

export interface InteractionInput {
  key: string;
  kind: InteractionKind;
  /** The member who engaged, or null for someone who is not a member. */
  actor?: string | null;
  /** The member whose content was engaged with, or null for someone who is not a member. */
  target?: string | null;
  occurredAt?: Date | null;
}

export interface RecordResult {
  /** Interactions stored by this call. */
  recorded: number;
  /** Keys already recorded before (or twice in this call): reported, not counted again. */
  duplicateKeys: string[];
  /** Of those recorded, how many had a non-member side (counted in anonymousReach only). */
  anonymous: number;
}

const interactionColumns: Columns = [
  ["key", "text"],
  ["kind", { enum: "InteractionKind" }],
  ["actorId", "int"],
  ["targetId", "int"],
  ["occurredAt", "timestamp"],
  ["createdAt", "timestamp"],
];
const reachColumns: Columns = [
  ["id", "int"],
  ["count", "int"],
];

const keyPattern = /^[\x21-\x7e]{1,200}$/;

interface Checked {
  key: string;
  kind: InteractionKind;
  actor: string | null;
  target: string | null;
  occurredAt: Date;
}

function check(inputs: readonly InteractionInput[], viewer: Viewer, now: number): Checked[] {
  if (inputs.length === 0) throw new ValidationError("Give at least one interaction.", "input");
  if (inputs.length > maxInteractionsPerCall) {
    throw new ValidationError(
      `At most ${maxInteractionsPerCall} interactions per call; got ${inputs.length}.`,
      "input",
    );
  }
  return inputs.map((input, i) => {
    const at = (field: string) => `input[${i}].${field}`;
    if (!keyPattern.test(input.key)) {
      throw new ValidationError("A key is 1 to 200 printable ASCII characters without spaces.", at("key"));
    }
    const actor = input.actor == null ? null : normalizeHandle(input.actor, at("actor"));
    const target = input.target == null ? null : normalizeHandle(input.target, at("target"));
    if (actor === null && target === null) {
      throw new ValidationError("At least one side of an interaction must be a member.", at("actor"));
    }
    if (actor !== null && actor === target) {
      throw new ValidationError("A member's interaction with themselves is not counted.", at("target"));
    }
    if (viewer.role !== "ADMIN" && actor !== viewer.handle) {
      throw new ForbiddenError(
        `A member records only their own interactions (actor must be "${viewer.handle}"); ${at("actor")} is not.`,
      );
    }
    const occurredAt = input.occurredAt ?? new Date(now);
    if (Number.isNaN(occurredAt.getTime()) || occurredAt.getTime() > now + futureSkewMs) {
      throw new ValidationError("An interaction cannot have happened in the future.", at("occurredAt"));
    }
    return { key: input.key, kind: input.kind, actor, target, occurredAt };
  });
}

export function createInteractions(
  db: Db,
  provider: Config["databaseProvider"],
  notify: Pick<Notify, "graphChanged">,
) {
  return {
    async record(viewer: Viewer | null, inputs: readonly InteractionInput[]): Promise<RecordResult> {
      const me = requireViewer(viewer);
      const rows = check(inputs, me, Date.now());
      const result = await transaction(db, provider, async (tx) => {
        const handles = [...new Set(rows.flatMap((r) => [r.actor, r.target]).filter((h) => h !== null))];
        const members = await tx.user.findMany({
          where: { handle: { in: handles } },
          select: { id: true, handle: true },
        });
        const idOf = new Map(members.map((m) => [m.handle, m.id]));
        const missing = handles.find((handle) => !idOf.has(handle));
        if (missing !== undefined) throw new NotFoundError(`Member "${missing}"`);

        const duplicateKeys: string[] = [];
        const seen = new Set<string>();
        const fresh: Checked[] = [];
        for (const row of rows) {
          if (seen.has(row.key)) duplicateKeys.push(row.key);
          else {
            seen.add(row.key);
            fresh.push(row);
          }
        }
        // One statement for all the rows. ON CONFLICT DO NOTHING: a key recorded before, even by a
        // call committing right now, is skipped without aborting the transaction; RETURNING tells
        // which rows went in.
        const createdAt = new Date();
        const returned =
          fresh.length === 0
            ? []
            : await tx.$queryRaw<{ id: unknown; key: string }[]>(
                insertRows(
                  provider,
                  "Interaction",
                  interactionColumns,
                  fresh.map((row) => [
                    row.key,
                    row.kind,
                    row.actor === null ? null : idOf.get(row.actor),
                    row.target === null ? null : idOf.get(row.target),
                    row.occurredAt,
                    createdAt,
                  ]),
                  sqltag`ON CONFLICT ("key") DO NOTHING RETURNING "id", "key"`,
                ),
              );
        const byKey = new Map(returned.map((r) => [r.key, Number(r.id)]));
        const stored = fresh.filter((row) => byKey.has(row.key));
        for (const row of fresh) if (!byKey.has(row.key)) duplicateKeys.push(row.key);
        // Anonymous reach: per member side, how many of the new interactions had an outsider.
        const reach = new Map<number, number>();
        for (const row of stored) {
          const member = row.actor === null ? row.target : row.target === null ? row.actor : null;
          if (member === null) continue;
          const id = idOf.get(member) as number;
          reach.set(id, (reach.get(id) ?? 0) + 1);
        }
        if (reach.size > 0) {
          await tx.$executeRaw`
            UPDATE "User" SET "anonymousReach" = "User"."anonymousReach" + "added"."count"
            FROM (${rowsTable(provider, reachColumns, [...reach])}) AS "added"
            WHERE "User"."id" = "added"."id" ${throughIndex(provider, "User.id", [...reach.keys()])}`;
        }
        const memberPairs = stored.filter((row) => row.actor !== null && row.target !== null);
        const newestEvent = await appendGraphEvents(
          tx,
          provider,
          memberPairs.map((row) => ({
            kind: "INTERACTION" as const,
            actorId: idOf.get(row.actor as string) as number,
            subjectId: idOf.get(row.target as string) as number,
            refId: byKey.get(row.key) as number,
          })),
        );
        const anonymous = [...reach.values()].reduce((a, b) => a + b, 0);
        return { recorded: stored.length, duplicateKeys, anonymous, newestEvent };
      });
      if (result.newestEvent !== null) notify.graphChanged(result.newestEvent);
      return { recorded: result.recorded, duplicateKeys: result.duplicateKeys, anonymous: result.anonymous };
    },
  };
}

export type Interactions = ReturnType<typeof createInteractions>;
