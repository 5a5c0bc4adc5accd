import type { ReactNode } from 'react';
import { isAtlasRequestError, type AtlasRequestError } from '../lib/api-client.ts';
import { LongAtlasText } from './atlas-text.tsx';
import { AlertIcon, WarningIcon } from './icons.tsx';

export interface ErrorExplanation {
  title: string;
  body: string;
  /** Transient errors retry on their own; permanent ones need someone to change something. */
  transient: boolean;
  /** Words Atlas or the dashboard server sent, shown as they came (isolated, clamped) after the body. */
  quote?: string;
}

/** The answers that are not Atlas's verdict on the request: a wrong-shape body, the dashboard's own refusals. */
function explainSpecial(error: AtlasRequestError, what: string, when: string): ErrorExplanation | undefined {
  if (error.kind === 'shape') {
    const s = error.shape;
    const where = s ? `${s.path} should be ${s.expected} but is ${s.got}` : 'the answer has an unexpected shape';
    return {
      title: 'Atlas answered something the dashboard does not understand',
      body: `In the answer for ${what}, ${where}. Atlas may have changed its API, or something between Atlas and the dashboard altered the answer. Retrying every few seconds; if this persists, tell whoever runs the dashboard.`,
      transient: true,
    };
  }
  // Only the proxy's own protective refusals; its reports about Atlas (credentials, timeouts) read as before.
  if (error.source !== 'dashboard' || error.kind !== 'http') return undefined;
  if (error.status === 401 || error.errorCode === 'UPSTREAM_AUTH') return undefined;
  if (error.coolDownMs !== undefined)
    return {
      title: 'The dashboard is holding requests back',
      body: `The dashboard server is protecting Atlas’s shared quota or its own resources. Refreshing resumes by itself ${when}.`,
      transient: true,
    };
  if (error.status >= 500) return undefined;
  return {
    title: `The dashboard refused this request (${error.status})`,
    body: 'The dashboard server refused this request before it reached Atlas:',
    quote: error.body?.detail ?? error.message,
    transient: !error.isPermanent,
  };
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
  const when = retryInSeconds !== undefined ? `in ${retryInSeconds} s` : 'shortly';
  const special = explainSpecial(error, what, when);
  if (special) return special;
  const code = error.errorCode ?? '';
  if (error.status === 401 || code === 'UPSTREAM_AUTH') {
    return {
      title: 'Atlas did not accept the dashboard’s credentials',
      body: 'The API key or service account configured on the dashboard server was rejected, has expired, or is not a member of this project’s organization. Ask whoever runs the dashboard to check MONGODB_ATLAS_CLIENT_ID / MONGODB_ATLAS_CLIENT_SECRET (or the API key pair). This page checks the server’s readiness every 15 s and recovers by itself once Atlas accepts them.',
      transient: false,
    };
  }
  if (code === 'TOKEN_ERROR') {
    return {
      title: 'Atlas’s sign-in service is failing',
      body: 'The dashboard server could not get an access token from Atlas’s token endpoint, so no request reached Atlas. Retrying automatically.',
      quote: error.body?.detail ?? undefined,
      transient: true,
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
  if (error.status === 503 && error.coolDownMs !== undefined) {
    return {
      title: 'Atlas is temporarily unavailable',
      body: `Atlas asked the dashboard to come back later. Refreshing stops and resumes by itself ${when}.`,
      transient: true,
    };
  }
  if (error.status === 429) {
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
      body: 'Atlas answered:',
      quote: error.body?.detail ?? error.message,
      transient: false,
    };
  }
  if (error.atlasStatus === 503) {
    return {
      title: 'Atlas is unavailable',
      body: 'Atlas says it cannot serve requests right now. Retrying automatically.',
      transient: true,
    };
  }
  if (error.source === 'dashboard') {
    return {
      title: 'The dashboard server is having trouble',
      body: `The dashboard server failed before asking Atlas (${error.status}). Retrying automatically.`,
      transient: true,
    };
  }
  return {
    title: 'Atlas is having trouble',
    body: `Atlas answered with an error${error.atlasStatus ? ` (${error.atlasStatus})` : ''}. Retrying automatically.`,
    transient: true,
  };
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * Which side failed, and what it said: "Atlas answered 503 Service Unavailable", "The dashboard server answered 429
 * DASHBOARD_BUSY", "No answer from the dashboard server". Atlas's own status, not the gateway's 502 that carried it.
 */
export function whoAnswered(error: unknown): string {
  if (!isAtlasRequestError(error)) return 'The dashboard failed in the browser';
  if (error.kind === 'network') return 'No answer from the dashboard server';
  if (error.kind === 'shape' || error.kind === 'malformed')
    return `Atlas answered ${error.status} with a body it should not have`;
  const named = (status: number) => `${status}${REASONS[status] ? ` ${REASONS[status]}` : ''}`;
  const code = error.errorCode ? ` (${error.errorCode})` : '';
  if (error.source === 'dashboard') return `The dashboard server answered ${named(error.status)}${code}`;
  if (error.atlasStatus !== undefined) return `Atlas answered ${named(error.atlasStatus)}${code}`;
  if (error.errorCode === 'UPSTREAM_TIMEOUT')
    return `Atlas did not answer in time (the dashboard server reports ${error.status})`;
  if (error.errorCode === 'UPSTREAM_AUTH') return `Atlas refused the dashboard server’s credentials${code}`;
  if (error.errorCode === 'TOKEN_ERROR') return `Atlas’s token endpoint failed${code}`;
  return `The dashboard server reports ${named(error.status)}${code} about Atlas`;
}

export function ErrorPanel({
  error,
  what,
  retryInSeconds,
  onRetry,
  children,
}: {
  error: unknown;
  what?: string;
  retryInSeconds?: number;
  /** Shows a "Try again" button (disabled while a cool-down runs). */
  onRetry?: () => void;
  children?: ReactNode;
}) {
  const e = explainError(error, what, retryInSeconds);
  const who = isAtlasRequestError(error) && error.kind !== 'shape' ? whoAnswered(error) : '';
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
          <p className="text-sm wrap-anywhere text-slate-700">
            {e.body}
            {e.quote && (
              <>
                {' '}
                <LongAtlasText text={e.quote} />
              </>
            )}
          </p>
          {who && <p className="text-xs text-slate-500 tabular-nums">{who}.</p>}
          {onRetry && <RetryButton onRetry={onRetry} disabled={retryInSeconds !== undefined} />}
          {children}
        </div>
      </div>
    </div>
  );
}

export function RetryButton({ onRetry, disabled = false }: { onRetry: () => void; disabled?: boolean }) {
  return (
    <div className="mt-2 text-sm">
      <button
        type="button"
        onClick={onRetry}
        disabled={disabled}
        className="rounded border border-slate-300 bg-white px-2.5 py-1 font-medium text-slate-800 hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none disabled:opacity-50"
      >
        Try again
      </button>
    </div>
  );
}
