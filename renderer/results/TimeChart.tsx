/**
 * The time-series chart (uPlot): one line per field and tag combination. Dragging across the
 * plot zooms in; "Re-run with this range" asks the workbench to query just that range.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Table } from 'apache-arrow';
import { chartData } from './chart-series.ts';
import { formatTimestamp } from './arrow-values.ts';

const palette = ['#2f6fde', '#e0702b', '#2a9d6f', '#c2408f', '#8a63d2', '#b8951f', '#1f9fb8', '#d64545'];

export function TimeChart(props: {
  table: Table;
  timeZone: string;
  dark: boolean;
  onZoomRerun?: (range: { startMs: number; endMs: number; timeColumn: string }) => void;
}) {
  const { table, timeZone, dark, onZoomRerun } = props;
  const data = useMemo(() => chartData(table), [table]);
  const host = useRef<HTMLDivElement>(null);
  const [zoom, setZoom] = useState<{ min: number; max: number } | undefined>();

  useEffect(() => {
    const element = host.current;
    if (!element || !data) return;
    const axisColor = dark ? '#aab3c2' : '#4b5565';
    const gridColor = dark ? 'rgba(255,255,255,0.08)' : 'rgba(0,0,0,0.07)';
    const options: uPlot.Options = {
      width: Math.max(300, element.clientWidth),
      height: Math.max(200, element.clientHeight - 40),
      series: [
        { value: (_u, v) => (v == null ? '' : formatTimestamp(v * 1000, timeZone)) },
        ...data.series.map((s, i) => ({
          label: s.label,
          stroke: palette[i % palette.length]!,
          width: 1.5,
          spanGaps: true,
          points: { show: data.x.length < 60 },
        })),
      ],
      axes: [
        { stroke: axisColor, grid: { stroke: gridColor }, ticks: { stroke: gridColor }, space: 90 },
        { stroke: axisColor, grid: { stroke: gridColor }, ticks: { stroke: gridColor }, size: 60 },
      ],
      scales: { x: { time: true } },
      // uPlot shows local time; shift so the axis reads in the chosen zone.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), timeZone),
      cursor: { drag: { x: true, y: false } },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width > 2) {
              const min = u.posToVal(u.select.left, 'x');
              const max = u.posToVal(u.select.left + u.select.width, 'x');
              setZoom({ min, max });
            }
          },
        ],
      },
    };
    const plot = new uPlot(options, [Array.from(data.x), ...data.series.map((s) => s.values)], element);
    const observer = new ResizeObserver(() => {
      plot.setSize({ width: Math.max(300, element.clientWidth), height: Math.max(200, element.clientHeight - 40) });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [data, dark, timeZone]);

  if (!data) {
    return (
      <p className="empty" role="note">
        No chart: the result needs a time column and at least one numeric column.
      </p>
    );
  }
  return (
    <div className="chart-wrap">
      <div className="grid-toolbar" role="toolbar" aria-label="Chart actions">
        <span className="muted">
          {data.series.length} series over {data.x.length.toLocaleString('en-US')} timestamps ({data.timeColumn})
          {data.truncated ? ' — first 200,000 rows / 40 series' : ''}
        </span>
        <span className="spacer" />
        {zoom && (
          <>
            <span className="muted">
              {formatTimestamp(zoom.min * 1000, timeZone)} → {formatTimestamp(zoom.max * 1000, timeZone)}
            </span>
            {onZoomRerun && (
              <button
                type="button"
                onClick={() =>
                  onZoomRerun({
                    startMs: Math.floor(zoom.min * 1000),
                    endMs: Math.ceil(zoom.max * 1000),
                    timeColumn: data.timeColumn,
                  })
                }
              >
                Re-run with this range
              </button>
            )}
          </>
        )}
      </div>
      <div
        className="chart-host"
        ref={host}
        role="img"
        aria-label={`Time series chart of ${data.series.length} series`}
        data-testid="chart"
      />
    </div>
  );
}
