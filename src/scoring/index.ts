// The shared scoring module: pure TypeScript over typed arrays, no database, GraphQL or network.
export * from "./community.js";
export { buildInfluenceGraph, type InfluenceGraph } from "./graph.js";
export { defaultModel, type InteractionKind, ModelError, type ModelParameters, parseModel } from "./model.js";
export {
  type PagerankEdges,
  type PagerankOptions,
  type PagerankReport,
  pagerank,
  pagerankReport,
} from "./pagerank.js";
export { setPagerankThreads } from "./pagerank-threads.js";
export { recomputeAll } from "./recompute.js";
export { scaleScore } from "./scale.js";
