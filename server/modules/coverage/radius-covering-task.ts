/** Runs the straight-line covering in the CPU pool; a request over the pair budget is a 422. */
import { HttpError } from '../../http/errors.js';
import { runCpuTask } from '../../work/cpu-pool.js';
import type { RadiusCoveringInput, RadiusCoveringResult } from './radius-covering.js';

export async function runRadiusCovering(input: RadiusCoveringInput): Promise<RadiusCoveringResult> {
  const answer = await runCpuTask('radiusCovering', input);
  if ('refused' in answer) {
    throw new HttpError(
      422,
      `More than ${answer.refused.maxPairs} demand points lie within ${input.radiusM} m of the candidate sites; use a smaller radius, fewer candidates (max_candidates), a coarser cell or one area`,
    );
  }
  return answer.result;
}
