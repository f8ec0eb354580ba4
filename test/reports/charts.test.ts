import {
  COLOURS,
  SEQUENTIAL_PALETTE,
  contrastRatio,
  relativeLuminance,
} from '../../src/reports/chart-theme';
import {
  type BarChartInput,
  type RegionValue,
  type TrendPoint,
  barChart,
  regionTileMap,
  trendChart,
} from '../../src/reports/charts';
import { niceTicks } from '../../src/reports/trend-chart';
import { type SvgNode, allText, byClass, findAll, parseSvg } from '../support/parse-svg';

const REGIONS_FR: [string, string][] = [
  ['01', 'Tanger-Tétouan-Al Hoceïma'],
  ['02', "L'Oriental"],
  ['03', 'Fès-Meknès'],
  ['04', 'Rabat-Salé-Kénitra'],
  ['05', 'Béni Mellal-Khénifra'],
  ['06', 'Casablanca-Settat'],
  ['07', 'Marrakech-Safi'],
  ['08', 'Drâa-Tafilalet'],
  ['09', 'Souss-Massa'],
  ['10', 'Guelmim-Oued Noun'],
  ['11', 'Laâyoune-Sakia El Hamra'],
  ['12', 'Dakhla-Oued Ed-Dahab'],
];
const REGIONS_AR = ['طنجة-تطوان-الحسيمة', 'الشرق', 'فاس-مكناس', 'الرباط-سلا-القنيطرة'];

const percent = (n: number): string => `${n.toFixed(1).replace('.', ',')} %`;

function buildBarChart(overrides: Partial<BarChartInput> = {}): BarChartInput {
  return {
    title: 'Part des adhérents et des économies par région',
    bars: REGIONS_FR.slice(0, 4).map(([, label], i) => ({
      label,
      value: 10 + i,
      secondaryValue: 20 - i,
    })),
    valueFormat: percent,
    dir: 'ltr',
    lang: 'fr',
    seriesLabels: { value: 'Adhérents', secondaryValue: 'Économies' },
    ...overrides,
  };
}

function buildRegions(): RegionValue[] {
  return REGIONS_FR.map(([code, label], i) => ({ code, label, value: (i + 1) * 100 }));
}

function months(from: string, values: number[]): TrendPoint[] {
  const [year, month] = from.split('-').map(Number) as [number, number];

  return values.map((value, i) => {
    const index = year * 12 + month - 1 + i;

    return {
      label: `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`,
      value,
    };
  });
}

function descOf(root: SvgNode): string {
  return findAll(root, (n) => n.name === 'desc')[0]?.text ?? '';
}

function num(node: SvgNode, attr: string): number {
  return Number(node.attrs[attr]);
}

describe('every chart', () => {
  const charts = {
    bar: barChart(buildBarChart()),
    trend: trendChart({
      title: 'Économies par mois',
      points: months('2025-11', [5, 8, 13]),
      valueFormat: String,
      dir: 'ltr',
      lang: 'fr',
    }),
    map: regionTileMap({
      title: 'Carte',
      regions: buildRegions(),
      valueFormat: String,
      dir: 'ltr',
      lang: 'fr',
    }),
    empty: barChart(buildBarChart({ bars: [] })),
  };

  it.each(Object.entries(charts))('%s is an accessible, scalable SVG image', (_, svg) => {
    const root = parseSvg(svg);

    expect(root.name).toBe('svg');
    expect(root.attrs.role).toBe('img');
    expect(root.attrs.viewBox).toMatch(/^0 0 \d+ \d+(\.\d)?$/);
    expect(root.attrs.width).toBeUndefined();
    const [titleId, descId] = (root.attrs['aria-labelledby'] ?? '').split(' ');
    expect(findAll(root, (n) => n.name === 'title' && n.attrs.id === titleId)).toHaveLength(1);
    expect(findAll(root, (n) => n.name === 'desc' && n.attrs.id === descId)).toHaveLength(1);
    expect(root.children[0]?.name).toBe('title');
  });

  it.each(Object.entries(charts))('%s never writes NaN, Infinity or undefined', (_, svg) => {
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('uses text and mark colours with enough contrast on white', () => {
    expect(contrastRatio(COLOURS.text, COLOURS.white)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(COLOURS.mutedText, COLOURS.white)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(COLOURS.mutedText, COLOURS.noDataFill)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(COLOURS.primary, COLOURS.white)).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(COLOURS.secondary, COLOURS.white)).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(COLOURS.tileStroke, COLOURS.white)).toBeGreaterThanOrEqual(3);
  });
});

