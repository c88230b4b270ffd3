import { describe, expect, it } from 'vitest';
import { coverageCsv } from '../../../server/modules/coverage/coverage-export.js';

type Report = Parameters<typeof coverageCsv>[0];

/** A one-area report: only what the CSV reads. */
function reportWith(name: string, demandLayerName: string): Report {
  return {
    rule: { rule: 'radius:500', distance_kind: 'straight_line' },
    instant: { at: '2026-11-28T02:00:00.000Z', local: '2026-11-28T10:00', day_kind: 'workday' },
    demand: { layer: { id: 3, name: demandLayerName, weight_label: 'people' }, proxy: null },
    areas: [{ code: '110101', name, covered_pct: -1.5, largest_gap_point: [116.4, 39.9] }],
  } as unknown as Report;
}

describe('coverage CSV export', () => {
  it('escapes text a spreadsheet would run as a formula (area and layer names come from imported files)', () => {
    const csv = coverageCsv(reportWith('-1+HYPERLINK("http://evil.example","点此核对")', '=cmd|calc'));
    const row = csv.split('\r\n')[1]!;
    expect(row).toContain(`"'-1+HYPERLINK(""http://evil.example"",""点此核对"")"`);
    expect(row).toContain(`layer:3:=cmd|calc`); // not at the start of its cell: harmless
  });

  it('keeps numbers numbers, negative ones included', () => {
    const row = coverageCsv(reportWith('东城区', 'p')).split('\r\n')[1]!;
    expect(row.split(',')).toContain('-1.5');
    expect(row).not.toContain("'-1.5");
  });
});
