// Decodes chunk segments written by the real promtool 2.42 and proves the decoder against
// `promtool tsdb dump`, the encoder byte-for-byte against promtool's chunks, and the chunk cutter
// against promtool's chunk boundaries.
import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeXor, encodeXor, encodeSeriesChunks, chunkStarts, PROMTOOL_CHUNK_RANGE_MS, Encoding, GO_NAN_HI, GO_NAN_LO, bitView, HI, LO } from '../../../../../actors/shared/tsdb/chunkenc/index.js';
import { scanSegment } from '../../../../../actors/shared/tsdb/chunks/index.js';
import { createBlocksFromOpenMetrics, parseDump, promtoolDump } from '../../../../harness/promtool.js';
import { generateSeries, writeOpenMetrics, type OpenMetricsGenOptions } from '../../../../harness/openmetrics-gen.js';

const key = (tt: number, v: number): string => `${tt}|${Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : String(v)}`;

const fixtures: { name: string; opts: OpenMetricsGenOptions }[] = [
  { name: '15s scrape, 6h, specials', opts: { series: 6, hours: 6, stepSec: 15, specials: true, seed: 7 } },
  { name: '7s scrape with ms jitter (chunks > 120 samples)', opts: { series: 2, hours: 5, stepSec: 7, jitterMs: 900, seed: 3, startSec: 1700003600 } },
];

for (const fx of fixtures) {
  t.test(fx.name, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'xor-interop-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const input = join(dir, 'in.om');
    writeOpenMetrics(input, fx.opts);
    const data = join(dir, 'data');
    const blocks = await createBlocksFromOpenMetrics(input, data);
    t.ok(blocks.length >= 2, `promtool wrote ${blocks.length} blocks`);

    const ours: string[] = [];
    const chunkShapes: string[] = [];
    const promtoolChunks: string[] = [];
    let chunks = 0, reencoded = 0, trailingQuirk = 0, nanExact = 0;
    for (const b of blocks) {
      const cdir = join(data, b, 'chunks');
      for (const f of readdirSync(cdir).sort()) {
        const file = join(cdir, f);
        for (const rec of scanSegment(readFileSync(file), file)) {
          t.equal(rec.encoding, Encoding.XOR);
          const { ts, vs } = decodeXor(rec.data, { file, offset: rec.start });
          chunks++;
          chunkShapes.push(`${ts[0]}:${ts.length}`);
          promtoolChunks.push(Buffer.from(rec.data).toString('base64'));
          const bits = bitView(vs);
          for (let i = 0; i < ts.length; i++) {
            ours.push(key(ts[i]!, vs[i]!));
            if (Number.isNaN(vs[i]!)) {
              // promtool's parser yields Go's math.NaN() bits; they must survive decode exactly.
              if (bits[2 * i + HI] === GO_NAN_HI && bits[2 * i + LO] === GO_NAN_LO) nanExact++;
              else t.fail(`NaN bits changed at t=${ts[i]}`);
            }
          }
          const again = encodeXor(ts, vs);
          if (Buffer.compare(Buffer.from(again), Buffer.from(rec.data)) === 0) reencoded++;
          else t.fail(`re-encoded chunk differs at ${file}@${rec.start}`);
          if (rec.data.length > 2 && rec.data[rec.data.length - 1] === 0) trailingQuirk++;
        }
      }
    }
    t.equal(reencoded, chunks, `all ${chunks} chunks re-encode byte-identically`);
    t.ok(trailingQuirk > 0 || chunks < 5, `chunks with a trailing zero byte seen: ${trailingQuirk}`);
    if (fx.opts.specials) t.ok(nanExact > 0, 'NaN samples decoded with Go NaN bits');

    const dumped = parseDump(await promtoolDump(data)).map((s) => key(s.t, s.v));
    t.equal(ours.length, dumped.length, 'same sample count as promtool dump');
    ours.sort(); dumped.sort();
    t.ok(ours.every((k, i) => k === dumped[i]), 'multiset of (t, v) equals promtool dump');

    // Predict promtool's chunk boundaries with the head cut rule (4 h chunk range, 2 h block windows).
    const expected: string[] = [];
    const ourChunks: string[] = [];
    for (const s of generateSeries(fx.opts)) {
      const byBlock = new Map<number, number[]>();
      for (const x of s.samples) {
        const w = Math.floor(x.t / 7200_000);
        let a = byBlock.get(w); if (!a) byBlock.set(w, a = []);
        a.push(x.t);
      }
      const vals = new Float64Array(s.samples.map((x) => x.v));
      // Text "NaN" becomes Go's math.NaN() bits in promtool's parser; mirror that.
      const vb = bitView(vals);
      vals.forEach((v, i) => { if (Number.isNaN(v)) { vb[2 * i + HI] = GO_NAN_HI; vb[2 * i + LO] = GO_NAN_LO; } });
      let base = 0;
      for (const ts of byBlock.values()) {
        const starts = chunkStarts(ts, PROMTOOL_CHUNK_RANGE_MS);
        const allTs = s.samples.map((x) => x.t);
        for (const c of encodeSeriesChunks(allTs, vals, { chunkRange: PROMTOOL_CHUNK_RANGE_MS, from: base, to: base + ts.length })) {
          ourChunks.push(Buffer.from(c.data).toString('base64'));
        }
        base += ts.length;
        starts.forEach((st, i) => expected.push(`${ts[st]}:${(starts[i + 1] ?? ts.length) - st}`));
      }
    }
    t.same(chunkShapes.sort(), expected.sort(), 'chunk boundaries match the head cut rule');
    t.ok(ourChunks.length === promtoolChunks.length && ourChunks.sort().every((c, i) => c === promtoolChunks.sort()[i]),
      'encodeSeriesChunks from the input samples gives exactly promtool\'s chunk bytes');
    if (fx.opts.stepSec === 7) t.ok(chunkShapes.some((c) => Number(c.split(':')[1]) > 120), 'some chunks exceed 120 samples');
  });
}