describe('barChart', () => {
  it('shows every label and every value, in the picture and in the description', () => {
    const root = parseSvg(barChart(buildBarChart()));
    const desc = descOf(root);
    const rows = byClass(root, 'bar-row');

    expect(rows).toHaveLength(4);
    REGIONS_FR.slice(0, 4).forEach(([, label], i) => {
      const lines = byClass(rows[i] as SvgNode, 'bar-label').map((n) => n.text);
      expect(lines.join(' ').replace(/- /g, '-')).toBe(label);
      expect(desc).toContain(label);
      for (const value of [percent(10 + i), percent(20 - i)]) {
        expect(byClass(rows[i] as SvgNode, 'bar-value').map((n) => n.text)).toContain(value);
        expect(desc).toContain(value);
      }
    });
    expect(byClass(root, 'legend-label').map((n) => n.text)).toEqual(['Adhérents', 'Économies']);
  });

  it('draws one bar per value, two per row with a second series', () => {
    const paired = parseSvg(barChart(buildBarChart()));
    const single = parseSvg(barChart(buildBarChart({ bars: [{ label: 'Pharmacies', value: 3 }] })));

    expect(
      byClass(paired, 'bar-row').flatMap((r) => findAll(r, (n) => n.name === 'rect')),
    ).toHaveLength(8);
    expect(
      findAll(single, (n) => n.name === 'rect' && n.attrs.fill === COLOURS.primary),
    ).toHaveLength(1);
    expect(byClass(single, 'legend')).toHaveLength(0);
  });

  it('escapes markup characters in titles, labels and formatted values', () => {
    const svg = barChart(
      buildBarChart({
        title: 'Remises <script>alert("x")</script> & co',
        bars: [{ label: 'Pharmacie "Al Amal" <Nord> & fils', value: 1 }],
        valueFormat: (n) => `<${n}> & "MAD"`,
      }),
    );
    const root = parseSvg(svg);

    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(allText(root)).toContain('Remises <script>alert("x")</script> & co');
    expect(byClass(root, 'bar-value')[0]?.text).toBe('<1> & "MAD"');
    expect(descOf(root)).toContain('Pharmacie "Al Amal" <Nord> & fils');
  });

  it('drops characters that XML cannot carry instead of producing a broken SVG', () => {
    const svg = barChart(
      buildBarChart({ title: 'a\u0001b\uD800c', bars: [{ label: 'x\u0000', value: 1 }] }),
    );

    expect(() => parseSvg(svg)).not.toThrow();
    expect(svg).toContain('a\uFFFDb\uFFFDc');
  });

  it('mirrors for right-to-left: labels on the right, bars growing to the left', () => {
    const bars = REGIONS_AR.map((label, i) => ({ label, value: i + 1 }));
    const ltr = parseSvg(barChart(buildBarChart({ bars, dir: 'ltr', lang: 'ar' })));
    const rtl = parseSvg(barChart(buildBarChart({ bars, dir: 'rtl', lang: 'ar' })));
    const width = Number(rtl.attrs.viewBox?.split(' ')[2]);

    expect(rtl.attrs.direction).toBe('rtl');
    expect(rtl.attrs.lang).toBe('ar');
    const ltrRects = byClass(ltr, 'bar-row').map(
      (r) => findAll(r, (n) => n.name === 'rect')[0] as SvgNode,
    );
    const rtlRows = byClass(rtl, 'bar-row');
    rtlRows.forEach((row, i) => {
      const rect = findAll(row, (n) => n.name === 'rect')[0] as SvgNode;
      const label = byClass(row, 'bar-label')[0] as SvgNode;
      const value = byClass(row, 'bar-value')[0] as SvgNode;
      const ltrRect = ltrRects[i] as SvgNode;

      expect(num(label, 'x')).toBeGreaterThan(num(rect, 'x') + num(rect, 'width'));
      expect(num(value, 'x')).toBeLessThan(num(rect, 'x'));
      expect(num(rect, 'x')).toBeCloseTo(width - num(ltrRect, 'x') - num(ltrRect, 'width'), 0);
      // With direction="rtl", `end` is the left-hand end: each label ends where the bars begin,
      // and each value starts (on its right) where its bar ends.
      expect(label.attrs['text-anchor']).toBe('end');
      expect(value.attrs['text-anchor']).toBe('start');
    });
  });

  it('wraps long labels onto two lines rather than running into the bars', () => {
    const label = 'Laâyoune-Sakia El Hamra, province de Tarfaya et communes rurales voisines';
    const root = parseSvg(barChart(buildBarChart({ bars: [{ label, value: 1 }] })));
    const lines = byClass(root, 'bar-label');
    const rect = findAll(byClass(root, 'bar-row')[0] as SvgNode, (n) => n.name === 'rect')[0];

    expect(lines.length).toBe(2);
    expect(lines[0]?.text).toMatch(/^Laâyoune-/);
    expect(lines[1]?.text.endsWith('…')).toBe(true);
    expect(lines.every((line) => num(line, 'x') < num(rect as SvgNode, 'x'))).toBe(true);
    expect(
      findAll(byClass(root, 'bar-row')[0] as SvgNode, (n) => n.name === 'title')[0]?.text,
    ).toContain(label);
  });

  it('draws a negative value left of zero and a missing value as a dash', () => {
    const root = parseSvg(
      barChart(
        buildBarChart({
          bars: [
            { label: 'A', value: 10 },
            { label: 'B', value: -5 },
            { label: 'C', value: Number.NaN },
          ],
          valueFormat: String,
        }),
      ),
    );
    const [a, b, c] = byClass(root, 'bar-row') as [SvgNode, SvgNode, SvgNode];
    const rectOf = (row: SvgNode): SvgNode[] => findAll(row, (n) => n.name === 'rect');

    expect(num(rectOf(b)[0] as SvgNode, 'x')).toBeLessThan(num(rectOf(a)[0] as SvgNode, 'x'));
    expect(rectOf(c)).toHaveLength(0);
    expect(byClass(c, 'bar-value')[0]?.text).toBe('—');
  });

  it.each([
    ['no bars', []],
    [
      'only non-finite values',
      [
        { label: 'A', value: Number.NaN },
        { label: 'B', value: Infinity },
      ],
    ],
  ])('shows a "no data" chart for %s', (_, bars) => {
    const root = parseSvg(barChart(buildBarChart({ bars })));

    expect(root.attrs['data-empty']).toBe('true');
    expect(byClass(root, 'no-data')[0]?.text).toBe('Aucune donnée');
    expect(descOf(root)).toBe('Aucune donnée');
    expect(findAll(root, (n) => n.name === 'title')[0]?.text).toBe(buildBarChart().title);
  });

  it('says "no data" in Arabic on an Arabic page', () => {
    const root = parseSvg(barChart(buildBarChart({ bars: [], dir: 'rtl', lang: 'ar' })));

    expect(byClass(root, 'no-data')[0]?.text).toBe('لا توجد بيانات');
  });
});

