/** One-line status text for a station card, in Chinese or English, in the station's zone. */
import type { ScheduleState } from './types.js';
import { daysBetween, formatMinuteOfDay, localTimeAt, MS_PER_MINUTE, weekdayOf } from './zone.js';

export type DescribeLocale = 'zh' | 'en';

/** Below this many minutes we count down ("Closes in 20 min") instead of printing a time. */
const COUNTDOWN_MINUTES = 60;

const WEEKDAY_NAMES = {
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
  zh: ['周日', '周一', '周二', '周三', '周四', '周五', '周六'],
} as const;
const MONTH_NAMES_EN = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

interface Clock {
  now: number;
  timeZone: string;
  locale: DescribeLocale;
}

function timeOfDay(instant: number, { timeZone }: Clock): string {
  return formatMinuteOfDay(localTimeAt(instant, timeZone).minuteOfDay);
}

function calendarDate(instant: number, { timeZone, locale }: Clock): string {
  const { month, day } = localTimeAt(instant, timeZone);
  return locale === 'zh' ? `${month}月${day}日` : `${day} ${MONTH_NAMES_EN[month - 1]}`;
}

function daysFromToday(instant: number, clock: Clock): number {
  return daysBetween(
    localTimeAt(clock.now, clock.timeZone).date,
    localTimeAt(instant, clock.timeZone).date,
  );
}

/** "18:00", "tomorrow 08:00", "Mon 08:00", "3 Dec 08:00" (明天 / 周一 / 12月3日 in Chinese). */
function moment(instant: number, clock: Clock): string {
  const days = daysFromToday(instant, clock);
  const time = timeOfDay(instant, clock);
  if (days === 0) return time;
  if (days === 1) return `${clock.locale === 'zh' ? '明天' : 'tomorrow'} ${time}`;
  if (days > 1 && days < 7) {
    const weekday = weekdayOf(localTimeAt(instant, clock.timeZone).date);
    return `${WEEKDAY_NAMES[clock.locale][weekday]} ${time}`;
  }
  return `${calendarDate(instant, clock)} ${time}`;
}

function minutesUntil(instant: number, clock: Clock): number {
  return Math.ceil((instant - clock.now) / MS_PER_MINUTE);
}

const TEXT = {
  en: {
    noHours: () => 'Hours not published',
    uncertain: (comment?: string) => (comment ? `Hours uncertain: ${comment}` : 'Hours uncertain'),
    closure: (reason: string, until: string) => `Temporarily closed: ${reason} until ${until}`,
    allDay: () => 'Open 24 hours',
    closesIn: (minutes: number) => `Closes in ${minutes} min`,
    closesAt: (at: string) => `Open · closes ${at}`,
    holidayClosed: (name: string) => `Closed today (${name})`,
    provisionalHolidayClosed: (name: string) => `Closed today (${name}, expected; not yet announced)`,
    closed: () => 'Closed',
    opensIn: (minutes: number) => `Opens in ${minutes} min`,
    opensLaterToday: (at: string) => `Closed · opens ${at}`,
    opensAt: (at: string) => `Opens ${at}`,
  },
  zh: {
    noHours: () => '暂无营业时间',
    uncertain: (comment?: string) => (comment ? `营业时间待确认：${comment}` : '营业时间待确认'),
    closure: (reason: string, until: string) => `暂停开放：${reason}，至${until}`,
    allDay: () => '24小时营业',
    closesIn: (minutes: number) => `${minutes}分钟后关门`,
    closesAt: (at: string) => `营业中 · ${at} 关门`,
    holidayClosed: (name: string) => `今日休息（${name}）`,
    provisionalHolidayClosed: (name: string) => `今日休息（${name}，安排尚未公布）`,
    closed: () => '休息中',
    opensIn: (minutes: number) => `${minutes}分钟后开门`,
    opensLaterToday: (at: string) => `休息中 · ${at} 开门`,
    opensAt: (at: string) => `${at} 开门`,
  },
} as const;

export function describeState(state: ScheduleState, now: Date, locale: DescribeLocale): string {
  const clock: Clock = { now: now.getTime(), timeZone: state.timeZone, locale };
  const text = TEXT[locale];
  const change = state.nextChange?.getTime();

  if (state.closure) {
    const until = state.closure.until.getTime();
    const untilText =
      daysFromToday(until, clock) === 0 ? timeOfDay(until, clock) : calendarDate(until, clock);
    return text.closure(state.closure.reason, untilText);
  }
  if (state.unknown) {
    return state.reason === 'none' ? text.noHours() : text.uncertain(state.comment);
  }
  if (state.open) {
    if (change === undefined) return text.allDay();
    const minutes = minutesUntil(change, clock);
    return minutes <= COUNTDOWN_MINUTES
      ? text.closesIn(minutes)
      : text.closesAt(moment(change, clock));
  }

  const reopensToday = change !== undefined && state.nextOpen && daysFromToday(change, clock) === 0;
  if (state.reason === 'holiday' && state.holiday && !reopensToday) {
    const name =
      locale === 'en' ? (state.holiday.nameEn ?? state.holiday.name) : state.holiday.name;
    return state.holiday.provisional ? text.provisionalHolidayClosed(name) : text.holidayClosed(name);
  }
  if (change === undefined || !state.nextOpen) return text.closed();
  const minutes = minutesUntil(change, clock);
  if (minutes <= COUNTDOWN_MINUTES) return text.opensIn(minutes);
  return reopensToday
    ? text.opensLaterToday(timeOfDay(change, clock))
    : text.opensAt(moment(change, clock));
}
