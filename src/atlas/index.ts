export * from './api-error.ts';
export * from './audit-record.ts';
export * from './operations.ts';
export * from './routing.ts';
export * from './types.ts';