describe('trendChart', () => {
  const input = {
    title: 'Passages par mois',
    valueFormat: (n: number) => `${n} passages`,
    dir: 'ltr' as const,
    lang: 'fr' as const,
  };

  it('marks every month and lists every value in the description', () => {
    const points = months('2025-11', [120, 80, 150, 95]);
    const root = parseSvg(trendChart({ ...input, points }));
    const desc = descOf(root);

    expect(byClass(root, 'trend-point').map((n) => n.attrs['data-month'])).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    for (const value of [120, 80, 150, 95]) {
      expect(desc).toContain(`${value} passages`);
    }
    expect(desc).toContain('novembre 2025');
    expect(desc).toContain('février 2026');
    expect(desc).toContain('maximum\u00a0: 150 passages (janvier 2026)');
    expect(byClass(root, 'latest-value')[0]?.text).toBe('95 passages');
  });

  it('has value ticks and month ticks with the year under the first month and each January', () => {
    const root = parseSvg(trendChart({ ...input, points: months('2025-11', [1, 2, 3, 4]) }));
    const xTicks = byClass(root, 'x-tick').map((n) => n.text);

    const month = (m: number): string =>
      new Intl.DateTimeFormat('fr-MA', { month: 'short', timeZone: 'UTC' }).format(
        new Date(Date.UTC(2026, m - 1, 1)),
      );

    expect(xTicks).toEqual([month(11), '2025', month(12), month(1), '2026', month(2)]);
    expect(byClass(root, 'y-tick').map((n) => n.text)).toContain('0 passages');
  });

  it('sorts months and leaves a gap where a month is missing', () => {
    const points = [
      { label: '2026-03', value: 3 },
      { label: '2026-01', value: 1 },
      { label: '2026-04', value: 4 },
    ];
    const root = parseSvg(trendChart({ ...input, points }));
    const lines = findAll(root, (n) => n.name === 'path' && n.attrs.fill === 'none');
    const dots = byClass(root, 'trend-point');

    expect(dots.map((n) => n.attrs['data-month'])).toEqual(['2026-01', '2026-03', '2026-04']);
    // Only March–April is joined; January stands alone across the missing February.
    expect(lines).toHaveLength(1);
    const xs = dots.map((d) => num(findAll(d, (n) => n.name === 'circle')[0] as SvgNode, 'cx'));
    expect(xs[1]! - xs[0]!).toBeCloseTo(2 * (xs[2]! - xs[1]!), 0);
  });

  it('runs time from right to left in a right-to-left chart', () => {
    const points = months('2026-01', [1, 2, 3]);
    const rtl = parseSvg(trendChart({ ...input, points, dir: 'rtl', lang: 'ar' }));
    const xs = byClass(rtl, 'trend-point').map((d) =>
      num(findAll(d, (n) => n.name === 'circle')[0] as SvgNode, 'cx'),
    );

    expect(xs[0]).toBeGreaterThan(xs[1] as number);
    expect(xs[1]).toBeGreaterThan(xs[2] as number);
    expect(byClass(rtl, 'x-tick').map((n) => n.text)).toContain('يناير');
  });

  it('rejects a label that is not a month and a month given twice', () => {
    expect(() => trendChart({ ...input, points: [{ label: '2026-13', value: 1 }] })).toThrow(
      TypeError,
    );
    expect(() => trendChart({ ...input, points: [{ label: '03/2026', value: 1 }] })).toThrow(
      TypeError,
    );
    expect(() =>
      trendChart({
        ...input,
        points: [
          { label: '2026-03', value: 1 },
          { label: '2026-03', value: 2 },
        ],
      }),
    ).toThrow(/twice/);
  });

  it('shows a "no data" chart for no points or only non-finite values', () => {
    for (const points of [[], [{ label: '2026-01', value: Number.NaN }]]) {
      const root = parseSvg(trendChart({ ...input, points }));

      expect(byClass(root, 'no-data')[0]?.text).toBe('Aucune donnée');
      expect(findAll(root, (n) => n.name === 'path')).toHaveLength(0);
    }
  });

  it('chooses round gridlines, whole numbers for counts', () => {
    expect(niceTicks(0, 95, 5, true)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 3, 5, true)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0, 0.3, 5, false)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(-40, 95, 5, true)).toEqual([-50, 0, 50, 100]);
  });
});

