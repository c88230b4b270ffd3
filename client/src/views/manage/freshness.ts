import { localDate } from '../../lib/deployment.svelte.js';
import { t } from '../../lib/i18n/i18n.svelte.js';

/** "Verified 2026-03-04" in the station's zone, or "never verified". */
export function freshness(verifiedAt: string | null): string {
  if (!verifiedAt) return t('manage.verified.never');
  const date = localDate(verifiedAt);
  return t('manage.verified.at', { date });
}
