import { onFirstImport } from '@switchboard/platform';
import type * as Vega from 'vega';
import type * as VegaLite from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { ReportResult } from '../domain/report';
import { reportChartSpec, type ChartSize } from './report-chart-spec';

// Loaded on the first chart drawn, never at start (ADR 0058): together they are about 2 MB of code.
const vega = onFirstImport<typeof Vega>('vega');
const vegaLite = onFirstImport<typeof VegaLite>('vega-lite');

/**
 * Renders a Vega-Lite spec to a self-contained SVG on the server (vega's headless `renderer: 'none'`,
 * no canvas: text widths are estimated). The loader refuses every URL and file, so a chart can
 * never make the api fetch anything; data are always inline.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // One after the other: the two share modules (vega-util), and Jest's ESM loader links a module
  // imported by two graphs at once only once.
  const { View, parse, loader } = await vega();
  const { compile } = await vegaLite();
  const refuse = async (uri: string): Promise<never> => {
    throw new Error(`charts load no external data (${uri})`);
  };
  const noLoads = Object.assign(loader(), { load: refuse, sanitize: refuse, http: refuse, file: refuse });
  const view = new View(parse(compile(spec).spec), { renderer: 'none', loader: noLoads, logLevel: 0 });
  try {
    return withoutExternalReferences(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** The report's chart as SVG (the spec of `reportChartSpec`). */
export function renderReportChart(result: ReportResult, size?: ChartSize): Promise<string> {
  return renderSvg(reportChartSpec(result, size));
}

/**
 * vega's SVG names the XLink namespace and nothing else outside itself; a mail client or an `<img>`
 * must not be asked to fetch anything, so an `href` to anything but a fragment is dropped.
 */
function withoutExternalReferences(svg: string): string {
  return svg.replace(/\s(?:xlink:)?href="(?!#)[^"]*"/g, '');
}
