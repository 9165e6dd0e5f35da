import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { goSort } from '../../../../../actors/shared/promql/functions/go-sort.js';

// fixtures/go-sort.json: permutations printed by Go 1.19.8 sort.Sort (generator: go-sort.go.txt)
interface Case { Values: number[]; Perm: number[]; Desc: boolean }
const raw: unknown = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/go-sort.json', import.meta.url)), 'utf8'));
const cases = raw as Case[];

t.test('goSort reproduces Go sort.Sort permutations, ties included', async (t) => {
  for (const c of cases) {
    const v = Int32Array.from(c.Values);
    const id = Int32Array.from(c.Values.map((_, i) => i));
    goSort(v.length, {
      less: c.Desc ? (i, j) => v[j]! < v[i]! : (i, j) => v[i]! < v[j]!,
      swap: (i, j) => {
        const a = v[i]!; v[i] = v[j]!; v[j] = a;
        const b = id[i]!; id[i] = id[j]!; id[j] = b;
      },
    });
    t.same(Array.from(id), c.Perm, `n=${c.Values.length} desc=${c.Desc} ${c.Values.slice(0, 6).join(',')}…`);
  }
});

t.test('trivial sizes', async (t) => {
  let called = false;
  goSort(0, { less: () => { called = true; return false; }, swap: () => { called = true; } });
  goSort(1, { less: () => { called = true; return false; }, swap: () => { called = true; } });
  t.equal(called, false);
});
