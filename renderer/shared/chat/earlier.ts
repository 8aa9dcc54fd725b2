/**
 * "Load earlier" for a message list: history pages forward only (`since=`), so one step goes back a
 * span of seqs from the oldest message shown and keeps what is older. Used by the participant page
 * and the host console alike.
 */

/** How far back (in seq) one "load earlier" reaches. */
export const EARLIER_SEQ_SPAN = 300

/** The messages older than `oldest` within one span, and the `since` the page was read from (0: the start of the room). */
export async function fetchEarlier<M extends { seq: number }> (
  oldest: number,
  fetchPage: (query: { since: number, limit: number }) => Promise<{ messages: M[] }>
): Promise<{ older: M[], since: number }> {
  const since = Math.max(0, oldest - 1 - EARLIER_SEQ_SPAN)
  const result = await fetchPage({ since, limit: EARLIER_SEQ_SPAN + 1 })
  return { older: result.messages.filter(m => m.seq < oldest), since }
}
