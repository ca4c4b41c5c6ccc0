// One look for every probe's state. The api speaks in its own words per kind (a check is up or
// down, a heartbeat up, missed or new, a scrape target up, down or unknown); people read
// OK / Down / Late / Waiting.
const LOOK: Record<string, { text: string; className: string }> = {
  up: { text: 'Up', className: 'badge-ok' },
  down: { text: 'Down', className: 'state-firing' },
  missed: { text: 'Late', className: 'state-firing' },
  new: { text: 'Waiting for first ping', className: 'badge-muted' },
  unknown: { text: 'Not run yet', className: 'badge-muted' },
};

export function StatusBadge({ status, upText }: { status: string; upText?: string }) {
  const look = LOOK[status] ?? { text: status, className: 'badge-muted' };
  return (
    <span className={`badge ${look.className}`} data-status={status}>
      {status === 'up' && upText ? upText : look.text}
    </span>
  );
}
