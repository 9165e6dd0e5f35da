/** The stale marker: re-exported from the chunk encoding so every layer shares one definition. */
export { STALE_NAN, STALE_NAN_HI, STALE_NAN_LO, isStaleNaN } from '../../tsdb/chunkenc/float-bits.js';
