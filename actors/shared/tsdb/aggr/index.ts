export { AggrType, AGGR_NAMES, type AggrParts, encodeAggrChunk, decodeAggrChunk, getAggr, aggrNumSamples } from './aggr-chunk.js';
