// Who may see what: the consent rules of PRODUCT.md §7 in one place, used by every path that shows
// a score, a list ranked by scores, an explanation or a history entry.

import { UnauthenticatedError } from "../errors.js";
import type { ScoreVisibility } from "../generated/prisma/sqlite/enums.js";
import type { Viewer } from "./accounts.js";

export interface ScoreOwner {
  id: number;
  scoreVisibility: ScoreVisibility;
}

/**
 * Whether `viewer` may see `owner`'s score: always their own; PUBLIC to anyone; MEMBERS to anyone
 * logged in; PRIVATE (the default) to nobody else. A member whose score is hidden from the viewer
 * appears in lists ranked by score not at all, and in explanations only as an anonymous share.
 */
export function scoreVisibleTo(viewer: Viewer | null, owner: ScoreOwner): boolean {
  if (viewer !== null && viewer.id === owner.id) return true;
  if (owner.scoreVisibility === "PUBLIC") return true;
  return owner.scoreVisibility === "MEMBERS" && viewer !== null;
}

/** The same rule as a Prisma filter on User, for queries that rank or list scores. */
export function visibleScoreOwners(viewer: Viewer | null) {
  const visibilities: ScoreVisibility[] = viewer === null ? ["PUBLIC"] : ["PUBLIC", "MEMBERS"];
  return {
    OR: [{ scoreVisibility: { in: visibilities } }, ...(viewer === null ? [] : [{ id: viewer.id }])],
  };
}

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw new UnauthenticatedError();
  return viewer;
}
