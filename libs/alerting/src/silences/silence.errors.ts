import { AppError } from '@tocsin/graphql';
import { MatcherError, parseMatchers, toMatchers, type Matcher } from '../routing/matchers';

/** Matchers from user input, or BAD_USER_INPUT with the parser's message. */
export function inputMatchers(value: unknown, what = 'matchers'): Matcher[] {
  try {
    const list = typeof value === 'string' ? parseMatchers(value) : toMatchers(value);
    return list;
  } catch (e) {
    if (e instanceof MatcherError) throw AppError.badInput(`${what}: ${e.message}`);
    throw e;
  }
}
