import type { Labels } from '../../labels/labels.js';
import type { Expr } from '../parser/ast.js';
import type { SequenceValue } from './series.js';

/** A series of a `load` block: its labels and one value per `interval` step from time 0. */
export interface LoadSeries {
  readonly labels: Labels;
  readonly values: readonly SequenceValue[];
}

/** A store declared by the `store` directive (athanor/Thanos extension). */
export interface StoreDecl {
  /** 0-based index among the script's `store` directives. */
  readonly index: number;
  readonly labels: Labels;
  /** Time range the store claims, ms since epoch. */
  readonly mint: number;
  readonly maxt: number;
}

export interface LoadCommand {
  readonly kind: 'load';
  readonly line: number;
  /** Step between values, ms. */
  readonly interval: number;
  /** In script order; a series repeated within one block keeps only its last line (as 2.42). */
  readonly series: readonly LoadSeries[];
  /** The store that receives this load (the latest `store` directive before it), if any. */
  readonly store: StoreDecl | undefined;
}

export interface ClearCommand { readonly kind: 'clear'; readonly line: number }

export interface StoreCommand { readonly kind: 'store'; readonly line: number; readonly store: StoreDecl }

export interface ExpectedSeries {
  readonly labels: Labels;
  /** The expected value; `undefined` if the line had no value or `_`. */
  readonly value: SequenceValue | undefined;
  readonly line: number;
}

export type Expected =
  | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'vector'; readonly series: readonly ExpectedSeries[] };

export interface EvalCommand {
  readonly kind: 'eval';
  readonly line: number;
  /** `eval` = 'normal', `eval_fail` = 'fail', `eval_ordered` = 'ordered'. */
  readonly mode: 'normal' | 'fail' | 'ordered';
  /** Evaluation time, ms since epoch. */
  readonly at: number;
  /** The query text as written. */
  readonly expr: string;
  /** The parsed query (2.42 refuses a script whose queries do not parse, even for eval_fail). */
  readonly ast: Expr;
  /** Expected result: a scalar, or the series of an instant vector (possibly none). */
  readonly expected: Expected;
}

export type Command = LoadCommand | ClearCommand | EvalCommand | StoreCommand;
