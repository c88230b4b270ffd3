/** Beijing wall-clock time → instant, e.g. bj('2026-02-17T10:00'). */
export const bj = (local: string): Date => new Date(`${local}:00+08:00`);
