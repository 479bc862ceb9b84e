// A scoring model's parameters: one typed, versioned value. Models are stored as rows
// (ScoringModel.parameters) and validated here, so a bad stored model is refused loudly.

export type InteractionKind = "MENTION" | "REPLY" | "SHARE" | "LIKE";
export const interactionKinds: readonly InteractionKind[] = ["MENTION", "REPLY", "SHARE", "LIKE"];

export interface ModelParameters {
  version: number;
  /** PageRank damping: the share of influence that flows along edges rather than teleporting. */
  damping: number;
  /** Edge weight a follow gives: follower → followee. */
  followWeight: number;
  /** Edge weight of one fresh interaction of each kind: actor → target. */
  interactionWeights: Record<InteractionKind, number>;
  /** An interaction's weight halves every this many days. */
  interactionHalfLifeDays: number;
  /**
   * Diminishing returns per pair: the summed interaction weight from one member to another
   * saturates at this value (cap · (1 − e^(−sum/cap))), so many people engaging counts for more
   * than one person engaging a lot.
   */
  pairInteractionCap: number;
  /** An endorsement's weight halves every this many days. */
  endorsementHalfLifeDays: number;
  /** Multiplier for an endorsement when the endorsee has endorsed the endorser back (same topic). */
  reciprocalEndorsementFactor: number;
  /** The share of the raw score that comes from endorsements (the rest from network influence). */
  endorsementShare: number;
  /**
   * The 1–100 map: score = 1 + 99 · x^γ / (x^γ + m^γ), where x is a member's raw influence relative
   * to the average member (x = N · raw). `scaleMidpoint` (m) is the x that maps to 50.5.
   */
  scaleMidpoint: number;
  /** γ in the map above: how quickly scores spread out around the midpoint. */
  scaleSteepness: number;
  /** Score changes smaller than this are neither recorded nor pushed. */
  noiseFloor: number;
  /** How many named causes an explanation or history entry keeps; the rest is a remainder. */
  topCauses: number;
}

export const defaultModel: ModelParameters = {
  version: 1,
  damping: 0.85,
  followWeight: 1,
  interactionWeights: { MENTION: 0.6, REPLY: 0.8, SHARE: 1, LIKE: 0.25 },
  interactionHalfLifeDays: 30,
  pairInteractionCap: 3,
  endorsementHalfLifeDays: 180,
  reciprocalEndorsementFactor: 0.5,
  endorsementShare: 0.25,
  scaleMidpoint: 4,
  scaleSteepness: 0.6,
  noiseFloor: 0.5,
  topCauses: 5,
};

export class ModelError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid scoring model: ${problems.join("; ")}`);
    this.name = "ModelError";
  }
}

const rules: [keyof ModelParameters, (value: number) => boolean, string][] = [
  ["version", (v) => Number.isInteger(v) && v >= 1, "a positive integer"],
  ["damping", (v) => v > 0 && v < 1, "in (0, 1)"],
  ["followWeight", (v) => v >= 0, "≥ 0"],
  ["interactionHalfLifeDays", (v) => v > 0, "> 0"],
  ["pairInteractionCap", (v) => v > 0, "> 0"],
  ["endorsementHalfLifeDays", (v) => v > 0, "> 0"],
  ["reciprocalEndorsementFactor", (v) => v >= 0 && v <= 1, "in [0, 1]"],
  ["endorsementShare", (v) => v >= 0 && v < 1, "in [0, 1)"],
  ["scaleMidpoint", (v) => v > 0, "> 0"],
  ["scaleSteepness", (v) => v > 0, "> 0"],
  ["noiseFloor", (v) => v >= 0, "≥ 0"],
  ["topCauses", (v) => Number.isInteger(v) && v >= 1 && v <= 50, "an integer from 1 to 50"],
];

/** Reads stored or client-given parameters, filling gaps from the defaults; throws ModelError. */
export function parseModel(input: unknown, base: ModelParameters = defaultModel): ModelParameters {
  if (typeof input !== "object" || input === null) throw new ModelError(["parameters must be an object"]);
  const given = input as Partial<ModelParameters>;
  const model: ModelParameters = {
    ...base,
    ...given,
    interactionWeights: { ...base.interactionWeights, ...given.interactionWeights },
  };
  const problems: string[] = [];
  for (const [key, ok, expected] of rules) {
    const value = model[key];
    if (typeof value !== "number" || !Number.isFinite(value) || !ok(value)) {
      problems.push(`${key} must be ${expected}, got ${JSON.stringify(value)}`);
    }
  }
  for (const kind of interactionKinds) {
    const value = model.interactionWeights[kind];
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      problems.push(`interactionWeights.${kind} must be ≥ 0, got ${JSON.stringify(value)}`);
    }
  }
  if (problems.length > 0) throw new ModelError(problems);
  return model;
}
