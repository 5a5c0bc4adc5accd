import { useRouter } from '@tanstack/react-router';
import type { MouseEvent } from 'react';
import { AtlasText } from '../../../components/atlas-text.tsx';
import { shortId } from '../../../lib/format.ts';
import { apiPath, dashboardPageFor, dashboardPath, type DashboardPage } from '../api/atlas-links.ts';

function label(page: DashboardPage): string {
  switch (page.kind) {
    case 'projects':
      return 'All projects';
    case 'project':
      return `Project ${shortId(page.groupId)}`;
    case 'exports':
      return `Export jobs of ${page.clusterName}`;
    case 'export':
      return `Export ${page.exportId}`;
  }
}

/** One of Atlas's `links`: the dashboard's own page for it, or its API path as plain text when there is none. */
export function JobLink({ href }: { href: string | undefined }) {
  const router = useRouter();
  const page = dashboardPageFor(href);
  if (!page) {
    return (
      <span className="font-mono text-xs text-slate-500" title="Atlas API address; the dashboard has no page for it">
        <AtlasText text={apiPath(href) ?? 'outside the Atlas API'} />
      </span>
    );
  }
  const path = dashboardPath(page);
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    void router.navigate({ href: path });
  };
  return (
    <a
      href={path}
      onClick={onClick}
      className="rounded text-blue-700 hover:underline focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
    >
      {label(page)}
    </a>
  );
}
