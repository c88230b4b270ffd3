/**
 * The coverage rule a planner picks: a straight-line service radius (服务半径, "500 m", "1 km"),
 * or a travel time by mode on the loaded road network ("10 min walk"). Every result names the
 * rule and the kind of distance it measured, so figures are never read out of context.
 */
import { PROFILES, type ProfileName } from '../../routing/profiles.js';

export type CoverageRule =
  { kind: 'radius'; metres: number } | { kind: 'network'; mode: ProfileName; minutes: number };

export const MAX_RADIUS_M = 5_000;
export const MAX_MINUTES = 60;
export const DEFAULT_RULE_TEXT = 'radius:500';

export const RULE_SYNTAX = `radius:<metres 50..${MAX_RADIUS_M}> (e.g. radius:500, radius:1000) or <${PROFILES.join('|')}>:<minutes 1..${MAX_MINUTES}> (e.g. walk:10)`;

/** Parses `radius:500`, `500m`, `1km`, `walk:10`, `walk:10min`; returns an error text otherwise. */
export function parseCoverageRule(text: string): CoverageRule | { error: string } {
  const value = text.trim().toLowerCase();
  const radius = /^(?:radius:)?(\d+(?:\.\d+)?)(m|km)?$/.exec(value);
  if (radius && (value.startsWith('radius:') || radius[2])) {
    const metres = Number(radius[1]) * (radius[2] === 'km' ? 1000 : 1);
    if (metres < 50 || metres > MAX_RADIUS_M) {
      return { error: `rule radius must be 50..${MAX_RADIUS_M} metres, got ${metres}` };
    }
    return { kind: 'radius', metres };
  }
  const network = /^([a-z]+):(\d+(?:\.\d+)?)(?:min)?$/.exec(value);
  if (network && (PROFILES as readonly string[]).includes(network[1]!)) {
    const minutes = Number(network[2]);
    if (minutes < 1 || minutes > MAX_MINUTES) {
      return { error: `rule minutes must be 1..${MAX_MINUTES}, got ${minutes}` };
    }
    return { kind: 'network', mode: network[1] as ProfileName, minutes };
  }
  return { error: `rule "${text.slice(0, 40)}" is not understood; use ${RULE_SYNTAX}` };
}

export function ruleText(rule: CoverageRule): string {
  return rule.kind === 'radius' ? `radius:${rule.metres}` : `${rule.mode}:${rule.minutes}`;
}

/** What the figures measured, in words for people and in a stable key for programs. */
export function describeRule(rule: CoverageRule) {
  if (rule.kind === 'radius') {
    return {
      rule: ruleText(rule),
      kind: 'radius' as const,
      distance_kind: 'straight_line' as const,
      radius_m: rule.metres,
      label_zh: `服务半径 ${rule.metres >= 1000 ? `${rule.metres / 1000} km` : `${rule.metres} m`}（直线距离）`,
      label_en: `service radius ${rule.metres} m (straight-line, geodesic)`,
    };
  }
  const modeZh = { walk: '步行', bike: '骑行', drive: '驾车' }[rule.mode];
  return {
    rule: ruleText(rule),
    kind: 'network' as const,
    distance_kind: 'network_travel_time' as const,
    mode: rule.mode,
    minutes: rule.minutes,
    label_zh: `${modeZh} ${rule.minutes} 分钟（路网）`,
    label_en: `${rule.minutes} min by ${rule.mode} on the road network`,
  };
}
