/** Timestamps in the user's locale, the exact time kept for hover (the run's times and `date-time` outputs). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatTime, localDate, renderTime, timeOf } from '../../../elements/internal/format-date.js';

describe('format-date', () => {
  it('shows a timestamp as the user’s locale writes it, keeping the value as sent', () => {
    const iso = '2026-12-04T19:10:08.123Z';
    assert.deepEqual(localDate(iso), { text: new Date(iso).toLocaleString(), iso });
    assert.equal(formatTime(iso), new Date(iso).toLocaleString());
    assert.deepEqual(
      localDate('2026-12-04T20:10:08+01:00')?.text,
      new Date(iso.replace('.123', '')).toLocaleString(),
    );
  });

  it('shows a day as that day, wherever the user is', () => {
    assert.equal(
      localDate('2026-12-04')?.text,
      new Date(Date.UTC(2026, 11, 4)).toLocaleDateString(undefined, { timeZone: 'UTC' }),
    );
    assert.equal(timeOf('2026-12-04'), Date.UTC(2026, 11, 4));
  });

  it('takes only ISO dates for dates, and says so when there is none', () => {
    for (const text of ['12', 'soon', 'Friday 4 December', '2026-13-45T00:00:00Z'])
      assert.equal(localDate(text), undefined, text);
    assert.equal(formatTime('soon'), 'soon');
    assert.equal(formatTime(null), '—');
    assert.equal(formatTime(''), '—');
  });

  it('renders a <time> whose datetime and title are the exact time', () => {
    const iso = '2026-12-04T19:10:08Z';
    const template = renderTime(iso);
    assert.match(template.strings.join(''), /^<time datetime=.*title=.*>.*<\/time>$/);
    assert.deepEqual(template.values, [iso, iso, new Date(iso).toLocaleString()]);
    assert.deepEqual(renderTime(undefined).values, ['—']);
  });
});
