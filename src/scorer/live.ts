// The scorer's in-memory state: the scoring module's LiveScores plus the maps between its dense
// indices and database ids, loaded from one snapshot and then moved forward event by event.
//
// Events name rows (GraphEvent.refId → Interaction / Endorsement) or members; interactions come
// with their events (events.ts), endorsements are read in one IN query per batch. Members who
// registered since the last batch are added before the batch is applied. An ERASURE event names
// nobody (no row may name an erased member), so the erased are found by comparing the members
// known with the User table. What the state cannot
// follow incrementally (a topic it has not seen) asks for a rebuild from a fresh snapshot.
import { sqltag } from "@prisma/client/runtime/client";
import { interactionKindCodes } from "../scoring/community.js";
import { type LiveOptions, LiveScores } from "../scoring/incremental.js";
import type { ModelParameters } from "../scoring/model.js";
import { type Cause, namedCauses } from "./causes.js";
import type { GraphEventRow } from "./events.js";
import {
  type DenseIndex,
  denseIndex,
  type LoadedCommunity,
  loadMemberIds,
  type Queryable,
  toMs,
} from "./load.js";
import { idsIn, type Provider } from "./sql.js";
import type { ScoreSource } from "./write.js";

/** Growing id ↔ index maps: the snapshot's dense index, then ids added since. */
class GrowingIndex {
  private readonly added = new Map<number, number>();
  private readonly addedIds: number[] = [];
  private readonly removedIds = new Set<number>();

  constructor(private readonly base: DenseIndex) {}

  get size(): number {
    return this.base.ids.length + this.addedIds.length;
  }

  /** The largest id known. */
  get maxId(): number {
    const base = this.base.ids.length > 0 ? (this.base.ids[this.base.ids.length - 1] as number) : 0;
    return Math.max(base, this.maxAdded);
  }

  private maxAdded = 0;

  /** Whether the id was ever seen (also when since removed). */
  knows(id: number): boolean {
    return this.base.indexOf(id) >= 0 || this.added.has(id) || this.removedIds.has(id);
  }

  idOf(index: number): number {
    const n = this.base.ids.length;
    return index < n ? (this.base.ids[index] as number) : (this.addedIds[index - n] as number);
  }

  indexOf(id: number): number {
    if (this.removedIds.has(id)) return -1;
    const index = this.base.indexOf(id);
    return index >= 0 ? index : (this.added.get(id) ?? -1);
  }

  /** The id no longer resolves; its index stays taken. */
  remove(id: number): void {
    this.removedIds.add(id);
  }

  add(id: number, index: number): void {
    if (index !== this.size)
      throw new Error(`index ${index} for id ${id} is out of order (expected ${this.size})`);
    this.added.set(id, index);
    this.addedIds.push(id);
    this.maxAdded = Math.max(this.maxAdded, id);
  }
}

export class LiveState {
  readonly live: LiveScores;
  readonly members: GrowingIndex;
  readonly endorsements: GrowingIndex;
  private readonly topics: DenseIndex;

  constructor(loaded: LoadedCommunity, model: ModelParameters, anchor: number, options: LiveOptions = {}) {
    this.live = LiveScores.build(loaded.community, model, anchor, options);
    this.members = new GrowingIndex(loaded.members);
    this.topics = loaded.topics;
    // Endorsement ids come in ascending order from the loader, so they index like member ids.
    this.endorsements = new GrowingIndex(denseIndex(loaded.endorsementIds));
  }

  get model(): ModelParameters {
    return this.live.model;
  }

  /** What the writer needs for member index v, from the live numbers. */
  readonly source: ScoreSource = {
    userId: (v) => this.members.idOf(v),
    score: (v) => this.live.scoreOf(v),
    raw: (v) => this.live.rawOf(v),
    components: (v) => ({
      network: this.live.networkOf(v) * this.live.activeMembers,
      endorsement: this.live.endorsementOf(v),
    }),
    topicScores: (v) => {
      const values: { topicId: number; value: number }[] = [];
      for (let k = 0; k < this.live.topicCount; k++) {
        const value = this.live.topicScoreOf(v, k);
        if (value > 0) values.push({ topicId: this.topics.ids[k] as number, value });
      }
      return values;
    },
    explanation: (v): Cause[] => {
      const x = this.live.explain(v);
      return namedCauses(x, { from: 0, to: x.share.length }, x.remainder, {
        memberId: (i) => this.members.idOf(i),
        endorsement: (i) => {
          const { topic, endorser } = this.live.endorsementAt(i);
          return {
            id: this.endorsements.idOf(i),
            topicId: this.topics.ids[topic] as number,
            endorserId: this.members.idOf(endorser),
          };
        },
      });
    },
  };

