// Tests read many JSON bodies of known shape; let them be indexed without casting each one.
declare global {
  interface Response {
    json<T = any>(): Promise<T>;
  }
}
export {};
