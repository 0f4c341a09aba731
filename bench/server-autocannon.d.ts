/** The part of autocannon (no types of its own) that bench/server-figures.ts uses. */
declare module 'autocannon' {
  namespace autocannon {
    interface Request { method?: string; path?: string; headers?: Record<string, string>; body?: string }
    interface Options {
      url: string;
      method?: string;
      headers?: Record<string, string>;
      body?: string;
      connections?: number;
      duration?: number;
      requests?: { setupRequest?: (req: Request) => Request }[];
    }
    interface Result {
      requests: { average: number };
      latency: { p99: number };
      statusCodeStats?: Record<string, { count: number }>;
      errors: number;
      timeouts: number;
      non2xx: number;
    }
  }
  function autocannon(options: autocannon.Options): Promise<autocannon.Result>;
  export default autocannon;
}
