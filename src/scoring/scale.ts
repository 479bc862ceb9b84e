// The 1–100 map. A member's raw influence x is relative to the average member (x = 1 is
// average), and
//
//   score(x) = 1 + 99 · x^γ / (x^γ + m^γ)
//
// with m = scaleMidpoint (the x that scores 50.5) and γ = scaleSteepness. It is monotone, never
// leaves [1, 100], reaches neither end for a finite x > 0, and depends on x alone: one celebrity
// with a huge x does not pull anyone else's score down, and the median member (typically x≈0.3
// in a power-law community) scores well above 1.
import type { ModelParameters } from "./model.js";

export function scaleScore(
  x: number,
  model: Pick<ModelParameters, "scaleMidpoint" | "scaleSteepness">,
): number {
  return scaler(model)(x);
}

/** scaleScore for one model, with m^γ computed once (a million scores: one power each, not two). */
export function scaler(
  model: Pick<ModelParameters, "scaleMidpoint" | "scaleSteepness">,
): (x: number) => number {
  const gamma = model.scaleSteepness;
  const midpoint = model.scaleMidpoint ** gamma;
  return (x) => {
    if (!(x > 0)) return 1;
    const a = x ** gamma;
    return 1 + (99 * a) / (a + midpoint);
  };
}
