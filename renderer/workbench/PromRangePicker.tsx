/** PromQL's time range: relative ("last 1 h") or absolute (from/to), and the step. */
import type { PromRange } from './tabs-store.ts';

const relative: [string, number][] = [
  ['5 min', 300],
  ['15 min', 900],
  ['1 h', 3600],
  ['6 h', 21600],
  ['24 h', 86400],
  ['7 d', 604800],
];

const toLocalInput = (seconds: number): string => {
  const date = new Date(seconds * 1000);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
};

export function PromRangePicker({ range, onChange }: { range: PromRange; onChange(range: PromRange): void }) {
  const absolute = range.start !== undefined && range.end !== undefined;
  return (
    <div className="toolbar range" role="group" aria-label="PromQL time range">
      <label className="field">
        Range
        <select
          value={absolute ? 'absolute' : String(range.lastSeconds)}
          onChange={(e) => {
            if (e.target.value === 'absolute') {
              const end = Math.floor(Date.now() / 1000);
              onChange({ ...range, start: end - range.lastSeconds, end });
            } else onChange({ lastSeconds: Number(e.target.value), step: range.step });
          }}
        >
          {relative.map(([label, seconds]) => (
            <option key={seconds} value={seconds}>
              Last {label}
            </option>
          ))}
          <option value="absolute">Absolute…</option>
        </select>
      </label>
      {absolute && (
        <>
          <label className="field">
            From
            <input
              type="datetime-local"
              value={toLocalInput(range.start!)}
              onChange={(e) => onChange({ ...range, start: new Date(e.target.value).getTime() / 1000 })}
            />
          </label>
          <label className="field">
            To
            <input
              type="datetime-local"
              value={toLocalInput(range.end!)}
              onChange={(e) => onChange({ ...range, end: new Date(e.target.value).getTime() / 1000 })}
            />
          </label>
        </>
      )}
      <label className="field">
        Step (s)
        <input
          type="number"
          min={0}
          className="narrow"
          value={range.step}
          onChange={(e) => onChange({ ...range, step: Math.max(0, Number(e.target.value)) })}
          title="0 picks about 250 points over the range"
        />
      </label>
    </div>
  );
}
