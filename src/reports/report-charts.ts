import { Language } from '../i18n';
import { formatMoney, formatNumber } from '../web/format';
import { barChart, regionTileMap, trendChart } from './charts';
import { DrillReport, TrendPoint } from './drill';
import { FairnessRow } from './fairness';

type Translate = (key: string, params?: Record<string, unknown>) => string;

const money = (lang: Language) => (cents: number) => formatMoney(cents, lang);
const percent = (lang: Language) => (value: number) => `${formatNumber(value, lang)} %`;

/** The drill page's two charts: members' savings per line, and month by month. */
export function drillCharts(report: DrillReport, trend: TrendPoint[], lang: Language, t: Translate) {
  const dir = lang === 'ar' ? 'rtl' : 'ltr';
  const level = t(`adminReports.level.${report.level}`);

  return {
    lines: barChart({
      title: `${t('adminReports.discount')} — ${t('adminReports.byLevel', { level })}`,
      bars: report.rows.map((row) => ({
        label: lang === 'ar' ? row.nameAr : row.nameFr,
        value: row.discountCents,
      })),
      valueFormat: money(lang),
      dir,
      lang,
    }),
    months: trendChart({
      title: `${t('adminReports.discount')} — ${t('adminReports.byMonth')}`,
      points: trend.map((point) => ({ label: point.month, value: point.discountCents })),
      valueFormat: money(lang),
      dir,
      lang,
    }),
  };
}

/** The fairness page's charts: savings per 1,000 members on the map, shares side by side. */
export function fairnessCharts(rows: FairnessRow[], lang: Language, t: Translate) {
  const dir = lang === 'ar' ? 'rtl' : 'ltr';
  const name = (row: FairnessRow) => (lang === 'ar' ? row.nameAr : row.nameFr);

  return {
    map: regionTileMap({
      title: t('adminReports.fairness.savingsPer1000'),
      regions: rows.map((row) => ({
        code: row.code,
        label: name(row),
        value: row.savingsCentsPer1000Members ?? 0,
      })),
      valueFormat: money(lang),
      dir,
      lang,
    }),
    shares: barChart({
      title: `${t('adminReports.fairness.shareOfMembers')} / ${t('adminReports.fairness.shareOfSavings')}`,
      bars: rows.map((row) => ({
        label: name(row),
        value: row.shareOfMembers ?? 0,
        secondaryValue: row.shareOfSavings ?? 0,
      })),
      valueFormat: percent(lang),
      dir,
      lang,
      seriesLabels: {
        value: t('adminReports.fairness.shareOfMembers'),
        secondaryValue: t('adminReports.fairness.shareOfSavings'),
      },
    }),
  };
}
