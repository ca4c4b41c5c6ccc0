/** The TsdbWriter probes write results through (one per process). */
export const PROBES_WRITER = Symbol('PROBES_WRITER');
/** The SsrfGuard every probe request goes through. */
export const PROBES_GUARD = Symbol('PROBES_GUARD');
