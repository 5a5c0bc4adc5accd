/** The credentials the simulator accepts unless told otherwise (ARCHITECTURE.md, "Simulator defaults"). */
export interface SimulatorCredentials {
  /** OAuth 2.0 client credentials of a service account. */
  clientId: string;
  clientSecret: string;
  /** Legacy programmatic API key, used with HTTP Digest. */
  publicKey: string;
  privateKey: string;
}

export const SIMULATOR_CREDENTIALS: Readonly<SimulatorCredentials> = Object.freeze({
  clientId: 'mdb_sa_id_0123456789abcdef01234567',
  clientSecret: 'mdb_sa_sk_simulator',
  publicKey: 'simpubkey',
  privateKey: '00000000-0000-4000-8000-000000000000',
});
