export type {
  Command, LoadCommand, ClearCommand, EvalCommand, StoreCommand, StoreDecl, LoadSeries, Expected, ExpectedSeries,
} from './commands.js';
export { parseTestScript } from './parse.js';
export { parseSeriesDesc, type SequenceValue, type SeriesDesc } from './series.js';
export { TestScriptError } from './errors.js';
