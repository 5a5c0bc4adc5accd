import { Link, useRouter, type ErrorComponentProps } from '@tanstack/react-router';
import { AtlasText } from '../components/atlas-text.tsx';
import { ErrorPanel } from '../components/error-panel.tsx';
import { AlertIcon } from '../components/icons.tsx';
import { useDocumentTitle } from '../lib/use-document-title.ts';
import { invalidAddressIn, type InvalidAddressError } from './route-params.ts';

/** With their article: "an export id". */
const PARAM_WORDS: Record<InvalidAddressError['param'], string> = {
  groupId: 'a project id',
  clusterName: 'a cluster name',
  exportId: 'an export id',
};

export function InvalidAddress({ error }: { error: InvalidAddressError }) {
  useDocumentTitle('Invalid address');
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-white p-5">
      <div className="flex items-start gap-3">
        <AlertIcon className="mt-0.5 size-5 shrink-0 text-red-600" />
        <div className="flex max-w-3xl min-w-0 flex-col gap-1.5 text-sm text-slate-700">
          <h2 className="text-base font-semibold text-slate-900">This address is not valid</h2>
          <p className="wrap-anywhere">
            “<AtlasText text={error.value} className="font-mono text-xs" />” is not {PARAM_WORDS[error.param]}.{' '}
            {error.message} Check the address, or pick the project and cluster from the list.
          </p>
          <Link
            to="/"
            className="self-start rounded text-blue-700 underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
          >
            Go to the projects
          </Link>
        </div>
      </div>
    </div>
  );
}

/**
 * Every route's error boundary: it renders inside the root layout, so the header and breadcrumbs stay, and it
 * says what failed with a way to try again. Never the router's bare default.
 */
export function RouteError({ error, reset }: ErrorComponentProps) {
  const router = useRouter();
  const invalid = invalidAddressIn(error);
  if (invalid) return <InvalidAddress error={invalid} />;
  const retry = () => {
    reset();
    void router.invalidate();
  };
  return <ErrorPanel error={error} what="this page" onRetry={retry} />;
}
