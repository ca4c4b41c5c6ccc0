import type { OnCallShift } from './schedules.service';

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function text(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r?\n/g, '\\n');
}

/** An RFC 5545 calendar of on-call shifts, in UTC so every client shows them in its own zone. */
export function renderIcal(shifts: OnCallShift[], now = new Date()): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Tocsin//On-call//EN',
    'CALSCALE:GREGORIAN',
    'X-WR-CALNAME:Tocsin on-call',
  ];
  for (const s of shifts) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${s.scheduleId}-${s.userId}-${s.start.getTime()}@tocsin`,
      `DTSTAMP:${stamp(now)}`,
      `DTSTART:${stamp(s.start)}`,
      `DTEND:${stamp(s.end)}`,
      `SUMMARY:${text(`On call: ${s.scheduleName}`)}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}