  /**
   * Applies a batch of events in order (with their interactions, as readPendingEvents reads them);
   * "rebuild" (having applied nothing that matters, since the caller then discards this state)
   * when one of them cannot be followed incrementally. `newestMemberId` is the highest member id
   * as the events were read: no newer member, no query for them.
   */
  async apply(
    db: Queryable,
    provider: Provider,
    events: readonly GraphEventRow[],
    newestMemberId: number,
  ): Promise<"applied" | "rebuild"> {
    // The erased member's own events went with them (cascade): only their absence is left.
    if (events.some((event) => event.kind === "ERASURE")) await this.removeErasedMembers(db);
    const endorsements = await rowsById<EndorsementRow>(
      db,
      provider,
      events.filter((e) => e.kind === "ENDORSE"),
      (ids) =>
        sqltag`SELECT "id", "endorserId", "endorseeId", "topicId", "createdAt" FROM "Endorsement" WHERE ${ids}`,
    );
    await this.addNewMembers(db, provider, newestMemberId, [
      ...events.flatMap((e) =>
        e.kind === "FOLLOW" || e.kind === "UNFOLLOW"
          ? [e.actorId, e.subjectId]
          : e.kind === "JOIN"
            ? [e.actorId]
            : [],
      ),
      ...events.flatMap((e) => (e.interaction ? [e.interaction.actorId, e.interaction.targetId] : [])),
      ...[...endorsements.values()].flatMap((row) => [Number(row.endorserId), Number(row.endorseeId)]),
    ]);
    const member = (id: number | null) => (id === null ? -1 : this.members.indexOf(id));
    for (const event of events) {
      const actor = member(event.actorId);
      const subject = member(event.subjectId);
      switch (event.kind) {
        case "FOLLOW":
        case "UNFOLLOW":
          // A member missing here was erased since: their ERASURE event takes them out.
          if (actor < 0 || subject < 0) break;
          if (event.kind === "FOLLOW") this.live.follow(actor, subject);
          else this.live.unfollow(actor, subject);
          break;
        case "INTERACTION": {
          const row = event.interaction;
          if (!row) break;
          const a = member(row.actorId);
          const b = member(row.targetId);
          const kind = interactionKindCodes.indexOf(row.kind as (typeof interactionKindCodes)[number]);
          if (kind < 0) throw new Error(`Unknown interaction kind ${row.kind} (id ${event.refId})`);
          // An interaction with an outsider only counts in anonymousReach, which is not in the score.
          if (a >= 0 && b >= 0) this.live.interact(a, b, kind, toMs(row.occurredAt));
          break;
        }
        case "ENDORSE": {
          const row = endorsements.get(event.refId ?? -1);
          if (!row) break;
          const topic = this.topics.indexOf(Number(row.topicId));
          if (topic < 0) return "rebuild";
          const a = member(Number(row.endorserId));
          const b = member(Number(row.endorseeId));
          if (a < 0 || b < 0 || this.endorsements.indexOf(Number(row.id)) >= 0) break;
          const index = this.live.endorse(a, b, topic, toMs(row.createdAt));
          this.endorsements.add(Number(row.id), index);
          break;
        }
        case "REVOKE_ENDORSEMENT": {
          const index = this.endorsements.indexOf(event.refId ?? -1);
          if (index >= 0) this.live.revokeEndorsement(index);
          break;
        }
      }
    }
    return "applied";
  }

  /** Takes every known member whose User row is gone out of the live state. */
  private async removeErasedMembers(db: Queryable): Promise<void> {
    const present = await loadMemberIds(db);
    for (let v = 0; v < this.members.size; v++) {
      if (this.live.isRemoved(v)) continue;
      const id = this.members.idOf(v);
      if (present.indexOf(id) >= 0) continue;
      this.live.removeMember(v);
      this.members.remove(id);
    }
  }

  /**
   * Members who registered since — those above the largest id known, and any the batch names that
   * the state has not seen: on PostgreSQL ids are handed out before commit, so a member can appear
   * after one with a higher id. A new member's influence comes from teleport alone until their
   * first edge.
   */
  private async addNewMembers(
    db: Queryable,
    provider: Provider,
    newestMemberId: number,
    named: readonly (number | null)[],
  ): Promise<void> {
    const ids: number[] = [];
    if (newestMemberId > this.members.maxId) {
      const rows = await db.$queryRaw<{ id: unknown }[]>`
        SELECT "id" FROM "User" WHERE "id" > ${this.members.maxId} ORDER BY "id"`;
      ids.push(...rows.map((row) => Number(row.id)));
    }
    const unseen = [...new Set(named)].filter(
      (id): id is number => id !== null && !this.members.knows(id) && !ids.includes(id),
    );
    if (unseen.length > 0) {
      const found = await db.$queryRaw<{ id: unknown }[]>`
        SELECT "id" FROM "User" WHERE ${idsIn(provider, "id", unseen)}`;
      ids.push(...found.map((row) => Number(row.id)));
    }
    for (const id of ids) this.members.add(id, this.live.addMember());
  }
}

interface EndorsementRow {
  id: unknown;
  endorserId: unknown;
  endorseeId: unknown;
  topicId: unknown;
  createdAt: unknown;
}

/** The rows the events refer to (refId), by id, in one query (the ids as one bound value). */
async function rowsById<Row extends { id: unknown }>(
  db: Queryable,
  provider: Provider,
  events: readonly GraphEventRow[],
  query: (ids: ReturnType<typeof idsIn>) => ReturnType<typeof sqltag>,
): Promise<Map<number, Row>> {
  const ids = [...new Set(events.flatMap((event) => (event.refId === null ? [] : [event.refId])))];
  const rows = new Map<number, Row>();
  if (ids.length === 0) return rows;
  for (const row of await db.$queryRaw<Row[]>(query(idsIn(provider, "id", ids))))
    rows.set(Number(row.id), row);
  return rows;
}
