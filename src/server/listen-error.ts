/**
 * Start-up failures an operator can fix, as one sentence naming the setting to change. The raw error
 * (`listen EADDRINUSE: address already in use 127.0.0.1:8080`) says what happened, not what to do.
 */
export function listenFailure(err: unknown, host: string, port: number): string | undefined {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  switch (code) {
    case 'EADDRINUSE':
      return `PORT ${port} is already in use on ${host}: set PORT to a free port (or 0 to pick one).`;
    case 'EACCES':
      return `PORT ${port} on ${host} needs privileges this process does not have: set PORT to 1024 or above.`;
    case 'EADDRNOTAVAIL':
      return `HOST ${host} is not an address of this machine: set HOST to one of its addresses, or 0.0.0.0 for all of them.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return `HOST ${host} does not resolve: set HOST to an IP address of this machine or a name that resolves to one.`;
    default:
      return undefined;
  }
}
