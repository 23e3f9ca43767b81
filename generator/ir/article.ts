/** `word` with its indefinite article, by sound: "an integer", "an int32", "an ipv4", "a uint64", "a uri". */
export function withArticle(word: string): string {
  return `${/^[aeio]/i.test(word) ? "an" : "a"} ${word}`;
}
