// Whether an imported error code is worth a retry (`retryable`): a reasoned default, in one place,
// for the reviewer to confirm. Retrying helps when the failure is the service's momentary state
// (an internal error, a rate limit, a timeout, something still being prepared), never when the
// request itself is wrong, a resource is missing or a quota is used up.

/** The rule, in words, for the operation's note. */
export const RETRYABLE_RULE =
  "InternalError.*, RequestLimitExceeded.*, ServiceUnavailable, ResourceUnavailable, timeouts and codes whose description asks to wait or retry are retryable, unless the description says the request cannot be parsed or is unsupported; every other code is not";

const TRANSIENT_CLASS = /^(InternalError|RequestLimitExceeded|ServiceUnavailable)(\.|$)|^ResourceUnavailable$/;
const TRANSIENT_NAME = /Time(d)?Out|Timeout|Busy|RestrictedFrequency|TooFrequent|TryAgain|Retry/i;
const TRANSIENT_TEXT = /please (wait|retry|try again)|try again later|timed out|请稍候|请重试|稍后重试|请求超时|请求过于频繁|too many requests/i;
/** An internal code that is really about the request: the same request fails again. */
const PERMANENT_TEXT = /pars(e|ing)|unsupported|not supported|解析|不支持/i;

export function retryableByDefault(code: string, description = ""): boolean {
  if (PERMANENT_TEXT.test(description) && !/^RequestLimitExceeded/.test(code)) return false;
  return TRANSIENT_CLASS.test(code) || TRANSIENT_NAME.test(code) || TRANSIENT_TEXT.test(description);
}
