import type { ReactNode } from 'react';
import { isAtlasRequestError } from '../lib/api-client.ts';
import { AlertIcon, WarningIcon } from './icons.tsx';

export interface ErrorExplanation {
  title: string;
  body: string;
  /** Transient errors retry on their own; permanent ones need someone to change something. */
  transient: boolean;
}

/** What went wrong, in plain words, and what to do about it. */
export function explainError(error: unknown, what = 'this data', retryInSeconds?: number): ErrorExplanation {
  if (!isAtlasRequestError(error)) {
    return {
      title: 'Something went wrong',
      body: `The dashboard could not show ${what}. Reload the page to try again.`,
      transient: true,
    };
  }
  const code = error.errorCode ?? '';
  if (error.status === 401 || code === 'UPSTREAM_AUTH') {
    return {
      title: 'Atlas did not accept the dashboard’s credentials',
      body: 'The API key or service account configured on the dashboard server was rejected, has expired, or is not a member of this project’s organization. Ask whoever runs the dashboard to check MONGODB_ATLAS_CLIENT_ID / MONGODB_ATLAS_CLIENT_SECRET (or the API key pair), then reload.',
      transient: false,
    };
  }
  if (error.status === 403) {
    return {
      title: 'Not allowed to view export jobs here',
      body: 'Viewing export jobs needs the Project Backup Manager role (or higher) on this project for the dashboard’s API key or service account. If the role is in place, check that the server’s IP address is on the key’s access list.',
      transient: false,
    };
  }
  if (error.status === 404 && what === 'this export job') {
    return {
      title: 'Export job not found',
      body: 'Atlas has no export job with this id in this cluster. Check the address, or go back to the export jobs.',
      transient: false,
    };
  }
  if (error.status === 404) {
    return {
      title: 'Project or cluster not found',
      body: 'Atlas has no project or cluster by this name, or it was deleted or renamed. Check the address, or pick the project and cluster again from the list.',
      transient: false,
    };
  }
  if (error.status === 429) {
    const when = retryInSeconds !== undefined ? `in ${retryInSeconds} s` : 'shortly';
    return {
      title: 'Atlas is rate limiting requests',
      body: `Too many requests reached Atlas for this project. Refreshing stops and resumes by itself ${when}.`,
      transient: true,
    };
  }
  if (error.status === 504) {
    return {
      title: 'Atlas is slow to answer',
      body: `The request for ${what} timed out. Retrying automatically.`,
      transient: true,
    };
  }
  if (error.kind === 'network') {
    return {
      title: 'Cannot reach the dashboard server',
      body: `The network or the dashboard server is down. Retrying automatically.`,
      transient: true,
    };
  }
  if (error.isPermanent) {
    return {
      title: `Atlas refused the request (${error.status})`,
      body: error.body?.detail ?? error.message,
      transient: false,
    };
  }
  return {
    title: 'Atlas is having trouble',
    body: `Atlas or the dashboard server answered with an error (${error.status || error.kind}). Retrying automatically.`,
    transient: true,
  };
}

export function ErrorPanel({
  error,
  what,
  retryInSeconds,
  children,
}: {
  error: unknown;
  what?: string;
  retryInSeconds?: number;
  children?: ReactNode;
}) {
  const e = explainError(error, what, retryInSeconds);
  const code = isAtlasRequestError(error) ? [error.status || undefined, error.errorCode].filter(Boolean).join(' ') : '';
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-white p-5">
      <div className="flex items-start gap-3">
        {e.transient ? (
          <WarningIcon className="mt-0.5 size-5 shrink-0 text-amber-600" />
        ) : (
          <AlertIcon className="mt-0.5 size-5 shrink-0 text-red-600" />
        )}
        <div className="flex max-w-3xl flex-col gap-1.5">
          <h2 className="text-base font-semibold text-slate-900">{e.title}</h2>
          <p className="text-sm text-slate-700">{e.body}</p>
          {code && <p className="font-mono text-xs text-slate-500">Atlas said: {code}</p>}
          {children}
        </div>
      </div>
    </div>
  );
}