describe('regionTileMap', () => {
  const input = {
    title: 'Offres pour 10 000 adhérents',
    valueFormat: (n: number) => `${n} pts`,
    dir: 'ltr' as const,
    lang: 'fr' as const,
  };

  it('draws exactly 12 tiles, one per region code, each with its code, name and value', () => {
    const root = parseSvg(regionTileMap({ ...input, regions: buildRegions() }));
    const tiles = byClass(root, 'region-tile');
    const desc = descOf(root);

    expect(tiles.map((t) => t.attrs['data-region'])).toEqual(REGIONS_FR.map(([code]) => code));
    tiles.forEach((tile, i) => {
      const [code, label] = REGIONS_FR[i] as [string, string];
      const texts = allText(tile);

      expect(texts.some((t) => t.startsWith(`${code} ${label.split('-')[0]}`))).toBe(true);
      expect(texts).toContain(`${(i + 1) * 100} pts`);
      expect(desc).toContain(`${code} ${label}\u00a0: ${(i + 1) * 100} pts`);
    });
  });

  it("places Tanger at the top, L'Oriental to the north-east and Dakhla at the south-west", () => {
    const root = parseSvg(regionTileMap({ ...input, regions: buildRegions() }));
    const at = (code: string): { x: number; y: number } => {
      const tile = byClass(root, 'region-tile').find((t) => t.attrs['data-region'] === code);
      const rect = findAll(tile as SvgNode, (n) => n.name === 'rect')[0] as SvgNode;

      return { x: num(rect, 'x'), y: num(rect, 'y') };
    };
    const ys = REGIONS_FR.map(([code]) => at(code).y);

    expect(at('01').y).toBe(Math.min(...ys));
    expect(at('12').y).toBe(Math.max(...ys));
    expect(at('02').x).toBeGreaterThan(at('01').x);
    expect(at('12').x).toBeLessThan(at('10').x);
    expect(at('10').y).toBeLessThan(at('11').y);
  });

  it('colours higher values darker and keeps tile text readable', () => {
    const root = parseSvg(regionTileMap({ ...input, regions: buildRegions() }));
    const tiles = byClass(root, 'region-tile');
    const fills = tiles.map((t) => findAll(t, (n) => n.name === 'rect')[0]?.attrs.fill ?? '');

    expect(fills[0]).toBe(SEQUENTIAL_PALETTE[0]);
    expect(fills[11]).toBe(SEQUENTIAL_PALETTE[4]);
    for (let i = 1; i < fills.length; i += 1) {
      expect(relativeLuminance(fills[i] as string)).toBeLessThanOrEqual(
        relativeLuminance(fills[i - 1] as string),
      );
    }
    tiles.forEach((tile, i) => {
      for (const text of findAll(tile, (n) => n.name === 'text')) {
        expect(contrastRatio(text.attrs.fill ?? '', fills[i] as string)).toBeGreaterThanOrEqual(
          4.5,
        );
      }
    });
    expect(byClass(root, 'legend-label').map((n) => n.text)).toEqual([
      '100 pts – 320 pts',
      '320 pts – 540 pts',
      '540 pts – 760 pts',
      '760 pts – 980 pts',
      '980 pts – 1200 pts',
    ]);
  });

  it('still draws a region without data, in grey, and says so in the legend', () => {
    const regions = buildRegions().filter((r) => r.code !== '08');
    const root = parseSvg(regionTileMap({ ...input, regions }));
    const draa = byClass(root, 'region-tile').find((t) => t.attrs['data-region'] === '08');

    expect(byClass(root, 'region-tile')).toHaveLength(12);
    expect(draa?.attrs['data-missing']).toBe('true');
    expect(allText(draa as SvgNode)).toContain('—');
    expect(byClass(root, 'legend-label').map((n) => n.text)).toContain('pas de donnée');
    expect(descOf(root)).toContain('08 Drâa\u00a0: pas de donnée');
  });

  it('keeps geography in right-to-left charts and writes Arabic names', () => {
    const ltr = parseSvg(regionTileMap({ ...input, regions: buildRegions() }));
    const rtl = parseSvg(
      regionTileMap({ ...input, regions: buildRegions(), dir: 'rtl', lang: 'ar' }),
    );
    const rects = (root: SvgNode): string[] =>
      byClass(root, 'region-tile').map((t) =>
        JSON.stringify(findAll(t, (n) => n.name === 'rect')[0]?.attrs),
      );

    expect(rects(rtl)).toEqual(rects(ltr));
    expect(allText(rtl)).toContain('01 طنجة');
  });

  it('rejects an unknown region code and a region given twice', () => {
    expect(() =>
      regionTileMap({ ...input, regions: [{ code: '13', label: 'X', value: 1 }] }),
    ).toThrow(TypeError);
    expect(() =>
      regionTileMap({
        ...input,
        regions: [...buildRegions(), { code: '01', label: 'Tanger', value: 1 }],
      }),
    ).toThrow(/twice/);
  });

  it('shows a "no data" chart when no region has a value', () => {
    const root = parseSvg(regionTileMap({ ...input, regions: [] }));

    expect(byClass(root, 'no-data')[0]?.text).toBe('Aucune donnée');
    expect(byClass(root, 'region-tile')).toHaveLength(0);
  });
});
