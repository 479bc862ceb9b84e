// Endorsements (+K): each counts by the endorser's own influence, is discounted when the pair
// endorse each other in the same topic, and decays with age. Self-endorsements count for nothing.
import type { Community } from "./community.js";
import { groupIndicesByKey } from "./group.js";
import type { ModelParameters } from "./model.js";

const dayMs = 24 * 60 * 60 * 1000;

export interface EndorsementValues {
  /** The value of each endorsement (aligned with Community.endorsements). */
  value: Float64Array;
  /** Per member: the summed value received over all topics. */
  total: Float64Array;
}

/**
 * What an endorsement's value takes from it alone, whatever the influence: `mutual[i]` is 1 when
 * its endorsee endorsed its endorser back in the same topic, `decay[i]` its age factor.
 */
export interface EndorsementTerms {
  mutual: Uint8Array;
  decay: Float64Array;
}

/** Throws a RangeError naming the first endorsement whose member or topic is out of range. */
export function checkEndorsements(community: Community): void {
  const { endorser, endorsee, topic } = community.endorsements;
  const n = community.memberCount;
  const t = community.topicCount;
  for (let i = 0; i < endorser.length; i++) {
    const a = endorser[i] as number;
    const b = endorsee[i] as number;
    const k = topic[i] as number;
    if (!(a >= 0 && a < n && b >= 0 && b < n && k >= 0 && k < t)) {
      throw new RangeError(`endorsement ${i} (${a} → ${b}, topic ${k}) is out of range`);
    }
  }
}

/**
 * Fills `mutual` and `decay` (EndorsementTerms) for every endorsement, given them grouped by
 * endorser: each looks through the few its endorsee gave. (Sorting 500k float keys and
 * binary-searching each reverse pair took 0.15 s.) Self-contained, no imports: the recompute's
 * worker gets it as source text and runs it while the main thread builds the graph.
 */
export function fillEndorsementTerms(
  endorsements: { endorser: Int32Array; endorsee: Int32Array; topic: Int32Array; at: Float64Array },
  byEndorser: { start: Int32Array; order: Int32Array },
  decayPerMs: number,
  now: number,
  terms: EndorsementTerms,
): void {
  const { endorser, endorsee, topic, at } = endorsements;
  const { start, order } = byEndorser;
  const { mutual, decay } = terms;
  for (let i = 0; i < endorser.length; i++) {
    const a = endorser[i] as number;
    const b = endorsee[i] as number;
    const k = topic[i] as number;
    const last = start[b + 1] as number;
    let found = 0;
    for (let g = start[b] as number; g < last; g++) {
      const j = order[g] as number;
      if (endorsee[j] === a && topic[j] === k) {
        found = 1;
        break;
      }
    }
    mutual[i] = found;
    decay[i] = Math.exp(-decayPerMs * Math.max(0, now - (at[i] as number)));
  }
}

/** The decay per ms of an endorsement's value. */
export function endorsementDecayPerMs(model: ModelParameters): number {
  return Math.LN2 / (model.endorsementHalfLifeDays * dayMs);
}

/** EndorsementTerms on this thread (checked first). */
export function endorsementTerms(
  community: Community,
  model: ModelParameters,
  now: number,
): EndorsementTerms {
  checkEndorsements(community);
  const m = community.endorsements.endorser.length;
  const terms = { mutual: new Uint8Array(m), decay: new Float64Array(m) };
  const byEndorser = groupIndicesByKey(community.endorsements.endorser, community.memberCount);
  fillEndorsementTerms(community.endorsements, byEndorser, endorsementDecayPerMs(model), now, terms);
  return terms;
}

/**
 * `influence[m] · influenceScale` is member m's network influence relative to the average member
 * (1); recomputeAll passes the PageRank vector and N rather than a scaled copy. `float64`
 * allocates `value` (on shared memory, say).
 */
export function valueEndorsements(
  community: Community,
  influence: Float64Array,
  model: ModelParameters,
  now: number,
  influenceScale = 1,
  float64: (length: number) => Float64Array = (length) => new Float64Array(length),
  terms: EndorsementTerms = endorsementTerms(community, model, now),
): EndorsementValues {
  const { endorser, endorsee } = community.endorsements;
  const { mutual, decay } = terms;
  const n = community.memberCount;
  const value = float64(endorser.length);
  const total = new Float64Array(n);
  for (let i = 0; i < value.length; i++) {
    const a = endorser[i] as number;
    const b = endorsee[i] as number;
    if (a === b) continue;
    const v =
      (influence[a] as number) *
      influenceScale *
      (decay[i] as number) *
      (mutual[i] ? model.reciprocalEndorsementFactor : 1);
    value[i] = v;
    total[b] = (total[b] as number) + v;
  }
  return { value, total };
}
