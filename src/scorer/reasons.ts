// Why a member's score moved, from what triggered the recompute. History never disguises one
// cause as another: a model change is MODEL_CHANGE, the passing of time is DECAY, and a member is
// told a move is their own doing (ACTIVITY, ENDORSEMENT) only when an event was about them.
import type { ScoreChangeReason } from "../generated/prisma/sqlite/enums.js";
import type { GraphEventRow } from "./events.js";

export type ScoreTrigger =
  | { kind: "events"; events: readonly GraphEventRow[] }
  | { kind: "decay" }
  | { kind: "model-change" }
  | { kind: "erasure" };

/** The reason for one member's move; `first` is true when they had no score before. */
export type ReasonOf = (userId: number, first: boolean) => ScoreChangeReason;

const fixed: Record<Exclude<ScoreTrigger["kind"], "events">, ScoreChangeReason> = {
  decay: "DECAY",
  "model-change": "MODEL_CHANGE",
  erasure: "ERASURE",
};

/**
 * Events: ENDORSEMENT for the endorsee of an ENDORSE or REVOKE_ENDORSEMENT, ACTIVITY for the
 * subject of an INTERACTION, FOLLOW or UNFOLLOW, and otherwise NETWORK (moved through others) —
 * or ERASURE when a member was erased in the batch. A first score has not decayed or been
 * re-modelled, so outside event runs it is NETWORK: where the member's network puts them.
 */
export function reasonsFor(trigger: ScoreTrigger): ReasonOf {
  if (trigger.kind !== "events") {
    const reason = fixed[trigger.kind];
    return (_userId, first) => (first ? "NETWORK" : reason);
  }
  const endorsed = new Set<number>();
  const active = new Set<number>();
  let erasure = false;
  for (const event of trigger.events) {
    if (event.kind === "ERASURE") erasure = true;
    if (event.subjectId === null) continue;
    if (event.kind === "ENDORSE" || event.kind === "REVOKE_ENDORSEMENT") endorsed.add(event.subjectId);
    else if (event.kind !== "ERASURE") active.add(event.subjectId);
  }
  const otherwise: ScoreChangeReason = erasure ? "ERASURE" : "NETWORK";
  return (userId) => (endorsed.has(userId) ? "ENDORSEMENT" : active.has(userId) ? "ACTIVITY" : otherwise);
}
