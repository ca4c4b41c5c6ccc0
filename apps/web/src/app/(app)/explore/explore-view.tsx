'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { formatValue, LineChart, seriesName } from '../../../components/line-chart';
import { PromqlEditor } from '../../../components/promql-editor';
import { RANGES } from '../../../components/time-range';
import { useQuery } from '../../../graphql/hooks';
import { QUERY_RANGE } from '../../../graphql/operations';

export function ExploreView() {
  const router = useRouter();
  const params = useSearchParams();
  const initial = params.get('q') ?? '';
  const [text, setText] = useState(initial);
  const [rangeMs, setRangeMs] = useState(Number(params.get('range')) || RANGES[1].ms);
  // The query runs for what was submitted, not for every keystroke.
  const [submitted, setSubmitted] = useState({ query: initial, end: Date.now(), rangeMs });
  const [view, setView] = useState<'chart' | 'table'>('chart');

  const range = { start: submitted.end - submitted.rangeMs, end: submitted.end };
  const result = useQuery(
    QUERY_RANGE,
    { query: submitted.query, range },
    { skip: !submitted.query.trim() },
  );

  function run(nextRange = rangeMs) {
    const query = text.trim();
    setSubmitted({ query, end: Date.now(), rangeMs: nextRange });
    // The URL holds the query, so a chart can be shared or bookmarked.
    router.replace(`/explore?q=${encodeURIComponent(query)}&range=${nextRange}`, { scroll: false });
  }

  const series = result.data?.queryRange.series ?? [];
  return (
    <>
      <div className="page-header">
        <h1>Explore</h1>
        <p className="muted">Ask your metrics anything in PromQL.</p>
      </div>
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <PromqlEditor id="explore-query" value={text} onChange={setText} onRun={() => run()} />
        <div className="button-row">
          <label htmlFor="explore-range" className="visually-hidden">
            Time range
          </label>
          <select
            id="explore-range"
            value={rangeMs}
            onChange={(e) => {
              setRangeMs(Number(e.target.value));
              if (submitted.query) run(Number(e.target.value));
            }}
          >
            {RANGES.map((r) => (
              <option key={r.ms} value={r.ms}>
                {r.label}
              </option>
            ))}
          </select>
          <button type="submit" className="button button-primary" disabled={!text.trim()}>
            Run query
          </button>
        </div>
      </form>

      <ErrorMessage
        error={result.error}
        title="The query failed"
        hints={{ BAD_USER_INPUT: 'Check the PromQL syntax: the message says where it went wrong.' }}
      />
      {!submitted.query ? (
        <div className="empty">
          <p>Type a metric name to start — suggestions come from the metrics you have sent.</p>
          <p>
            No metrics yet? Home shows how to send them with Prometheus <code>remote_write</code>,
            curl or the agent.
          </p>
        </div>
      ) : null}
      {submitted.query && result.loading && !result.data ? <p className="muted">Running…</p> : null}
      {result.data ? (
        <section className="card" aria-label="Result">
          <div className="button-row" role="group" aria-label="Show as">
            <button
              type="button"
              className="button"
              aria-pressed={view === 'chart'}
              onClick={() => setView('chart')}
            >
              Chart
            </button>
            <button
              type="button"
              className="button"
              aria-pressed={view === 'table'}
              onClick={() => setView('table')}
            >
              Table
            </button>
            <span className="muted small">{series.length} series</span>
          </div>
          {series.length === 0 ? (
            <p className="empty">
              No data for this query in the chosen range. Check the metric name and labels, or widen
              the range.
            </p>
          ) : view === 'chart' ? (
            <LineChart
              title={submitted.query}
              series={series}
              start={range.start}
              end={range.end}
            />
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Series</th>
                    <th scope="col">Last value</th>
                    <th scope="col">Points</th>
                  </tr>
                </thead>
                <tbody>
                  {series.map((s, i) => {
                    const last = [...s.values].reverse().find((v) => v !== null);
                    return (
                      <tr key={i}>
                        <td>
                          <code>{seriesName(s.labels)}</code>
                        </td>
                        <td>{last === undefined || last === null ? '—' : formatValue(last)}</td>
                        <td>{s.values.length}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}
    </>
  );
}
