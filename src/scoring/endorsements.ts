// Endorsements (+K): each counts by the endorser's own influence, is discounted when the pair
// endorse each other in the same topic, and decays with age. Self-endorsements count for nothing.
import type { Community } from "./community.js";
import type { ModelParameters } from "./model.js";

const dayMs = 24 * 60 * 60 * 1000;

export interface EndorsementValues {
  /** The value of each endorsement (aligned with Community.endorsements). */
  value: Float64Array;
  /** Per member and topic (memberCount × topicCount): the summed value received. */
  byTopic: Float64Array;
  /** Per member: the summed value received over all topics. */
  total: Float64Array;
}

/** Marks endorsements whose endorsee endorsed the endorser back in the same topic. */
function reciprocated(community: Community): Uint8Array {
  const { endorser, endorsee, topic } = community.endorsements;
  const n = community.memberCount;
  const t = community.topicCount;
  // (a, b, topic) as one exact float key; sorting them lets each reverse pair be binary-searched.
  const key = (a: number, b: number, k: number) => (a * n + b) * t + k;
  const keys = new Float64Array(endorser.length);
  for (let i = 0; i < keys.length; i++) {
    keys[i] = key(endorser[i] as number, endorsee[i] as number, topic[i] as number);
  }
  keys.sort();
  const has = (k: number) => {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((keys[mid] as number) < k) lo = mid + 1;
      else hi = mid;
    }
    return lo < keys.length && keys[lo] === k;
  };
  const result = new Uint8Array(endorser.length);
  for (let i = 0; i < result.length; i++) {
    result[i] = has(key(endorsee[i] as number, endorser[i] as number, topic[i] as number)) ? 1 : 0;
  }
  return result;
}

/** `influence[m]` is member m's network influence relative to the average member (1). */
export function valueEndorsements(
  community: Community,
  influence: Float64Array,
  model: ModelParameters,
  now: number,
): EndorsementValues {
  const { endorser, endorsee, topic, at } = community.endorsements;
  const n = community.memberCount;
  const t = community.topicCount;
  const decayPerMs = Math.LN2 / (model.endorsementHalfLifeDays * dayMs);
  const mutual = reciprocated(community);
  const value = new Float64Array(endorser.length);
  const byTopic = new Float64Array(n * t);
  const total = new Float64Array(n);
  for (let i = 0; i < value.length; i++) {
    const a = endorser[i] as number;
    const b = endorsee[i] as number;
    const k = topic[i] as number;
    if (!(a >= 0 && a < n && b >= 0 && b < n && k >= 0 && k < t)) {
      throw new RangeError(`endorsement ${i} (${a} → ${b}, topic ${k}) is out of range`);
    }
    if (a === b) continue;
    const age = Math.max(0, now - (at[i] as number));
    const v =
      (influence[a] as number) *
      Math.exp(-decayPerMs * age) *
      (mutual[i] ? model.reciprocalEndorsementFactor : 1);
    value[i] = v;
    byTopic[b * t + k] = (byTopic[b * t + k] as number) + v;
    total[b] = (total[b] as number) + v;
  }
  return { value, byTopic, total };
}
