/**
 * Server-side SVG charts for the reports. Every function is pure: data in, an SVG string out,
 * with no DOM and no browser library, so the same chart can be inlined in a page, served as an
 * image or embedded in a PDF. Each chart is an accessible image (`role="img"`, `<title>`,
 * `<desc>` listing the data), scales through its viewBox, mirrors for right-to-left pages and
 * draws a "no data" notice instead of empty axes.
 */
export { type ChartDir, type ChartLang, type ValueFormat } from './svg';
export { type BarChartInput, type BarDatum, barChart } from './bar-chart';
export { type TrendChartInput, type TrendPoint, trendChart } from './trend-chart';
export { type RegionTileMapInput, type RegionValue, regionTileMap } from './region-tile-map';
