/**
 * A small line chart of values over time (nulls are gaps). It is an image to assistive
 * technology, described by `label`; the number it leads to is printed beside it.
 */
export function Sparkline({
  values,
  label,
  max,
}: {
  values: readonly (number | null)[];
  label: string;
  /** The top of the scale; the largest value when absent. */
  max?: number;
}) {
  const width = 120;
  const height = 32;
  const top = max ?? Math.max(1, ...values.filter((v): v is number => v !== null));
  const segments: [number, number][][] = [[]];
  values.forEach((value, index) => {
    if (value === null) {
      segments.push([]);
      return;
    }
    const x = values.length <= 1 ? width / 2 : (index / (values.length - 1)) * width;
    const y = height - 2 - (Math.min(value, top) / top) * (height - 4);
    segments[segments.length - 1]?.push([x, y]);
  });
  return (
    <svg
      class="sparkline"
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
    >
      <line class="sparkline-axis" x1="0" y1={height - 1} x2={width} y2={height - 1} />
      {segments.map((points, index) => {
        const [first] = points;
        if (first === undefined) {
          return null;
        }
        return points.length === 1 ? (
          <circle key={index} class="sparkline-dot" cx={first[0]} cy={first[1]} r="2" />
        ) : (
          <polyline
            key={index}
            class="sparkline-line"
            points={points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}
          />
        );
      })}
    </svg>
  );
}
