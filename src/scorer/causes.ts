// Causes, as rows name them: a member's current explanation (ScoreContribution) and the top
// causes of one recorded move (ScoreHistoryCause). Pure functions over the scoring module's output.
import type { CauseKind, ScoreChangeReason } from "../generated/prisma/sqlite/enums.js";
import { CauseCode } from "../scoring/community.js";

/**
 * One named share (or the remainder). Member causes name a User; endorsement causes an Endorsement
 * and, as memberId, its giver — so the API decides whether to name it from the row alone, and
 * erasing the giver folds it away like any cause naming them.
 */
export interface Cause {
  kind: CauseKind;
  share: number;
  memberId: number | null;
  endorsementId: number | null;
  topicId: number | null;
}

const unnamed = (kind: CauseKind, share: number): Cause => ({
  kind,
  share,
  memberId: null,
  endorsementId: null,
  topicId: null,
});

/** How a cause's source index becomes row ids: members by index, endorsements by index. */
export interface CauseNames {
  memberId(index: number): number;
  endorsement(index: number): { id: number; topicId: number; endorserId: number };
}

/** Named causes from (kind, source, share) slots, best first, until the first empty one; then the REMAINDER. */
export function namedCauses(
  slots: { kind: ArrayLike<number>; source: ArrayLike<number>; share: ArrayLike<number> },
  range: { from: number; to: number },
  remainder: number,
  names: CauseNames,
): Cause[] {
  const causes: Cause[] = [];
  for (let slot = range.from; slot < range.to; slot++) {
    const x = slots.share[slot] as number;
    if (!(x > 0)) break;
    const i = slots.source[slot] as number;
    if (slots.kind[slot] === CauseCode.Member) {
      causes.push({ ...unnamed("MEMBER", x), memberId: names.memberId(i) });
    } else {
      const endorsement = names.endorsement(i);
      causes.push({
        ...unnamed("ENDORSEMENT", x),
        memberId: endorsement.endorserId,
        endorsementId: endorsement.id,
        topicId: endorsement.topicId,
      });
    }
  }
  causes.push(unnamed("REMAINDER", remainder));
  return causes;
}

/** A score's raw figure and its explanation, before or after a move. */
export interface Explained {
  raw: number;
  causes: readonly Cause[];
}

const keyOf = (cause: Cause) =>
  cause.kind === "MEMBER"
    ? `m${cause.memberId}`
    : cause.kind === "ENDORSEMENT"
      ? `e${cause.endorsementId}`
      : null;

/**
 * The top causes of a move, each with its share of the change in raw influence (signed: a cause
 * that pulled the other way has a negative share), then the REMAINDER, summing to 1. A named
 * cause's part is how much its contribution (share × raw) changed; a first score moves from
 * nothing, so its causes are its explanation. Decay and model changes are causes of their own.
 * Causes outside an explanation's top k are not known individually and fall in the remainder.
 */
export function causesOfMove(
  reason: ScoreChangeReason,
  before: Explained | null,
  after: Explained,
  topCauses: number,
): Cause[] {
  if (before && reason === "DECAY") return [unnamed("DECAY", 1)];
  if (before && reason === "MODEL_CHANGE") return [unnamed("MODEL_CHANGE", 1)];
  const parts = new Map<string, { cause: Cause; amount: number }>();
  const add = (cause: Cause, amount: number) => {
    const key = keyOf(cause);
    if (key === null) return;
    const part = parts.get(key);
    if (part) {
      part.cause = cause;
      part.amount += amount;
    } else parts.set(key, { cause, amount });
  };
  for (const cause of before?.causes ?? []) add(cause, -cause.share * (before?.raw ?? 0));
  for (const cause of after.causes) add(cause, cause.share * after.raw);
  const total = after.raw - (before?.raw ?? 0);
  if (!(Math.abs(total) > 0)) return [unnamed("REMAINDER", 1)];
  // Rounding leaves unchanged contributions a few ulps from zero: they are not causes.
  const negligible = 1e-12 * (Math.abs(after.raw) + Math.abs(before?.raw ?? 0));
  const named = [...parts.values()]
    .filter((part) => Math.abs(part.amount) > negligible)
    .sort((a, b) => Math.abs(b.amount) - Math.abs(a.amount))
    .slice(0, topCauses)
    .map(({ cause, amount }) => ({ ...cause, share: amount / total }));
  const rest = 1 - named.reduce((sum, cause) => sum + cause.share, 0);
  return [...named, unnamed("REMAINDER", rest)];
}
