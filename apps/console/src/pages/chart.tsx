import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  dash?: number[];
}

const COLORS = ['#1d4ed8', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2'];
export const color = (i: number) => COLORS[i % COLORS.length];

/** A uPlot line chart of per-time series (x in unix seconds); redrawn when the data changes. */
export function Chart(props: {
  title: string;
  x: number[];
  series: ChartSeries[];
  unit: string;
  max?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const plot = new uPlot(
      {
        title: props.title,
        width: Math.max(320, box.current.clientWidth),
        height: 220,
        scales: { x: { time: true }, y: props.max === undefined ? {} : { range: [0, props.max] } },
        axes: [{}, { label: props.unit, size: 60 }],
        series: [
          {},
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            dash: s.dash,
            spanGaps: false,
            points: { show: true, size: 4 },
          })),
        ],
      },
      [props.x, ...props.series.map((s) => s.values)] as uPlot.AlignedData,
      box.current,
    );
    return () => plot.destroy();
  }, [props.x, props.series, props.title]);
  return <div class="chart" ref={box} />;
}
