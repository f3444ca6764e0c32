/** Whether an HTTP status is a success (200–299): the one test of "the server accepted it". */
export const is2xx = (status: number): boolean => status >= 200 && status < 300;

/** Whether an answer says "busy, ask again later": 429 or 503 (the poller and the checker wait it out). */
export const isBusy = (status: number | undefined): boolean => status === 429 || status === 503;
