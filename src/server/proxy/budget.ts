/**
 * One memory budget for the upstream response bodies all requests are reading at once. Each body is reserved
 * by its Content-Length up front (or chunk by chunk when there is none, or when Atlas sends more than it
 * declared) and released when it has been read. Per-response caps alone let 200 concurrent 9 MiB responses
 * take the process to 1.7 GiB; with the budget, the excess is refused with 503 PROXY_BUSY instead.
 */
export class ByteBudget {
  private used = 0;
  /** Set when a reservation did not fit; cleared when bytes come back. New requests are refused meanwhile. */
  private exhausted = false;

  constructor(readonly maxBytes: number) {}

  /** True when new requests should not even be sent upstream. */
  get full(): boolean {
    return this.exhausted || this.used >= this.maxBytes;
  }

  get inUse(): number {
    return this.used;
  }

  tryReserve(bytes: number): boolean {
    if (this.used + bytes > this.maxBytes) {
      this.exhausted = true;
      return false;
    }
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    if (bytes <= 0) return;
    this.used = Math.max(0, this.used - bytes);
    this.exhausted = false;
  }
}
