/**
 * Loads fixtures/go-oracle.json: results printed by Go 1.19.8 linux/amd64 (the toolchain family of
 * Prometheus 2.42 release builds) for float formatting, math functions, date functions and
 * float→int64 conversion. Regenerate with `go run` on fixtures/go-oracle.go.txt (renamed to .go).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface UnaryRow {
  In: string; F: string; E: string; G: string; V: string; PF: string; JSON: string; MV: string;
  Date: number[]; Int64: string; [fn: string]: string | number[];
}
export interface BinaryRow { X: string; Y: string; Pow: string; Mod: string; Atan2: string }

const path = fileURLToPath(new URL('./fixtures/go-oracle.json', import.meta.url));
const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
const o = raw as { unary: UnaryRow[]; binary: BinaryRow[] };
export const unary = o.unary;
export const binary = o.binary;

const dv = new DataView(new ArrayBuffer(8));
/** The float64 with the given hex bit pattern. */
export function f64(hex: string): number {
  dv.setBigUint64(0, BigInt('0x' + hex));
  return dv.getFloat64(0);
}

/** Same float64 (NaN equals NaN, -0 differs from 0). */
export function same(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}
