// The Live Platform writes .NET timestamps that are not RFC 3339: a 7-digit fraction, an offset
// without a colon, or no offset at all, and 0001-01-01T00:00:00 (DateTime's default) for "unset".
const LIVE_DATE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:(\.\d{1,3})\d{0,6})?(Z|[+-]\d\d:?\d\d)?$/i;

/**
 * Reads a Live Platform timestamp into a Date.
 *
 * - `0001-01-01T00:00:00` (.NET's `DateTime.MinValue`, the vendor's "unset") gives `null`, as do
 *   `null`, `undefined` and `""`.
 * - Fractions of up to 7 digits (.NET ticks: `2024-04-16T11:58:36.6745335Z`) are truncated to ms.
 * - Offsets may be written `+0000`, `+00:00` or `Z`.
 * - **A value without an offset is UTC** (the server's clock), never the reader's local time zone.
 *
 * @throws RangeError when the text is not a timestamp of that form.
 */
export function parseLiveDate(s: string | null | undefined): Date | null {
  if (!s || s.startsWith('0001-01-01')) return null;
  const m = LIVE_DATE.exec(s);
  const off = m?.[3] && m[3].toUpperCase() !== 'Z' ? `${m[3].slice(0, 3)}:${m[3].slice(-2)}` : 'Z';
  const date = m && new Date(m[1]! + (m[2] ?? '') + off);
  if (!date || Number.isNaN(date.getTime())) {
    throw new RangeError(
      `parseLiveDate: ${JSON.stringify(s)} is not a timestamp like 2024-04-16T11:58:36.6745335Z`,
    );
  }
  return date;
}
