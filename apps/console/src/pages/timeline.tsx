import { duration } from '../format';
import type { Attempt } from '../types';

const WIDTH = 900;
const ROW = 22;
const LEFT = 10;
const RIGHT = 120;

/**
 * One attempt drawn against MobilePay's PATCH deadline: the x axis runs from the callback (0) to
 * past the deadline (a red line); every step is a dot on its own row with its offset.
 */
export function Timeline({ attempt }: { attempt: Attempt }) {
  const { entries, deadlineOffsetMs } = attempt.timeline;
  const last = Math.max(0, ...entries.map((e) => e.offsetMs));
  const span = Math.max(deadlineOffsetMs, last) * 1.05 || 1;
  const x = (ms: number) => LEFT + (Math.max(0, ms) / span) * (WIDTH - LEFT - RIGHT);
  const height = 30 + entries.length * ROW + 20;
  const deadlineX = x(deadlineOffsetMs);
  return (
    <svg
      class="timeline"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label={`timeline of attempt ${attempt.id}`}
    >
      <line x1={LEFT} x2={WIDTH - RIGHT} y1={height - 20} y2={height - 20} class="axis" />
      <text x={LEFT} y={height - 5} class="tick">
        0
      </text>
      <line x1={deadlineX} x2={deadlineX} y1={10} y2={height - 20} class="deadline" />
      <text x={deadlineX + 4} y={20} class="deadline-label">
        PATCH deadline {duration(deadlineOffsetMs)}
      </text>
      {entries.map((entry, i) => {
        const y = 34 + i * ROW;
        const cx = x(entry.offsetMs);
        const late = entry.offsetMs > deadlineOffsetMs;
        return (
          <g key={i} class={`step step-${entry.step}${late ? ' late' : ''}`}>
            <line x1={LEFT} x2={cx} y1={y} y2={y} class="guide" />
            <circle cx={cx} cy={y} r={5} />
            <text x={Math.min(cx + 9, WIDTH - RIGHT - 250)} y={y + 4}>
              {entry.label} · +{duration(entry.offsetMs)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
