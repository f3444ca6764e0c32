/** Whether an HTTP status is a success (200–299): the one test of "the server accepted it". */
export const is2xx = (status: number): boolean => status >= 200 && status < 300;
