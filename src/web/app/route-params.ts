/**
 * Path parameters checked as Atlas checks them, before any request: a hand-edited address with a cluster name
 * Atlas could never accept gets a clear message in the app instead of a round trip and a confusing 404. A bad
 * parameter is a page that does not exist (the router's not-found, which it does not log as a failure) carrying
 * what was wrong with it.
 */
import { notFound } from '@tanstack/react-router';

/** Atlas's `clusterName` pattern (operations table), at most 64 characters. */
const CLUSTER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,63}$/;
const OBJECT_ID = /^[a-f0-9]{24}$/i;

export const isGroupId = (value: string | undefined): value is string => OBJECT_ID.test(value ?? '');

/** Thrown by a route's param parser; the route error boundary explains it. */
export class InvalidAddressError extends Error {
  readonly param: 'groupId' | 'clusterName' | 'exportId';
  readonly value: string;
  constructor(param: InvalidAddressError['param'], value: string, message: string) {
    super(message);
    this.name = 'InvalidAddressError';
    this.param = param;
    this.value = value;
  }
}

/** The problem a not-found (its `data`) or a router error (its `cause`) carries, if it is a bad address. */
export function invalidAddressIn(value: unknown): InvalidAddressError | undefined {
  if (value instanceof InvalidAddressError) return value;
  if (value instanceof Error && value.cause instanceof InvalidAddressError) return value.cause;
  return undefined;
}

function invalid(param: InvalidAddressError['param'], value: string, message: string): never {
  throw notFound({ data: new InvalidAddressError(param, value, message) });
}

function groupId(value: string): string {
  if (OBJECT_ID.test(value)) return value;
  return invalid(
    'groupId',
    value,
    'A project id is 24 hexadecimal digits (the id Atlas shows in the project settings).',
  );
}

function clusterName(value: string): string {
  if (CLUSTER_NAME.test(value)) return value;
  return invalid(
    'clusterName',
    value,
    'A cluster name is 1 to 64 letters, digits and hyphens, and starts with a letter or a digit.',
  );
}

function exportId(value: string): string {
  if (OBJECT_ID.test(value)) return value;
  return invalid('exportId', value, 'An export id is 24 hexadecimal digits.');
}

export const projectParams = {
  parse: (raw: { groupId: string }) => ({ groupId: groupId(raw.groupId) }),
  stringify: (p: { groupId: string }) => p,
};

export const clusterParams = {
  parse: (raw: { groupId: string; clusterName: string }) => ({
    groupId: groupId(raw.groupId),
    clusterName: clusterName(raw.clusterName),
  }),
  stringify: (p: { groupId: string; clusterName: string }) => p,
};

export const exportParams = {
  parse: (raw: { groupId: string; clusterName: string; exportId: string }) => ({
    groupId: groupId(raw.groupId),
    clusterName: clusterName(raw.clusterName),
    exportId: exportId(raw.exportId),
  }),
  stringify: (p: { groupId: string; clusterName: string; exportId: string }) => p,
};
