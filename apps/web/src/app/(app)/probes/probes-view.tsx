'use client';

import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { useMe } from '../../../components/me-context';
import { useQuery } from '../../../graphql/hooks';
import { PROBES_QUERY } from '../../../graphql/operations';
import { canEditConfig } from '../../../lib/permissions';
import { ChecksSection } from './checks';
import { HeartbeatsSection } from './heartbeats';
import { ScrapeTargetsSection } from './scrape-targets';
import { StatusPageSection } from './status-page';

const TABS = [
  { id: 'checks', label: 'Checks' },
  { id: 'heartbeats', label: 'Heartbeats' },
  { id: 'scrape-targets', label: 'Scrape targets' },
  { id: 'status-page', label: 'Status page' },
] as const;
type Tab = (typeof TABS)[number]['id'];

// Probes run every few seconds to minutes in the worker; the page re-reads their results on this
// period (and on demand), rather than holding a subscription the api does not offer for them.
const REFRESH_MS = 15_000;

export function ProbesView() {
  const me = useMe();
  const edit = canEditConfig(me.role);
  const timeZone = me.user.timeZone;
  const data = useQuery(PROBES_QUERY, {});
  const [tab, setTab] = useState<Tab>('checks');
  const { reload } = data;

  // The tab lives in the URL's hash so a link (or a reload) lands on it.
  useEffect(() => {
    const fromHash = () => {
      const wanted = window.location.hash.slice(1);
      const found = TABS.find((t) => t.id === wanted);
      if (found) setTab(found.id);
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    return () => window.removeEventListener('hashchange', fromHash);
  }, []);

  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);

  // On a phone the tab strip scrolls sideways; keep the chosen tab in sight.
  useEffect(() => {
    document.getElementById(`tab-${tab}`)?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [tab]);

  const choose = useCallback((id: Tab, focus = false) => {
    setTab(id);
    window.history.replaceState(null, '', `#${id}`);
    if (focus) document.getElementById(`tab-${id}`)?.focus();
  }, []);

  // Arrow keys move between tabs, as the WAI-ARIA tabs pattern expects.
  function onKeyDown(event: KeyboardEvent) {
    const i = TABS.findIndex((t) => t.id === tab);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    choose(TABS[(i + step + TABS.length) % TABS.length].id, true);
  }

  const checks = data.data?.checks ?? [];
  const heartbeats = data.data?.heartbeats ?? [];
  const targets = data.data?.scrapeTargets ?? [];
  const counts: Record<Tab, number | null> = {
    checks: data.data ? checks.length : null,
    heartbeats: data.data ? heartbeats.length : null,
    'scrape-targets': data.data ? targets.length : null,
    'status-page': null,
  };
  const down =
    checks.filter((c) => c.status === 'down').length +
    heartbeats.filter((h) => h.status === 'missed').length +
    targets.filter((t) => t.health === 'down').length;

  return (
    <>
      <div className="page-header page-header-row">
        <div className="page-header-main">
          <h1>Probes</h1>
          <p className="muted">
            What Tocsin checks and collects for you: synthetic checks, heartbeats from your jobs,
            Prometheus scrape targets, and the public status page.
            {edit ? '' : ' Your role can look but not change them.'}
          </p>
        </div>
        <button
          type="button"
          className="button"
          onClick={() => void reload()}
          disabled={data.loading}
        >
          {data.loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <ErrorMessage error={data.error} title="Could not load probes" />
      {data.data && down > 0 ? (
        <p className="callout callout-error" role="status">
          {down} probe{down > 1 ? 's are' : ' is'} failing.
        </p>
      ) : null}
      <div className="tabs" role="tablist" aria-label="Probe kinds" onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className="tab"
            onClick={() => choose(t.id)}
          >
            {t.label}
            {counts[t.id] !== null ? <span className="badge">{counts[t.id]}</span> : null}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`panel-${tab}`}
        aria-labelledby={`tab-${tab}`}
        className="tab-panel"
        tabIndex={0}
      >
        {!data.data ? (
          data.loading ? (
            <p className="muted">Loading…</p>
          ) : null
        ) : tab === 'checks' ? (
          <ChecksSection checks={checks} canEdit={edit} timeZone={timeZone} reload={reload} />
        ) : tab === 'heartbeats' ? (
          <HeartbeatsSection
            heartbeats={heartbeats}
            canEdit={edit}
            timeZone={timeZone}
            reload={reload}
          />
        ) : tab === 'scrape-targets' ? (
          <ScrapeTargetsSection
            targets={targets}
            canEdit={edit}
            timeZone={timeZone}
            reload={reload}
          />
        ) : (
          <StatusPageSection
            slug={me.currentOrganization?.slug ?? null}
            checks={checks}
            canEdit={edit}
            timeZone={timeZone}
          />
        )}
      </div>
    </>
  );
}
