'use client';

import { useState } from 'react';

/**
 * A destructive action asks for a second, explicit click instead of a browser confirm()
 * dialog, which screen readers and phones handle poorly.
 */
export function ConfirmButton({
  label,
  confirmLabel,
  onConfirm,
  disabled,
  accessibleName,
}: {
  label: string;
  confirmLabel: string;
  onConfirm: () => Promise<unknown> | void;
  disabled?: boolean;
  /** Names the object too ("Revoke key ci-pusher"), since several buttons share a label. */
  accessibleName?: string;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);

  if (!asking) {
    return (
      <button
        type="button"
        className="button button-danger-quiet"
        disabled={disabled}
        aria-label={accessibleName}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm-group">
      <button
        type="button"
        className="button button-danger"
        disabled={busy}
        autoFocus
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {busy ? 'Working…' : confirmLabel}
      </button>
      <button
        type="button"
        className="button button-quiet"
        disabled={busy}
        onClick={() => setAsking(false)}
      >
        Cancel
      </button>
    </span>
  );
}
