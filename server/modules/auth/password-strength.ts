/**
 * Password strength as zxcvbn estimates it (its kept TypeScript port, not rules of our own):
 * common passwords, keyboard runs, repeats, dates, l33t, and the user's own name. Runs in the CPU
 * pool (cpu-tasks.ts): building the dictionaries takes ~0.5 s, a check tens of milliseconds.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

/**
 * Passwords people in China pick often that the English lists miss (published leak analyses);
 * zxcvbn finds them and their variations (case, suffixes, l33t) as dictionary words.
 */
const CHINESE_COMMON = [
  'woaini1314', '5201314', '1314520', 'woaini', 'woaini520', 'iloveyou', 'a123456789', 'qq123456789',
  '123456789a', 'aa123456789', 'abc123456789', '1qaz2wsx', '1qaz2wsx3edc', 'qwe123456', 'zxcvbnm123',
  '147258369', '159357', '123qwe', 'asd123456', 'woshishui', 'nihao123', 'zhongguo', 'beijing',
  'shanghai', 'huawei', 'xiaomi', 'taobao', 'weixin', 'baidu', 'qwertyuiop', 'asdfghjkl',
];

/** Built once, on first use: the dictionaries are a few MB. */
let strength: ZxcvbnFactory | null = null;
function strengthChecker(): ZxcvbnFactory {
  strength ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, chineseCommon: CHINESE_COMMON },
    graphs: common.adjacencyGraphs,
  });
  return strength;
}

/** zxcvbn's scale: 0–1 fall to a few thousand guesses; 2 needs about a million. */
const MIN_STRENGTH = 2;
/** Past this a password is long enough; checking more only costs time (zxcvbn grows with length). */
const STRENGTH_CHECK_CHARS = 64;

/** Why a password is too easy to guess, or null (lengths are checked before: passwords.ts). */
export function passwordStrengthProblem(input: { password: string; username: string | null }): string | null {
  const result = strengthChecker().check(
    input.password.slice(0, STRENGTH_CHECK_CHARS),
    input.username ? [input.username] : [],
  );
  if (result.score < MIN_STRENGTH)
    return 'Password is too easy to guess (a common password, a keyboard run, a repeat or the user name); use several words or mix in something personal';
  return null;
}
